#include "decimal.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace cxh::histogram::detail {

std::string format_fixed(double x, int fraction_digits) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  const bool negative = std::signbit(x) && x != 0;
  // Shortest round-trip form "d.ddde+XX": the significant digits and the decimal exponent.
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(x), std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  const std::size_t e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at)) {
    if (c != '.') digits.push_back(c);
  }
  const int exponent = std::atoi(std::string(sci.substr(e_at + 1)).c_str());
  // The value is 0.<digits> * 10^(exponent + 1); keep `int_digits + fraction_digits` of them.
  int int_digits = exponent + 1;
  const int keep = int_digits + fraction_digits;
  if (keep < 0) {
    digits.assign(1, '0');
    int_digits = 1;
  } else if (static_cast<std::size_t>(keep) < digits.size()) {
    const bool round_up = digits[static_cast<std::size_t>(keep)] >= '5';
    digits.resize(static_cast<std::size_t>(keep));
    if (round_up) {
      int i = keep - 1;
      for (; i >= 0 && digits[static_cast<std::size_t>(i)] == '9'; --i) {
        digits[static_cast<std::size_t>(i)] = '0';
      }
      if (i >= 0) {
        ++digits[static_cast<std::size_t>(i)];
      } else {
        digits = "1" + digits;  // 9.99 -> 10.0: one more integer digit
        ++int_digits;
      }
    }
  }
  // Lay the kept digits out around the decimal point, padding with zeros on both sides.
  std::string int_part, frac_part;
  for (int i = 0; i < int_digits; ++i) {
    int_part.push_back(
        static_cast<std::size_t>(i) < digits.size() ? digits[static_cast<std::size_t>(i)] : '0');
  }
  for (int i = 0; i < fraction_digits; ++i) {
    const int at = int_digits + i;
    frac_part.push_back(at >= 0 && static_cast<std::size_t>(at) < digits.size()
                            ? digits[static_cast<std::size_t>(at)]
                            : '0');
  }
  if (int_part.empty()) int_part.push_back('0');
  const bool all_zero = int_part.find_first_not_of('0') == std::string::npos &&
                        frac_part.find_first_not_of('0') == std::string::npos;
  // Appends rather than literal assignments: GCC 12 -O3 warns falsely on those (bug 105329).
  std::string out;
  if (negative && !all_zero) out.push_back('-');
  out += int_part;
  if (fraction_digits > 0) {
    out.push_back('.');
    out += frac_part;
  }
  return out;
}

std::string pad_left(std::string s, std::size_t width) {
  // A new string rather than insert(0, ...): GCC 12 -O3 warns falsely on that (bug 105329).
  if (s.size() >= width) return s;
  return std::string(width - s.size(), ' ') + s;
}

}  // namespace cxh::histogram::detail
