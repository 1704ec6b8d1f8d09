#include "secrets.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cxh/http/signing.hpp>
#include <stdexcept>

namespace cxh::emulator::detail {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("the CSPRNG (RAND_bytes) failed");
  return out;
}

std::string base64url(std::string_view bytes) {
  std::string s = http::base64_encode(bytes);
  for (auto& ch : s) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string new_secret() {
  return base64url(random_bytes(32));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

}  // namespace cxh::emulator::detail
