#include <cxh/core/diagnostic.hpp>

namespace cxh {

std::string to_string(const diagnostic& d) {
  std::string out = d.where.empty() ? d.what : d.where + ": " + d.what;
  if (!d.hint.empty()) out += " (" + d.hint + ")";
  return out;
}

}  // namespace cxh
