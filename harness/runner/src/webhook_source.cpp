#include <cxh/runner/webhook_source.hpp>

#include "checks.hpp"

namespace cxh::runner {

std::string webhook_source::prepare(const std::string& channel) {
  std::lock_guard lock(mutex_);
  since_[channel] = std::chrono::system_clock::now();
  return "";
}

std::optional<nlohmann::json> webhook_source::await(const std::string& channel,
                                                    const nlohmann::json& match,
                                                    std::chrono::milliseconds within) {
  std::chrono::system_clock::time_point since;
  {
    std::lock_guard lock(mutex_);
    since = since_[channel];
  }
  const std::string path = "/" + channel;
  auto got = receiver_->await(
      [&](const webhook::delivery& d) {
        return d.path == path && d.at >= since && detail::json_contains(d.json, match);
      },
      within);
  if (!got) return std::nullopt;
  return got->json;
}

}  // namespace cxh::runner
