// Who is calling: x-api-key, bearer tokens issued by the emulator's /auth/v3, Basic users and
// OAuth clients, and X-Hub-Signature HMACs, per the operation's documented security.

#include "world.hpp"

namespace cxh::emulator::detail {

namespace {

// "Basic base64(id:secret)" -> {id, secret}
std::optional<std::pair<std::string, std::string>> basic_credentials(const http::request& req) {
  auto auth = req.fields.get("Authorization");
  if (!auth || auth->size() < 7 || !http::iequals(auth->substr(0, 6), "Basic "))
    return std::nullopt;
  bool ok = false;
  std::string decoded = base64_decode(auth->substr(6), &ok);
  auto colon = decoded.find(':');
  if (!ok || colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

enum class verdict { ok, missing_key, unauthorized, unsupported_scheme };

verdict check_scheme(const std::string& scheme, const call& c, world& w, std::string& principal) {
  const auto& cfg = w.cfg();
  if (scheme == "apiKey") {
    auto key = c.req.fields.get("x-api-key");
    std::optional<std::string> query_key;
    if (!key)
      query_key = c.req.query_param("x-api-key");  // UDM v10 documents it as a query parameter
    std::string_view given = key         ? *key
                             : query_key ? std::string_view(*query_key)
                                         : std::string_view{};
    if (given.empty()) return verdict::missing_key;
    for (const auto& k : cfg.api_keys)
      if (secure_equals(k, given)) return verdict::ok;
    return verdict::missing_key;
  }
  if (scheme == "bearer") {
    auto t = w.bearer(c.req);
    if (!t) return verdict::unauthorized;
    principal = t->principal;
    return verdict::ok;
  }
  if (scheme == "basic" || scheme == "clientBasic") {
    auto cred = basic_credentials(c.req);
    if (!cred) return verdict::unauthorized;
    if (scheme == "basic") {
      // The password as it is now: a change through either API applies here (credentials.cpp).
      if (const user* u = w.user_with_password(cred->first, cred->second)) {
        principal = u->id;
        return verdict::ok;
      }
    } else {
      for (const auto& cl : cfg.clients) {
        if (cl.id == cred->first && secure_equals(cl.secret, cred->second)) {
          principal = cl.id;
          return verdict::ok;
        }
      }
    }
    return verdict::unauthorized;
  }
  if (scheme == "hubSignature") {
    auto sig = c.req.fields.get("X-Hub-Signature");
    if (!sig || sig->rfind("sha1=", 0) != 0) return verdict::unauthorized;
    for (const auto& [channel, secret] : cfg.channel_secrets) {
      if (secure_equals(hmac_sha1_hex(secret, c.signed_bytes()), sig->substr(5))) {
        principal = channel;
        return verdict::ok;
      }
    }
    return verdict::unauthorized;
  }
  // A scheme the emulator does not implement fails closed: an operation is never open because
  // its documents name a scheme nobody checks.
  return verdict::unsupported_scheme;
}

// The refusal when no alternative passed because one names a scheme the emulator lacks.
http::response unsupported_scheme(const call& c, world& w, const std::string& scheme) {
  return w.error(&c.op, c.req.path(), 401,
                 "the operation's security scheme '" + scheme +
                     "' is not implemented by the emulator; every request is refused");
}

}  // namespace

std::optional<http::response> check_auth(const call& c, world& w, std::string& principal,
                                         bool skip_signature) {
  const json* security = c.op.security;
  if (!security || !security->is_array() || security->empty()) return std::nullopt;
  bool key_problem = false;
  bool every_alternative_needs_key = true;
  std::string unsupported;  // the first unimplemented scheme met
  for (const auto& alternative : *security) {
    if (!alternative.is_object()) continue;
    if (!alternative.contains("apiKey")) every_alternative_needs_key = false;
    std::string who;
    bool all = true;
    for (auto& [scheme, scopes] : alternative.items()) {
      (void)scopes;
      verdict v = skip_signature && scheme == "hubSignature" ? verdict::ok
                                                             : check_scheme(scheme, c, w, who);
      if (v == verdict::missing_key) key_problem = true;
      if (v == verdict::unsupported_scheme && unsupported.empty()) unsupported = scheme;
      if (v != verdict::ok) {
        all = false;
        break;
      }
    }
    if (all) {
      principal = who;
      return std::nullopt;
    }
  }
  if (!unsupported.empty()) return unsupported_scheme(c, w, unsupported);
  // Where the page documents no 401 (Statistics DELETE "always returns a success response"),
  // the refusal is the documented 403 of the gateway.
  bool no_401 = !c.op.response_for(401) || c.op.response_for(401)->status == "default";
  bool has_403 = c.op.response_for(403) && c.op.response_for(403)->status == "403";
  // The gateway's 403 is the answer only where no alternative does without the key.
  if ((key_problem && every_alternative_needs_key) || (no_401 && has_403)) {
    // The API gateway answers a missing or wrong x-api-key the same way everywhere.
    return world::json_reply(403, json{{"message", "Forbidden"}});
  }
  auto r = w.error(&c.op, c.req.path(), 401, "authentication required or invalid");
  if (c.op.server == "/api/v2") r.fields.set("WWW-Authenticate", "Basic realm=\"Web Services\"");
  return r;
}

}  // namespace cxh::emulator::detail
