#pragma once

#include <string>
#include <string_view>

namespace cxh {

// Escapes one reference token of a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
inline std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace cxh
