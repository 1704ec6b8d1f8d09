// Suites from YAML: the model, and errors that name file:line:column with a hint.
#include <gtest/gtest.h>

#include <cxh/scenario/parse.hpp>
#include <cxh/scenario/templating.hpp>

namespace {

using namespace cxh::scenario;

suite parse_ok(const std::string& yaml) {
  auto r = parse_suite(yaml, "s.yaml");
  if (auto* d = std::get_if<cxh::diagnostics>(&r)) {
    ADD_FAILURE() << to_string(d->front());
    return {};
  }
  return std::get<suite>(r);
}

cxh::diagnostics parse_bad(const std::string& yaml) {
  auto r = parse_suite(yaml, "s.yaml");
  if (std::holds_alternative<suite>(r)) {
    ADD_FAILURE() << "accepted:\n" << yaml;
    return {};
  }
  return std::get<cxh::diagnostics>(r);
}

TEST(ScenarioParse, AFullSuite) {
  auto s = parse_ok(R"(
suite: om
description: d
tags: [engage]
variables: {service: chat, n: 3}
setup:
  - call: a
cases:
  - name: one
    tags: [lifecycle]
    requirements: [{id: R1, level: SHOULD, text: why}, {id: R2, level: MUST, cite: ["000:12", "002:7341-7345"]}]
    steps:
      - name: first
        call: opId
        operation: Ready
        path: {id: "${x}"}
        query: {limit: 10}
        headers: {X-A: b}
        body: {a: [1, "2", true, null, 1.5]}
        auth: {api_key: k}
        expect:
          status: [200, 201]
          body:
            - {pointer: /a/0, equals: 1}
            - {pointer: /b, exists: false}
          headers:
            - {name: Content-Type, matches: json}
          events:
            - {cometd: /x/y, match: {a: 1}, within: 250ms}
          within: 2s
          raw_body: {equals: "abc${x}", length: 4}
        capture: {id: /data/id, loc: "header:Location", either: [/data/ids/0/id, /data/ids/0]}
      - request: {method: POST, path: /raw}
        raw_body: "{not json"
        checks: none
        auth: none
teardown:
  - call: z
)");
  EXPECT_EQ(s.name, "om");
  EXPECT_EQ(s.variables["n"], 3);
  ASSERT_EQ(s.cases.size(), 1u);
  const auto& c = s.cases[0];
  EXPECT_EQ(c.requirements[0].level, "SHOULD");
  ASSERT_EQ(c.steps.size(), 2u);
  const auto& st = c.steps[0];
  EXPECT_EQ(st.call, "opId");
  EXPECT_EQ(st.operation_name, "Ready");
  EXPECT_EQ(st.query.at("limit"), 10);
  EXPECT_EQ((*st.body)["a"][1], "2");
  EXPECT_TRUE((*st.body)["a"][3].is_null());
  EXPECT_EQ(st.expect_status, (std::vector<int>{200, 201}));
  EXPECT_EQ(st.body_checks[1].kind, body_assertion::op::exists);
  EXPECT_EQ(st.events[0].within, std::chrono::milliseconds(250));
  EXPECT_EQ(*st.budget, std::chrono::milliseconds(2000));
  ASSERT_EQ(st.captures.size(), 3u);  // in name order: either, id, loc
  EXPECT_EQ(st.captures[2].sources, std::vector<std::string>{"header:Location"});
  EXPECT_EQ(st.captures[0].sources, (std::vector<std::string>{"/data/ids/0/id", "/data/ids/0"}));
  ASSERT_TRUE(st.raw_body_check.has_value());
  EXPECT_EQ(st.raw_body_check->equals.value_or(""), "abc${x}");
  EXPECT_EQ(st.raw_body_check->length.value_or(0), 4u);
  EXPECT_EQ(c.requirements[1].cite, (std::vector<std::string>{"000:12", "002:7341-7345"}));
  EXPECT_EQ(st.auth.api_key.value_or(""), "k");
  EXPECT_EQ(st.at.line, 13);
  EXPECT_EQ(c.steps[1].method, "POST");
  EXPECT_TRUE(c.steps[1].auth.none);
  EXPECT_FALSE(c.steps[1].auto_checks);
  EXPECT_EQ(s.setup.size(), 1u);
  EXPECT_EQ(s.teardown.size(), 1u);
}

TEST(ScenarioParse, YamlSyntaxErrorsHaveTheirLine) {
  auto d = parse_bad("suite: x\ncases:\n  - name: [unclosed\n");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].where.rfind("s.yaml:", 0), 0u) << d[0].where;
}

TEST(ScenarioParse, UnknownKeysPointAtTheKeyWithAHint) {
  auto d = parse_bad(R"(suite: x
cases:
  - name: a
    steps:
      - call: op
        expect: {status: 200, bodyy: []}
)");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].where, "s.yaml:6:31") << to_string(d[0]);
  EXPECT_NE(d[0].hint.find("README"), std::string::npos);
}

TEST(ScenarioParse, AStepNeedsCallOrRequest) {
  auto d = parse_bad(R"(suite: x
cases:
  - name: a
    steps:
      - name: nothing to do
)");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].where.substr(0, 9), "s.yaml:5:") << to_string(d[0]);
}

TEST(ScenarioParse, MoreMistakes) {
  // wrong types, bad durations, duplicate case names, duplicate keys, not a mapping
  EXPECT_FALSE(parse_bad("suite: x\ncases:\n  - name: a\n    steps:\n      - call: op\n        "
                         "expect: {status: \"200\"}\n")
                   .empty());
  EXPECT_FALSE(parse_bad("suite: x\ncases:\n  - name: a\n    steps:\n      - call: op\n        "
                         "expect: {within: 5 seconds}\n")
                   .empty());
  EXPECT_FALSE(parse_bad("suite: x\ncases:\n  - name: a\n    steps: [{call: op}]\n  - name: a\n    "
                         "steps: [{call: op}]\n")
                   .empty());
  EXPECT_FALSE(parse_bad("suite: x\nsuite: y\ncases: []\n").empty());
  EXPECT_FALSE(parse_bad("- just\n- a list\n").empty());
  EXPECT_FALSE(parse_bad("").empty());
  EXPECT_FALSE(
      parse_bad("suite: x\ncases:\n  - name: a\n    steps: [{call: op, body: {}, raw_body: x}]\n")
          .empty());
  auto deep = std::string("suite: x\ncases: ") + std::string(300, '[') + std::string(300, ']');
  EXPECT_FALSE(parse_bad(deep).empty());
}

TEST(ScenarioTemplating, TypesAndBuiltins) {
  template_context ctx;
  ctx.variables = {{"n", 5}, {"s", "abc"}};
  std::string error;
  EXPECT_EQ(ctx.expand("${n}", error), 5);
  EXPECT_EQ(ctx.expand("x-${n}-${s}", error), "x-5-abc");
  EXPECT_EQ(ctx.expand(nlohmann::json{{"a", {"${s}"}}}, error), (nlohmann::json{{"a", {"abc"}}}));
  auto u1 = ctx.expand("${uuid}", error).get<std::string>();
  auto u2 = ctx.expand("${uuid}", error).get<std::string>();
  EXPECT_EQ(u1.size(), 36u);
  EXPECT_NE(u1, u2);
  auto first = ctx.expand("${seq}", error).get<long long>();
  auto second = ctx.expand("${seq}", error).get<long long>();
  EXPECT_LT(first, second);
  EXPECT_TRUE(error.empty()) << error;
  ctx.expand("${missing}", error);
  EXPECT_NE(error.find("missing"), std::string::npos);
  error.clear();
  ctx.expand("${env:CXH_SURELY_UNSET_VARIABLE}", error);
  EXPECT_NE(error.find("CXH_SURELY_UNSET_VARIABLE"), std::string::npos);
}

TEST(ScenarioDuration, Forms) {
  EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_duration("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(parse_duration("2m"), std::chrono::milliseconds(120000));
  EXPECT_FALSE(parse_duration("5"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("9999999m"));
}

}  // namespace
