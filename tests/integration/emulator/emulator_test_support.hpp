#pragma once

// Shared by the emulator's integration tests: a loaded emulator with a bearer token, requests
// built from the documents, and the judge of an answer against its documented response.

#include <gtest/gtest.h>

#include <cxh/emulator/emulator.hpp>
#include <cxh/http/signing.hpp>
#include <regex>

using nlohmann::json;
namespace ce = cxh::emulator;
namespace co = cxh::openapi;

namespace emulator_test {

struct fixture {
  ce::config cfg;
  std::unique_ptr<ce::emulator> em;
  std::string token;
  explicit fixture(ce::config c = {}) : cfg(std::move(c)) {
    auto loaded = co::spec_set::load(co::spec_set::embedded_documents());
    em = std::make_unique<ce::emulator>(cfg, std::get<co::spec_set>(std::move(loaded)));
    cxh::http::request r;
    r.method = "POST";
    r.target = "/auth/v3/oauth/token";
    r.fields.add("x-api-key", "demo-api-key");
    r.fields.add("Authorization",
                 "Basic " + cxh::http::base64_encode("demo-client:demo-client-secret"));
    r.fields.add("Content-Type", "application/x-www-form-urlencoded");
    r.body = "grant_type=password&username=agent1&password=agent1-password";
    auto res = em->handle(r);
    // Fault fixtures may break this very answer; then bearer operations just go unauthenticated.
    json parsed = json::parse(res.body, nullptr, false);
    if (parsed.is_object() && parsed.contains("access_token") && parsed["access_token"].is_string())
      token = parsed["access_token"].get<std::string>();
  }
};

inline fixture& env() {
  static fixture f;
  return f;
}

inline std::string concrete(const co::operation& op) {
  return op.server + std::regex_replace(op.path_template, std::regex("\\{[^}]*\\}"), "p1");
}

// The credentials the operation's first security alternative asks for.
inline void authenticate(const co::operation& op, cxh::http::request& r, const fixture& f = env()) {
  if (!op.security || !op.security->is_array() || op.security->empty()) return;
  for (auto& [scheme, scopes] : (*op.security)[0].items()) {
    (void)scopes;
    if (scheme == "apiKey") r.fields.set("x-api-key", "demo-api-key");
    if (scheme == "bearer") r.fields.set("Authorization", "Bearer " + f.token);
    if (scheme == "basic")
      r.fields.set("Authorization", "Basic " + cxh::http::base64_encode("agent1:agent1-password"));
    if (scheme == "clientBasic")
      r.fields.set("Authorization",
                   "Basic " + cxh::http::base64_encode("demo-client:demo-client-secret"));
    if (scheme == "hubSignature")
      r.fields.set("X-Hub-Signature",
                   "sha1=" + cxh::http::hmac_sha1_hex("demo-channel-secret", r.body));
  }
}

inline cxh::http::request valid_request(const co::operation& op, const fixture& f = env()) {
  cxh::http::request r;
  r.method = op.method;
  r.target = concrete(op);
  // Required query parameters get a value (an enum's first, else "p1").
  if (auto params = op.definition->find("parameters");
      params != op.definition->end() && params->is_array()) {
    std::string sep = "?";
    for (const auto& p : *params) {
      if (!p.is_object() || p.value("in", "") != "query" || !p.value("required", false)) continue;
      std::string value = "p1";
      if (p.contains("schema") && p["schema"].contains("enum") &&
          p["schema"]["enum"][0].is_string())
        value = p["schema"]["enum"][0].get<std::string>();
      r.target += sep + p.value("name", "") + "=" + value;
      sep = "&";
    }
  }
  if (!op.request.empty()) {
    const auto& m = op.request.front();
    r.fields.set("Content-Type", m.content_type == "*/*" ? "application/json" : m.content_type);
    if (!m.examples.empty()) {
      r.body = m.examples.front().is_string() ? m.examples.front().get<std::string>()
                                              : m.examples.front().dump();
    } else if (m.content_type.find("json") != std::string::npos) {
      json b = json::object();
      if (!op.operation_name.empty())
        b["operationName"] = op.operation_name.front() == '{' ? "OutToLunch" : op.operation_name;
      r.body = b.dump();
    }
  }
  authenticate(op, r, f);
  return r;
}

// Problems with one answer: undocumented status, a body the documented schema rejects, a 5xx.
inline std::string judge(const co::operation& op, const cxh::http::response& res,
                         bool expect_error) {
  const auto* doc = op.response_for(res.status);
  if (!doc) return "status " + std::to_string(res.status) + " is not documented";
  if (res.status >= 500)
    return "5xx for a request the emulator should handle: " + res.body.substr(0, 200);
  if (expect_error && res.status < 400)
    return "accepted a request that must fail (" + std::to_string(res.status) + ")";
  if (doc->content.empty() || res.body.empty()) return "";
  auto ct = res.fields.get("Content-Type");
  const auto* media = doc->find_media(ct ? *ct : "application/json");
  if (!media)
    return "content type " + std::string(ct ? *ct : "(none)") + " not documented for " +
           doc->status;
  if (!media->body || media->content_type.find("json") == std::string::npos) return "";
  json body = json::parse(res.body, nullptr, false);
  if (body.is_discarded()) return "body is not JSON: " + res.body.substr(0, 200);
  auto errors = media->body->validate(body);
  if (!errors.empty())
    return "body fails the " + doc->status + " schema: " + errors.front().instance_location + " " +
           errors.front().message + " in " + res.body.substr(0, 300);
  return "";
}

}  // namespace emulator_test
