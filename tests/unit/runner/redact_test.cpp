// The redactor: known secrets in every encoding, credential fields in text never seen before,
// values learned from what the target issues; linear scans that survive hostile sizes.
#include "redact.hpp"

#include <gtest/gtest.h>

#include "secret_matcher.hpp"

namespace {

using cxh::runner::detail::redactor;
using cxh::runner::detail::secret_matcher;
using range_t = std::pair<std::size_t, std::size_t>;

TEST(SecretMatcher, FindsEveryOccurrenceAndMergesOverlaps) {
  secret_matcher m({"abc", "bcd", "zz"});
  auto found = m.find("xabcdy zz abc");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0], range_t(1, 5));  // abc + bcd
  EXPECT_EQ(found[1], range_t(7, 9));
  EXPECT_EQ(found[2], range_t(10, 13));
}

TEST(SecretMatcher, ALongSecretIsFoundWholeAndACutCopyToo) {
  std::string secret;
  for (int i = 0; i < 1000; ++i) secret += static_cast<char>('a' + (i * 7) % 26);
  secret_matcher m({secret});
  std::string text = "<" + secret + ">" + secret.substr(0, 300) + "...";
  auto found = m.find(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], range_t(1, 1001));
  EXPECT_EQ(found[1], range_t(1002, 1302));
}

TEST(SecretMatcher, RepetitiveSecretsAndTextsStayLinear) {
  // A naive search would compare 40,000 bytes at each of 1,000,000 positions.
  secret_matcher m({std::string(40000, 'a'), std::string(3, 'a') + "b"});
  std::string text(1000000, 'a');
  auto found = m.find(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].second, text.size());
}

TEST(Redactor, AConfiguredSecretIsHiddenInEveryEncoding) {
  redactor r;
  std::string pw = "p\"w d/\\&1";
  r.add(pw);
  EXPECT_EQ(r.apply("name: " + pw + "."), "name: <redacted>.");
  EXPECT_EQ(r.apply(R"({"x":"p\"w d/\\&1"})"), R"({"x":"<redacted>"})");
  EXPECT_EQ(r.apply("a=p%22w%20d%2F%5C%261"), "a=<redacted>");
  EXPECT_EQ(r.apply("a=p%22w+d%2F%5C%261"), "a=<redacted>");
  EXPECT_EQ(r.apply("a=p%22w%20d%2f%5c%261"), "a=<redacted>");
}

TEST(Redactor, ShortSecretsAreHiddenToo) {
  redactor r;
  r.add("Zq#");
  EXPECT_EQ(r.apply("key Zq# used"), "key <redacted> used");
}

TEST(Redactor, CredentialFieldsAreHiddenWithoutBeingKnown) {
  redactor r;
  EXPECT_EQ(r.apply(R"({"access_token" : "abc\"d", "token_type":"bearer"})"),
            R"({"access_token" : "<redacted>", "token_type":"bearer"})");
  EXPECT_EQ(r.apply(R"({"seen":"{\"newPassword\":\"s3\\\"cr\"}"})"),
            R"({"seen":"{\"newPassword\":\"<redacted>\"}"})");
  EXPECT_EQ(r.apply("grant_type=password&password=hunter2&scope=x"),
            "grant_type=password&password=<redacted>&scope=x");
  EXPECT_EQ(r.apply("https://app/cb?code=XYZ&state=1"), "https://app/cb?code=<redacted>&state=1");
  EXPECT_EQ(r.apply("http://user:pa55@host:80/x"), "http://user:<redacted>@host:80/x");
  EXPECT_EQ(r.apply("zipcode=12345 barcode=9"), "zipcode=12345 barcode=9");
}

TEST(Redactor, LearnsWhatTheTargetIssues) {
  redactor r;
  cxh::http::client_response res;
  res.fields.add("Set-Cookie", "SESSION=cookie-value-1; Path=/");
  res.fields.add("Location", "https://cb/?code=the-code-2&state=s");
  res.fields.add("X-GWS-User", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl");
  nlohmann::json body = {{"data", {{"refresh_token", "refresh-3"}, {"id_token", "id-4"}}}};
  r.learn_response(res, &body);
  EXPECT_EQ(r.apply("cookie-value-1 the-code-2 refresh-3 id-4"),
            "<redacted> <redacted> <redacted> <redacted>");
  EXPECT_EQ(r.apply("user eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"), "user <redacted>");
}

// Values a request sends in credential fields are hidden in place by the field scan; only
// variables named like credentials are learned everywhere (a suite's literal "wrong" password is
// in the suite file itself, and learning it would blank out every case name that says "wrong").
TEST(Redactor, LearnsSecretVariablesAndHidesSentCredentialFieldsInPlace) {
  redactor r;
  r.learn_variable("agent_password", "var-secret");
  r.learn_variable("user", "agent1");
  EXPECT_EQ(r.apply("var-secret agent1"), "<redacted> agent1");
  EXPECT_EQ(r.apply(R"({"oldPassword":"old-secret"})"), R"({"oldPassword":"<redacted>"})");
  EXPECT_EQ(r.apply("a wrong password"), "a wrong password");
}

TEST(Redactor, ACaseResultIsRedactedEverywhere) {
  redactor r;
  r.add("s3cret");
  cxh::runner::case_result c;
  c.name = "change (s3cret -> x)";
  c.error = "failed with s3cret";
  cxh::runner::step_result s;
  s.name = "s3cret step";
  cxh::runner::check_result k;
  k.expected = "s3cret";
  k.actual = "\"s3cret\"";
  s.checks.push_back(k);
  cxh::runner::exchange e;
  e.url = "http://h/x?p=s3cret";
  e.response_headers.emplace_back("X", "s3cret");
  e.response_body = "s3cret";
  s.http = e;
  c.steps.push_back(s);
  r.apply(c);
  EXPECT_EQ(c.name, "change (<redacted> -> x)");
  EXPECT_EQ(c.error, "failed with <redacted>");
  EXPECT_EQ(c.steps[0].name, "<redacted> step");
  EXPECT_EQ(c.steps[0].checks[0].actual, "\"<redacted>\"");
  EXPECT_EQ(c.steps[0].http->url, "http://h/x?p=<redacted>");
  EXPECT_EQ(c.steps[0].http->response_headers[0].second, "<redacted>");
}

TEST(Redactor, HostileSizesFinish) {
  redactor r;
  r.add(std::string(40000, 'T'));
  std::string body = "password=" + std::string(100000, 'p') + "&" + std::string(100000, '"');
  auto out = r.apply(body);
  EXPECT_EQ(out.find("ppp"), std::string::npos);
  std::string tokens = "{\"access_token\":\"" + std::string(40000, 'T') + "\"}";
  EXPECT_EQ(r.apply(tokens), "{\"access_token\":\"<redacted>\"}");
}

}  // namespace
