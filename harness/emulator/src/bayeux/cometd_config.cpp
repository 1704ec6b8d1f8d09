#include <cxh/emulator/config.hpp>

namespace cxh::emulator {

std::variant<cometd_options, cxh::diagnostics> parse_cometd_options(const nlohmann::json& doc,
                                                                    const std::string& where) {
  cometd_options o;
  cxh::diagnostics problems;
  if (!doc.is_object()) return cxh::diagnostics{{where, "must be an object", ""}};
  for (auto& [key, value] : doc.items()) {
    std::string at = where + "/" + key;
    bool positive = value.is_number_unsigned() && value.get<std::uint64_t>() > 0;
    if (!positive && !(key == "interval_ms" && value.is_number_unsigned())) {
      problems.push_back(
          {at, key == "interval_ms" ? "must be an integer >= 0" : "must be a positive integer",
           ""});
      continue;
    }
    auto n = value.get<std::uint64_t>();
    auto ms = std::chrono::milliseconds(n);
    if (key == "timeout_ms")
      o.timeout = ms;
    else if (key == "interval_ms")
      o.interval = ms;
    else if (key == "max_interval_ms")
      o.max_interval = ms;
    else if (key == "tick_ms")
      o.tick = ms;
    else if (key == "max_sessions")
      o.max_sessions = n;
    else if (key == "max_sessions_per_owner")
      o.max_sessions_per_owner = n;
    else if (key == "max_batch")
      o.max_batch = n;
    else if (key == "max_queued_bytes")
      o.max_queued_bytes = n;
    else if (key == "queue_cap")
      o.queue_cap = n;
    else
      problems.push_back({at, "unknown setting '" + key + "'",
                          "known: timeout_ms, interval_ms, max_interval_ms, max_sessions, "
                          "max_sessions_per_owner, max_batch, max_queued_bytes, queue_cap, "
                          "tick_ms"});
  }
  if (!problems.empty()) return problems;
  return o;
}

}  // namespace cxh::emulator
