// The cases generated from the schemas: every one passes against the emulator, and each kind
// fails against a target with the defect it probes (a proxy in front of the emulator's core
// adds the defect), while the other kinds still pass.
#include <algorithm>
#include <cstdio>
#include <cxh/http/server.hpp>
#include <cxh/runner/generate.hpp>
#include <functional>
#include <map>
#include <set>

#include "runner_support.hpp"

namespace {

using namespace cxh;
using nlohmann::json;

// "wsV2MeCallAnswer: wrong Basic credentials" -> "wrong Basic credentials".
std::string kind_of(const std::string& case_name) {
  auto colon = case_name.find(": ");
  return colon == std::string::npos ? case_name : case_name.substr(colon + 2);
}

std::map<std::string, std::size_t> failures_by_kind(const runner::run_result& r) {
  std::map<std::string, std::size_t> out;
  for (const auto& c : r.cases)
    if (c.result != runner::outcome::passed) ++out[kind_of(c.name)];
  return out;
}

// A credential case that expects exactly the refusal (401/403): its request names nothing
// invented. One naming an invented id accepts any documented 4xx (the target may look the id up
// first), so a defect in the credential check cannot show there.
bool expects_only_refusal(const scenario::test_case& c) {
  const auto& codes = c.steps.front().expect_status;
  return std::all_of(codes.begin(), codes.end(), [](int s) { return s == 401 || s == 403; });
}

std::size_t exact_failures(const scenario::suite& s, const runner::run_result& r,
                           const std::string& kind, std::size_t& all) {
  std::set<std::string> exact;
  for (const auto& c : s.cases)
    if (kind_of(c.name) == kind && expects_only_refusal(c)) exact.insert(c.name);
  all = exact.size();
  std::size_t failed = 0;
  for (const auto& c : r.cases)
    failed += exact.count(c.name) && c.result != runner::outcome::passed;
  return failed;
}

std::size_t cases_of_kind(const scenario::suite& s, const std::string& kind) {
  std::size_t n = 0;
  for (const auto& c : s.cases) n += kind_of(c.name) == kind;
  return n;
}

// The emulator's core behind a server whose handler may change requests and answers.
struct proxied {
  std::unique_ptr<emulator::running_emulator> emu;
  std::unique_ptr<http::server> front;
  std::string url;
};

proxied behind_proxy(std::function<std::optional<http::response>(http::request&)> defect,
                     emulator::config cfg = {}) {
  proxied p;
  p.emu = cxh::testing::start_emulator(cfg);
  if (!p.emu) return p;
  const auto* core = &p.emu->core();
  http::server_options o;
  o.threads = 1;
  p.front = std::make_unique<http::server>(o, [core, defect](const http::request& in) {
    http::request r = in;
    if (auto answer = defect(r)) return *answer;
    return core->handle(r);
  });
  if (auto why = p.front->start(); !why.empty()) {
    ADD_FAILURE() << why;
    return p;
  }
  p.url = "http://127.0.0.1:" + std::to_string(p.front->port());
  return p;
}

runner::run_result run_generated(const std::string& base) {
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(base));
  return r.run({runner::generate_cases(cxh::testing::spec())}, {});
}

TEST(GeneratedCases, EveryKindIsThereAndAllPassAgainstTheEmulator) {
  auto suite = runner::generate_cases(cxh::testing::spec());
  for (const char* kind :
       {"no credentials", "wrong x-api-key", "wrong Basic credentials", "bad X-Hub-Signature",
        "unknown id", "malformed JSON body", "documented GET"}) {
    EXPECT_GT(cases_of_kind(suite, kind), 0u) << kind;
  }
  std::size_t missing_field = 0, wrong_type = 0;
  for (const auto& c : suite.cases) {
    missing_field += c.name.find("' missing") != std::string::npos;
    wrong_type += c.name.find("' of the wrong type") != std::string::npos;
  }
  EXPECT_GT(missing_field, 0u);
  EXPECT_GT(wrong_type, 0u);

  // Every secured operation that documents a 401 or 403 is probed without credentials.
  std::set<std::string> probed;
  for (const auto& c : suite.cases)
    if (kind_of(c.name) == "no credentials") probed.insert(c.steps.front().call);
  for (const auto& op : cxh::testing::spec().operations()) {
    if (op.webhook || !op.security || !op.security->is_array() || op.security->empty()) continue;
    bool open = false;
    for (const auto& alt : *op.security) open = open || alt.empty();
    bool refusal = false;
    for (const auto& r : op.responses)
      refusal = refusal || r.status == "401" || r.status == "403" || r.status == "4XX";
    if (open || !refusal) continue;
    EXPECT_TRUE(probed.count(op.operation_id)) << op.operation_id;
  }

  auto emu = cxh::testing::start_emulator();
  ASSERT_TRUE(emu);
  auto result = run_generated(emu->base_url());
  auto t = result.count();
  EXPECT_EQ(t.passed, suite.cases.size());
  for (const auto& c : result.cases) {
    if (c.result == runner::outcome::passed) continue;
    std::string why;
    for (const auto& s : c.steps) {
      if (!s.error.empty()) why += s.error + "; ";
      for (const auto& k : s.checks)
        if (!k.passed) why += k.rule + ": " + k.actual + "; ";
    }
    ADD_FAILURE() << c.name << ": " << why;
  }
}

TEST(GeneratedCases, ATargetThatIgnoresTheApiKeyFailsTheRefusals) {
  const std::string good = emulator::config{}.api_keys.front();
  auto p = behind_proxy([good](http::request& r) -> std::optional<http::response> {
    r.fields.set("x-api-key", good);  // whatever the caller sent, or nothing
    return std::nullopt;
  });
  ASSERT_FALSE(p.url.empty());
  auto suite = runner::generate_cases(cxh::testing::spec());
  auto result = run_generated(p.url);
  auto failed = failures_by_kind(result);
  // A few still pass for another reason the target gives: a made-up request (authorize with an
  // unknown client_id, change-password with the example's old password) is refused anyway.
  std::size_t all = 0;
  const auto exact = exact_failures(suite, result, "wrong x-api-key", all);
  EXPECT_GT(all, 20u);
  EXPECT_GE(exact * 100, all * 95);
  for (const auto& c : result.cases)
    if (kind_of(c.name) == "wrong x-api-key" && c.result == runner::outcome::passed)
      std::printf("refused for another reason: %s\n", c.name.c_str());
  EXPECT_GT(failed["no credentials"], 0u);
  for (const auto& [kind, n] : failed)
    EXPECT_TRUE(kind == "wrong x-api-key" || kind == "no credentials") << kind << " x" << n;
}

TEST(GeneratedCases, ASkippedSignatureCheckFailsTheBadSignatureCases) {
  emulator::config cfg;
  auto faults = emulator::parse_faults(
      json{{"rules", {{{"route", "*"}, {"mutations", {"skip_signature_check"}}}}}}, "test");
  ASSERT_TRUE(std::holds_alternative<emulator::fault_set>(faults));
  cfg.faults = std::get<emulator::fault_set>(faults);
  auto emu = cxh::testing::start_emulator(cfg);
  ASSERT_TRUE(emu);
  // The channel the emulator knows: the cases naming no other invented id expect the refusal.
  runner::generate_options known;
  known.known["channelId"] = cfg.channel_secrets.begin()->first;
  auto suite = runner::generate_cases(cxh::testing::spec(), known);
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu->base_url()));
  auto result = r.run({suite}, {});
  auto failed = failures_by_kind(result);
  std::size_t all = 0;
  EXPECT_EQ(exact_failures(suite, result, "bad X-Hub-Signature", all), all);
  EXPECT_GE(all, 2u);  // upload and send; download and delete name an invented media id
  for (const auto& [kind, n] : failed)
    EXPECT_TRUE(kind == "bad X-Hub-Signature" || kind == "no credentials") << kind << " x" << n;
}

TEST(GeneratedCases, A500ForMalformedJsonFailsThoseCases) {
  auto p = behind_proxy([](http::request& r) -> std::optional<http::response> {
    if (!r.body.empty() && !json::accept(r.body) && r.body.front() == '{')
      return http::response::json(500, R"({"message":"parser crashed"})");
    return std::nullopt;
  });
  ASSERT_FALSE(p.url.empty());
  auto suite = runner::generate_cases(cxh::testing::spec());
  auto result = run_generated(p.url);
  auto failed = failures_by_kind(result);
  EXPECT_EQ(failed["malformed JSON body"], cases_of_kind(suite, "malformed JSON body"));
  EXPECT_EQ(failed.size(), 1u);
  std::set<std::string> rules;
  for (const auto* k : cxh::testing::failed_checks(result)) rules.insert(k->rule);
  EXPECT_TRUE(rules.count("assert.status"));
  EXPECT_TRUE(rules.count("no_5xx")) << "a 5xx for a bad request is named as such";
}

TEST(GeneratedCases, ATargetThatAnswersUnknownIdsFailsThoseCases) {
  // Answers every request for an id it never issued as if it existed.
  auto p = behind_proxy([](http::request& r) -> std::optional<http::response> {
    if (r.target.find("2147000001") != std::string::npos)
      return http::response::json(200, R"({"status":{"code":0},"data":{}})");
    return std::nullopt;
  });
  ASSERT_FALSE(p.url.empty());
  auto suite = runner::generate_cases(cxh::testing::spec());
  auto failed = failures_by_kind(run_generated(p.url));
  EXPECT_GT(failed["unknown id"], cases_of_kind(suite, "unknown id") / 2);
}

}  // namespace
