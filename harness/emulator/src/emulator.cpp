// The request pipeline: route by the documents, authenticate, validate, then the API's stateful
// handler or the documented response.

#include <cxh/emulator/emulator.hpp>

#include "bayeux/notifications.hpp"
#include "json_gate.hpp"
#include "webhooks_out.hpp"
#include "world.hpp"

namespace cxh::emulator {

using detail::json;
using detail::world;

namespace {

bool is_json_type(std::string_view ct) {
  return ct.find("json") != std::string_view::npos;
}

// Required header and query parameters that the request lacks.
std::optional<std::string> missing_parameter(const world& w, const openapi::operation& op,
                                             const http::request& req) {
  auto params = op.definition->find("parameters");
  if (params == op.definition->end() || !params->is_array()) return std::nullopt;
  for (const auto& raw : *params) {
    // Parameters may be Reference Objects into components/parameters.
    const json* resolved = &raw;
    if (raw.is_object() && raw.contains("$ref") && raw["$ref"].is_string())
      resolved = w.spec().resolve(op.document_uri, raw["$ref"].get<std::string>()).first;
    if (!resolved) continue;
    const json& p = *resolved;
    if (!p.is_object() || !p.value("required", false)) continue;
    std::string name = p.value("name", ""), in = p.value("in", "");
    if (name.empty()) continue;
    if (in == "header" && !req.fields.has(name)) {
      // Security headers are checked by the authentication step, with its own statuses.
      if (http::iequals(name, "x-api-key") || http::iequals(name, "Authorization") ||
          http::iequals(name, "X-Hub-Signature"))
        continue;
      return "missing required header '" + name + "'";
    }
    if (in == "query" && !req.query_param(name))
      return "missing required query parameter '" + name + "'";
  }
  return std::nullopt;
}

http::response answer(world& w, const http::request& req, const openapi::match& m,
                      const openapi::operation& op, const json* parsed, bool bad_json,
                      std::optional<std::string_view> ct,
                      const std::vector<const fault_rule*>& rules);

// With an admin token configured (required off loopback: emulate --admin-token-env), every
// /__cxh/ call must carry it as a bearer token; compared in constant time.
bool admin_token_accepted(const http::request& req, const std::string& token) {
  if (token.empty()) return true;
  auto auth = req.fields.get("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (!auth || auth->size() < scheme.size() ||
      !http::iequals(auth->substr(0, scheme.size()), scheme))
    return false;
  return http::secure_equals(auth->substr(scheme.size()), token);
}

http::response handle_request(world& w, const http::request& req) {
  std::string_view path = req.path();
  if (path.rfind("/__cxh/", 0) == 0) {
    if (!w.cfg().admin)
      return w.error(nullptr, path, 404, "no such resource: " + std::string(path));
    if (!admin_token_accepted(req, w.cfg().admin_token)) {
      auto r = w.error(nullptr, path, 401, "the admin endpoints need Authorization: Bearer TOKEN");
      r.fields.set("WWW-Authenticate", "Bearer realm=\"cxharness admin\"");
      return r;
    }
    if (auto r = detail::notifications_admin(req, w)) return *r;
    if (auto r = detail::webhooks_admin(req, w)) return *r;
    return detail::admin(req, w);
  }
  // The Web Services v2 CometD endpoint is not in the documents (COMETD.md): served beside them.
  if (path == "/api/v2/notifications" || path.rfind("/api/v2/notifications/", 0) == 0)
    return detail::ws_cometd(req, w);
  json body;
  bool has_json = false, bad_json = false, too_deep = false;
  auto ct = req.fields.get("Content-Type");
  bool declared_json = ct && is_json_type(*ct);
  if (!req.body.empty() && (declared_json || !ct)) {
    // Depth is bounded before anything is built (json_gate.hpp).
    auto gated = detail::parse_gated(req.body);
    too_deep = gated.result == detail::gated_json::outcome::too_deep;
    if (gated.result == detail::gated_json::outcome::ok) {
      body = std::move(gated.value);
      has_json = true;
    } else {
      bad_json = declared_json || too_deep;
    }
  }
  auto m = w.spec().find(req.method, path, has_json ? &body : nullptr);
  switch (m.kind) {
    case openapi::match_kind::unknown_path:
      return w.error(nullptr, path, 404, "no such resource: " + std::string(path));
    case openapi::match_kind::method_not_allowed:
      return w.error(nullptr, path, 405, m.detail);
    case openapi::match_kind::unknown_operation_name: {
      // Answer in the envelope the path's operations document.
      const openapi::operation* context = m.operations.empty() ? nullptr : m.operations.front();
      return w.error(context, path, 400,
                     too_deep   ? detail::too_deep_message()
                     : bad_json ? "the request body is not valid JSON"
                                : m.detail);
    }
    case openapi::match_kind::found:
    case openapi::match_kind::ambiguous:
      break;
  }
  const openapi::operation& op = *m.operations.front();
  // Refused at parse time, before any other step reads the body (README.md: limits).
  if (too_deep) return w.error(&op, path, 400, detail::too_deep_message());
  auto faults = w.faults();  // one consistent set for the whole request
  auto rules = detail::matching_rules(*faults, op);
  if (auto injected = detail::inject_before(rules, w, op, path)) return *injected;
  http::response res = answer(w, req, m, op, has_json ? &body : nullptr, bad_json, ct, rules);
  detail::inject_after(rules, w, res);
  return res;
}

}  // namespace

namespace {

http::response answer(world& w, const http::request& req, const openapi::match& m,
                      const openapi::operation& op, const json* parsed, bool bad_json,
                      std::optional<std::string_view> ct,
                      const std::vector<const fault_rule*>& rules) {
  std::string_view path = req.path();
  bool has_json = parsed != nullptr;
  detail::call c{req, op, m.path_params, parsed, {}, rules};
  std::string principal;
  bool skip_signature = c.defect(mutation::skip_signature_check);
  if (auto denied = detail::check_auth(c, w, principal, skip_signature)) return *denied;
  c.principal = principal;
  if (bad_json) return w.error(&op, path, 400, "the request body is not valid JSON");
  // Behavioural mutations that skip a documented validation rule (FAULTS.md): required
  // parameters such as x-ccid or a statistic's name not enforced, an invalid job accepted.
  bool skip_validation = c.defect(mutation::stat_required_param_skipped) ||
                         c.defect(mutation::udm_invalid_job_accepted) ||
                         c.defect(mutation::tpm_ccid_not_required);
  if (auto missing = missing_parameter(w, op, req); missing && !skip_validation)
    return w.error(&op, path, 400, *missing);
  if (!op.request.empty()) {
    const openapi::media& expected = op.request.front();
    bool required = op.definition->contains("requestBody") &&
                    (*op.definition)["requestBody"].value("required", false);
    if (ct && !req.body.empty()) {
      bool type_documented =
          std::any_of(op.request.begin(), op.request.end(), [&](const openapi::media& md) {
            std::string_view want = md.content_type;
            return want == "*/*" || ct->substr(0, ct->find(';')) == want ||
                   (want.size() > 2 && want.substr(want.size() - 2) == "/*" &&
                    ct->substr(0, want.size() - 1) == want.substr(0, want.size() - 1));
          });
      if (!type_documented) {
        auto r = w.error(&op, path, 415, "unsupported media type " + std::string(*ct));
        return r;
      }
    }
    if (required && req.body.empty() && !c.defect(mutation::om_update_body_optional))
      return w.error(&op, path, 400, "a request body is required");
    // gen_accept_wrong_type (FAULTS.md): the defect of a server that never validates bodies.
    if (has_json && expected.body && is_json_type(expected.content_type) &&
        !c.defect(mutation::gen_accept_wrong_type)) {
      // Among variants of one wire operation, any whose schema takes the body will do.
      bool accepted = false;
      std::string first_error;
      for (const auto* candidate : m.operations) {
        if (candidate->request.empty() || !candidate->request.front().body) {
          accepted = true;
          break;
        }
        auto errors = candidate->request.front().body->validate(*parsed);
        if (errors.empty()) {
          accepted = true;
          break;
        }
        if (first_error.empty())
          first_error =
              (errors.front().instance_location.empty() ? std::string("body")
                                                        : errors.front().instance_location) +
              ": " + errors.front().message;
      }
      if (!accepted && !skip_validation)
        return w.error(&op, path, 400, "invalid request: " + first_error);
    }
  }
  auto h = w.handlers().find(op.operation_id);
  if (h != w.handlers().end()) return h->second(c, w);
  return w.documented_success(op);
}

}  // namespace

emulator::emulator(config cfg, openapi::spec_set spec)
    : world_(std::make_shared<world>(std::move(cfg), std::move(spec))) {}

emulator::~emulator() {
  // The ticker reads other API state: it stops before the world goes.
  detail::notifications_of(*world_).stop_ticker();
}

http::response emulator::handle(const http::request& req) const {
  return handle_request(*world_, req);
}

const openapi::spec_set& emulator::spec() const {
  return world_->spec();
}

std::variant<std::unique_ptr<running_emulator>, std::string> running_emulator::start(
    config cfg, http::server_options opts) {
  auto loaded = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  if (auto* p = std::get_if<cxh::diagnostics>(&loaded))
    return "the built-in API definitions do not load: " + cxh::to_string(p->front());
  std::unique_ptr<running_emulator> r(new running_emulator());
  r->tls_ = opts.tls.enabled;
  r->emulator_ =
      std::make_shared<emulator>(std::move(cfg), std::get<openapi::spec_set>(std::move(loaded)));
  auto core = r->emulator_;
  r->server_ = std::make_unique<http::server>(
      std::move(opts), [core](const http::request& req) { return core->handle(req); });
  if (auto err = r->server_->start(); !err.empty()) return err;
  return r;
}

running_emulator::~running_emulator() {
  stop();
}

void running_emulator::stop() {
  if (server_) server_->stop();
}

std::string running_emulator::certificate_fingerprint() const {
  return server_->certificate_fingerprint();
}

std::uint16_t running_emulator::port() const {
  return server_->port();
}

std::string running_emulator::base_url() const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port());
}

}  // namespace cxh::emulator
