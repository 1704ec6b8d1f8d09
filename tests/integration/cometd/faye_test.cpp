// Our client (cxh::cometd) against an independent Bayeux server: npm faye 1.4.3.

#include <cxh/cometd/client.hpp>

#include "child.hpp"
#include "support.hpp"

using namespace cometd_test;
using namespace std::chrono_literals;

namespace {

// Lines from faye until one satisfies `match`.
std::optional<json> faye_event(child& faye, const std::function<bool(const json&)>& match) {
  while (auto line = faye.read_line(20s)) {
    json j = json::parse(*line, nullptr, false);
    if (j.is_object() && match(j)) return j;
  }
  return std::nullopt;
}

}  // namespace

TEST(CometdClientWithFaye, HandshakeSubscribePublishBothWays) {
  if (!have_node_tools({"faye"})) std::exit(77);
  child faye({"node", std::string(CXH_SOURCE_DIR) + "/tests/integration/cometd/faye_server.js",
              tools_dir().string()});
  ASSERT_TRUE(faye.started());
  auto ready = faye_event(faye, [](const json& j) { return j.contains("port"); });
  ASSERT_TRUE(ready) << "faye did not start";
  std::string url = "http://127.0.0.1:" + std::to_string((*ready)["port"].get<int>()) + "/faye";

  cxh::cometd::options o;
  o.url = url;
  cxh::cometd::client c(o);
  auto hs = c.handshake();
  ASSERT_TRUE(hs.ok()) << hs.error;
  EXPECT_FALSE(c.client_id().empty());
  auto sub = c.subscribe("/chat/room");
  ASSERT_TRUE(std::holds_alternative<cxh::cometd::stream>(sub)) << std::get<std::string>(sub);
  auto& st = std::get<cxh::cometd::stream>(sub);
  ASSERT_TRUE(faye_event(faye, [&](const json& j) {
    return j.value("event", "") == "subscribe" && j.value("channel", "") == "/chat/room";
  }));

  // faye's side publishes; our long poll receives it.
  faye.write_line(R"({"publish": "/chat/room", "data": {"text": "from faye", "n": 1}})");
  auto got = st.next(20s);
  ASSERT_TRUE(got) << c.last_error();
  EXPECT_EQ((*got)["data"]["text"], "from faye");

  // We publish; faye sees it, and delivers it back to our subscription.
  auto p = c.publish("/chat/room", json{{"text", "from cxh"}});
  EXPECT_TRUE(p.ok()) << p.error;
  EXPECT_TRUE(faye_event(faye, [](const json& j) {
    return j.value("event", "") == "publish" && j["data"].value("text", "") == "from cxh";
  }));
  EXPECT_TRUE(c.await("/chat/room", json{{"text", "from cxh"}}, 20s));
  EXPECT_EQ(c.received("/chat/room").size(), 2u);

  auto u = c.unsubscribe("/chat/room");
  EXPECT_TRUE(u.ok()) << u.error;
  auto d = c.disconnect();
  EXPECT_TRUE(d.ok()) << d.error;
  EXPECT_GE(c.stats().connects, 1u);
}

TEST(CometdClientWithFaye, UnreachableServerIsAnErrorValue) {
  cxh::cometd::options o;
  o.url = "http://127.0.0.1:1/faye";  // nothing listens on port 1
  cxh::cometd::client c(o);
  auto hs = c.handshake();
  EXPECT_FALSE(hs.ok());
  EXPECT_NE(hs.error.find("unreachable"), std::string::npos) << hs.error;
}
