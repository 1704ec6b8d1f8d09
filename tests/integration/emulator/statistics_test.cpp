// Statistics REST in the emulator: get-statistic-ex, statistic-values and subscriptions (create,
// read values, delete), with values that move with time and depend only on the seed. Every
// answer is checked against the documented response of its operation.

#include <thread>

#include "documented_answer.hpp"

using namespace emulator_test;

namespace {

struct stats_client {
  fixture f;
  explicit stats_client(ce::config c = {}) : f(std::move(c)) {}

  cxh::http::request make(std::string method, std::string target, std::string body = "") const {
    cxh::http::request r;
    r.method = std::move(method);
    r.target = "/statistics/v3" + target;
    r.body = std::move(body);
    if (!r.body.empty()) r.fields.set("Content-Type", "application/json");
    r.fields.set("x-api-key", "demo-api-key");
    r.fields.set("Authorization", "Bearer " + f.token);
    return r;
  }
  json call(const std::string& op, const cxh::http::request& req, int status) const {
    return expect(*f.em, op, req, status);
  }
  json peek(const json& statistics, int status = 200) const {
    return call("statisticsPeekStatistics",
                make("POST", "/operations/get-statistic-ex",
                     json{{"data", {{"statistics", statistics}}}}.dump()),
                status);
  }
  json peek_one(const std::string& name, const std::string& query, int status = 200) const {
    return call("statisticsPeekStatistic", make("GET", "/statistic-values/" + name + query),
                status);
  }
  json subscribe(const json& body, const std::string& query = "", int status = 200) const {
    return call("statisticsCreateSubscription", make("POST", "/subscriptions" + query, body.dump()),
                status);
  }
  json values(const std::string& id, const std::string& query = "") const {
    return call("statisticsGetSubscriptionValues",
                make("GET", "/subscriptions/" + id + "/statistic-values" + query), 200);
  }
  void unsubscribe(const std::string& id) const {
    call("statisticsDeleteSubscription", make("DELETE", "/subscriptions/" + id), 200);
  }
};

json stat(const std::string& name, const std::string& id = "agent2") {
  return {{"name", name}, {"objectType", "Agent"}, {"objectId", id}};
}

json sub_stat(const std::string& sid, const std::string& name, const std::string& id = "agent") {
  return {{"statisticId", sid}, {"name", name}, {"objectType", "Agent"}, {"objectId", id}};
}

// Runs `read` until two consecutive calls fall in the same second (values are per second).
template <class F>
auto same_second(F read) {
  for (int attempt = 0;; ++attempt) {
    auto r = read();
    if (r.first.value("timestamp", 0) == r.second.value("timestamp", -1) || attempt == 5) return r;
  }
}

}  // namespace

TEST(Statistics, PeekReturnsEveryRequestedStatistic) {
  stats_client s;
  json r = s.peek(json::array({stat("CurrentAgentState"), stat("TimeInCurrentState")}));
  EXPECT_EQ(r["status"]["code"], 0);
  ASSERT_EQ(r["data"]["statistics"].size(), 2u);
  const json& state = r["data"]["statistics"][0];
  EXPECT_EQ(state["name"], "CurrentAgentState");
  EXPECT_EQ(state["objectId"], "agent2");
  EXPECT_TRUE(state["value"].contains("state"));
  // Epoch milliseconds, like the samples (002:4830).
  EXPECT_GT(state["timestamp"].get<std::int64_t>(), 1600000000000);
}

TEST(Statistics, OneStatisticAgreesWithTheBulkRead) {
  stats_client s;
  auto [bulk, one] = same_second([&] {
    json b = s.peek(json::array({stat("TotalLoginTime", "agent7")}))["data"]["statistics"][0];
    json o = s.peek_one("TotalLoginTime", "?objectType=Agent&objectId=agent7")["data"]["statistic"];
    return std::pair{b, o};
  });
  EXPECT_EQ(bulk["value"], one["value"]);
  EXPECT_EQ(one["name"], "TotalLoginTime");
}

TEST(Statistics, UnknownStatisticsArePartialFailuresOr4xx) {
  stats_client s;
  json r = s.peek(json::array({stat("CurrentAgentState"), stat("NoSuchStatistic")}));
  EXPECT_EQ(r["status"]["code"], 2);  // partial success (002:226-237)
  EXPECT_EQ(r["data"]["statistics"].size(), 1u);
  ASSERT_EQ(r["errors"].size(), 1u);
  EXPECT_NE(r["errors"][0]["status"]["message"].get<std::string>().find("NoSuchStatistic"),
            std::string::npos);
  s.peek(json::array({stat("NoSuchStatistic")}), 400);
  s.peek(json::array(), 400);
  s.peek(json::array({{{"name", "CurrentAgentState"}}}), 400);  // objectType, objectId required
  s.peek_one("NoSuchStatistic", "?objectType=Agent&objectId=a", 404);
  s.peek_one("CurrentAgentState", "?objectType=Agent&objectId=", 400);
  s.peek_one("CurrentAgentState", "?objectType=Agent", 400);
  s.call("statisticsPeekStatistics", s.make("POST", "/operations/get-statistic-ex", "{\"data\""),
         400);
}

TEST(Statistics, ValuesChangeWithTime) {
  stats_client s;
  std::string q = "?objectType=Agent&objectId=agent3";
  json before = s.peek_one("TimeInCurrentState", q)["data"]["statistic"];
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  json after = s.peek_one("TimeInCurrentState", q)["data"]["statistic"];
  EXPECT_GE(after["timestamp"].get<std::int64_t>() - before["timestamp"].get<std::int64_t>(), 1000);
  EXPECT_NE(after["value"], before["value"]);
}

TEST(Statistics, ValuesDependOnlyOnTheSeedAndTime) {
  ce::config seeded;
  seeded.seed = 77;
  stats_client a(seeded), b(seeded);
  ce::config other;
  other.seed = 78;
  stats_client c(other);
  json objects = json::array();
  for (int i = 0; i < 12; ++i)
    objects.push_back(stat("CurrentAgentState", "agent" + std::to_string(i)));
  auto states = [&](const stats_client& cl) {
    json read = cl.peek(objects), out = json::array();
    for (const auto& st : read["data"]["statistics"]) out.push_back(st["value"]["state"]);
    EXPECT_EQ(out.size(), objects.size());
    return out;
  };

  // The state of an agent lasts 20 s or more: a boundary between the reads is rare; retry once.
  json va = states(a), vb = states(b);
  if (va != vb) va = states(a), vb = states(b);
  EXPECT_EQ(va, vb);
  EXPECT_NE(states(a), states(c));
}

TEST(Statistics, SubscriptionLifecycle) {
  stats_client s;
  json def{{"statisticId", "UUID3"},
           {"objectId", "agent"},
           {"objectType", "Agent"},
           {"definition", {{"category", "TotalAdjustedTime"}, {"subject", "DNStatus"}}}};
  json body{
      {"operationId", "UUID1"},
      {"data", {{"statistics", json::array({sub_stat("UUID2", "AverageHandlingTime"), def})}}}};
  json created = s.subscribe(body);
  EXPECT_EQ(created["status"]["code"], 0);
  EXPECT_EQ(created["data"]["subscriptionId"], "UUID1");  // filled from operationId (002:4976)
  EXPECT_EQ(created["data"]["operationId"], "UUID1");
  ASSERT_EQ(created["data"]["statistics"].size(), 2u);
  EXPECT_EQ(created["data"]["statistics"][0]["name"], "AverageHandlingTime");
  EXPECT_FALSE(created["data"]["statistics"][1].contains("name"));  // a definition (002:4957)

  json got = s.values("UUID1");
  EXPECT_EQ(got["status"]["code"], 0);
  EXPECT_EQ(got["data"]["subscriptionId"], "UUID1");
  ASSERT_EQ(got["data"]["statistics"].size(), 2u);
  EXPECT_EQ(got["data"]["statistics"][1]["statisticId"], "UUID3");
  json only = s.values("UUID1", "?statisticIds=UUID3&verbose=OFF");
  ASSERT_EQ(only["data"]["statistics"].size(), 1u);
  EXPECT_EQ(only["data"]["statistics"][0]["statisticId"], "UUID3");
  EXPECT_FALSE(only["data"]["statistics"][0].contains("objectId"));
  json partial = s.values("UUID1", "?statisticIds=UUID2,nope");
  EXPECT_EQ(partial["status"]["code"], 2);
  EXPECT_EQ(partial["data"]["statistics"].size(), 1u);

  s.subscribe(body, "", 400);  // the subscription id is taken
  s.unsubscribe("UUID1");
  json gone = s.values("UUID1");
  EXPECT_NE(gone["status"]["code"], 0);
  EXPECT_TRUE(gone["data"]["statistics"].empty());
  s.unsubscribe("UUID1");  // fire-and-forget: always a success (002:5036-5037)
  s.subscribe(body);       // the id is free again
}

TEST(Statistics, SubscriptionValuesAgreeWithPeek) {
  stats_client s;
  json created = s.subscribe(
      {{"data", {{"statistics", json::array({sub_stat("s1", "TotalNumberInboundCalls", "a9")})}}}});
  std::string id = created["data"]["subscriptionId"];
  EXPECT_FALSE(id.empty());
  EXPECT_FALSE(created["data"].contains("operationId"));
  auto [sub, peeked] = same_second([&] {
    json v = s.values(id)["data"]["statistics"][0];
    json p = s.peek(json::array({stat("TotalNumberInboundCalls", "a9")}))["data"]["statistics"][0];
    return std::pair{v, p};
  });
  EXPECT_EQ(sub["value"], peeked["value"]);
}

TEST(Statistics, BadSubscriptionsAreRefused) {
  stats_client s;
  auto one = [](json statistic) {
    return json{{"data", {{"statistics", json::array({statistic})}}}};
  };
  s.subscribe(json{{"data",
                    {{"statistics", json::array({sub_stat("x", "TotalTalkTime"),
                                                 sub_stat("x", "TotalLoginTime")})}}}},
              "", 400);  // statisticId repeated
  s.subscribe(one(sub_stat("x", "NoSuchStatistic")), "", 400);
  json both = sub_stat("x", "TotalTalkTime");
  both["definition"] = json::object();
  s.subscribe(one(both), "", 400);  // name or definition, not both
  s.subscribe(one(sub_stat("x", "TotalTalkTime")), "?verbose=LOUD", 400);
  json partial = s.subscribe(json{
      {"data",
       {{"statistics", json::array({sub_stat("a", "TotalTalkTime"), sub_stat("b", "Nope")})}}}});
  EXPECT_EQ(partial["status"]["code"], 2);
  EXPECT_EQ(partial["data"]["statistics"].size(), 1u);
  // Unknown subscriptions: no 4xx is documented; an Engage error code in the 200 envelope.
  json unknown = s.values("never-created");
  EXPECT_EQ(unknown["status"]["code"], 404);
}

TEST(Statistics, AFullStoreAndMissingCredentials) {
  ce::config small;
  small.max_objects = 1;
  stats_client s(small);
  json body{{"data", {{"statistics", json::array({sub_stat("a", "TotalTalkTime")})}}}};
  s.subscribe(body);
  json e = s.subscribe(body, "", 503);
  EXPECT_NE(e["status"]["message"].get<std::string>().find("full"), std::string::npos);

  auto no_token = s.make("GET", "/subscriptions/x/statistic-values");
  no_token.fields.set("Authorization", "Bearer not-a-token");
  s.call("statisticsGetSubscriptionValues", no_token, 401);
  auto no_key = s.make("DELETE", "/subscriptions/x");
  no_key.fields = {};
  s.call("statisticsDeleteSubscription", no_key, 403);
}
