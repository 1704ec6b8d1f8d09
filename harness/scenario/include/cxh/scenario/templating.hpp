#pragma once
// ${...} substitution in step values. Variables are JSON values; a string that is exactly one
// placeholder takes the variable's type, otherwise values are spliced into the string.
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace cxh::scenario {

class template_context {
 public:
  nlohmann::json variables = nlohmann::json::object();
  // Unknown variables and unset environment variables are errors: `error` names the first one.
  nlohmann::json expand(const nlohmann::json& value, std::string& error) const;
  std::string expand_string(const std::string& text, std::string& error) const;

 private:
  nlohmann::json lookup(const std::string& name, std::string& error) const;
};

}  // namespace cxh::scenario
