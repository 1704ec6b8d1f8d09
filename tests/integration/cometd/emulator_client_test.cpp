// Our client (cxh::cometd) against the emulator's two CometD servers: Statistics updates and
// service state, Web Services v2 channel and interaction notifications after REST operations,
// per-user isolation, re-handshake after 402::Unknown client, session expiry, auth. Every
// message a server sent is checked against its documented schema.

#include <cxh/cometd/client.hpp>
#include <thread>

#include "support.hpp"

using namespace cometd_test;
using namespace std::chrono_literals;
namespace cc = cxh::cometd;

namespace {

cxh::emulator::config two_agents() {
  cxh::emulator::config cfg;
  cfg.users.push_back({"agent2", "agent2-password", "00000000-0000-4000-8000-000000000002"});
  return cfg;
}

std::string basic(const std::string& user, const std::string& password) {
  return "Basic " + cxh::http::base64_encode(user + ":" + password);
}

cxh::http::response call(cxh::emulator::running_emulator& em, const std::string& method,
                         const std::string& target, const std::string& auth,
                         const json& body = nullptr) {
  cxh::http::request r;
  r.method = method;
  r.target = target;
  r.fields.add("x-api-key", "demo-api-key");
  if (!auth.empty()) r.fields.add("Authorization", auth);
  if (!body.is_null()) {
    r.fields.add("Content-Type", "application/json");
    r.body = body.dump();
  }
  return em.core().handle(r);
}

cc::options ws_options(const cxh::emulator::running_emulator& em, const std::string& auth) {
  cc::options o;
  o.url = em.base_url() + "/api/v2/notifications";
  o.headers.set("Authorization", auth);
  return o;
}

void expect_documented(schemas& s, const std::vector<json>& messages) {
  for (const auto& m : messages) EXPECT_EQ(s.check(schema_for(m), m), "") << m.dump();
}

}  // namespace

TEST(CometdClientWithEmulator, StatisticUpdatesThenAnOutageDropsTheSubscriptions) {
  auto em = start_emulator();
  ASSERT_TRUE(em);
  std::string token = token_of(*em);
  cc::options o;
  o.url = em->base_url() + "/statistics/v3/notifications";
  o.headers.set("x-api-key", "demo-api-key");
  o.headers.set("Authorization", "Bearer " + token);
  cc::client c(o);
  auto hs = c.handshake();
  ASSERT_TRUE(hs.ok()) << hs.error;
  ASSERT_TRUE(std::holds_alternative<cc::stream>(c.subscribe("/statistics/v3/updates")));
  ASSERT_TRUE(std::holds_alternative<cc::stream>(c.subscribe("/statistics/v3/service")));
  auto made = call(*em, "POST", "/statistics/v3/subscriptions", "Bearer " + token,
                   json{{"data",
                         {{"statistics",
                           {{{"statisticId", "w"},
                             {"name", "CurrentNumberWaitingCalls"},
                             {"objectId", "q1"},
                             {"objectType", "Queue"}}}}}}});
  ASSERT_EQ(made.status, 200) << made.body;
  std::string sub = json::parse(made.body)["data"]["subscriptionId"];
  auto update = c.await("/statistics/v3/updates",
                        json{{"data", {{"statistics", {{{"subscriptionId", sub}}}}}}}, 20s);
  ASSERT_TRUE(update) << c.last_error();

  auto out = call(*em, "POST", "/__cxh/admin/statistics/outage", "", json{{"duration_ms", 200}});
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_TRUE(
      c.await("/statistics/v3/service", json{{"data", {{"serviceState", "UNAVAILABLE"}}}}, 20s));
  EXPECT_TRUE(
      c.await("/statistics/v3/service", json{{"data", {{"serviceState", "AVAILABLE"}}}}, 20s));
  auto values = call(*em, "GET", "/statistics/v3/subscriptions/" + sub + "/statistic-values",
                     "Bearer " + token);
  EXPECT_EQ(json::parse(values.body)["status"]["code"], 404) << values.body;

  schemas s;
  expect_documented(s, c.received("/statistics/v3/updates"));
  expect_documented(s, c.received("/statistics/v3/service"));
  EXPECT_TRUE(c.disconnect().ok());
}

TEST(CometdClientWithEmulator, AgentStateNotificationsReachOnlyTheirUser) {
  auto em = start_emulator(two_agents());
  ASSERT_TRUE(em);
  std::string a1 = basic("agent1", "agent1-password"), a2 = basic("agent2", "agent2-password");
  cc::client c1(ws_options(*em, a1)), c2(ws_options(*em, a2));
  ASSERT_TRUE(c1.handshake().ok());
  ASSERT_TRUE(c2.handshake().ok());
  ASSERT_TRUE(std::holds_alternative<cc::stream>(c1.subscribe("/v2/me/channels")));
  ASSERT_TRUE(std::holds_alternative<cc::stream>(c2.subscribe("/v2/me/**")));

  auto r = call(*em, "POST", "/api/v2/me", a1, json{{"operationName", "Ready"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(
      c1.await("/v2/me/channels", json{{"channels", {{{"userState", {{"state", "Ready"}}}}}}}, 20s))
      << c1.last_error();
  r = call(*em, "POST", "/api/v2/me", a1, json{{"operationName", "NotReady"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(c1.await("/v2/me/channels",
                       json{{"channels", {{{"userState", {{"state", "NotReady"}}}}}}}, 20s));
  r = call(*em, "POST", "/api/v2/me", a1, json{{"operationName", "DoNotDisturbOn"}});
  EXPECT_TRUE(c1.await("/v2/me/channels", json{{"channels", {{{"dndState", "On"}}}}}, 20s));

  // agent2 hears its own change, and nothing of agent1's.
  r = call(*em, "POST", "/api/v2/me", a2, json{{"operationName", "Ready"}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(c2.await("/v2/me/channels",
                       json{{"channels", {{{"userState", {{"state", "Ready"}}}}}}}, 20s));
  EXPECT_EQ(c2.received("/v2/me/channels").size(), 1u);
  EXPECT_EQ(c1.received("/v2/me/channels").size(), 3u);

  schemas s;
  expect_documented(s, c1.received("/v2/me/channels"));
  expect_documented(s, c2.received("/v2/me/channels"));
  EXPECT_TRUE(c1.disconnect().ok());
  EXPECT_TRUE(c2.disconnect().ok());
}

TEST(CometdClientWithEmulator, ExpiredSessionIsRehandshakenAndResubscribed) {
  auto em = start_emulator();
  ASSERT_TRUE(em);
  std::string a1 = basic("agent1", "agent1-password");
  cc::client c(ws_options(*em, a1));
  ASSERT_TRUE(c.handshake().ok());
  ASSERT_TRUE(std::holds_alternative<cc::stream>(c.subscribe("/v2/me/channels")));
  std::string first = c.client_id();
  // Wait until the long poll is held, then expire the session under it.
  auto held = [&] {
    auto st = json::parse(call(*em, "GET", "/__cxh/admin/cometd/stats", "").body);
    return st["ws"]["held_connects"].get<int>() == 1;
  };
  for (int i = 0; i < 2000 && !held(); ++i) std::this_thread::sleep_for(10ms);
  auto ex = call(*em, "POST", "/__cxh/admin/cometd/expire", "", json{{"server", "ws"}});
  ASSERT_EQ(json::parse(ex.body)["expired"], 1) << ex.body;
  for (int i = 0; i < 2000 && c.stats().rehandshakes == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(c.stats().rehandshakes, 1u) << c.last_error();
  EXPECT_NE(c.client_id(), first);
  EXPECT_NE(c.last_error().find("402::Unknown client"), std::string::npos) << c.last_error();
  // Re-subscribed: a change after the re-handshake arrives.
  for (int i = 0; i < 2000 && !held(); ++i) std::this_thread::sleep_for(10ms);
  call(*em, "POST", "/api/v2/me", a1, json{{"operationName", "Ready"}});
  EXPECT_TRUE(
      c.await("/v2/me/channels", json{{"channels", {{{"userState", {{"state", "Ready"}}}}}}}, 20s));
  EXPECT_TRUE(c.disconnect().ok());
}

TEST(CometdClientWithEmulator, RawExchangeIsDocumentedAndBounded) {
  cxh::emulator::config cfg;
  cfg.cometd.max_interval = 1000ms;
  cfg.cometd.timeout = 200ms;
  cfg.cometd.queue_cap = 2;
  auto em = start_emulator(cfg);
  ASSERT_TRUE(em);
  std::string a1 = basic("agent1", "agent1-password");
  schemas s;
  cxh::http::client http;
  auto post = [&](const std::string& sub, const json& body, const std::string& auth) {
    cxh::http::client_request r;
    r.method = "POST";
    r.url = em->base_url() + "/api/v2/notifications" + sub;
    if (!auth.empty()) r.fields.set("Authorization", auth);
    r.fields.set("Content-Type", "application/json");
    r.body = body.dump();
    auto o = http.send(r);
    EXPECT_TRUE(o.ok()) << o.error;
    return o.response.value_or(cxh::http::client_response{});
  };
  // No credentials: refused like the other /api/v2 resources.
  EXPECT_EQ(post("/handshake", json::array(), "").status, 401);
  auto hs = post("/handshake",
                 json::array({{{"channel", "/meta/handshake"},
                               {"version", "1.0"},
                               {"id", "7"},
                               {"supportedConnectionTypes", {"long-polling"}}}}),
                 a1);
  json replies = json::parse(hs.body);
  expect_documented(s, replies);
  ASSERT_TRUE(replies[0]["successful"].get<bool>()) << hs.body;
  EXPECT_EQ(replies[0]["id"], "7");
  EXPECT_EQ(replies[0]["supportedConnectionTypes"], json::array({"long-polling"}));
  EXPECT_NE(hs.fields.get("Set-Cookie"), std::nullopt);
  std::string id = replies[0]["clientId"];
  // The session cookie alone authenticates later requests.
  std::string cookie;
  for (const auto& [k, v] : hs.fields.fields())
    if (cxh::http::iequals(k, "Set-Cookie") && v.rfind("CXH_WS_SESSION=", 0) == 0)
      cookie = v.substr(0, v.find(';'));
  ASSERT_FALSE(cookie.empty());
  cxh::http::client_request sub;
  sub.method = "POST";
  sub.url = em->base_url() + "/api/v2/notifications/subscribe";
  sub.fields.set("Cookie", cookie);
  sub.fields.set("Content-Type", "application/json");
  sub.body = json::array({{{"channel", "/meta/subscribe"},
                           {"clientId", id},
                           {"id", 8},
                           {"subscription", "/v2/me/channels"}}})
                 .dump();
  auto so = http.send(sub);
  ASSERT_TRUE(so.ok());
  json sr = json::parse(so.response->body);
  expect_documented(s, sr);
  EXPECT_TRUE(sr[0]["successful"].get<bool>()) << so.response->body;
  EXPECT_EQ(sr[0]["id"], 8);
  // An undocumented channel is refused.
  auto bad = json::parse(post("/subscribe",
                              json::array({{{"channel", "/meta/subscribe"},
                                            {"clientId", id},
                                            {"subscription", "/other/topic"}}}),
                              a1)
                             .body);
  EXPECT_FALSE(bad[0]["successful"].get<bool>());
  // Three changes while nobody polls: the queue keeps the last two and counts the drop.
  for (const char* op : {"Ready", "NotReady", "Ready"})
    call(*em, "POST", "/api/v2/me", a1, json{{"operationName", op}});
  auto cn = json::parse(post("/connect",
                             json::array({{{"channel", "/meta/connect"},
                                           {"clientId", id},
                                           {"connectionType", "long-polling"},
                                           {"id", "9"}}}),
                             a1)
                            .body);
  expect_documented(s, cn);
  ASSERT_EQ(cn.size(), 3u) << cn.dump();
  EXPECT_EQ(cn[1]["data"]["channels"][0]["userState"]["state"], "Ready");
  EXPECT_EQ(cn[2]["channel"], "/meta/connect");
  EXPECT_EQ(json::parse(call(*em, "GET", "/__cxh/admin/cometd/stats", "").body)["ws"]["dropped"],
            1);
  // An empty long poll is held for advice.timeout, then answered.
  auto t0 = std::chrono::steady_clock::now();
  auto held = json::parse(post("/connect",
                               json::array({{{"channel", "/meta/connect"},
                                             {"clientId", id},
                                             {"connectionType", "long-polling"}}}),
                               a1)
                              .body);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
  expect_documented(s, held);
  EXPECT_TRUE(held[0]["successful"].get<bool>());
  // No /meta/connect for longer than max_interval: the session expires.
  std::this_thread::sleep_for(2500ms);
  auto gone = json::parse(post("/connect",
                               json::array({{{"channel", "/meta/connect"},
                                             {"clientId", id},
                                             {"connectionType", "long-polling"}}}),
                               a1)
                              .body);
  expect_documented(s, gone);
  EXPECT_FALSE(gone[0]["successful"].get<bool>());
  EXPECT_EQ(gone[0]["error"], "402::Unknown client");
  EXPECT_EQ(gone[0]["advice"]["reconnect"], "handshake");
  auto dis = json::parse(
      post("/disconnect", json::array({{{"channel", "/meta/disconnect"}, {"clientId", id}}}), a1)
          .body);
  expect_documented(s, dis);
}
