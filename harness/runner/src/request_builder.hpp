#pragma once
// A step -> the HTTP request it sends (URL from the operation's template, query, body, headers),
// and the redacted record of the exchange that reports keep.
#include <cxh/http/client.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/result.hpp>
#include <cxh/runner/target.hpp>
#include <cxh/scenario/model.hpp>
#include <cxh/scenario/templating.hpp>

#include "redact.hpp"

namespace cxh::runner::detail {

struct built_request {
  http::client_request request;
  std::string error;  // a variable without value, a path parameter missing...
};

built_request build_request(const scenario::step& s, const openapi::operation* op,
                            const scenario::template_context& vars, const target_config& target);

// Credentials in headers, bodies and URLs become "<redacted>" (redact.hpp); bodies are cut at
// 4 KiB after redaction.
exchange record_exchange(const http::client_request& req, const http::outcome& got,
                         const redactor& secrets);

}  // namespace cxh::runner::detail
