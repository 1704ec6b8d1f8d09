// The HTTP side of the two CometD servers: who is calling, the body, cookies; and the admin
// hooks that tests use to expire sessions and to take the Statistics service down.

#include <algorithm>

#include "../json_gate.hpp"
#include "notifications.hpp"

namespace cxh::emulator::detail {

namespace {

constexpr const char* ws_cookie = "CXH_WS_SESSION";

std::optional<std::string> cookie(const http::request& req, std::string_view name) {
  auto header = req.fields.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty()) {
    auto semi = h.find(';');
    std::string_view pair = h.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    h.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

bool has_handshake(const json& body) {
  auto is = [](const json& m) {
    return m.is_object() && m.value("channel", json()) == json("/meta/handshake");
  };
  if (body.is_array()) return std::any_of(body.begin(), body.end(), is);
  return is(body);
}

// CometD servers mark the browser on handshake; clients send it back (BAYEUX_BROWSER).
void mark_browser(const http::request& req, const json& body, world& w, http::response& res) {
  if (!has_handshake(body) || cookie(req, "BAYEUX_BROWSER")) return;
  std::string id = w.new_secret();
  res.fields.add("Set-Cookie", "BAYEUX_BROWSER=" + id + "; Path=/; HttpOnly");
}

std::optional<std::string> basic_user(const http::request& req, const world& w) {
  auto auth = req.fields.get("Authorization");
  if (!auth || auth->size() < 7 || !http::iequals(auth->substr(0, 6), "Basic "))
    return std::nullopt;
  bool ok = false;
  std::string decoded = base64_decode(auth->substr(6), &ok);
  auto colon = decoded.find(':');
  if (!ok || colon == std::string::npos) return std::nullopt;
  // The password as it is now (credentials.cpp).
  const user* u = w.user_with_password(decoded.substr(0, colon), decoded.substr(colon + 1));
  if (!u) return std::nullopt;
  return u->id;
}

}  // namespace

http::response statistics_cometd(const call& c, world& w) {
  if (!c.body || !(c.body->is_array() || c.body->is_object()))
    return w.error(&c.op, c.req.path(), 400, "the body must be a Bayeux message or an array");
  auto& n = notifications_of(w);
  n.start_ticker(w);
  // Sessions belong to the token's principal: another caller's clientId is unknown to it.
  auto res = n.statistics.handle(*c.body, c.principal);
  mark_browser(c.req, *c.body, w, res);
  return res;
}

http::response ws_cometd(const http::request& req, world& w) {
  std::string_view path = req.path();
  static const char* subpaths[] = {"",           "/handshake",   "/connect",
                                   "/subscribe", "/unsubscribe", "/disconnect"};
  bool known = std::any_of(std::begin(subpaths), std::end(subpaths), [&](const char* s) {
    return path == std::string("/api/v2/notifications") + s;
  });
  if (!known) return w.error(nullptr, path, 404, "no such resource: " + std::string(path));
  if (req.method != "POST") return w.error(nullptr, path, 405, "the CometD endpoint takes POST");
  auto& n = notifications_of(w);
  std::optional<std::string> user = basic_user(req, w);
  bool by_basic = user.has_value();
  if (!user) {
    if (auto c = cookie(req, ws_cookie)) user = n.user_of_cookie(w, *c);
  }
  if (!user) {
    auto r = w.error(nullptr, path, 401, "sign in with Basic authentication or the session cookie");
    r.fields.set("WWW-Authenticate", "Basic realm=\"Web Services\"");
    return r;
  }
  auto gated = parse_gated(req.body);
  if (gated.result == gated_json::outcome::too_deep)
    return w.error(nullptr, path, 400, too_deep_message());
  const json& body = gated.value;
  if (gated.result != gated_json::outcome::ok || !(body.is_array() || body.is_object()))
    return w.error(nullptr, path, 400, "the body must be a Bayeux message or an array (JSON)");
  n.start_ticker(w);
  auto res = n.ws.handle(body, *user);
  mark_browser(req, body, w, res);
  if (by_basic && !(cookie(req, ws_cookie) && n.user_of_cookie(w, *cookie(req, ws_cookie))))
    res.fields.add("Set-Cookie", std::string(ws_cookie) + "=" + n.cookie_for(w, *user) +
                                     "; Path=/api/v2; HttpOnly");
  return res;
}

std::optional<http::response> notifications_admin(const http::request& req, world& w) {
  std::string_view path = req.path();
  auto& n = notifications_of(w);
  json body = json::object();
  if (!req.body.empty()) {
    auto gated = parse_gated(req.body);
    if (gated.result == gated_json::outcome::too_deep)
      return world::json_reply(400, json{{"message", too_deep_message()}});
    if (gated.value.is_object()) body = std::move(gated.value);
  }
  auto bad = [](const std::string& m) { return world::json_reply(400, json{{"message", m}}); };
  if (path == "/__cxh/admin/statistics/outage") {
    if (req.method != "POST") return world::json_reply(405, json{{"message", "POST only"}});
    auto ms = body.value("duration_ms", json(1000));
    if (!ms.is_number_unsigned() || ms.get<std::uint64_t>() > 3600000)
      return bad("duration_ms must be an integer from 0 to 3600000");
    n.begin_outage(w, std::chrono::milliseconds(ms.get<std::uint64_t>()));
    return world::json_reply(200, json{{"serviceState", "UNAVAILABLE"}, {"duration_ms", ms}});
  }
  if (path == "/__cxh/admin/cometd/expire") {
    if (req.method != "POST") return world::json_reply(405, json{{"message", "POST only"}});
    std::string server = body.value("server", json("all")).is_string()
                             ? body.value("server", std::string("all"))
                             : std::string();
    auto id = body.value("clientId", json(""));
    if (!id.is_string()) return bad("clientId must be a string");
    if (server != "statistics" && server != "ws" && server != "all")
      return bad("server must be statistics, ws or all");
    std::size_t count = 0;
    if (server != "ws") count += n.statistics.expire(id.get<std::string>());
    if (server != "statistics") count += n.ws.expire(id.get<std::string>());
    return world::json_reply(200, json{{"expired", count}});
  }
  if (path == "/__cxh/admin/cometd/stats") {
    auto of = [](const bayeux::hub_stats& s) {
      return json{{"sessions", s.sessions}, {"held_connects", s.held_connects},
                  {"queued", s.queued},     {"dropped", s.dropped},
                  {"expired", s.expired},   {"delivered", s.delivered}};
    };
    return world::json_reply(
        200, json{{"statistics", of(n.statistics.stats())}, {"ws", of(n.ws.stats())}});
  }
  return std::nullopt;
}

}  // namespace cxh::emulator::detail
