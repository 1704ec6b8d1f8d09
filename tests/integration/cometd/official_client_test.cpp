// Interoperability: the official CometD JavaScript client (npm cometd 8 + cometd-nodejs-client)
// against the emulator's Statistics CometD server. The client handshakes with the REST API's
// credentials, subscribes to both channels, receives the StatisticUpdate of a subscription
// made over REST, then the ServiceStateChange pair of an outage. Every message it saw must
// validate against its documented schema.

#include "support.hpp"

using namespace cometd_test;

TEST(OfficialCometdClient, ReceivesStatisticUpdatesAndServiceStateFromTheEmulator) {
  if (!have_node_tools({"cometd", "cometd-nodejs-client"})) std::exit(77);
  auto em = start_emulator();
  ASSERT_TRUE(em);
  std::string token = token_of(*em);
  std::string script =
      std::string(CXH_SOURCE_DIR) + "/tests/integration/cometd/official_client.mjs";
  int code = 0;
  auto lines = run_lines("node " + script + " " + tools_dir().string() + " " + em->base_url() +
                             " demo-api-key " + token,
                         &code);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_EQ(code, 0) << all;

  schemas s;
  std::map<std::string, int> kinds;
  std::string subscription_id;
  bool update_for_it = false;
  std::vector<std::string> states;
  for (const auto& l : lines) {
    json j = json::parse(l, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not a JSON line: " << l;
    std::string kind = j.value("kind", "");
    ++kinds[kind];
    const json& m = j["message"];
    if (kind == "rest") {
      subscription_id = m["body"]["data"]["subscriptionId"];
      continue;
    }
    if (kind == "error") {
      ADD_FAILURE() << m;
      continue;
    }
    // The client hands over the messages as received (it may add fields: Bayeux allows that).
    EXPECT_EQ(s.check(schema_for(m), m), "") << kind << ": " << m.dump();
    if (kind == "update")
      for (const auto& st : m["data"]["data"]["statistics"])
        update_for_it = update_for_it || st["subscriptionId"] == subscription_id;
    if (kind == "service") states.push_back(m["data"]["data"]["serviceState"]);
  }
  EXPECT_EQ(kinds["handshake"], 1) << all;
  EXPECT_EQ(kinds["subscribe"], 2) << all;
  EXPECT_TRUE(update_for_it) << "no StatisticUpdate for the REST subscription\n" << all;
  EXPECT_EQ(states, (std::vector<std::string>{"UNAVAILABLE", "AVAILABLE"})) << all;
  EXPECT_EQ(kinds["disconnect"], 1) << all;

  // The outage dropped the subscription (002:5079-5082): its values are gone.
  cxh::http::request r;
  r.method = "GET";
  r.target = "/statistics/v3/subscriptions/" + subscription_id + "/statistic-values";
  r.fields.add("x-api-key", "demo-api-key");
  r.fields.add("Authorization", "Bearer " + token);
  auto res = em->core().handle(r);
  EXPECT_EQ(json::parse(res.body)["status"]["code"], 404) << res.body;
}
