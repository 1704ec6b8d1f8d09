#include "json_gate.hpp"

namespace cxh::emulator::detail {

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (ch == '\\')
        escaped = true;
      else if (ch == '"')
        in_string = false;
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;  // no need to read further
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

gated_json parse_gated(std::string_view text) {
  gated_json out;
  if (json_depth(text) > max_json_depth) {
    out.result = gated_json::outcome::too_deep;
    return out;
  }
  out.value = nlohmann::json::parse(text, nullptr, false);
  out.result = out.value.is_discarded() ? gated_json::outcome::invalid : gated_json::outcome::ok;
  return out;
}

std::string too_deep_message() {
  return "the JSON body nests deeper than " + std::to_string(max_json_depth) + " levels";
}

}  // namespace cxh::emulator::detail
