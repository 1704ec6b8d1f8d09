#pragma once

#include <string>
#include <vector>

namespace cxh {

// A problem found in a user's input: where (file:line:col or a JSON pointer), what, and a hint.
struct diagnostic {
  std::string where;  // "schemas/auth.json#/paths/~1token", "scenario.yaml:12:3", ...
  std::string what;   // one sentence a person understands
  std::string hint;   // optional: how to fix it
};

using diagnostics = std::vector<diagnostic>;

// "where: what (hint)" on one line.
std::string to_string(const diagnostic& d);

}  // namespace cxh
