#pragma once
// Subset matching of JSON values, as expectations use it ("a message whose data contains ...").
#include <nlohmann/json.hpp>

namespace cxh {

// Does `value` contain `pattern`? Objects: every member of the pattern, recursively; arrays:
// every pattern element matches some element; numbers: equal in value (1 == 1.0); other
// scalars: equal.
inline bool json_contains(const nlohmann::json& value, const nlohmann::json& pattern) {
  if (pattern.is_object()) {
    if (!value.is_object()) return false;
    for (const auto& [k, v] : pattern.items()) {
      auto it = value.find(k);
      if (it == value.end() || !json_contains(*it, v)) return false;
    }
    return true;
  }
  if (pattern.is_array()) {
    if (!value.is_array()) return false;
    for (const auto& p : pattern) {
      bool found = false;
      for (const auto& v : value) found = found || json_contains(v, p);
      if (!found) return false;
    }
    return true;
  }
  if (pattern.is_number() && value.is_number()) return pattern.get<double>() == value.get<double>();
  return value == pattern;
}

}  // namespace cxh
