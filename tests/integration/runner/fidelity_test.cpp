// Verdicts that hold on any implementation (issue 11): each feature against a target that is
// right and one that is wrong in exactly that way.
//   levels: a failure below MUST is a finding, never a failure; cite reaches the result.
//   steps after a failed one are not run (teardown still runs); --var reaches every suite part.
//   a request timeout and a run deadline bound a run against a slow target.
//   cases needing credentials the run lacks are skipped, naming what to set.
//   an error status answered with an empty body where the page documents a JSON one fails.
//   generated cases: credential refusals accept any documented 4xx for an invented id; a
//   required non-credential header left out is refused; signed bytes are verified as sent.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cxh/http/server.hpp>
#include <cxh/http/signing.hpp>
#include <cxh/runner/generate.hpp>
#include <functional>
#include <mutex>
#include <set>

#include "runner_support.hpp"

namespace {

using namespace cxh;
using nlohmann::json;

// A target in front of the emulator's core; `change` may rewrite a request or answer it.
struct front {
  std::unique_ptr<emulator::running_emulator> emu;
  std::unique_ptr<http::server> server;
  std::string url;
  std::mutex mutex;
  std::vector<std::string> seen;  // "METHOD target" of every request

  explicit front(std::function<std::optional<http::response>(http::request&)> change,
                 emulator::config cfg = {}) {
    emu = cxh::testing::start_emulator(cfg);
    if (!emu) return;
    const auto* core = &emu->core();
    http::server_options o;
    o.threads = 2;
    server = std::make_unique<http::server>(o, [this, core, change](const http::request& in) {
      {
        std::lock_guard lock(mutex);
        seen.push_back(in.method + " " + in.target);
      }
      http::request r = in;
      if (change)
        if (auto answer = change(r)) return *answer;
      return core->handle(r);
    });
    if (auto why = server->start(); !why.empty()) {
      ADD_FAILURE() << why;
      return;
    }
    url = "http://127.0.0.1:" + std::to_string(server->port());
  }
  bool saw(const std::string& needle) {
    std::lock_guard lock(mutex);
    for (const auto& s : seen)
      if (s.find(needle) != std::string::npos) return true;
    return false;
  }
};

runner::run_result run(const std::string& base, const std::vector<scenario::suite>& suites,
                       runner::run_options opts = {}) {
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(base));
  return r.run(suites, opts);
}

const runner::case_result& named(const runner::run_result& r, const std::string& name) {
  for (const auto& c : r.cases)
    if (c.name == name) return c;
  static runner::case_result none;
  ADD_FAILURE() << "no case " << name;
  return none;
}

// Why a case ended as it did: its error, its steps' errors and failed checks.
std::string why(const runner::case_result& c) {
  std::string out = std::string(runner::to_string(c.result)) + " " + c.error;
  for (const auto& s : c.steps) {
    out += " | " + s.name + ": " + runner::to_string(s.result) + " " + s.error;
    if (s.http)
      out += " [" + s.http->method + " " + s.http->url + " -> " + std::to_string(s.http->status) +
             " " + s.http->response_body.substr(0, 200) + "]";
    for (const auto& k : s.checks)
      if (!k.passed) out += " {" + k.rule + ": " + k.expected + " / " + k.actual + "}";
  }
  return out;
}

// ---- levels and citations ----

const char* levels_suite = R"(
suite: levels
cases:
  - name: must create
    requirements:
      - {id: L-1, level: MUST, text: created, cite: "000:30"}
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect: {status: STATUS}
  - name: should create
    requirements:
      - {id: L-2, level: SHOULD, text: created, cite: ["000:30", "002:100-102"]}
      - {id: L-3, level: INFO, text: noted}
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect: {status: STATUS}
)";

std::vector<scenario::suite> levels_with(int status) {
  std::string text = levels_suite;
  for (auto at = text.find("STATUS"); at != std::string::npos; at = text.find("STATUS"))
    text.replace(at, 6, std::to_string(status));
  return cxh::testing::suites_from(text);
}

TEST(Levels, AFailureBelowMustIsAFindingNotAFailure) {
  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  auto right = run(emu->base_url(), levels_with(200));
  EXPECT_EQ(right.count().passed, 2u);
  EXPECT_EQ(right.count().findings, 0u);
  auto wrong = run(emu->base_url(), levels_with(299));  // the target answers 200, not 299
  auto t = wrong.count();
  EXPECT_EQ(t.failed, 1u);
  EXPECT_EQ(t.findings, 1u);
  EXPECT_EQ(named(wrong, "must create").result, runner::outcome::failed);
  const auto& should = named(wrong, "should create");
  EXPECT_EQ(should.result, runner::outcome::finding);
  EXPECT_EQ(should.strength, runner::level::should);
  ASSERT_EQ(should.requirements.size(), 2u);
  EXPECT_EQ(should.requirements[0].cite, (std::vector<std::string>{"000:30", "002:100-102"}));
  EXPECT_EQ(should.requirements[1].strength, runner::level::info);
}

TEST(Levels, LintWantsARequirementAndACitedMust) {
  auto suites = cxh::testing::suites_from(R"(
suite: lint
cases:
  - name: cited
    requirements: [{id: A-1, level: MUST, text: x, cite: "001:26"}]
    steps: [{call: authPing}]
  - name: nothing stated
    steps: [{call: authPing}]
  - name: uncited must
    requirements: [{id: A-2, level: MUST, text: x}]
    steps: [{call: authPing}]
  - name: uncited should is fine
    requirements: [{id: A-3, level: SHOULD, text: x}]
    steps: [{call: authPing}]
  - name: no such page
    requirements: [{id: A-4, level: MAY, text: x, cite: "007:1"}]
    steps: [{call: authPing}]
)");
  ASSERT_EQ(suites.size(), 1u);
  auto problems = scenario::check_citations(suites);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].what.find("states no requirement"), std::string::npos);
  EXPECT_NE(problems[0].where.find("inline.yaml:7:"), std::string::npos) << problems[0].where;
  EXPECT_NE(problems[1].what.find("'A-2' cites no page line"), std::string::npos);
  EXPECT_NE(problems[1].where.find("inline.yaml:10:"), std::string::npos) << problems[1].where;
  EXPECT_NE(problems[2].what.find("'007:1'"), std::string::npos);
  EXPECT_FALSE(problems[2].hint.empty());
}

// ---- steps after a failure, teardown, variables ----

const char* chain_suite = R"(
suite: chain
variables: {service: no-such-service}
setup:
  - name: setup create
    call: openmediaCreateInteraction
    path: {openMediaService: "${service}"}
    body: {interaction: {mediaType: chat, userData: {from: setup}}}
    expect: {status: 200}
teardown:
  - name: teardown ping
    call: authPing
    query: {from: "${service}"}
cases:
  - name: three steps
    requirements: [{id: C-1, level: MUST, text: x, cite: "000:30"}]
    steps:
      - name: create
        call: openmediaCreateInteraction
        path: {openMediaService: "${service}"}
        body: {interaction: {mediaType: chat}}
        expect: {status: 200}
      - name: expects the impossible
        call: openmediaCreateInteraction
        path: {openMediaService: "${service}"}
        body: {interaction: {mediaType: chat}}
        expect: {status: 299}
      - name: never sent
        call: openmediaCreateInteraction
        path: {openMediaService: "${service}"}
        body: {interaction: {mediaType: chat}}
        expect: {status: 200}
)";

TEST(Steps, AfterAFailedStepTheRestAreNotRunAndTeardownRuns) {
  front f(nullptr);
  ASSERT_FALSE(f.url.empty());
  runner::run_options opts;
  opts.variables["service"] = "chat";  // the suite's default names no service
  auto r = run(f.url, cxh::testing::suites_from(chain_suite), opts);
  const auto& c = named(r, "three steps");
  EXPECT_EQ(c.result, runner::outcome::failed);
  ASSERT_EQ(c.steps.size(), 3u);
  EXPECT_EQ(c.steps[0].result, runner::outcome::passed);
  EXPECT_EQ(c.steps[1].result, runner::outcome::failed);
  EXPECT_EQ(c.steps[2].result, runner::outcome::not_run);
  EXPECT_NE(c.steps[2].error.find("depends on step 2 'expects the impossible'"), std::string::npos)
      << c.steps[2].error;
  EXPECT_FALSE(c.steps[2].http.has_value());
  EXPECT_TRUE(f.saw("from=chat")) << "the teardown ran, with the --var value";
  EXPECT_FALSE(f.saw("no-such-service")) << "setup, steps and teardown all took the override";
}

TEST(Variables, WithoutTheOverrideTheSuiteDefaultIsUsedEverywhere) {
  front f(nullptr);
  ASSERT_FALSE(f.url.empty());
  auto r = run(f.url, cxh::testing::suites_from(chain_suite));
  EXPECT_EQ(named(r, "three steps").result, runner::outcome::failed);
  EXPECT_TRUE(f.saw("/openmedia/no-such-service/interactions"));  // setup and steps
  EXPECT_TRUE(f.saw("from=no-such-service"));                     // teardown
  EXPECT_FALSE(f.saw("/openmedia/chat/"));
  EXPECT_FALSE(f.saw("from=chat"));
}

TEST(Variables, TheTargetConfigCarriesThem) {
  auto path = std::string(::testing::TempDir()) + "/vars-config.yaml";
  {
    std::FILE* fp = std::fopen(path.c_str(), "w");
    ASSERT_TRUE(fp);
    std::fputs("target: http://127.0.0.1:1\nvariables: {channelId: my-channel, retries: 3}\n", fp);
    std::fclose(fp);
  }
  auto t = runner::load_target_config(path);
  ASSERT_TRUE(std::holds_alternative<runner::target_config>(t));
  const auto& vars = std::get<runner::target_config>(t).variables;
  EXPECT_EQ(vars.at("channelId"), "my-channel");
  EXPECT_EQ(vars.at("retries"), 3);
  {
    std::FILE* fp = std::fopen(path.c_str(), "w");
    std::fputs("variables: {channelId: [1, 2]}\n", fp);
    std::fclose(fp);
  }
  auto bad = runner::load_target_config(path);
  ASSERT_TRUE(std::holds_alternative<diagnostics>(bad));
  EXPECT_NE(std::get<diagnostics>(bad).front().where.find(":1:"), std::string::npos);
}

// ---- bounded runs ----

TEST(Deadline, ASlowTargetCannotHoldTheRunPastItsDeadline) {
  std::atomic<int> served{0};
  http::server_options o;
  o.threads = 2;
  http::server slow(o, [&](const http::request&) {
    ++served;
    auto r = http::response::json(200, R"({"status":{"code":0}})");
    r.delay = std::chrono::seconds(10);  // every answer after 10 s
    return r;
  });
  ASSERT_EQ(slow.start(), "");
  std::string five;
  for (int i = 0; i < 5; ++i)
    five += "  - name: ping " + std::to_string(i) +
            "\n    requirements: [{id: P, level: MUST, text: x, cite: \"002:1188\"}]\n"
            "    steps: [{call: authPing, expect: {status: 200}}]\n";
  auto target = cxh::testing::target_for("http://127.0.0.1:" + std::to_string(slow.port()));
  target.request_timeout = std::chrono::seconds(30);
  runner::runner r(cxh::testing::spec(), target);
  runner::run_options opts;
  opts.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto started = std::chrono::steady_clock::now();
  auto result = r.run(cxh::testing::suites_from("suite: slow\ncases:\n" + five), opts);
  auto took = std::chrono::steady_clock::now() - started;
  // Generous: the point is minutes against seconds (unbounded, 5 x 10 s).
  EXPECT_LT(took, std::chrono::seconds(9));
  auto t = result.count();
  EXPECT_EQ(t.errored, 1u) << "the request in flight at the deadline was cut";
  EXPECT_EQ(t.not_run, 4u);
  EXPECT_EQ(t.passed, 0u);
  EXPECT_NE(result.cases.back().error.find("deadline"), std::string::npos);
  slow.stop(std::chrono::milliseconds(0));
}

TEST(Deadline, TheRequestTimeoutCoversTheBody) {
  http::server_options o;
  o.threads = 1;
  http::server trickle(o, [](const http::request&) {
    auto r = http::response::json(200, std::string(200, ' ') + R"({"status":{"code":0}})");
    r.body_pace = std::chrono::milliseconds(400);  // the body drips for many seconds
    return r;
  });
  ASSERT_EQ(trickle.start(), "");
  auto target = cxh::testing::target_for("http://127.0.0.1:" + std::to_string(trickle.port()));
  target.request_timeout = std::chrono::milliseconds(800);
  runner::runner r(cxh::testing::spec(), target);
  auto result = r.run(cxh::testing::suites_from(
                          "suite: drip\ncases:\n  - name: ping\n    steps: [{call: authPing}]\n"),
                      {});
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_EQ(result.cases[0].result, runner::outcome::errored);
  // authPing needs a token: the token request itself is cut after 800 ms of dripping body.
  EXPECT_NE(result.cases[0].error.find("within 800 ms"), std::string::npos) << why(result.cases[0]);
  trickle.stop(std::chrono::milliseconds(0));
}

// ---- credentials the run lacks ----

TEST(Credentials, OverridesDoNotStandInForTheSchemesTheyDoNotName) {
  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  auto suites = cxh::testing::suites_from(R"(
suite: creds
cases:
  - name: wrong bearer, no api key in the run
    requirements: [{id: A, level: MUST, text: x, cite: "002:1467"}]
    steps:
      - call: authGetUserInfo
        auth: {bearer: not-a-token}
        expect: {status: 401}
  - name: nothing needed
    requirements: [{id: B, level: MUST, text: x, cite: "002:1188"}]
    steps:
      - call: authPing
        auth: none
        expect: {status: 403}
)");
  auto target = cxh::testing::target_for(emu->base_url());
  target.creds = {};  // a run given no credentials at all
  runner::runner r(cxh::testing::spec(), target);
  auto result = r.run(suites, {});
  const auto& skipped = named(result, "wrong bearer, no api key in the run");
  EXPECT_EQ(skipped.result, runner::outcome::skipped);
  EXPECT_NE(skipped.error.find("CXH_API_KEY"), std::string::npos) << skipped.error;
  EXPECT_EQ(named(result, "nothing needed").result, runner::outcome::passed);
  // With the key, the same case runs and passes.
  auto with_key = cxh::testing::target_for(emu->base_url());
  with_key.creds = {};
  with_key.creds.api_key = emulator::config{}.api_keys.front();
  runner::runner r2(cxh::testing::spec(), with_key);
  EXPECT_EQ(named(r2.run(suites, {}), "wrong bearer, no api key in the run").result,
            runner::outcome::passed);
}

// ---- error bodies ----

TEST(ErrorBody, AnEmptyDocumentedErrorBodyFails) {
  const char* get_unknown = R"(
suite: errors
cases:
  - name: unknown interaction
    requirements: [{id: E, level: MUST, text: x, cite: "000:150"}]
    steps:
      - call: openmediaGetInteraction
        path: {openMediaService: chat, interactionId: no-such-interaction}
        expect: {status: 404}
)";
  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  auto right = run(emu->base_url(), cxh::testing::suites_from(get_unknown));
  EXPECT_EQ(right.count().passed, 1u);
  front empty([](http::request& r) -> std::optional<http::response> {
    if (r.target.find("no-such-interaction") == std::string::npos) return std::nullopt;
    http::response a;
    a.status = 404;  // no body at all
    return a;
  });
  ASSERT_FALSE(empty.url.empty());
  auto wrong = run(empty.url, cxh::testing::suites_from(get_unknown));
  EXPECT_EQ(wrong.count().failed, 1u);
  bool named_rule = false;
  for (const auto* k : cxh::testing::failed_checks(wrong))
    named_rule = named_rule || (k->rule == "body.schema" && k->actual == "an empty body" &&
                                k->source.find("002_") != std::string::npos);
  EXPECT_TRUE(named_rule);
}

// ---- generated cases ----

std::size_t failed_named(const runner::run_result& r, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& c : r.cases) {
    bool failed = c.result != runner::outcome::passed && c.name.find(needle) != std::string::npos;
    if (failed && n < 3) std::printf("%s: %s\n", c.name.c_str(), why(c).c_str());
    n += failed;
  }
  return n;
}

std::size_t cases_named(const scenario::suite& s, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& c : s.cases) n += c.name.find(needle) != std::string::npos;
  return n;
}

// The credential cases of operations that document 404, for a request naming an invented id.
std::set<std::string> credential_cases_allowing_404(const scenario::suite& s) {
  std::set<std::string> out;
  for (const auto& c : s.cases) {
    const auto& codes = c.steps.front().expect_status;
    bool credential = !c.requirements.empty() && (c.requirements[0].id == "GEN-NO-CREDENTIALS" ||
                                                  c.requirements[0].id == "GEN-WRONG-API-KEY");
    if (credential && std::find(codes.begin(), codes.end(), 404) != codes.end()) out.insert(c.name);
  }
  return out;
}

TEST(Generated, ALookupBeforeTheCredentialCheckIsNotADefect) {
  // Looks any id up before it checks the credentials: the emulator, handed good credentials
  // for every request naming an invented id, answers those with its documented 404.
  front lookup_first([](http::request& r) -> std::optional<http::response> {
    if (r.target.find("2147000001") == std::string::npos) return std::nullopt;
    const emulator::config cfg;
    r.fields.set("x-api-key", cfg.api_keys.front());
    if (!r.fields.get("Authorization"))
      r.fields.set("Authorization",
                   "Basic " + http::base64_encode(cfg.users.front().username + ":" +
                                                  cfg.users.front().password));
    return std::nullopt;
  });
  ASSERT_FALSE(lookup_first.url.empty());
  auto suite = runner::generate_cases(cxh::testing::spec());
  auto allowing = credential_cases_allowing_404(suite);
  EXPECT_GT(allowing.size(), 20u);
  auto r = run(lookup_first.url, {suite});
  for (const auto& c : r.cases) {
    if (allowing.count(c.name)) {
      EXPECT_EQ(c.result, runner::outcome::passed) << why(c);
    }
  }
  // A target that serves anyone the invented ids fails those cases.
  front open([](http::request& req) -> std::optional<http::response> {
    if (req.target.find("2147000001") == std::string::npos) return std::nullopt;
    return http::response::json(200, R"({"status":{"code":0},"data":{}})");
  });
  auto bad = run(open.url, {suite});
  std::size_t failed = 0;
  for (const auto& c : bad.cases)
    failed += allowing.count(c.name) && c.result == runner::outcome::failed;
  EXPECT_EQ(failed, allowing.size());
}

runner::generate_options with_channel() {
  runner::generate_options g;
  g.known["channelId"] = emulator::config{}.channel_secrets.begin()->first;
  return g;
}

TEST(Generated, AKnownChannelMakesTheRefusalExact) {
  auto suite = runner::generate_cases(cxh::testing::spec(), with_channel());
  for (const auto& c : suite.cases) {
    if (c.name != "thirdPartyMessagingSendMessage: no credentials") continue;
    EXPECT_EQ(c.steps[0].path_params.at("channelId"), "demo-channel");
    EXPECT_EQ(c.steps[0].expect_status, (std::vector<int>{401, 403}));
  }
  EXPECT_EQ(suite.variables.value("channelId", ""), "demo-channel");
}

TEST(Generated, AMissingRequiredHeaderIsRefused) {
  auto suite = runner::generate_cases(cxh::testing::spec(), with_channel());
  const auto cases = cases_named(suite, "required header 'x-ccid' missing");
  EXPECT_EQ(cases, 4u);  // the four Third-Party Messaging operations (001:26, 84, 167, 268)
  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  EXPECT_EQ(failed_named(run(emu->base_url(), {suite}), "required header"), 0u);
  // A target that does not require it: the send with a real channel is accepted (200).
  front lenient([](http::request& r) -> std::optional<http::response> {
    if (!r.fields.get("x-ccid")) r.fields.set("x-ccid", "filled-in");
    return std::nullopt;
  });
  ASSERT_FALSE(lenient.url.empty());
  auto r = run(lenient.url, {suite});
  EXPECT_EQ(failed_named(r, "thirdPartyMessagingSendMessage: required header 'x-ccid'"), 1u);
}

TEST(Generated, SignaturesAreVerifiedOverTheBytesSent) {
  auto suite = runner::generate_cases(cxh::testing::spec(), with_channel());
  ASSERT_EQ(cases_named(suite, "signed non-canonical JSON body"), 1u);
  for (const auto& c : suite.cases) {
    if (c.name.find("non-canonical") == std::string::npos) continue;
    ASSERT_TRUE(c.steps[0].raw_body.has_value());
    const auto& raw = *c.steps[0].raw_body;
    EXPECT_TRUE(json::accept(raw));
    EXPECT_NE(raw, json::parse(raw).dump());
    EXPECT_NE(raw.find("\\u00"), std::string::npos);
    EXPECT_EQ(c.requirements[0].cite, (std::vector<std::string>{"001:267"}));
  }
  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  EXPECT_EQ(failed_named(run(emu->base_url(), {suite}), "non-canonical"), 0u);
  // A target that re-serializes the JSON before it verifies the signature refuses it.
  front reserializes([](http::request& r) -> std::optional<http::response> {
    if (r.target.find("/messages") != std::string::npos && json::accept(r.body))
      r.body = json::parse(r.body).dump();
    return std::nullopt;
  });
  ASSERT_FALSE(reserializes.url.empty());
  auto r = run(reserializes.url, {suite});
  EXPECT_EQ(failed_named(r, "non-canonical"), 1u);
}

}  // namespace
