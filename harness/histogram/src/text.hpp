// Text helpers shared by the .hgrm and .hlog formats (internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxh::histogram::detail {

// `value` with exactly `fraction_digits` decimals, rounded half up on its exact binary value (as
// HdrHistogram's JS port formats through Intl.NumberFormat), left-padded with spaces to `width`.
std::string fixed(double value, int fraction_digits, int width = 0);
// Right-aligns `text` in `width` columns.
std::string pad_left(std::string text, int width);

// Standard base64 (RFC 4648 alphabet) with padding.
std::string base64_encode(std::string_view bytes);
// Accepts missing padding and rejects anything else outside the alphabet; *why says at which
// character it stopped.
std::optional<std::string> base64_decode(std::string_view text, std::string* why);

}  // namespace cxh::histogram::detail
