// The runner's own behaviour against the emulator: captures and templating, assertions that
// fail with expected vs actual, bearer tokens through OAuth, redaction, errors with positions.
#include "runner_support.hpp"

namespace {

using namespace cxh;

class RunnerFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = cxh::testing::start_emulator();
    ASSERT_TRUE(emu_);
  }
  runner::run_result run(const std::string& yaml, runner::run_options opts = {}) {
    runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu_->base_url()));
    return r.run(cxh::testing::suites_from(yaml), opts);
  }
  std::unique_ptr<emulator::running_emulator> emu_;
};

TEST_F(RunnerFlow, CapturesFeedLaterStepsAndAssertionsPass) {
  auto r = run(R"(
suite: flow
variables: {service: chat}
cases:
  - name: create then get
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: "${service}"}
        body: {interaction: {mediaType: chat}}
        expect:
          status: 200
          body:
            - {pointer: /status/code, equals: 0}
            - {pointer: /data/id, type: string}
          headers:
            - {name: Content-Type, matches: "^application/json"}
        capture: {id: /data/id}
      - call: openmediaGetInteraction
        path: {openMediaService: "${service}", interactionId: "${id}"}
        expect:
          status: 200
          body:
            - {pointer: /data/id, equals: "${id}"}
)");
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].result, runner::outcome::passed) << r.cases[0].error;
  for (const auto* c : cxh::testing::failed_checks(r)) {
    ADD_FAILURE() << c->rule << ": " << c->title << ": expected " << c->expected << ", got "
                  << c->actual;
  }
  ASSERT_EQ(r.cases[0].steps.size(), 2u);
  // Automatic checks ran on each response and cite the page.
  bool schema_checked = false;
  for (const auto& c : r.cases[0].steps[0].checks) {
    if (c.rule == "body.schema") {
      schema_checked = true;
      EXPECT_TRUE(c.passed);
      EXPECT_EQ(c.source.rfind("spec/", 0), 0u) << c.source;
    }
  }
  EXPECT_TRUE(schema_checked);
  unsigned covered = 0;
  for (const auto& e : r.coverage) covered += e.calls > 0;
  EXPECT_EQ(covered, 2u);
}

TEST_F(RunnerFlow, AFailedAssertionSaysExpectedAndActual) {
  auto r = run(R"(
suite: flow
cases:
  - name: wrong expectation
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect:
          status: 201
          body:
            - {pointer: /status/code, equals: 7}
)");
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].result, runner::outcome::failed);
  auto failed = cxh::testing::failed_checks(r);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0]->rule, "assert.status");
  EXPECT_EQ(failed[0]->expected, "201");
  EXPECT_EQ(failed[0]->actual.substr(0, 3), "200");
  EXPECT_EQ(failed[1]->rule, "assert.body");
  EXPECT_EQ(failed[1]->actual, "0");
  EXPECT_EQ(failed[1]->source.rfind("inline.yaml:", 0), 0u);
}

// A download compared byte for byte with its upload, and a capture that accepts either
// documented shape of a value: the first source present wins.
TEST_F(RunnerFlow, RawBodiesCompareByteForByteAndCapturesTryEachSource) {
  auto suite = [](const std::string& expected_bytes) {
    return R"(
suite: media
variables: {channel: demo-channel, ccid: c1, text: "hello from the suite"}
cases:
  - name: upload then download
    steps:
      - call: thirdPartyMessagingUploadMedia
        path: {channelId: "${channel}"}
        headers: {x-ccid: "${ccid}"}
        content_type: "multipart/form-data; boundary=b0"
        raw_body: "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\nContent-Type: text/plain\r\n\r\nhello from the suite\r\n--b0--\r\n"
        expect: {status: 200}
        capture: {media: [/data/not_there, /data/mediaId]}
      - call: thirdPartyMessagingDownloadMedia
        path: {channelId: "${channel}", mediaId: "${media}"}
        headers: {x-ccid: "${ccid}"}
        expect:
          status: 200
          raw_body: {equals: ")" +
           expected_bytes + R"(", length: 20}
)";
  };
  auto right = run(suite("${text}"));
  ASSERT_EQ(right.cases.size(), 1u);
  EXPECT_EQ(right.cases[0].result, runner::outcome::passed) << right.cases[0].error;
  for (const auto* c : cxh::testing::failed_checks(right))
    ADD_FAILURE() << c->rule << ": " << c->actual;

  auto wrong = run(suite("hello from the suitE"));
  ASSERT_EQ(wrong.cases.size(), 1u);
  EXPECT_EQ(wrong.cases[0].result, runner::outcome::failed);
  auto failed = cxh::testing::failed_checks(wrong);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->rule, "assert.raw_body");
  EXPECT_NE(failed[0]->actual.find("first difference at byte 19"), std::string::npos)
      << failed[0]->actual;
}

TEST_F(RunnerFlow, BearerTokensComeFromOAuthAndSecretsNeverReachTheResult) {
  auto r = run(R"(
suite: flow
cases:
  - name: statistics with a token
    steps:
      - call: statisticsPeekStatistics
        query: {statistic: x}
  - name: a wrong key is refused
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        auth: {api_key: definitely-wrong}
        body: {interaction: {mediaType: chat}}
        expect: {status: 403}
)");
  ASSERT_EQ(r.cases.size(), 2u);
  EXPECT_NE(r.cases[0].result, runner::outcome::errored) << r.cases[0].error;
  EXPECT_EQ(r.cases[1].result, runner::outcome::passed) << r.cases[1].error;
  std::string everything;
  for (const auto& c : r.cases) {
    for (const auto& s : c.steps) {
      if (!s.http) continue;
      everything += s.http->url + s.http->request_body + s.http->response_body;
      for (const auto& [k, v] : s.http->request_headers) everything += k + ":" + v + "\n";
      for (const auto& [k, v] : s.http->response_headers) everything += k + ":" + v + "\n";
      for (const auto& k : s.checks) everything += k.actual + k.expected + k.detail;
    }
  }
  auto creds = cxh::testing::emulator_credentials();
  for (const auto& secret : creds.secrets()) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << "a secret leaked into the result";
  }
  EXPECT_NE(everything.find("<redacted>"), std::string::npos);
}

TEST_F(RunnerFlow, ProblemsOfTheSuiteAreErrorsWithTheirPosition) {
  auto r = run(R"(
suite: flow
cases:
  - name: unknown variable
    steps:
      - call: openmediaGetInteraction
        path: {openMediaService: chat, interactionId: "${never_captured}"}
  - name: an event without a source
    steps:
      - call: statisticsPeekStatistics
        expect:
          events:
            - {webhook: vendor, within: 1s}
)");
  ASSERT_EQ(r.cases.size(), 2u);
  EXPECT_EQ(r.cases[0].result, runner::outcome::errored);
  EXPECT_NE(r.cases[0].error.find("inline.yaml:6:"), std::string::npos) << r.cases[0].error;
  EXPECT_NE(r.cases[0].error.find("never_captured"), std::string::npos) << r.cases[0].error;
  // No receiver in this run: the case cannot be judged, it is skipped with the reason.
  EXPECT_EQ(r.cases[1].result, runner::outcome::skipped);
  EXPECT_NE(r.cases[1].error.find("--webhook-listen"), std::string::npos) << r.cases[1].error;
}

TEST_F(RunnerFlow, CometdEventsFollowTheRequestsThatCauseThem) {
  auto r = run(R"(
suite: events
cases:
  - name: statistics update after a subscription
    steps:
      - call: statisticsCreateSubscription
        body:
          operationId: "ev-${uuid}"
          data:
            statistics:
              - {statisticId: s1, objectId: agent1, objectType: Agent, name: AverageHandlingTime}
        expect:
          status: 200
          events:
            - {cometd: /statistics/v3/updates, match: {data: {statistics: [{statisticId: s1}]}}, within: 20s}
  - name: agent state after Ready
    steps:
      - call: wsV2MeReadyAllChannels
        expect:
          events:
            - {cometd: /v2/me/channels, within: 20s}
  - name: an event that never comes
    steps:
      - call: wsV2MeReadyAllChannels
        expect:
          events:
            - {cometd: /v2/me/channels, match: {data: {nothing: like-this}}, within: 500ms}
)");
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_EQ(r.cases[0].result, runner::outcome::passed) << r.cases[0].error;
  EXPECT_EQ(r.cases[1].result, runner::outcome::passed) << r.cases[1].error;
  EXPECT_EQ(r.cases[2].result, runner::outcome::failed);
  auto failed = cxh::testing::failed_checks(r);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->rule, "event.cometd");
  EXPECT_EQ(failed[0]->actual, "none arrived");
}

// An event source standing in for a target whose notifications have the wrong shape.
class canned_events : public runner::event_source {
 public:
  explicit canned_events(nlohmann::json message) : message_(std::move(message)) {}
  std::string prepare(const std::string&) override { return ""; }
  std::optional<nlohmann::json> await(const std::string&, const nlohmann::json&,
                                      std::chrono::milliseconds) override {
    return message_;
  }

 private:
  nlohmann::json message_;
};

TEST_F(RunnerFlow, ANotificationOfTheWrongShapeFailsItsSchema) {
  const std::string yaml = R"(
suite: events
cases:
  - name: agent state after Ready
    steps:
      - call: wsV2MeReadyAllChannels
        expect:
          events:
            - {cometd: /statistics/v3/updates, within: 1s}
)";
  runner::run_options opts;
  // A StatisticUpdate whose statistics are not an array, and one as the page prints it.
  opts.cometd = std::make_shared<canned_events>(nlohmann::json{
      {"channel", "/statistics/v3/updates"},
      {"data", {{"name", "StatisticUpdate"}, {"data", {{"statistics", "not-a-list"}}}}}});
  auto r = run(yaml, opts);
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].result, runner::outcome::failed);
  auto failed = cxh::testing::failed_checks(r);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->rule, "event.schema");
  EXPECT_NE(failed[0]->expected.find("statistic-update.json"), std::string::npos);
  EXPECT_EQ(failed[0]->source, "002:5050") << "the page and line of the notification";
  EXPECT_NE(failed[0]->actual.find("statistic-update.json"), std::string::npos)
      << failed[0]->actual;

  // The same notification as the page prints it passes.
  opts.cometd =
      std::make_shared<canned_events>(nlohmann::json{{"channel", "/statistics/v3/updates"},
                                                     {"data",
                                                      {{"name", "StatisticUpdate"},
                                                       {"topic", "/statistics/v3/updates"},
                                                       {"data",
                                                        {{"statistics",
                                                          {{{"subscriptionId", "s"},
                                                            {"statisticId", "i"},
                                                            {"value", nlohmann::json::object()},
                                                            {"timestamp", 1}}}}}}}}});
  r = run(yaml, opts);
  EXPECT_EQ(r.cases[0].result, runner::outcome::passed)
      << (cxh::testing::failed_checks(r).empty() ? r.cases[0].error
                                                 : cxh::testing::failed_checks(r)[0]->actual);
}

TEST_F(RunnerFlow, StepsNeedingCredentialsTheRunLacksAreSkippedWithTheReason) {
  auto target = cxh::testing::target_for(emu_->base_url());
  target.creds.basic.reset();  // no Web Services v2 user
  target.creds.oauth.reset();  // no OAuth client: ping cannot be authenticated
  runner::runner r(cxh::testing::spec(), target);
  auto result = r.run(cxh::testing::suites_from(R"(
suite: partial
setup:
  - call: wsV2MeGetCalls
cases:
  - name: needs Basic
    steps:
      - call: wsV2MeGetCalls
)"),
                      {});
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_EQ(result.cases[0].result, runner::outcome::skipped);
  EXPECT_NE(result.cases[0].error.find("setup was skipped"), std::string::npos);
  EXPECT_NE(result.cases[0].error.find("CXH_USERNAME"), std::string::npos) << result.cases[0].error;

  result = r.run(cxh::testing::suites_from(R"(
suite: partial
cases:
  - name: an API key is enough to be refused without one
    steps:
      - call: authPing
        auth: none
        expect: {status: 403}
  - name: ping answers 200 to an authenticated user only
    steps:
      - call: authPing
        expect: {status: 200}
)"),
                 {});
  ASSERT_EQ(result.cases.size(), 2u);
  EXPECT_EQ(result.cases[0].result, runner::outcome::passed) << result.cases[0].error;
  EXPECT_EQ(result.cases[1].result, runner::outcome::skipped);
  EXPECT_NE(result.cases[1].error.find("credentials.bearer_token or credentials.oauth"),
            std::string::npos)
      << result.cases[1].error;
}

TEST(RunnerChecks, UnknownOperationsAndParametersAreReportedBeforeRunning) {
  auto suites = cxh::testing::suites_from(R"(
suite: lint
cases:
  - name: typo
    steps:
      - call: openmediaCreateInteractionn
      - call: openmediaGetInteraction
        path: {openMediaService: chat, id: x}
)");
  auto problems = runner::check_suites(suites, cxh::testing::spec());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].where, "inline.yaml:6:9");
  EXPECT_NE(problems[1].what.find("'id'"), std::string::npos);
}

}  // namespace
