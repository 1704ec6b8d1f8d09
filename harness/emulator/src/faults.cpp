// Fault injection: latency, errors, stalls, resets, slow bodies and conformance mutations,
// from the config or the admin endpoint (FAULTS.md).

#include <cmath>

#include "json_gate.hpp"
#include "world.hpp"

namespace cxh::emulator::detail {

std::vector<const fault_rule*> matching_rules(const fault_set& faults,
                                              const openapi::operation& op) {
  std::vector<const fault_rule*> out;
  for (const auto& r : faults.rules) {
    if (r.route == "*" || r.route == op.operation_id || r.route == op.method + " " + op.full_path())
      out.push_back(&r);
  }
  return out;
}

bool call::defect(mutation m) const {
  return has_mutation(rules, m);
}

bool call::alternate(const world& w) const {
  return w.cfg().reading == page_reading::alternate;
}

std::string call::signed_bytes() const {
  if (defect(mutation::tpm_sign_reserialized) && body) return body->dump();
  return req.body;
}

bool has_mutation(const std::vector<const fault_rule*>& rules, mutation m) {
  for (const auto* r : rules)
    for (auto x : r->mutations)
      if (x == m) return true;
  return false;
}

std::optional<http::response> inject_before(const std::vector<const fault_rule*>& rules, world& w,
                                            const openapi::operation& op, std::string_view path) {
  for (const auto* r : rules) {
    if (r->reset_rate > 0 && w.draw(w.next_draw()) < r->reset_rate) {
      http::response res;
      res.fault = http::connection_fault::reset_before_response;
      return res;
    }
    if (r->error_rate > 0 && w.draw(w.next_draw()) < r->error_rate) {
      // The injected status is sent as configured, in the API's envelope.
      (void)op;
      return w.error(nullptr, path, r->error_status, "injected fault");
    }
  }
  return std::nullopt;
}

namespace {

std::chrono::milliseconds latency_of(const fault_rule& r, world& w) {
  double ms = 0;
  switch (r.latency) {
    case fault_rule::latency_kind::none:
      return std::chrono::milliseconds(0);
    case fault_rule::latency_kind::fixed:
      ms = r.latency_a_ms;
      break;
    case fault_rule::latency_kind::uniform:
      ms = r.latency_a_ms + (r.latency_b_ms - r.latency_a_ms) * w.draw(w.next_draw());
      break;
    case fault_rule::latency_kind::lognormal: {
      // Box-Muller: a standard normal from two uniforms.
      double u1 = std::max(w.draw(w.next_draw()), 1e-12), u2 = w.draw(w.next_draw());
      double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      ms = r.latency_a_ms * std::exp(r.latency_b_ms * z);
      break;
    }
  }
  return std::chrono::milliseconds(static_cast<long>(std::llround(std::min(ms, 600000.0))));
}

// Answer-level defects of the Engage error conventions (002:213-237): an error with no
// envelope, an error whose code says success, a success whose code says error.
void mutate_envelope(mutation m, http::response& res, json& body) {
  bool error = res.status >= 400, success = res.status >= 200 && res.status < 300;
  if (m == mutation::gen_empty_error_body && error) {
    res.body.clear();
    return;
  }
  if (!body.is_object() || !body.contains("status") || !body["status"].is_object()) return;
  json& code = body["status"]["code"];
  if (m == mutation::gen_error_code_zero && error) code = 0;
  if (m == mutation::gen_success_code_nonzero && success && code == 0) code = 3;
  res.body = body.dump();
}

void mutate(mutation m, http::response& res) {
  json body = json::parse(res.body, nullptr, false);
  switch (m) {
    case mutation::wrong_status:
      if (res.status >= 200 && res.status < 300) res.status = res.status == 200 ? 202 : 200;
      return;
    case mutation::undocumented_status:
      if (res.status >= 200 && res.status < 300) res.status = 299;
      return;
    case mutation::wrong_content_type:
      res.fields.set("Content-Type", "text/plain");
      return;
    case mutation::missing_envelope:
      if (body.is_object()) {
        for (const char* k : {"status", "statusCode", "statusMessage"}) body.erase(k);
        res.body = body.dump();
      }
      return;
    case mutation::wrong_field_type:
      if (body.is_object()) {
        for (auto& [k, v] : body.items()) {
          if (v.is_string()) {
            v = 12345;
            break;
          }
          if (v.is_object() || v.is_number()) {
            v = v.is_object() ? json("not an object") : json("not a number");
            break;
          }
        }
        res.body = body.dump();
      }
      return;
    case mutation::drop_required_field:
      if (body.is_object() && !body.empty()) {
        body.erase(body.begin());
        res.body = body.dump();
      }
      return;
    case mutation::skip_signature_check:
      return;  // applied by check_auth
    case mutation::auth_wrong_token_type:
      if (body.is_object() && body.contains("token_type")) {
        body["token_type"] = "mac";
        res.body = body.dump();
      }
      return;
    case mutation::auth_token_cacheable:
      if (body.is_object() && body.contains("access_token")) {
        res.fields.set("Cache-Control", "max-age=3600");  // RFC 6749 5.1 asks for no-store
      }
      return;
    case mutation::gen_empty_error_body:
    case mutation::gen_error_code_zero:
    case mutation::gen_success_code_nonzero:
      mutate_envelope(m, res, body);
      return;
    default:
      return;  // behavioural defects: applied by the handlers (call::defect)
  }
}

}  // namespace

void inject_after(const std::vector<const fault_rule*>& rules, world& w, http::response& res) {
  for (const auto* r : rules) {
    res.delay += latency_of(*r, w);
    if (r->stall_every.count() > 0) {
      // Every T ms the route stops answering for S ms: a request that arrives in the window
      // waits for its end.
      auto phase = w.uptime().count() % r->stall_every.count();
      if (phase < r->stall_for.count())
        res.delay += std::chrono::milliseconds(r->stall_for.count() - phase);
    }
    if (r->slow_body.count() > 0) res.body_pace = r->slow_body;
    for (auto m : r->mutations) mutate(m, res);
  }
}

http::response admin(const http::request& req, world& w) {
  if (req.path() != "/__cxh/admin/faults")
    return world::json_reply(404, json{{"message", "admin resources: /__cxh/admin/faults"}});
  if (req.method == "GET") return world::json_reply(200, to_json(*w.faults()));
  if (req.method == "DELETE") {
    w.set_faults({});
    return world::json_reply(200, to_json(*w.faults()));
  }
  if (req.method == "PUT" || req.method == "POST") {
    auto gated = parse_gated(req.body);
    if (gated.result == gated_json::outcome::too_deep)
      return world::json_reply(400, json{{"message", too_deep_message()}});
    if (gated.result != gated_json::outcome::ok)
      return world::json_reply(400, json{{"message", "the body is not JSON"}});
    const json& doc = gated.value;
    auto parsed = parse_faults(doc, "body");
    if (auto* p = std::get_if<cxh::diagnostics>(&parsed)) {
      json problems = json::array();
      for (const auto& d : *p) problems.push_back(cxh::to_string(d));
      return world::json_reply(400,
                               json{{"message", "invalid fault rules"}, {"problems", problems}});
    }
    w.set_faults(std::get<fault_set>(parsed));
    return world::json_reply(200, to_json(*w.faults()));
  }
  return world::json_reply(405, json{{"message", "use GET, PUT or DELETE"}});
}

}  // namespace cxh::emulator::detail
