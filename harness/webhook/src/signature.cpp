#include <cxh/http/signing.hpp>
#include <cxh/webhook/signature.hpp>

namespace cxh::webhook {

std::string sign(std::string_view secret, std::string_view body) {
  return "sha1=" + http::hmac_sha1_hex(secret, body);
}

bool verify(std::string_view secret, std::string_view body, std::string_view header_value) {
  return http::secure_equals(sign(secret, body), header_value);
}

}  // namespace cxh::webhook
