// bounded_dump and json_nesting_depth: outside JSON printed and measured without recursion.
#include <gtest/gtest.h>

#include <cxh/core/bounded_dump.hpp>
#include <string>

namespace {

using nlohmann::json;

// A value nested `depth` arrays deep, built without recursion.
json nested(std::size_t depth) {
  json v = "core";
  for (std::size_t i = 0; i < depth; ++i) v = json::array({std::move(v)});
  return v;
}

// nlohmann destroys values recursively; a deep value is taken apart from the top here.
void dismantle(json& v) {
  while (v.is_array() && !v.empty()) {
    json inner = std::move(v[0]);
    v = std::move(inner);
  }
}

TEST(BoundedDump, PrintsLikeDumpWhenSmallAndShallow) {
  json v = {{"a", {1, 2.5, true, nullptr}}, {"b", "x\"y\n"}, {"c", json::object()}};
  EXPECT_EQ(cxh::bounded_dump(v), v.dump());
}

TEST(BoundedDump, DeepValueIsCutAtTheDepthLimitWithoutRecursion) {
  json v = nested(100000);  // dump() would recurse 100,000 times
  auto text = cxh::bounded_dump(v, {8, 4096});
  EXPECT_EQ(text, "[[[[[[[[[...]]]]]]]]]");
  dismantle(v);
}

TEST(BoundedDump, LongOutputStopsAtTheByteLimitWithAnEllipsis) {
  json v = json::array();
  for (int i = 0; i < 10000; ++i) v.push_back(i);
  auto text = cxh::bounded_dump(v, {64, 100});
  EXPECT_EQ(text.size(), 103u);
  EXPECT_EQ(text.substr(100), "...");
  EXPECT_EQ(text.substr(0, 10), v.dump().substr(0, 10));
}

TEST(BoundedDump, StringsAreScrubbedBeforeTheCut) {
  std::string secret(5000, 'S');
  json v = {{"token", "prefix-" + secret}};
  auto scrub = [&](std::string_view s) {
    std::string out(s);
    for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret))
      out.replace(at, secret.size(), "<redacted>");
    return out;
  };
  auto text = cxh::bounded_dump(v, {64, 200}, scrub);
  EXPECT_EQ(text, R"({"token":"prefix-<redacted>"})");
  // Without the scrub, the cut keeps a prefix of the secret: what the scrub prevents.
  EXPECT_NE(cxh::bounded_dump(v, {64, 200}).find("SSSS"), std::string::npos);
}

TEST(BoundedDump, InvalidUtf8IsReplacedNotThrown) {
  json v = std::string(
      "a\xff"
      "b");
  EXPECT_NO_THROW(cxh::bounded_dump(v));
}

TEST(CutText, NeverSplitsAUtf8Sequence) {
  std::string s =
      "ab\xc3\xa9"
      "cd";  // é is two bytes at offsets 2-3
  EXPECT_EQ(cxh::cut_text(s, 3), "ab...");
  EXPECT_EQ(cxh::cut_text(s, 10), s);
}

TEST(JsonNestingDepth, CountsArraysAndObjectsButNotBracketsInStrings) {
  EXPECT_EQ(cxh::json_nesting_depth(R"({"a":[1,{"b":[]}]})", 100), 4u);
  EXPECT_EQ(cxh::json_nesting_depth(R"(["[[[[", "\"[[[["])", 100), 1u);
  EXPECT_EQ(cxh::json_nesting_depth("42", 100), 0u);
  std::string deep(1000000, '[');
  EXPECT_EQ(cxh::json_nesting_depth(deep, 256), 257u);
}

}  // namespace
