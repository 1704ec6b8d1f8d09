#pragma once

#include <string>

namespace cxh::histogram::detail {

// x with exactly `fraction_digits` decimals, rounded half away from zero from the shortest
// decimal that round-trips to x. That is how the reference implementations print (Java's
// Formatter and the JS port's Intl.NumberFormat both start from the shortest digits), so
// 0.125 -> "0.13" and 1.0005 -> "1.001", where printf would give "0.12" and "1.000".
std::string format_fixed(double x, int fraction_digits);

// s right-aligned in a field of `width` characters (never truncated).
std::string pad_left(std::string s, std::size_t width);

}  // namespace cxh::histogram::detail
