#include <cxh/schema/validator.hpp>

namespace cxh::schema {

nlohmann::json to_basic_output(const std::vector<error>& errors) {
  nlohmann::json out{{"valid", errors.empty()}};
  if (errors.empty()) return out;
  auto& list = out["errors"] = nlohmann::json::array();
  for (const auto& e : errors) {
    list.push_back({{"instanceLocation", e.instance_location},
                    {"keywordLocation", e.keyword_location},
                    {"absoluteKeywordLocation", e.absolute_keyword_location},
                    {"error", e.message}});
  }
  return out;
}

std::string to_text(const std::vector<error>& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += e.instance_location.empty() ? "(root)" : e.instance_location;
    out += ": ";
    out += e.message;
    out += "  [schema ";
    out += e.absolute_keyword_location;
    out += "]\n";
  }
  return out;
}

}  // namespace cxh::schema
