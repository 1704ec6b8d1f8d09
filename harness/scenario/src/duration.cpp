#include <cstdlib>
#include <cxh/scenario/parse.hpp>
#include <string>

namespace cxh::scenario {

namespace {

std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i;
}

}  // namespace

// [0-9]+(\.[0-9]+)?(ms|s|m), read by a linear scan (no regex over a user's text).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t whole_end = skip_digits(text, 0);
  if (whole_end == 0) return std::nullopt;
  std::size_t number_end = whole_end;
  if (number_end < text.size() && text[number_end] == '.') {
    number_end = skip_digits(text, whole_end + 1);
    if (number_end == whole_end + 1) return std::nullopt;
  }
  std::string_view unit = text.substr(number_end);
  double scale = unit == "ms" ? 1.0 : unit == "s" ? 1000.0 : unit == "m" ? 60000.0 : 0.0;
  if (scale == 0.0 || whole_end > 12) return std::nullopt;  // more than a day anyway
  double amount = std::strtod(std::string(text.substr(0, number_end)).c_str(), nullptr);
  double ms = amount * scale;
  if (ms > 24.0 * 3600 * 1000) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms + 0.5));
}

}  // namespace cxh::scenario
