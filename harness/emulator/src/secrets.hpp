#pragma once

// Secrets the emulator issues (access and refresh tokens, authorization codes, session cookies,
// CometD client ids, the JWT signing key): from the operating system's CSPRNG through OpenSSL,
// never from the seeded id generator, so no run repeats them and no id reveals them.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxh::emulator::detail {

// `n` bytes from RAND_bytes; throws std::runtime_error if the CSPRNG fails (never falls back).
std::string random_bytes(std::size_t n);

// base64url (no padding) of 32 random bytes: 256 bits in 43 characters of [A-Za-z0-9_-].
std::string new_secret();

// HMAC-SHA256 of `data` under `key`, raw bytes (the JWT signature of X-GWS-User).
std::string hmac_sha256(std::string_view key, std::string_view data);

// base64url without padding (RFC 4648 §5), as JWTs use it.
std::string base64url(std::string_view bytes);

}  // namespace cxh::emulator::detail
