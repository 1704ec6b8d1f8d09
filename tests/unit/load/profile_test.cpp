#include <gtest/gtest.h>

#include <cxh/load/engine.hpp>
#include <cxh/load/profile.hpp>
#include <filesystem>

using namespace cxh::load;

namespace {

cxh::diagnostics errors_of(const std::string& yaml) {
  auto r = parse_profile(yaml, "p.yaml");
  if (auto* d = std::get_if<cxh::diagnostics>(&r)) return *d;
  return {};
}

profile ok(const std::string& yaml) {
  auto r = parse_profile(yaml, "p.yaml");
  if (auto* d = std::get_if<cxh::diagnostics>(&r)) {
    for (const auto& x : *d) ADD_FAILURE() << to_string(x);
    return {};
  }
  return std::get<profile>(r);
}

const char* minimal =
    "executor: constant-arrival-rate\nrate: 10\nduration: 2s\nmix:\n  - request: GET /x\n";

}  // namespace

TEST(LoadProfile, MinimalOpenModel) {
  auto p = ok(minimal);
  EXPECT_EQ(p.executor, executor_kind::constant_arrival_rate);
  EXPECT_DOUBLE_EQ(p.rate, 10);
  EXPECT_DOUBLE_EQ(p.duration_s, 2);
  ASSERT_EQ(p.mix.size(), 1u);
  EXPECT_EQ(p.mix[0].steps[0].method, "GET");
  EXPECT_EQ(p.mix[0].steps[0].path, "/x");
  EXPECT_DOUBLE_EQ(p.planned_starts(), 20);
  EXPECT_STREQ(model_label(p.executor), "open model");
}

TEST(LoadProfile, UnknownKeyHasLineColumnAndHint) {
  auto d = errors_of(std::string(minimal) + "colour: blue\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where, "p.yaml:6:1");
  EXPECT_NE(d[0].what.find("unknown key 'colour'"), std::string::npos);
  EXPECT_NE(d[0].hint.find("allowed:"), std::string::npos);
}

TEST(LoadProfile, BadDurationNamesIt) {
  auto d = errors_of(
      "executor: constant-arrival-rate\nrate: 10\nduration: 10x\nmix:\n  - request: GET /x\n");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].where, "p.yaml:3:11");
  EXPECT_NE(d[0].what.find("bad duration '10x'"), std::string::npos);
  EXPECT_NE(d[0].hint.find("250ms"), std::string::npos);
}

TEST(LoadProfile, ExecutorRules) {
  EXPECT_FALSE(errors_of("executor: ramping-arrival-rate\nmix:\n  - request: GET /x\n").empty());
  EXPECT_FALSE(
      errors_of(
          "executor: constant-concurrency\nrate: 3\nduration: 1s\nmix:\n  - request: GET /x\n")
          .empty());
  EXPECT_FALSE(errors_of("executor: warp\nmix:\n  - request: GET /x\n").empty());
  auto closed =
      ok("executor: constant-concurrency\nvus: 4\nduration: 1s\nmix:\n  - request: GET /x\n");
  EXPECT_STREQ(model_label(closed.executor), "closed model");
  EXPECT_EQ(closed.connections, 4u);
}

TEST(LoadProfile, FlowsCapturesBodiesAndThresholds) {
  auto p = ok(R"(executor: ramping-arrival-rate
start_rate: 0
stages: [{duration: 10s, target: 100}, {duration: 5s, target: 100}]
arrivals: poisson
seed: 42
mix:
  - name: chain
    weight: 3
    steps:
      - name: create
        request: POST /things
        body: {data: {n: 3, s: "3", id: "${uuid}"}}
        capture: {id: /data/id}
      - request: GET /things/${id}
        expect: [200, 404]
  - request: GET /health
thresholds:
  "*": ["p(99)<250ms"]
  chain.create: ["error_rate<0.1%"]
)");
  ASSERT_EQ(p.mix.size(), 2u);
  EXPECT_EQ(p.mix[0].steps[0].name, "chain.create");
  EXPECT_EQ(p.mix[0].steps[1].name, "chain.step2");
  EXPECT_EQ(p.mix[0].steps[0].body, R"({"data":{"id":"${uuid}","n":3,"s":"3"}})");
  EXPECT_EQ(p.mix[0].steps[1].expect, (std::vector<int>{200, 404}));
  EXPECT_DOUBLE_EQ(p.planned_starts(), 500 + 500);
  EXPECT_EQ(p.thresholds.size(), 2u);
  EXPECT_EQ(p.arrivals, arrival_kind::poisson);
  EXPECT_TRUE(check_plan(p, nullptr).empty());
}

TEST(LoadProfile, UncapturedVariableIsReported) {
  auto p =
      ok("executor: constant-arrival-rate\nrate: 1\nduration: 1s\nmix:\n  - request: GET "
         "/things/${id}\n");
  auto d = check_plan(p, nullptr);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].what.find("${id} is not captured"), std::string::npos);
}

TEST(LoadProfile, BadThresholdAndScope) {
  auto d = errors_of(std::string(minimal) + "thresholds: [\"p(99)<<1\"]\n");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].where, "p.yaml:6:14");
  d = errors_of(std::string(minimal) + "thresholds: {nope: [\"p(99)<1s\"]}\n");
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].what.find("names no step"), std::string::npos);
}

TEST(LoadProfile, MissingEnvironmentVariable) {
  auto d = errors_of(std::string(minimal) + "auth: {api_key: \"${env:CXH_SURELY_UNSET_VAR}\"}\n");
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].what.find("CXH_SURELY_UNSET_VAR is not set"), std::string::npos);
}

TEST(LoadProfile, NotYamlAndNotAMap) {
  auto d = errors_of("executor: [unclosed\n");
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].what.find("not valid YAML"), std::string::npos);
  EXPECT_FALSE(errors_of("- a\n- b\n").empty());
  EXPECT_FALSE(errors_of("").empty());
}

TEST(LoadProfile, ShippedProfilesParse) {
  for (const auto& e : std::filesystem::directory_iterator(CXH_SOURCE_DIR "/scenarios/load")) {
    if (e.path().extension() != ".yaml") continue;
    setenv("CXH_API_KEY", "x", 0);
    auto r = load_profile(e.path().string());
    if (auto* d = std::get_if<cxh::diagnostics>(&r))
      for (const auto& x : *d) ADD_FAILURE() << to_string(x);
  }
}

TEST(LoadProfile, Durations) {
  EXPECT_DOUBLE_EQ(parse_duration_s("250ms"), 0.25);
  EXPECT_DOUBLE_EQ(parse_duration_s("1.5m"), 90);
  EXPECT_DOUBLE_EQ(parse_duration_s("2"), 2);
  EXPECT_DOUBLE_EQ(parse_duration_s("500us"), 0.0005);
  EXPECT_LT(parse_duration_s("10x"), 0);
  EXPECT_LT(parse_duration_s("-1s"), 0);
  EXPECT_LT(parse_duration_s(""), 0);
}
