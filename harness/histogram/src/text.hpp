// Base64 for the compressed histogram's text form (internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxh::histogram::detail {

// Standard base64 (RFC 4648 alphabet) with padding.
std::string base64_encode(std::string_view bytes);
// Accepts missing padding and rejects anything else outside the alphabet; *why says at which
// character it stopped.
std::optional<std::string> base64_decode(std::string_view text, std::string* why);

}  // namespace cxh::histogram::detail
