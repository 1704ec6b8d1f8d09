#pragma once

// For the emulator's lifecycle tests: send one request and check that the answer has the
// expected status, is documented for the operation, and that its body validates.

#include "emulator_test_support.hpp"

namespace emulator_test {

// "" when the answer is a documented status of the operation and its body validates.
inline std::string conforms(const std::string& operation_id, const cxh::http::response& res) {
  const auto* op = env().em->spec().by_operation_id(operation_id);
  if (!op) return "no operation " + operation_id;
  const auto* doc = op->response_for(res.status);
  if (!doc || doc->status == "default")
    return "status " + std::to_string(res.status) + " undocumented";
  if (doc->content.empty()) return "";
  auto ct = res.fields.get("Content-Type");
  const auto* media = doc->find_media(ct ? *ct : "");
  if (!media) return "content type " + std::string(ct ? *ct : "(none)") + " undocumented";
  if (!media->body || media->content_type.find("json") == std::string::npos) return "";
  json body = json::parse(res.body, nullptr, false);
  if (body.is_discarded()) return "body is not JSON: " + res.body;
  auto errors = media->body->validate(body);
  return errors.empty()
             ? ""
             : errors.front().instance_location + " " + errors.front().message + " in " + res.body;
}

// Sends, expects `status`, checks the answer against the documents; returns the JSON body
// (null when it is not JSON).
inline json expect(const ce::emulator& em, const std::string& operation_id,
                   const cxh::http::request& req, int status) {
  auto res = em.handle(req);
  EXPECT_EQ(res.status, status) << operation_id << " " << req.target << ": " << res.body;
  EXPECT_EQ(conforms(operation_id, res), "") << operation_id << " " << req.target;
  json body = json::parse(res.body, nullptr, false);
  return body.is_discarded() ? json() : body;
}

}  // namespace emulator_test
