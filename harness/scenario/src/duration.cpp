#include <cxh/scenario/parse.hpp>
#include <regex>

namespace cxh::scenario {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  static const std::regex form(R"(([0-9]+(?:\.[0-9]+)?)(ms|s|m))");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return std::nullopt;
  double amount = std::stod(m[1].str());
  double scale = m[2] == "ms" ? 1.0 : m[2] == "s" ? 1000.0 : 60000.0;
  double ms = amount * scale;
  if (ms > 24.0 * 3600 * 1000) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms + 0.5));
}

}  // namespace cxh::scenario
