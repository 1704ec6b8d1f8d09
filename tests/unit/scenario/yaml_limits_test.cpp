// YAML inputs from users are bounded: an alias bomb is refused with its position (not memory
// exhausted), a 50,000-digit scalar is read without a backtracking regex, durations are scanned.
#include <gtest/gtest.h>

#include <cxh/scenario/parse.hpp>
#include <cxh/scenario/yaml_json.hpp>

namespace {

using namespace cxh::scenario;

// "Billion laughs": 9 levels of 10 aliases each, 10^9 nodes once expanded, under 600 bytes.
std::string alias_bomb() {
  std::string y = "suite: bomb\nvariables:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 8; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    y += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) y += (k ? ", " : "") + prev;
    y += "]\n";
  }
  return y + "cases: []\n";
}

TEST(YamlLimits, AnAliasBombIsRefusedWithItsPosition) {
  auto text = alias_bomb();
  ASSERT_LT(text.size(), 700u);
  auto r = parse_suite(text, "bomb.yaml");
  ASSERT_TRUE(std::holds_alternative<cxh::diagnostics>(r));
  const auto& d = std::get<cxh::diagnostics>(r).front();
  EXPECT_EQ(d.where.rfind("bomb.yaml:", 0), 0u) << d.where;
  EXPECT_NE(d.where.find(':', 10), std::string::npos) << "line:col expected: " << d.where;
  EXPECT_NE(d.what.find("expands to more than"), std::string::npos) << d.what;
  EXPECT_NE(d.hint.find("alias"), std::string::npos) << d.hint;
}

TEST(YamlLimits, OrdinaryAnchorsAndAliasesStillWork) {
  auto r = yaml_to_json("base: &b {a: 1, b: [x, y]}\ncopy: *b\nmore: [*b, *b]\n", "ok.yaml");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.doc.value["copy"], r.doc.value["base"]);
  EXPECT_EQ(r.doc.value["more"][1]["b"][1], "y");
}

TEST(YamlLimits, AFiftyThousandDigitScalarIsReadWithoutARegex) {
  std::string digits(50000, '7');
  auto r = yaml_to_json("n: " + digits + "\nm: -12\nf: 1.5e3\ns: 1.2.3\n", "big.yaml");
  ASSERT_EQ(r.error, "");
  // Too large for an integer or a double: kept as the text it is.
  EXPECT_EQ(r.doc.value["n"], digits);
  EXPECT_EQ(r.doc.value["m"], -12);
  EXPECT_EQ(r.doc.value["f"], 1500.0);
  EXPECT_EQ(r.doc.value["s"], "1.2.3");
}

TEST(YamlLimits, NumbersReadAsTheYamlCoreSchemaSays) {
  auto r = yaml_to_json("a: .5\nb: 5.\nc: +7\nd: 1e\ne: .\nf: 3E-2\ng: '12'\n", "n.yaml");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.doc.value["a"], 0.5);
  EXPECT_EQ(r.doc.value["b"], 5.0);
  EXPECT_EQ(r.doc.value["c"], 7);
  EXPECT_EQ(r.doc.value["d"], "1e");
  EXPECT_EQ(r.doc.value["e"], ".");
  EXPECT_EQ(r.doc.value["f"], 0.03);
}

TEST(YamlLimits, DurationsAreScannedNotMatchedByRegex) {
  EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_duration("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(parse_duration("2m"), std::chrono::milliseconds(120000));
  EXPECT_EQ(parse_duration("1."), std::nullopt);
  EXPECT_EQ(parse_duration(".5s"), std::nullopt);
  EXPECT_EQ(parse_duration("5h"), std::nullopt);
  EXPECT_EQ(parse_duration(std::string(50000, '9') + "ms"), std::nullopt);
  EXPECT_EQ(parse_duration("0." + std::string(50000, '9') + "s"), std::chrono::milliseconds(1000));
}

}  // namespace
