#pragma once

#include <string>
#include <string_view>

namespace cxh::http {

// Constant-time comparison of two strings (secrets, signatures): the time does not depend on
// where they differ.
bool secure_equals(std::string_view a, std::string_view b);

// RFC 4648 base64 (standard alphabet, padded); decode also takes the URL-safe alphabet.
std::string base64_encode(std::string_view in);
std::string base64_decode(std::string_view in, bool* ok);

// Lower-case hex HMAC-SHA1 of data: the X-Hub-Signature value after "sha1=".
std::string hmac_sha1_hex(std::string_view key, std::string_view data);

}  // namespace cxh::http
