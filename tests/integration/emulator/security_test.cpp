// The emulator's security review (issue 12), one test per finding: each failed (crashed, leaked,
// or let the wrong caller in) before its fix. Bodies nested past the depth limit are refused
// before anything is built; secrets come from the CSPRNG; statistics subscriptions belong to
// their creator; the X-GWS-User JWT is HS256 under a random key; unknown security schemes fail
// closed.

#include "documented_answer.hpp"

using namespace emulator_test;

namespace {

const char* const agent2_id = "00000000-0000-4000-8000-000000000002";

ce::config two_users() {
  ce::config c;
  c.users.push_back({"agent2", "agent2-password", agent2_id});
  return c;
}

cxh::http::request form_post(const std::string& target, const std::string& body) {
  cxh::http::request r;
  r.method = "POST";
  r.target = target;
  r.fields.add("x-api-key", "demo-api-key");
  r.fields.add("Authorization",
               "Basic " + cxh::http::base64_encode("demo-client:demo-client-secret"));
  r.fields.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = body;
  return r;
}

json token_for(const ce::emulator& em, const std::string& user, const std::string& password) {
  auto res = em.handle(form_post("/auth/v3/oauth/token",
                                 "grant_type=password&username=" + user + "&password=" + password));
  return json::parse(res.body, nullptr, false);
}

std::string brackets(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// An Openmedia create whose userData holds `deep` (raw JSON text).
cxh::http::request openmedia_with(const fixture& f, const std::string& deep, bool api_key) {
  const auto* op = f.em->spec().by_operation_id("openmediaCreateInteraction");
  auto r = valid_request(*op, f);
  json body = json::parse(r.body);
  body["userData"] = {{"k", "DEEP"}};
  r.body = body.dump();
  r.body.replace(r.body.find("\"DEEP\""), 6, deep);
  if (!api_key) r.fields.set("x-api-key", "");
  return r;
}

}  // namespace

// Finding 1: 150,000 levels (300 KB) crashed the emulator before authentication (a recursive copy
// of the parsed body); 70,000 inside userData crashed it when the interaction was echoed.
TEST(EmulatorSecurity, DeepJsonIsRefusedAtParseTimeWithAndWithoutCredentials) {
  fixture f;
  for (bool key : {false, true}) {
    auto res = f.em->handle(openmedia_with(f, brackets(150000), key));
    EXPECT_EQ(res.status, 400) << res.body.substr(0, 200);
    EXPECT_NE(res.body.find("nests deeper than 64"), std::string::npos) << res.body;
    EXPECT_EQ(conforms("openmediaCreateInteraction", res), "");  // the API's own envelope
  }
  auto stored = f.em->handle(openmedia_with(f, brackets(70000), true));
  EXPECT_EQ(stored.status, 400);
  // At the limit the body goes on to the handler; one past it is refused.
  std::string at_limit = brackets(62);  // + the body object and userData: 64
  auto past_gate = f.em->handle(openmedia_with(f, at_limit, true));
  EXPECT_EQ(past_gate.body.find("nests deeper"), std::string::npos) << past_gate.body;
  auto over = f.em->handle(openmedia_with(f, brackets(63), true));
  EXPECT_NE(over.body.find("nests deeper than 64"), std::string::npos) << over.body;
}

TEST(EmulatorSecurity, DepthIsCountedOutsideStringsOnly) {
  fixture f;
  // 100,000 brackets inside a string (with escaped quotes) are text, not nesting.
  std::string text = "\"\\\"" + std::string(100000, '[') + "\\\\\"";
  auto res = f.em->handle(openmedia_with(f, text, true));
  EXPECT_EQ(res.status, 200) << res.body.substr(0, 300);
  // A stray closer inside a string does not hide real nesting either.
  auto hidden = f.em->handle(openmedia_with(f, "[\"]]]]\"," + brackets(70) + "]", true));
  EXPECT_EQ(hidden.status, 400);
}

TEST(EmulatorSecurity, DeepJsonIsRefusedOnTheCometdAndAdminEndpoints) {
  ce::config c;
  c.admin = true;
  fixture f(c);
  cxh::http::request ws;
  ws.method = "POST";
  ws.target = "/api/v2/notifications";
  ws.fields.set("Authorization", "Basic " + cxh::http::base64_encode("agent1:agent1-password"));
  ws.fields.set("Content-Type", "application/json");
  ws.body = brackets(150000);
  auto res = f.em->handle(ws);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body)["statusCode"], 1);  // WS v2 envelope
  for (const char* admin :
       {"/__cxh/admin/faults", "/__cxh/admin/cometd/expire", "/__cxh/admin/statistics/outage"}) {
    cxh::http::request a = ws;
    a.target = admin;
    a.method = std::string(admin) == "/__cxh/admin/faults" ? "PUT" : "POST";
    a.body = "{\"rules\":" + brackets(150000) + "}";
    EXPECT_EQ(f.em->handle(a).status, 400) << admin;
  }
  cxh::http::request stats;
  stats.method = "POST";
  stats.target = "/statistics/v3/notifications";
  stats.fields.set("x-api-key", "demo-api-key");
  stats.fields.set("Authorization", "Bearer " + f.token);
  stats.fields.set("Content-Type", "application/json");
  stats.body = brackets(150000);
  EXPECT_EQ(f.em->handle(stats).status, 400);
}

// Finding 2: tokens came from the seeded id generator: every fresh emulator issued the same first
// token, and ids revealed the next one.
TEST(EmulatorSecurity, SecretsComeFromTheCsprngNotTheSeed) {
  fixture a, b;  // same config, same seed
  ASSERT_FALSE(a.token.empty());
  EXPECT_NE(a.token, b.token);
  EXPECT_GE(a.token.size(), 22u);  // >= 128 bits in base64url
  json ta = token_for(*a.em, "agent1", "agent1-password");
  json tb = token_for(*b.em, "agent1", "agent1-password");
  EXPECT_NE(ta["refresh_token"], tb["refresh_token"]);
  EXPECT_GE(ta["refresh_token"].get<std::string>().size(), 22u);
  // Not an id: ids are UUID-shaped (8-4-4-4-12); secrets are not.
  EXPECT_EQ(a.token.find('-') == 8 && a.token.size() == 36, false);
  auto code_of = [](const ce::emulator& em) {
    cxh::http::request r;
    r.method = "GET";
    r.target =
        "/auth/v3/oauth/authorize?client_id=demo-client&response_type=code&redirect_uri="
        "https://app.example.com/cb";
    r.fields.set("x-api-key", "demo-api-key");
    r.fields.set("Authorization", "Basic " + cxh::http::base64_encode("agent1:agent1-password"));
    auto res = em.handle(r);
    auto loc = res.fields.get("Location");
    return loc ? std::string(*loc) : std::string();
  };
  std::string ca = code_of(*a.em), cb = code_of(*b.em);
  ASSERT_FALSE(ca.empty());
  EXPECT_NE(ca, cb);
}

// Finding 3: another principal's token could read and delete a statistics subscription.
TEST(EmulatorSecurity, StatisticsSubscriptionsBelongToTheirCreator) {
  fixture f(two_users());
  std::string other = token_for(*f.em, "agent2", "agent2-password")["access_token"];
  auto req = [&](const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body = "") {
    cxh::http::request r;
    r.method = method;
    r.target = "/statistics/v3" + target;
    r.fields.set("x-api-key", "demo-api-key");
    r.fields.set("Authorization", "Bearer " + token);
    if (!body.empty()) r.fields.set("Content-Type", "application/json");
    r.body = body;
    return r;
  };
  json sub{{"data",
            {{"statistics", json::array({{{"statisticId", "s1"},
                                          {"name", "TotalLoginTime"},
                                          {"objectType", "Agent"},
                                          {"objectId", "a"}}})}}}};
  json made = expect(*f.em, "statisticsCreateSubscription",
                     req("POST", "/subscriptions?verbose=INFO", f.token, sub.dump()), 200);
  std::string id = made["data"]["subscriptionId"];
  std::string values = "/subscriptions/" + id + "/statistic-values";
  json theirs = expect(*f.em, "statisticsGetSubscriptionValues", req("GET", values, other), 200);
  EXPECT_EQ(theirs["status"]["code"], 404);  // as for an unknown subscription
  EXPECT_TRUE(theirs["data"]["statistics"].empty());
  expect(*f.em, "statisticsDeleteSubscription", req("DELETE", "/subscriptions/" + id, other), 200);
  json mine = expect(*f.em, "statisticsGetSubscriptionValues", req("GET", values, f.token), 200);
  EXPECT_EQ(mine["status"]["code"], 0);  // the other caller's delete did nothing
  EXPECT_EQ(mine["data"]["statistics"].size(), 1u);
}

// Finding 8: the X-GWS-User JWT was "HS256" over HMAC-SHA1 under a key derived from the seed.
TEST(EmulatorSecurity, JwtIsHs256UnderARandomKey) {
  fixture a, b;
  auto jwt = [](const fixture& f) {
    const auto* op = f.em->spec().by_operation_id("authGetJwtUserInfo");
    auto res = f.em->handle(valid_request(*op, f));
    auto h = res.fields.get("X-GWS-User");
    return h ? std::string(*h) : std::string();
  };
  std::string ja = jwt(a), jb = jwt(b);
  ASSERT_EQ(std::count(ja.begin(), ja.end(), '.'), 2) << ja;
  std::string sig_a = ja.substr(ja.rfind('.') + 1), sig_b = jb.substr(jb.rfind('.') + 1);
  EXPECT_EQ(ja.substr(0, ja.rfind('.')), jb.substr(0, jb.rfind('.')));  // same header, payload
  EXPECT_EQ(sig_a.size(), 43u);  // 32 bytes of HMAC-SHA256 in base64url
  EXPECT_NE(sig_a, sig_b);       // a different key per emulator
}

// Finding 9: a security scheme the emulator does not implement was not enforced.
TEST(EmulatorSecurity, UnknownSecuritySchemesFailClosed) {
  auto docs = co::spec_set::embedded_documents();
  docs.push_back({"https://cxharness.test/mystery.json", "mystery.json", R"({
    "openapi": "3.1.0", "info": {"title": "mystery", "version": "1"},
    "servers": [{"url": "/mystery/v1"}],
    "components": {"securitySchemes": {"mystery": {"type": "mutualTLS"}}},
    "paths": {"/things": {"get": {"operationId": "mysteryGet", "security": [{"mystery": []}],
      "responses": {"200": {"description": "ok"}, "401": {"description": "no"}}}}}})"});
  auto loaded = co::spec_set::load(docs);
  ASSERT_TRUE(std::holds_alternative<co::spec_set>(loaded));
  ce::emulator em({}, std::get<co::spec_set>(std::move(loaded)));
  cxh::http::request r;
  r.method = "GET";
  r.target = "/mystery/v1/things";
  auto res = em.handle(r);
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.body.find("not implemented"), std::string::npos) << res.body;
  // No built-in operation names such a scheme: each is reachable with its credentials.
  for (const auto& op : env().em->spec().operations()) {
    auto answer = env().em->handle(valid_request(op));
    EXPECT_EQ(answer.body.find("is not implemented by the emulator"), std::string::npos)
        << op.operation_id;
  }
}
