#pragma once
// Acts as Genesys toward a vendor's webhook endpoint: sends signed webhooks of each documented
// type (bodies from the documented examples) and checks what the pages require of the receiver.
#include <chrono>
#include <cxh/openapi/spec.hpp>
#include <string>
#include <vector>

namespace cxh::webhook {

struct certify_options {
  std::string url;
  std::string secret;
  std::vector<std::string> types;  // "third-party-messaging", "interactions"; empty: both
  std::chrono::milliseconds deadline{10000};
  bool insecure = false;
  std::string ca_file;
};

struct certify_check {
  std::string type;   // webhook type
  std::string name;   // "a signed webhook is answered 2xx"
  std::string level;  // MUST | SHOULD
  bool passed = false;
  std::string expected, actual;
  std::string source;  // page:line
};

struct certify_result {
  std::vector<certify_check> checks;
  bool unreachable = false;  // no answer at all to the first request
  bool passed() const;       // every MUST check passed
};

certify_result certify(const openapi::spec_set& spec, const certify_options& opts);

}  // namespace cxh::webhook
