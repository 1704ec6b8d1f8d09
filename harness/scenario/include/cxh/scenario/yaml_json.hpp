#pragma once
// YAML -> JSON with the source position of every value, so errors found on the JSON (schema
// validation, model building) can name the YAML line.
#include <cxh/core/diagnostic.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cxh::scenario {

struct position {
  std::string file;
  int line = 0;             // 1-based; 0 when unknown
  int column = 0;           // 1-based
  std::string str() const;  // "file:line:column"
};

struct yaml_document {
  nlohmann::json value;
  std::map<std::string, position> positions;  // JSON pointer -> where that value starts
  // The position of the pointer, or of its nearest ancestor that has one.
  position at(std::string pointer) const;
};

// Plain scalars become null/bool/integer/number when they read as one (YAML core schema);
// quoted scalars stay strings. Throws nothing: a YAML syntax error comes back in `error` with
// its position.
struct yaml_result {
  yaml_document doc;
  std::string error;  // "file:line:col: what"
  // Set (with `error`) when the document is refused for its expanded size (alias bombs):
  // cxh/core/yaml_budget.hpp.
  std::optional<diagnostic> refused;
};
yaml_result yaml_to_json(std::string_view text, const std::string& file);

}  // namespace cxh::scenario
