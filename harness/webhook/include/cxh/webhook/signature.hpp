#pragma once
// X-Hub-Signature of webhook bodies: "sha1=" + hex HMAC-SHA1 of the raw body, keyed with the
// app (channel) secret (spec/002_b62a95316013058d.txt:3123, 7286).
#include <string>
#include <string_view>

namespace cxh::webhook {

inline constexpr std::string_view signature_header = "X-Hub-Signature";

std::string sign(std::string_view secret, std::string_view body);
// Constant-time comparison of the whole header value with the expected signature.
bool verify(std::string_view secret, std::string_view body, std::string_view header_value);

}  // namespace cxh::webhook
