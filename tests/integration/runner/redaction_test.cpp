// Secrets never reach a report: a target that issues tokens (access, refresh, id, an OAuth
// code, a session cookie) and echoes them back, configured credentials with quotes, spaces
// and a 3-character API key; the JSON, JUnit, HTML and console reports of the run contain no
// secret in any encoding. And a hostile target (40 KB tokens, 100 KB forms, deep JSON) gets a
// report, not a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cxh/http/server.hpp>
#include <cxh/reporters/reporters.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner_support.hpp"

namespace {

using namespace cxh;
namespace fs = std::filesystem;

const std::string access_token = "at-8c1f0e9d2b7a4c65AccessQ";
const std::string refresh_token = "rt-51d7c3a9e0f24b68RefreshW";
const std::string id_token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJJZFRva2VuIn0.";
const std::string session_cookie = "sess-0a9b8c7d6e5f4321Cookie";
const std::string oauth_code = "code-3f6e9d2c1b0aCodeZ";
const std::string password = "pw\"quote\\back slash&x=1";
const std::string client_secret = "cs-Q7 \"tail/secret";
const std::string api_key = "Zq#";  // shorter than 4 characters: redacted too
const std::string new_password = "NewPassw0rd-Sent";

std::string text_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string percent(std::string_view s, bool lower) {
  const char* hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string html_escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

std::string json_escaped(const std::string& s) {
  std::string json = nlohmann::json(s).dump();
  return json.substr(1, json.size() - 2);
}

// Every form a secret could take in a report: raw, JSON-escaped (once; twice for a body that
// echoed JSON in a string), percent-encoded, HTML-escaped.
std::vector<std::string> forms_of(const std::string& s) {
  return {s,
          json_escaped(s),
          json_escaped(json_escaped(s)),
          percent(s, false),
          percent(s, true),
          html_escaped(s),
          html_escaped(json_escaped(s)),
          html_escaped(json_escaped(json_escaped(s)))};
}

// Every text of the result model, the reporters' only input.
std::vector<std::string> model_texts(const runner::run_result& r) {
  std::vector<std::string> out{r.target};
  for (const auto& c : r.cases) {
    out.insert(out.end(), {c.suite, c.name, c.file, c.error});
    for (const auto& s : c.steps) {
      out.insert(out.end(), {s.name, s.error});
      for (const auto& k : s.checks)
        out.insert(out.end(), {k.title, k.expected, k.actual, k.detail});
      if (!s.http) continue;
      out.insert(out.end(), {s.http->url, s.http->request_body, s.http->response_body});
      for (const auto& h : s.http->request_headers) out.push_back(h.second);
      for (const auto& h : s.http->response_headers) out.push_back(h.second);
    }
  }
  return out;
}

http::response token_server(const http::request& req) {
  std::string path(req.path());
  if (path.find("/oauth/token") != std::string::npos) {
    auto r = http::response::json(200, nlohmann::json{{"access_token", access_token},
                                                      {"refresh_token", refresh_token},
                                                      {"id_token", id_token},
                                                      {"token_type", "bearer"},
                                                      {"expires_in", 3600}}
                                           .dump());
    r.fields.add("Set-Cookie", "SESSIONID=" + session_cookie + "; Path=/; HttpOnly");
    r.fields.add("Cache-Control", "no-store");
    return r;
  }
  if (path.find("/oauth/authorize") != std::string::npos) {
    http::response r;
    r.status = 302;
    r.fields.add("Location", "https://app.example.com/cb?code=" + oauth_code + "&state=xyz");
    return r;
  }
  // Everything else echoes what it was sent, and names the token in a field of no meaning.
  return http::response::json(
      200, nlohmann::json{{"status", {{"code", 0}}},
                          {"seen_authorization", req.fields.get("Authorization").value_or("")},
                          {"seen_body", req.body},
                          {"note", "your token is " + access_token}}
               .dump());
}

std::string suite_text() {
  std::string pw = nlohmann::json(password).dump();  // a JSON string is a YAML flow scalar
  std::string np = nlohmann::json(new_password).dump();
  return R"(
suite: leaks
cases:
  - name: )" +
         nlohmann::json("change (" + password + " -> suite)").dump() + R"(
    steps:
      - name: )" +
         nlohmann::json("grant with " + password).dump() + R"(
        call: authGetToken
        form: {grant_type: password, username: agent1, password: )" +
         pw + R"(, scope: "*"}
        expect:
          status: 200
          body:
            - {pointer: /access_token, type: string}
            - {pointer: /access_token, equals: not-it}
            - {pointer: /refresh_token, matches: "^nope"}
            - {pointer: /id_token, equals: "not-it-either"}
  - name: authorize
    steps:
      - call: authAuthorize
        query: {client_id: c, redirect_uri: "https://app.example.com/cb", response_type: code}
        expect:
          status: 200
          headers:
            - {name: Location, equals: nowhere}
  - name: the issued token echoed back
    steps:
      - call: authGetUserInfo
        expect:
          body:
            - {pointer: /seen_authorization, equals: x}
            - {pointer: /note, equals: x}
  - name: change password
    steps:
      - call: authChangePassword
        body: {oldPassword: )" +
         pw + R"(, newPassword: )" + np + R"(}
        expect:
          body:
            - {pointer: /seen_body, equals: x}
)";
}

runner::target_config leaky_target(std::uint16_t port) {
  auto t = cxh::testing::target_for("http://127.0.0.1:" + std::to_string(port));
  t.label = "http://agent1:" + password + "@127.0.0.1:" + std::to_string(port);
  t.creds = {};
  t.creds.api_key = api_key;
  t.creds.basic = std::make_pair(std::string("agent1"), password);
  runner::oauth_settings o;
  o.grant = "password";
  o.client_id = "client";
  o.client_secret = client_secret;
  o.username = "agent1";
  o.password = password;
  t.creds.oauth = o;
  return t;
}

struct running_server {
  explicit running_server(http::handler h) : server({}, std::move(h)) {
    auto why = server.start();
    EXPECT_EQ(why, "");
  }
  ~running_server() { server.stop(std::chrono::milliseconds(100)); }
  http::server server;
};

fs::path fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("cxh-redaction-" + std::to_string(::getpid()) + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Redaction, NoReportContainsAnIssuedTokenOrAConfiguredSecret) {
  running_server target(token_server);
  runner::runner r(cxh::testing::spec(), leaky_target(target.server.port()));
  auto result = r.run(cxh::testing::suites_from(suite_text()), {});
  ASSERT_EQ(result.cases.size(), 4u);
  auto dir = fresh_dir("reports");
  std::vector<fs::path> files;
  for (auto [kind, name] : {std::pair{reporters::format::json, "run.json"},
                            {reporters::format::junit, "run.xml"},
                            {reporters::format::html, "run.html"},
                            {reporters::format::console, "run.txt"}}) {
    ASSERT_EQ(reporters::write_report({kind, (dir / name).string()}, result), "");
    files.push_back(dir / name);
  }
  const auto texts = model_texts(result);
  for (const auto& secret : {access_token, refresh_token, id_token, session_cookie, oauth_code,
                             password, client_secret, api_key, new_password}) {
    for (const auto& form : forms_of(secret)) {
      for (const auto& t : texts) EXPECT_EQ(t.find(form), std::string::npos) << form << " in " << t;
      for (const auto& f : files) {
        auto text = text_of(f);
        auto at = text.find(form);
        EXPECT_EQ(at, std::string::npos)
            << f.filename() << " holds '" << form << "' near: "
            << text.substr(at == std::string::npos ? 0 : (at > 80 ? at - 80 : 0), 200);
      }
    }
  }
  // The reports still say what happened: the failures, with the secrets replaced.
  auto json = text_of(dir / "run.json");
  EXPECT_NE(json.find("<redacted>"), std::string::npos);
  EXPECT_NE(json.find("change ("), std::string::npos);
  EXPECT_NE(json.find("Bearer <redacted>"), std::string::npos) << "the echoed token is hidden";
  EXPECT_NE(json.find("code=<redacted>"), std::string::npos) << "the OAuth code is hidden";
  for (const auto& c : result.cases) EXPECT_EQ(c.result, runner::outcome::failed) << c.name;
  fs::remove_all(dir);
}

// A target that answers every call with `body`.
http::handler answering(std::string body) {
  return [body](const http::request&) { return http::response::json(200, body); };
}

runner::run_result run_one(const std::string& body, const std::string& step) {
  running_server target(answering(body));
  auto t = cxh::testing::target_for("http://127.0.0.1:" + std::to_string(target.server.port()));
  runner::runner r(cxh::testing::spec(), t);
  return r.run(
      cxh::testing::suites_from("suite: hostile\ncases:\n  - name: one\n    steps:\n" + step), {});
}

TEST(Redaction, AFortyKilobyteTokenAndAHundredKilobyteFormDoNotCrash) {
  std::string huge_token(40000, 'T');
  std::string form_password(100000, 'p');
  auto result =
      run_one(nlohmann::json{{"access_token", huge_token}, {"token_type", "bearer"}}.dump(),
              "      - call: authGetToken\n"
              "        form: {grant_type: password, username: u, password: " +
                  form_password +
                  "}\n"
                  "        expect:\n          body:\n"
                  "            - {pointer: /access_token, equals: x}\n");
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_EQ(result.cases[0].result, runner::outcome::failed);
  const auto& step = result.cases[0].steps.at(0);
  for (const auto& c : step.checks) EXPECT_EQ(c.actual.find("TTTT"), std::string::npos) << c.rule;
  ASSERT_TRUE(step.http);
  EXPECT_EQ(step.http->response_body.find("TTTT"), std::string::npos);
  EXPECT_EQ(step.http->request_body.find("pppp"), std::string::npos);
}

TEST(Redaction, ABodyNestedTooDeepIsAFailedCheckNotACrash) {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto result = run_one(deep,
                        "      - request: {method: GET, path: /deep}\n        expect:\n"
                        "          body:\n            - {pointer: /a, exists: true}\n");
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_EQ(result.cases[0].result, runner::outcome::failed);
  bool depth_check = false;
  for (const auto& c : result.cases[0].steps.at(0).checks)
    depth_check = depth_check || (c.rule == "body.depth" && !c.passed);
  EXPECT_TRUE(depth_check);
}

TEST(Redaction, ADeepValueAtAnAssertedPointerIsPrintedBounded) {
  std::string value = std::string(200, '[') + std::string(200, ']');
  auto result = run_one("{\"a\":" + value + "}",
                        "      - request: {method: GET, path: /deep}\n        expect:\n"
                        "          body:\n"
                        "            - {pointer: /a, equals: 1}\n");
  ASSERT_EQ(result.cases.size(), 1u);
  bool bounded = false;
  for (const auto& c : result.cases[0].steps.at(0).checks) {
    if (c.rule == "assert.body") bounded = c.actual.find("[...]") != std::string::npos;
  }
  EXPECT_TRUE(bounded);
}

}  // namespace
