#include "response_fields.hpp"

namespace cxh::http::detail {

bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum &&
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  }
  return true;
}

std::string safe_field_value(std::string_view value) {
  std::string out(value);
  for (auto& ch : out) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) ch = ' ';
  }
  return out;
}

}  // namespace cxh::http::detail
