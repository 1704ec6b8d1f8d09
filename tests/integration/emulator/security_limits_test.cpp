// The emulator's security review (issue 12), second part: byte budgets (media, statistics),
// CometD caps (sessions per caller, batch size, queued bytes), the OAuth code bound to its client
// and redirect_uri, registered redirect URIs, and password changes that apply everywhere and end
// older sessions. Each test failed before its fix.

#include <thread>

#include "documented_answer.hpp"

using namespace emulator_test;

namespace {

const char* const agent2_id = "00000000-0000-4000-8000-000000000002";

std::string basic(const std::string& user, const std::string& password) {
  return "Basic " + cxh::http::base64_encode(user + ":" + password);
}

cxh::http::request token_request(const std::string& body,
                                 const std::string& client = "demo-client:demo-client-secret") {
  cxh::http::request r;
  r.method = "POST";
  r.target = "/auth/v3/oauth/token";
  r.fields.add("x-api-key", "demo-api-key");
  r.fields.add("Authorization", "Basic " + cxh::http::base64_encode(client));
  r.fields.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = body;
  return r;
}

json password_grant(const ce::emulator& em, const std::string& user, const std::string& pw) {
  return json::parse(
      em.handle(token_request("grant_type=password&username=" + user + "&password=" + pw)).body,
      nullptr, false);
}

cxh::http::request bearer(const std::string& method, const std::string& target,
                          const std::string& token) {
  cxh::http::request r;
  r.method = method;
  r.target = target;
  r.fields.set("x-api-key", "demo-api-key");
  r.fields.set("Authorization", "Bearer " + token);
  return r;
}

// A TPM media upload of `size` bytes, signed for demo-channel.
cxh::http::request media_upload(std::size_t size) {
  cxh::http::request r;
  r.method = "POST";
  r.target = "/nexus/v3/channels/demo-channel/media";
  r.body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      std::string(size, 'x') + "\r\n--b--\r\n";
  r.fields.set("Content-Type", "multipart/form-data; boundary=b");
  r.fields.set("x-ccid", "0ff723ff-6c6f-44e0-9ce3-ce579337eadd");
  r.fields.set("X-Hub-Signature",
               "sha1=" + cxh::http::hmac_sha1_hex("demo-channel-secret", r.body));
  return r;
}

// One POST to the Web Services v2 CometD endpoint as `user`.
cxh::http::response ws_cometd(const ce::emulator& em, const json& batch, const std::string& auth,
                              const std::string& cookie = "") {
  cxh::http::request r;
  r.method = "POST";
  r.target = "/api/v2/notifications";
  if (!auth.empty()) r.fields.set("Authorization", auth);
  if (!cookie.empty()) r.fields.set("Cookie", cookie);
  r.fields.set("Content-Type", "application/json");
  r.body = batch.dump();
  return em.handle(r);
}

json handshake() {
  return {{"channel", "/meta/handshake"},
          {"version", "1.0"},
          {"supportedConnectionTypes", {"long-polling"}}};
}

// The CXH_WS_SESSION cookie a response sets, as a Cookie header value ("" when none).
std::string session_cookie(const cxh::http::response& res) {
  for (const auto& [name, value] : res.fields.fields())
    if (cxh::http::iequals(name, "Set-Cookie") && value.rfind("CXH_WS_SESSION=", 0) == 0)
      return value.substr(0, value.find(';'));
  return "";
}

}  // namespace

// Finding 4: media was bounded by count only (40 uploads of 7 MiB kept 338 MB).
TEST(EmulatorLimits, MediaUploadsDrawOnOneByteBudget) {
  ce::config c;
  c.max_media_bytes = 1000;
  fixture f(c);
  json first = expect(*f.em, "thirdPartyMessagingUploadMedia", media_upload(600), 200);
  json refused = expect(*f.em, "thirdPartyMessagingUploadMedia", media_upload(600), 400);
  EXPECT_NE(refused.dump().find("max_media_bytes"), std::string::npos) << refused;
  cxh::http::request del = media_upload(0);
  del.method = "DELETE";
  del.target += "/" + first["data"]["mediaId"].get<std::string>();
  del.body.clear();
  del.fields.set("X-Hub-Signature", "sha1=" + cxh::http::hmac_sha1_hex("demo-channel-secret", ""));
  expect(*f.em, "thirdPartyMessagingDeleteMedia", del, 200);
  expect(*f.em, "thirdPartyMessagingUploadMedia", media_upload(600), 200);  // released
}

// Finding 4: statistics per subscription and subscriptions per caller were unbounded.
TEST(EmulatorLimits, StatisticsSubscriptionsAreBoundedPerCaller) {
  ce::config c;
  c.users.push_back({"agent2", "agent2-password", agent2_id});
  c.max_statistics_per_subscription = 2;
  c.max_subscriptions_per_principal = 1;
  fixture f(c);
  auto subscribe = [&](const std::string& token, int n, int status) {
    json stats = json::array();
    for (int i = 0; i < n; ++i)
      stats.push_back({{"statisticId", "s" + std::to_string(i)},
                       {"name", "TotalLoginTime"},
                       {"objectType", "Agent"},
                       {"objectId", "a"}});
    auto r = bearer("POST", "/statistics/v3/subscriptions", token);
    r.fields.set("Content-Type", "application/json");
    r.body = json{{"data", {{"statistics", stats}}}}.dump();
    return expect(*f.em, "statisticsCreateSubscription", r, status);
  };
  EXPECT_NE(subscribe(f.token, 3, 400).dump().find("max_statistics_per_subscription"),
            std::string::npos);
  subscribe(f.token, 2, 200);
  EXPECT_NE(subscribe(f.token, 1, 400).dump().find("max_subscriptions_per_principal"),
            std::string::npos);
  std::string other = password_grant(*f.em, "agent2", "agent2-password")["access_token"];
  subscribe(other, 1, 200);  // the cap is per caller
}

// Finding 5: one caller could take every CometD session in one batched POST.
TEST(EmulatorLimits, CometdSessionsPerCallerAndBatchSizeAreCapped) {
  ce::config c;
  c.users.push_back({"agent2", "agent2-password", agent2_id});
  c.cometd.max_sessions_per_owner = 2;
  c.cometd.max_batch = 5;
  fixture f(c);
  json batch = json::array({handshake(), handshake(), handshake()});
  json replies = json::parse(ws_cometd(*f.em, batch, basic("agent1", "agent1-password")).body);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_TRUE(replies[0]["successful"].get<bool>());
  EXPECT_TRUE(replies[1]["successful"].get<bool>());
  EXPECT_FALSE(replies[2]["successful"].get<bool>());
  EXPECT_EQ(replies[2]["error"], "503::too many sessions for this caller");
  json theirs = json::parse(
      ws_cometd(*f.em, json::array({handshake()}), basic("agent2", "agent2-password")).body);
  EXPECT_TRUE(theirs[0]["successful"].get<bool>());  // others still get sessions
  json big = json::array();
  for (int i = 0; i < 6; ++i) big.push_back(handshake());
  json refused = json::parse(ws_cometd(*f.em, big, basic("agent2", "agent2-password")).body);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0]["error"].get<std::string>().find("at most 5"), std::string::npos);
}

// Finding 5: a session's queue was bounded in messages only; now in bytes too.
TEST(EmulatorLimits, CometdQueuesAreBoundedInBytes) {
  for (std::size_t budget : {std::size_t{1} << 20, std::size_t{16}}) {
    ce::config c;
    c.cometd.max_queued_bytes = budget;
    fixture f(c);
    std::string auth = basic("agent1", "agent1-password");
    json hs = json::parse(ws_cometd(*f.em, json::array({handshake()}), auth).body);
    std::string id = hs[0]["clientId"];
    ws_cometd(*f.em,
              json::array({{{"channel", "/meta/subscribe"},
                            {"clientId", id},
                            {"subscription", "/v2/me/channels"}}}),
              auth);
    cxh::http::request ready;
    ready.method = "POST";
    ready.target = "/api/v2/me";
    ready.fields.set("Authorization", auth);
    ready.fields.set("Content-Type", "application/json");
    ready.body = R"({"operationName": "Ready"})";
    f.em->handle(ready);  // publishes on /v2/me/channels
    json connect{{"channel", "/meta/connect"},
                 {"clientId", id},
                 {"connectionType", "long-polling"},
                 {"advice", {{"timeout", 0}}}};
    json got = json::parse(ws_cometd(*f.em, json::array({connect}), auth).body);
    std::size_t events = 0;
    for (const auto& m : got) events += m["channel"] == "/v2/me/channels";
    if (budget > 1000)
      EXPECT_GE(events, 1u) << got;  // the control: the event is queued when it fits
    else
      EXPECT_EQ(events, 0u) << got;  // larger than the budget: dropped, never queued
  }
}

// Finding 6: the authorization code was not bound to its client and redirect_uri, and any
// redirect_uri (or sign-out redirectUri) was followed.
TEST(EmulatorLimits, AuthorizationCodesAreBoundAndRedirectsRegistered) {
  ce::config c;
  c.clients.push_back({"other-client", "other-secret", {"https://other.example.com/cb"}});
  fixture f(c);
  auto authorize = [&](const std::string& redirect) {
    cxh::http::request r;
    r.method = "GET";
    r.target = "/auth/v3/oauth/authorize?client_id=demo-client&response_type=code&redirect_uri=" +
               redirect;
    r.fields.set("x-api-key", "demo-api-key");
    r.fields.set("Authorization", basic("agent1", "agent1-password"));
    return f.em->handle(r);
  };
  auto code = [&] {
    auto res = authorize("https://app.example.com/cb");
    std::string loc(res.fields.get("Location").value_or(""));
    auto at = loc.find("code=");
    return at == std::string::npos ? std::string() : loc.substr(at + 5, loc.find('&', at) - at - 5);
  };
  auto evil = authorize("https://evil.example.com/steal");
  EXPECT_EQ(evil.status, 401);
  EXPECT_FALSE(evil.fields.get("Location").has_value());
  EXPECT_EQ(conforms("authAuthorize", evil), "");
  auto redeem = [&](const std::string& k, const std::string& redirect, const std::string& client) {
    return f.em
        ->handle(token_request(
            "grant_type=authorization_code&code=" + k + "&redirect_uri=" + redirect, client))
        .status;
  };
  std::string k = code();
  ASSERT_FALSE(k.empty());
  EXPECT_EQ(redeem(k, "https://app.example.com/other", "demo-client:demo-client-secret"), 400);
  EXPECT_EQ(redeem(k, "https://app.example.com/cb", "demo-client:demo-client-secret"), 400)
      << "a misused code is spent";
  k = code();
  EXPECT_EQ(redeem(k, "https://app.example.com/cb", "other-client:other-secret"), 400);
  k = code();
  EXPECT_EQ(redeem(k, "https://app.example.com/cb", "demo-client:demo-client-secret"), 200);
  EXPECT_EQ(redeem(k, "https://app.example.com/cb", "demo-client:demo-client-secret"), 400);

  auto out = bearer("GET", "/auth/v3/sign-out?redirectUri=https://evil.example.com/", f.token);
  auto refused = f.em->handle(out);
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(refused.fields.get("Location").has_value());
  EXPECT_EQ(f.em->handle(bearer("GET", "/auth/v3/ping", f.token)).status, 200)
      << "a refused sign-out signs nobody out";
}

// Finding 7: a password change did not reach Basic, and older tokens and cookies survived it.
TEST(EmulatorLimits, PasswordChangesApplyEverywhereAndEndOtherSessions) {
  fixture f;
  json other = password_grant(*f.em, "agent1", "agent1-password");
  std::string other_token = other["access_token"], refresh = other["refresh_token"];
  std::string cookie = session_cookie(
      ws_cometd(*f.em, json::array({handshake()}), basic("agent1", "agent1-password")));
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(ws_cometd(*f.em, json::array({handshake()}), "", cookie).status, 200);

  auto change = bearer("POST", "/auth/v3/change-password", f.token);
  change.fields.set("Content-Type", "application/json");
  change.body = R"({"data": {"oldPassword": "agent1-password", "newPassword": "fresh"}})";
  expect(*f.em, "authChangePassword", change, 200);

  EXPECT_EQ(f.em->handle(bearer("GET", "/auth/v3/ping", f.token)).status, 200)
      << "the token that made the change stays";
  EXPECT_EQ(f.em->handle(bearer("GET", "/auth/v3/userinfo", other_token)).status, 401);
  EXPECT_EQ(f.em->handle(token_request("grant_type=refresh_token&refresh_token=" + refresh)).status,
            400);
  EXPECT_EQ(ws_cometd(*f.em, json::array({handshake()}), "", cookie).status, 401);
  cxh::http::request me;
  me.method = "GET";
  me.target = "/api/v2/me";
  me.fields.set("Authorization", basic("agent1", "agent1-password"));
  EXPECT_EQ(f.em->handle(me).status, 401) << "Basic no longer takes the old password";
  me.fields.set("Authorization", basic("agent1", "fresh"));
  EXPECT_EQ(f.em->handle(me).status, 200);
  EXPECT_TRUE(password_grant(*f.em, "agent1", "fresh").contains("access_token"));
}

// Finding 7: refresh tokens and WS session cookies never expired.
TEST(EmulatorLimits, RefreshTokensAndSessionCookiesExpire) {
  ce::config c;
  c.refresh_token_ttl = std::chrono::seconds(1);
  c.session_ttl = std::chrono::seconds(1);
  fixture f(c);
  std::string refresh = password_grant(*f.em, "agent1", "agent1-password")["refresh_token"];
  std::string cookie = session_cookie(
      ws_cometd(*f.em, json::array({handshake()}), basic("agent1", "agent1-password")));
  ASSERT_FALSE(cookie.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(f.em->handle(token_request("grant_type=refresh_token&refresh_token=" + refresh)).status,
            400);
  EXPECT_EQ(ws_cometd(*f.em, json::array({handshake()}), "", cookie).status, 401);
}
