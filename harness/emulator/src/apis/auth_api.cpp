// Authentication API (/auth/v3, 002:259-1420): OAuth 2 token grants, authorize with code and
// state, user info in three shapes, ping, global sign-out, change password.

#include <chrono>
#include <cxh/http/percent_encode.hpp>

#include "../secrets.hpp"
#include "../world.hpp"

namespace cxh::emulator::detail {

namespace {

// An authorization code is bound to whom and for which client and redirect_uri it was issued
// (RFC 6749 §4.1.3): the token request must repeat both.
struct issued_code {
  std::string user_id, client_id, redirect_uri;
  std::chrono::steady_clock::time_point expires;
};

struct auth_state {
  explicit auth_state(const config& c)
      : codes(c.max_objects), refresh(c.max_objects), jwt_key(random_bytes(32)) {}
  bounded_store<issued_code> codes;   // authorization code -> its binding
  bounded_store<token_info> refresh;  // refresh token -> whose, until when
  const std::string jwt_key;          // HS256 key of X-GWS-User: random, per emulator
};

// Form fields of an application/x-www-form-urlencoded body.
std::map<std::string, std::string> form_fields(const std::string& body) {
  std::map<std::string, std::string> out;
  std::string_view rest = body;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    out[http::percent_decode(pair.substr(0, eq), true)] =
        eq == std::string_view::npos ? "" : http::percent_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

const oauth_client* find_client(const world& w, const std::string& id) {
  for (const auto& cl : w.cfg().clients)
    if (cl.id == id) return &cl;
  return nullptr;
}

bool registered_redirect(const oauth_client& cl, const std::string& uri) {
  return std::find(cl.redirect_uris.begin(), cl.redirect_uris.end(), uri) != cl.redirect_uris.end();
}

// Sign-out's redirectUri must be registered by some client: the emulator is no open redirector.
bool any_client_registered(const world& w, const std::string& uri) {
  for (const auto& cl : w.cfg().clients)
    if (registered_redirect(cl, uri)) return true;
  return false;
}

const user* find_user_by_id(const world& w, const std::string& id) {
  for (const auto& u : w.cfg().users)
    if (u.id == id) return &u;
  return nullptr;
}

http::response oauth_error(int status, const char* code, const std::string& description) {
  auto r = world::json_reply(status, json{{"error", code}, {"error_description", description}});
  r.fields.set("Cache-Control", "no-store");
  r.fields.set("Pragma", "no-cache");
  return r;
}

http::response issue_token(world& w, const std::string& principal, const std::string& username,
                           bool is_client) {
  std::string access = w.new_secret();
  token_info t{principal, username,
               is_client, w.now() + w.cfg().token_ttl,
               false,     w.credential_epoch(principal)};
  if (w.tokens().insert(access, t) == bounded_store<token_info>::put::full)
    return oauth_error(503, "temporarily_unavailable", "the emulator's token store is full");
  json body{{"access_token", access},
            {"token_type", "bearer"},
            {"expires_in", w.cfg().token_ttl.count()},
            {"scope", "*"}};
  if (!is_client) {
    std::string refresh = w.new_secret();
    token_info r = t;
    r.expires = w.now() + w.cfg().refresh_token_ttl;  // refresh tokens end too
    w.state<auth_state>("auth").refresh.insert(refresh, r);
    body["refresh_token"] = refresh;
  }
  auto r = world::json_reply(200, body);
  r.fields.set("Cache-Control", "no-store");  // RFC 6749 §5.1
  r.fields.set("Pragma", "no-cache");
  return r;
}

// The authorization_code grant: the code once, by the client it was issued to, with the
// redirect_uri it was issued for (RFC 6749 §4.1.3).
http::response redeem_code(const call& c, world& w, std::map<std::string, std::string>& f) {
  auto& st = w.state<auth_state>("auth");
  auto code = st.codes.get(f["code"]);
  st.codes.erase(f["code"]);  // a code is good once (RFC 6749 §4.1.2), even a misused one
  if (!code || w.now() >= code->expires)
    return oauth_error(400, "invalid_grant", "unknown, expired or used authorization code");
  if (code->client_id != c.principal)
    return oauth_error(400, "invalid_grant", "the code was issued to another client");
  if (f["redirect_uri"] != code->redirect_uri)
    return oauth_error(400, "invalid_grant",
                       "redirect_uri differs from the one the code was issued for");
  const user* u = find_user_by_id(w, code->user_id);
  return issue_token(w, code->user_id, u ? u->username : code->user_id, false);
}

http::response token(const call& c, world& w) {
  auto f = form_fields(c.req.body);
  const std::string grant = f["grant_type"];
  auto& st = w.state<auth_state>("auth");
  if (grant == "client_credentials") return issue_token(w, c.principal, c.principal, true);
  if (grant == "password") {
    if (c.defect(mutation::auth_wrong_password_granted)) {  // FAULTS.md: any password will do
      for (const auto& u : w.cfg().users)
        if (u.username == f["username"]) return issue_token(w, u.id, u.username, false);
    }
    if (const user* u = w.user_with_password(f["username"], f["password"]))
      return issue_token(w, u->id, u->username, false);
    return oauth_error(400, "invalid_grant", "unknown username or wrong password");
  }
  if (grant == "authorization_code") return redeem_code(c, w, f);
  if (grant == "refresh_token") {
    auto t = st.refresh.get(f["refresh_token"]);
    st.refresh.erase(f["refresh_token"]);  // a refresh token is good once
    // Dead when expired, revoked, or issued before the user's last password change.
    if (!t || t->revoked || w.now() >= t->expires || t->epoch != w.credential_epoch(t->principal))
      return oauth_error(400, "invalid_grant", "unknown, expired or revoked refresh token");
    return issue_token(w, t->principal, t->username, false);
  }
  if (grant.empty()) return oauth_error(400, "invalid_request", "grant_type is required");
  return oauth_error(400, "unsupported_grant_type", "grant_type '" + grant + "' is not supported");
}

http::response authorize(const call& c, world& w) {
  auto redirect = c.req.query_param("redirect_uri");
  auto client = c.req.query_param("client_id");
  auto type = c.req.query_param("response_type");
  if (!redirect || !client || !type)
    return w.error(&c.op, c.req.path(), 400,
                   "response_type, client_id and redirect_uri are required");
  const oauth_client* cl = find_client(w, *client);
  if (!cl) return w.error(&c.op, c.req.path(), 401, "unknown client_id");
  // Never redirect where the client did not register (RFC 6749 §3.1.2.2, §4.1.2.1): the
  // documented 401, as for an unknown client (the page documents no 400 here).
  if (!registered_redirect(*cl, *redirect))
    return w.error(&c.op, c.req.path(), 401, "redirect_uri is not registered for the client");
  // The sign-in form is the documented 200; a request that carries a user's Basic credentials
  // stands for a completed sign-in and is redirected with a code.
  std::string user_id;
  if (auto auth = c.req.fields.get("Authorization"); auth && auth->rfind("Basic ", 0) == 0) {
    bool ok = false;
    std::string cred = base64_decode(auth->substr(6), &ok);
    auto colon = cred.find(':');
    const user* u = ok && colon != std::string::npos
                        ? w.user_with_password(cred.substr(0, colon), cred.substr(colon + 1))
                        : nullptr;
    if (u) user_id = u->id;
  }
  if (user_id.empty()) {
    http::response r;
    r.status = 200;
    r.fields.set("Content-Type", "text/html; charset=utf-8");
    r.body =
        "<!doctype html><title>Sign in</title><form method=post><input name=username>"
        "<input name=password type=password><button>Sign in</button></form>";
    return r;
  }
  std::string code = w.new_secret();
  w.state<auth_state>("auth").codes.insert(
      code, issued_code{user_id, cl->id, *redirect, w.now() + std::chrono::minutes(10)});
  // Decoded client values are encoded again: CR/LF or '&' in them must not reach the header.
  std::string location = http::percent_encode_uri(*redirect) +
                         (redirect->find('?') == std::string::npos ? "?" : "&") + "code=" + code;
  if (auto state = c.req.query_param("state"))
    location += "&state=" + http::percent_encode_component(*state);
  http::response r;
  r.status = 302;
  r.fields.set("Location", location);
  return r;
}

json user_details(const world& w, const std::string& principal) {
  const user* u = find_user_by_id(w, principal);
  std::string name = u ? u->username : principal;
  return {{"username", name},
          {"loginName", name},
          {"dbid", 1001},
          {"contactCenterId", "00000000-0000-4000-8000-00000000cc01"},
          {"environmentId", "00000000-0000-4000-8000-00000000e001"},
          {"authorities", json::array({{{"name", "ROLE_AGENT"}, {"privileges", json::array()}}})},
          {"properties", json::object()}};
}

http::response userinfo(const call& c, world& w) {
  return world::json_reply(200, user_details(w, c.principal));
}

http::response openid_userinfo(const call& c, world& w) {
  json d = user_details(w, c.principal);
  return world::json_reply(200, json{{"sub", c.principal},
                                     {"aud", "demo-client"},
                                     {"contact_center_id", d["contactCenterId"]},
                                     {"environment_id", d["environmentId"]},
                                     {"dbid", d["dbid"]},
                                     {"authorities", d["authorities"]},
                                     {"properties", json::object()},
                                     {"user_name", d["username"]}});
}

json api_ok(const call& c);

http::response jwt_userinfo(const call& c, world& w) {
  json d = user_details(w, c.principal);
  std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
  std::string payload = base64url(json{{"sub", c.principal}, {"user", d}}.dump());
  // HS256 under a random key of this emulator (secrets.hpp): nobody can forge the user.
  std::string mac = hmac_sha256(w.state<auth_state>("auth").jwt_key, header + "." + payload);
  json body = api_ok(c);
  body["data"] = d;
  auto r = world::json_reply(200, body);
  r.fields.set("X-GWS-User", header + "." + payload + "." + base64url(mac));
  return r;
}

json api_ok(const call& c) {
  return {{"status", {{"code", 0}, {"message", "OK"}}}, {"path", std::string(c.req.path())}};
}

http::response ping(const call& c, world& w) {
  if (!w.bearer(c.req)) return w.error(&c.op, c.req.path(), 403, "Prohibited: not authenticated");
  return world::json_reply(200, api_ok(c));
}

http::response sign_out(const call& c, world& w) {
  // Global sign-out: every token of the user ends (002:1255-1300).
  auto t = w.bearer(c.req);
  if (!t) return w.error(&c.op, c.req.path(), 401, "not signed in");
  // An unregistered redirectUri: the documented 403 (no 400 is documented), nothing signed out.
  auto redirect_to = c.req.query_param("redirectUri");
  if (redirect_to && c.req.method == "GET" && !any_client_registered(w, *redirect_to))
    return w.error(&c.op, c.req.path(), 403, "redirectUri is not a registered redirect URI");
  std::vector<std::string> ids;
  w.tokens().for_each([&](const std::string& id, const token_info& info) {
    if (info.principal == t->principal) ids.push_back(id);
  });
  if (c.defect(mutation::auth_sign_out_keeps_tokens)) ids.clear();
  for (const auto& id : ids) w.tokens().update(id, [](token_info& ti) { ti.revoked = true; });
  auto& st = w.state<auth_state>("auth");
  std::vector<std::string> refresh_ids;
  st.refresh.for_each([&](const std::string& id, const token_info& info) {
    if (info.principal == t->principal) refresh_ids.push_back(id);
  });
  for (const auto& id : refresh_ids) st.refresh.erase(id);
  if (auto redirect = c.req.query_param("redirectUri"); redirect && c.req.method == "GET") {
    http::response r;
    r.status = 302;
    r.fields.set("Location", http::percent_encode_uri(*redirect));
    return r;
  }
  return world::json_reply(200, api_ok(c));
}

std::string bearer_token(const http::request& req) {
  auto auth = req.fields.get("Authorization");
  if (!auth || auth->size() < 8 || !http::iequals(auth->substr(0, 7), "Bearer ")) return {};
  return std::string(auth->substr(7));
}

http::response change_password(const call& c, world& w) {
  const json* data = c.body && c.body->contains("data") ? &(*c.body)["data"] : nullptr;
  if (!data || !data->is_object() || !(*data)["newPassword"].is_string() ||
      !(*data)["oldPassword"].is_string())
    return w.error(&c.op, c.req.path(), 400, "data.oldPassword and data.newPassword are required");
  const user* u = find_user_by_id(w, c.principal);
  if (!u) return w.error(&c.op, c.req.path(), 401, "only users can change their password");
  auto current = w.password_of(u->id);
  if (!current || !secure_equals(*current, (*data)["oldPassword"].get<std::string>()))
    return w.error(&c.op, c.req.path(), 401, "the old password is wrong");
  // Everywhere at once; every other token, refresh token and session cookie of the user ends.
  // The page is silent on the caller's own token: it stays valid (the built-in suite changes
  // the password back with it).
  w.change_password(u->id, (*data)["newPassword"].get<std::string>(), bearer_token(c.req));
  return world::json_reply(200, api_ok(c));
}

}  // namespace

void add_auth_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["authGetToken"] = token;
  table["authAuthorize"] = authorize;
  table["authGetUserInfo"] = userinfo;
  table["authGetOpenIdUserInfo"] = openid_userinfo;
  table["authGetJwtUserInfo"] = jwt_userinfo;
  table["authPing"] = ping;
  table["authSignOut"] = sign_out;
  table["authSignOutPost"] = sign_out;
  table["authChangePassword"] = change_password;
}

}  // namespace cxh::emulator::detail
