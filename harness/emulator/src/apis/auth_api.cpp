// Authentication API (/auth/v3, 002:259-1420): OAuth 2 token grants, authorize with code and
// state, user info in three shapes, ping, global sign-out, change password.

#include <chrono>

#include "../world.hpp"

namespace cxh::emulator::detail {

namespace {

struct auth_state {
  explicit auth_state(const config& c) : codes(c.max_objects), refresh(c.max_objects) {}
  bounded_store<std::string> codes;   // authorization code -> user id
  bounded_store<token_info> refresh;  // refresh token -> whose
  std::mutex passwords_mutex;
  std::map<std::string, std::string> changed_passwords;  // user id -> new password
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
  std::string access = w.new_id();
  token_info t{principal, username, is_client, w.now() + w.cfg().token_ttl, false};
  if (w.tokens().insert(access, t) == bounded_store<token_info>::put::full)
    return oauth_error(503, "temporarily_unavailable", "the emulator's token store is full");
  json body{{"access_token", access},
            {"token_type", "bearer"},
            {"expires_in", w.cfg().token_ttl.count()},
            {"scope", "*"}};
  if (!is_client) {
    std::string refresh = w.new_id();
    w.state<auth_state>("auth").refresh.insert(refresh, t);
    body["refresh_token"] = refresh;
  }
  auto r = world::json_reply(200, body);
  r.fields.set("Cache-Control", "no-store");  // RFC 6749 §5.1
  r.fields.set("Pragma", "no-cache");
  return r;
}

http::response token(const call& c, world& w) {
  auto f = form_fields(c.req.body);
  const std::string grant = f["grant_type"];
  auto& st = w.state<auth_state>("auth");
  if (grant == "client_credentials") return issue_token(w, c.principal, c.principal, true);
  if (grant == "password") {
    for (const auto& u : w.cfg().users) {
      std::string password = u.password;
      {
        std::lock_guard lock(st.passwords_mutex);
        if (auto it = st.changed_passwords.find(u.id); it != st.changed_passwords.end())
          password = it->second;
      }
      bool any_password = c.defect(mutation::auth_wrong_password_granted);
      if (u.username == f["username"] && (any_password || secure_equals(password, f["password"])))
        return issue_token(w, u.id, u.username, false);
    }
    return oauth_error(400, "invalid_grant", "unknown username or wrong password");
  }
  if (grant == "authorization_code") {
    auto who = st.codes.get(f["code"]);
    if (!who) return oauth_error(400, "invalid_grant", "unknown or used authorization code");
    st.codes.erase(f["code"]);  // a code is good once (RFC 6749 §4.1.2)
    const user* u = find_user_by_id(w, *who);
    return issue_token(w, *who, u ? u->username : *who, false);
  }
  if (grant == "refresh_token") {
    auto t = st.refresh.get(f["refresh_token"]);
    if (!t || t->revoked)
      return oauth_error(400, "invalid_grant", "unknown or revoked refresh token");
    st.refresh.erase(f["refresh_token"]);
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
  bool known = std::any_of(w.cfg().clients.begin(), w.cfg().clients.end(),
                           [&](const oauth_client& cl) { return cl.id == *client; });
  if (!known) return w.error(&c.op, c.req.path(), 401, "unknown client_id");
  // The sign-in form is the documented 200; a request that carries a user's Basic credentials
  // stands for a completed sign-in and is redirected with a code.
  std::string user_id;
  if (auto auth = c.req.fields.get("Authorization"); auth && auth->rfind("Basic ", 0) == 0) {
    bool ok = false;
    std::string cred = base64_decode(auth->substr(6), &ok);
    auto colon = cred.find(':');
    for (const auto& u : w.cfg().users)
      if (ok && colon != std::string::npos && u.username == cred.substr(0, colon) &&
          secure_equals(u.password, cred.substr(colon + 1)))
        user_id = u.id;
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
  std::string code = w.new_id();
  w.state<auth_state>("auth").codes.insert(code, user_id);
  std::string location =
      *redirect + (redirect->find('?') == std::string::npos ? "?" : "&") + "code=" + code;
  if (auto state = c.req.query_param("state")) location += "&state=" + *state;
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

std::string base64url(std::string_view in) {
  std::string s = base64_encode(in);
  for (auto& ch : s) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

http::response jwt_userinfo(const call& c, world& w) {
  json d = user_details(w, c.principal);
  std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
  std::string payload = base64url(json{{"sub", c.principal}, {"user", d}}.dump());
  // Signed with a per-run key: clients can check the shape, not forge the user.
  std::string mac =
      hmac_sha1_hex("cxharness-emulator-" + std::to_string(w.cfg().seed), header + "." + payload);
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
    r.fields.set("Location", *redirect);
    return r;
  }
  return world::json_reply(200, api_ok(c));
}

http::response change_password(const call& c, world& w) {
  const json* data = c.body && c.body->contains("data") ? &(*c.body)["data"] : nullptr;
  if (!data || !data->is_object() || !(*data)["newPassword"].is_string() ||
      !(*data)["oldPassword"].is_string())
    return w.error(&c.op, c.req.path(), 400, "data.oldPassword and data.newPassword are required");
  const user* u = find_user_by_id(w, c.principal);
  if (!u) return w.error(&c.op, c.req.path(), 401, "only users can change their password");
  auto& st = w.state<auth_state>("auth");
  std::lock_guard lock(st.passwords_mutex);
  std::string current =
      st.changed_passwords.count(u->id) ? st.changed_passwords[u->id] : u->password;
  if (!secure_equals(current, (*data)["oldPassword"].get<std::string>()))
    return w.error(&c.op, c.req.path(), 401, "the old password is wrong");
  st.changed_passwords[u->id] = (*data)["newPassword"].get<std::string>();
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
