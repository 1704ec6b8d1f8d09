// The emulator against its own schemas: every documented operation is called with a valid
// request (the documented example where there is one) and with invalid ones (no credentials,
// malformed JSON); every answer must be a documented status whose body validates, never a 5xx.

#include <gtest/gtest.h>

#include <cxh/emulator/emulator.hpp>
#include <cxh/http/signing.hpp>
#include <regex>

using nlohmann::json;
namespace ce = cxh::emulator;
namespace co = cxh::openapi;

namespace {

struct fixture {
  ce::config cfg;
  std::unique_ptr<ce::emulator> em;
  std::string token;
  fixture() {
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
    token = json::parse(res.body).value("access_token", "");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

std::string concrete(const co::operation& op) {
  return op.server + std::regex_replace(op.path_template, std::regex("\\{[^}]*\\}"), "p1");
}

// The credentials the operation's first security alternative asks for.
void authenticate(const co::operation& op, cxh::http::request& r) {
  if (!op.security || !op.security->is_array() || op.security->empty()) return;
  for (auto& [scheme, scopes] : (*op.security)[0].items()) {
    (void)scopes;
    if (scheme == "apiKey") r.fields.set("x-api-key", "demo-api-key");
    if (scheme == "bearer") r.fields.set("Authorization", "Bearer " + env().token);
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

cxh::http::request valid_request(const co::operation& op) {
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
  authenticate(op, r);
  return r;
}

// Problems with one answer: undocumented status, a body the documented schema rejects, a 5xx.
std::string judge(const co::operation& op, const cxh::http::response& res, bool expect_error) {
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

}  // namespace

TEST(EmulatorSelfConsistency, EveryOperationAnswersAsDocumented) {
  std::vector<std::string> failures;
  std::size_t exercised = 0;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook) continue;
    ++exercised;
    auto req = valid_request(op);
    auto res = env().em->handle(req);
    auto problem = judge(op, res, false);
    if (!problem.empty() && !op.operation_name.empty()) {
      // Variants of one wire operation (DND in two sections, Accept per media): the answer
      // may follow any of them.
      for (const auto& other : env().em->spec().operations())
        if (other.full_path() == op.full_path() && other.method == op.method &&
            other.operation_name == op.operation_name && judge(other, res, false).empty())
          problem.clear();
    }
    if (!problem.empty())
      failures.push_back(op.method + " " + op.full_path() + " [" + op.operation_id +
                         "]: " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
  std::cout << "valid requests: " << exercised << " operations, " << failures.size()
            << " failing\n";
}

TEST(EmulatorSelfConsistency, MissingCredentialsAreRefusedAsDocumented) {
  std::vector<std::string> failures;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook || !op.security || op.security->empty()) continue;
    bool open = false;  // an alternative with no scheme ({}) means "no auth needed"
    for (const auto& alt : *op.security) open = open || alt.empty();
    if (open) continue;
    auto req = valid_request(op);
    req.fields = {};
    if (!op.request.empty()) req.fields.set("Content-Type", op.request.front().content_type);
    auto res = env().em->handle(req);
    auto problem = judge(op, res, true);
    if (res.status != 401 && res.status != 403)
      problem += " (status " + std::to_string(res.status) + ")";
    if (!problem.empty()) failures.push_back(op.method + " " + op.full_path() + ": " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
}

TEST(EmulatorSelfConsistency, MalformedJsonIsA4xxInTheApiEnvelope) {
  std::vector<std::string> failures;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook || op.request.empty() ||
        op.request.front().content_type.find("json") == std::string::npos)
      continue;
    auto req = valid_request(op);
    req.body = "{\"truncated\": ";
    authenticate(op, req);  // signatures cover the body
    auto res = env().em->handle(req);
    auto problem = judge(op, res, true);
    if (!problem.empty() && !op.operation_name.empty()) {
      // Malformed JSON names no operationName: any envelope the path documents is right.
      for (const auto& other : env().em->spec().operations())
        if (other.full_path() == op.full_path() && other.method == op.method &&
            judge(other, res, true).empty())
          problem.clear();
    }
    if (!problem.empty()) failures.push_back(op.method + " " + op.full_path() + ": " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
}
