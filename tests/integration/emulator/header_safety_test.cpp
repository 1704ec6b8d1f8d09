// Issue 12: client values that end up in a Location header are percent-encoded where the header
// is built (CR/LF cannot split the response, '&' cannot add parameters), and the admin endpoints
// demand the admin token when one is configured.

#include "emulator_test_support.hpp"

using namespace emulator_test;

namespace {

cxh::http::request authorize_request(const std::string& query) {
  cxh::http::request r;
  r.method = "GET";
  r.target = "/auth/v3/oauth/authorize?client_id=demo-client&response_type=code&" + query;
  r.fields.set("x-api-key", "demo-api-key");
  r.fields.set("Authorization", "Basic " + cxh::http::base64_encode("agent1:agent1-password"));
  return r;
}

// Redirect URIs must be registered (no open redirects): these tests register hostile ones, as a
// careless administrator could, to show the encoding still protects the header.
ce::config registering(std::initializer_list<std::string> uris) {
  ce::config c;
  for (const auto& u : uris) c.clients.front().redirect_uris.push_back(u);
  return c;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

TEST(EmulatorHeaderSafety, AuthorizeEncodesStateAndRedirectUriInLocation) {
  fixture f(registering({"https://app.example/cb\r\nSet-Cookie: a=1"}));
  auto res = f.em->handle(
      authorize_request("redirect_uri=https%3A%2F%2Fapp.example%2Fcb%0D%0ASet-Cookie%3A%20a%3D1"
                        "&state=s1%0D%0AInjected%3A%201%26code%3Devil"));
  ASSERT_EQ(res.status, 302) << res.body;
  auto location = std::string(res.fields.get("Location").value_or(""));
  EXPECT_FALSE(has_line_break(location)) << location;
  EXPECT_EQ(location.rfind("https://app.example/cb%0D%0ASet-Cookie:%20a=1?code=", 0), 0u)
      << location;
  EXPECT_NE(location.find("&state=s1%0D%0AInjected%3A%201%26code%3Devil"), std::string::npos)
      << location;
  EXPECT_EQ(location.find("&code=evil"), std::string::npos) << location;
}

TEST(EmulatorHeaderSafety, AuthorizeKeepsAPlainRedirectAsItIs) {
  fixture f(registering({"https://app.example/cb?x=1"}));
  auto res = f.em->handle(
      authorize_request("redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&state=abc-123"));
  ASSERT_EQ(res.status, 302) << res.body;
  auto location = std::string(res.fields.get("Location").value_or(""));
  EXPECT_EQ(location.rfind("https://app.example/cb?x=1&code=", 0), 0u) << location;
  EXPECT_NE(location.find("&state=abc-123"), std::string::npos) << location;
}

TEST(EmulatorHeaderSafety, SignOutEncodesRedirectUriInLocation) {
  // Signing out revokes the token: not the shared fixture.
  fixture f(registering({"https://app.example/bye\r\nInjected: 1"}));
  cxh::http::request r;
  r.method = "GET";
  r.target = "/auth/v3/sign-out?redirectUri=https%3A%2F%2Fapp.example%2Fbye%0D%0AInjected%3A%201";
  r.fields.set("x-api-key", "demo-api-key");
  r.fields.set("Authorization", "Bearer " + f.token);
  auto res = f.em->handle(r);
  ASSERT_EQ(res.status, 302) << res.body;
  auto location = std::string(res.fields.get("Location").value_or(""));
  EXPECT_EQ(location, "https://app.example/bye%0D%0AInjected:%201");
}

TEST(EmulatorAdminToken, AdminCallsNeedTheBearerTokenWhenOneIsSet) {
  ce::config c;
  c.admin = true;
  c.admin_token = "s3cret-admin-token";
  fixture f(c);
  cxh::http::request get;
  get.method = "GET";
  get.target = "/__cxh/admin/faults";
  auto none = f.em->handle(get);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body.find("s3cret"), std::string::npos);
  get.fields.set("Authorization", "Bearer wrong-token");
  EXPECT_EQ(f.em->handle(get).status, 401);
  get.fields.set("Authorization", "Bearer s3cret-admin-token-and-more");
  EXPECT_EQ(f.em->handle(get).status, 401);
  get.fields.set("Authorization", "Basic s3cret-admin-token");
  EXPECT_EQ(f.em->handle(get).status, 401);
  get.fields.set("Authorization", "Bearer s3cret-admin-token");
  EXPECT_EQ(f.em->handle(get).status, 200);
  cxh::http::request stats = get;
  stats.target = "/__cxh/admin/cometd/stats";
  stats.fields = {};
  EXPECT_EQ(f.em->handle(stats).status, 401);
}

TEST(EmulatorAdminToken, ConfigTakesANonEmptyAdminToken) {
  auto parsed = ce::parse_config(json::parse(R"({"admin": true, "admin_token": "t0k"})"), "cfg");
  ASSERT_TRUE(std::holds_alternative<ce::config>(parsed));
  EXPECT_EQ(std::get<ce::config>(parsed).admin_token, "t0k");
  auto empty = ce::parse_config(json::parse(R"({"admin_token": ""})"), "cfg");
  ASSERT_TRUE(std::holds_alternative<cxh::diagnostics>(empty));
  auto number = ce::parse_config(json::parse(R"({"admin_token": 5})"), "cfg");
  EXPECT_TRUE(std::holds_alternative<cxh::diagnostics>(number));
}
