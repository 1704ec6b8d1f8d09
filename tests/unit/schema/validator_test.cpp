// Behaviour of cxh::schema beyond the official suite: output units, bad schemas, hostile input,
// remote references, formats, concurrency.

#include <gtest/gtest.h>

#include <cxh/schema/validator.hpp>
#include <thread>

using nlohmann::json;
namespace cs = cxh::schema;

namespace {

cs::schema must_compile(const json& doc, cs::options opts = {}) {
  auto r = cs::compile(doc, opts, "https://example.test/root.json");
  if (auto* p = std::get_if<cxh::diagnostics>(&r)) {
    ADD_FAILURE() << "schema rejected: " << cxh::to_string(p->front());
    return std::get<cs::schema>(cs::compile(json(true)));
  }
  return std::get<cs::schema>(r);
}

cxh::diagnostics must_reject(const json& doc, cs::options opts = {}) {
  auto r = cs::compile(doc, opts, "https://example.test/root.json");
  EXPECT_TRUE(std::holds_alternative<cxh::diagnostics>(r)) << "schema accepted: " << doc.dump();
  if (auto* p = std::get_if<cxh::diagnostics>(&r)) return *p;
  return {};
}

}  // namespace

TEST(Validator, BasicOutputNamesInstanceKeywordAndAbsoluteLocations) {
  auto s = must_compile(json::parse(R"({
    "properties": {"a": {"$ref": "#/$defs/positive"}},
    "$defs": {"positive": {"type": "integer", "minimum": 1}}
  })"));
  auto errors = s.validate(json::parse(R"({"a": 0})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_location, "/a");
  EXPECT_EQ(errors[0].keyword_location, "/properties/a/$ref/minimum");
  EXPECT_EQ(errors[0].absolute_keyword_location,
            "https://example.test/root.json#/$defs/positive/minimum");
  EXPECT_NE(errors[0].message.find(">= 1"), std::string::npos) << errors[0].message;
  auto out = cs::to_basic_output(errors);
  EXPECT_EQ(out["valid"], false);
  EXPECT_EQ(out["errors"][0]["instanceLocation"], "/a");
}

TEST(Validator, ReportsEveryErrorNotTheFirst) {
  auto s = must_compile(json::parse(R"({"type": "object", "required": ["x", "y"],
      "properties": {"n": {"type": "string"}}})"));
  auto errors = s.validate(json::parse(R"({"n": 3})"));
  EXPECT_EQ(errors.size(), 3u);
  EXPECT_FALSE(s.is_valid(json::parse(R"({"n": 3})")));
}

TEST(Validator, PointerTokensAreEscapedInLocations) {
  auto s = must_compile(json::parse(R"({"properties": {"a/b~c": {"type": "string"}}})"));
  auto errors = s.validate(json::parse(R"({"a/b~c": 1})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_location, "/a~1b~0c");
  EXPECT_EQ(errors[0].keyword_location, "/properties/a~1b~0c/type");
}

TEST(Validator, AnyOfFailureSummaryComesBeforeBranchErrors) {
  auto s = must_compile(json::parse(R"({"anyOf": [{"type": "string"}, {"minimum": 5}]})"));
  auto errors = s.validate(json(3));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].keyword_location, "/anyOf");
  EXPECT_TRUE(s.validate(json("x")).empty());
}

TEST(Validator, RejectsSchemasTheMetaSchemaRejects) {
  auto problems = must_reject(json::parse(R"({"properties": {"a": {"type": "strng"}}})"));
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].where, "https://example.test/root.json#/properties/a/type");
  EXPECT_NE(problems[0].what.find("not a valid schema"), std::string::npos);
}

TEST(Validator, UnresolvableRefSaysWhereAndWhat) {
  auto problems = must_reject(json::parse(R"({"properties": {"a": {"$ref": "#/$defs/missing"}}})"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].where, "https://example.test/root.json#/properties/a/$ref");
  EXPECT_NE(problems[0].what.find("cannot resolve"), std::string::npos);
}

TEST(Validator, RefCycleIsACompileErrorNotAHang) {
  auto problems = must_reject(json::parse(R"({"$defs": {"a": {"$ref": "#/$defs/b"},
      "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})"));
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].what.find("reference cycle"), std::string::npos) << problems[0].what;
  must_reject(json::parse(R"({"$ref": "#"})"));
}

TEST(Validator, RecursionThroughTheInstanceIsNotACycle) {
  auto s = must_compile(json::parse(R"({"type": "array", "items": {"$ref": "#"}})"));
  EXPECT_TRUE(s.is_valid(json::parse("[[[], [[]]]]")));
  EXPECT_FALSE(s.is_valid(json::parse("[[1]]")));
}

TEST(Validator, DeepInstanceFailsCleanlyAtTheDepthLimit) {
  std::string text(20000, '[');
  text += std::string(20000, ']');
  json deep = json::parse(text);
  auto s = must_compile(json::parse(R"({"items": {"$ref": "#"}})"));
  EXPECT_FALSE(s.is_valid(deep));
  auto errors = s.validate(deep);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().message.find("deeper than"), std::string::npos);
}

TEST(Validator, DeepSchemaIsRejectedNotACrash) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += R"({"not":)";
  text += "true" + std::string(20000, '}');
  json schema = json::parse(text);
  cs::options opts;
  opts.check_against_metaschema = false;
  must_reject(schema, opts);
}

TEST(Validator, SchemaMustBeObjectOrBoolean) {
  cs::options opts;
  opts.check_against_metaschema = false;
  auto problems = must_reject(json::parse(R"({"properties": {"a": 5}})"), opts);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].where.find("/properties/a"), std::string::npos);
}

TEST(Validator, InvalidPatternIsACompileError) {
  auto problems = must_reject(json::parse(R"({"pattern": "(unclosed"})"));
  ASSERT_FALSE(problems.empty());
}

TEST(Validator, CatastrophicPatternTerminates) {
  auto s = must_compile(json::parse(R"({"pattern": "^(a+)+$"})"));
  std::string hostile(5000, 'a');
  hostile += "!";
  EXPECT_FALSE(s.is_valid(json(hostile)));
}

TEST(Validator, UniqueItemsTreatsOneAndOnePointZeroAsEqual) {
  auto s = must_compile(json::parse(R"({"uniqueItems": true})"));
  EXPECT_FALSE(s.is_valid(json::parse("[1, 1.0]")));
  EXPECT_FALSE(s.is_valid(json::parse(R"([{"a": [1]}, {"a": [1.0]}])")));
  EXPECT_TRUE(s.is_valid(json::parse("[1, true, \"1\", [1], {\"1\": 1}]")));
  json big = json::array();
  for (int i = 0; i < 100000; ++i) big.push_back(i);
  EXPECT_TRUE(s.is_valid(big));
}

TEST(Validator, FormatsAssertOnlyWhenAsked) {
  json schema = json::parse(R"({"format": "date-time"})");
  EXPECT_TRUE(must_compile(schema).is_valid(json("yesterday")));
  cs::options strict;
  strict.assert_formats = true;
  auto s = must_compile(schema, strict);
  EXPECT_FALSE(s.is_valid(json("yesterday")));
  EXPECT_TRUE(s.is_valid(json("2026-11-23T19:35:21Z")));
  EXPECT_TRUE(s.is_valid(json("2016-12-31T23:59:60Z")));
  EXPECT_FALSE(s.is_valid(json("2026-02-29T10:00:00Z")));
}

TEST(Validator, RemoteRefsGoThroughTheLoader) {
  cs::options opts;
  int calls = 0;
  opts.load = [&](const std::string& uri) -> std::optional<std::string> {
    ++calls;
    if (uri == "https://example.test/defs.json") return R"({"$defs": {"id": {"type": "string"}}})";
    return std::nullopt;
  };
  auto s = must_compile(json::parse(R"({"$ref": "defs.json#/$defs/id"})"), opts);
  EXPECT_TRUE(s.is_valid(json("x")));
  EXPECT_FALSE(s.is_valid(json(1)));
  EXPECT_EQ(calls, 1);
  auto problems = must_reject(json::parse(R"({"$ref": "other.json"})"), opts);
  EXPECT_NE(problems[0].what.find("other.json"), std::string::npos);
}

TEST(Validator, LoadedDocumentThatIsNotJsonIsReported) {
  cs::options opts;
  opts.load = [](const std::string&) -> std::optional<std::string> { return "{not json"; };
  auto problems = must_reject(json::parse(R"({"$ref": "broken.json"})"), opts);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].what.find("not JSON"), std::string::npos);
}

TEST(Validator, Draft7SelectedBySchemaKeyword) {
  auto s = must_compile(json::parse(R"({"$schema": "http://json-schema.org/draft-07/schema#",
      "items": [{"type": "integer"}], "additionalItems": false})"));
  EXPECT_TRUE(s.is_valid(json::parse("[1]")));
  EXPECT_FALSE(s.is_valid(json::parse("[1, 2]")));
}

TEST(Validator, CompilerSharesDocumentsAcrossSchemas) {
  cs::compiler c;
  EXPECT_TRUE(c.add_document("https://example.test/common.json",
                             json::parse(R"({"$defs": {"code": {"type": "integer"}}})"))
                  .empty());
  EXPECT_TRUE(c.add_document("https://example.test/api.json",
                             json::parse(R"({"$defs": {"env": {"properties":
                               {"code": {"$ref": "common.json#/$defs/code"}}}}})"))
                  .empty());
  auto r = c.compile("https://example.test/api.json#/$defs/env");
  ASSERT_TRUE(std::holds_alternative<cs::schema>(r));
  auto s = std::get<cs::schema>(r);
  EXPECT_FALSE(s.is_valid(json::parse(R"({"code": "0"})")));
  auto missing = c.compile("https://example.test/api.json#/$defs/nope");
  EXPECT_TRUE(std::holds_alternative<cxh::diagnostics>(missing));
}

TEST(Validator, ConcurrentValidationAgrees) {
  auto s = must_compile(json::parse(R"({"type": "object", "properties": {"n": {"type": "integer"}},
      "unevaluatedProperties": false, "anyOf": [{"required": ["n"]}, {"required": ["m"]}]})"));
  json good = json::parse(R"({"n": 1})"), bad = json::parse(R"({"n": 1, "x": 2})");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (!s.is_valid(good) || s.is_valid(bad) || s.validate(bad).size() != 1) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Validator, MultipleOfIsExactInDecimal) {
  auto cents = must_compile(json::parse(R"({"multipleOf": 0.01})"));
  EXPECT_TRUE(cents.is_valid(json::parse("0.07")));
  EXPECT_TRUE(cents.is_valid(json::parse("19.99")));
  EXPECT_FALSE(cents.is_valid(json::parse("14.0000000005")));
  EXPECT_FALSE(cents.is_valid(json::parse("19.990000001")));
  auto ones = must_compile(json::parse(R"({"multipleOf": 1})"));
  EXPECT_FALSE(ones.is_valid(json::parse("10.0000000001")));
  EXPECT_TRUE(ones.is_valid(json::parse("1e300")));
  EXPECT_TRUE(ones.is_valid(json::parse("18446744073709551615")));
  auto tiny = must_compile(json::parse(R"({"multipleOf": 1e-8})"));
  EXPECT_TRUE(tiny.is_valid(json::parse("0.50000001")));
  EXPECT_FALSE(tiny.is_valid(json::parse("5e-324")));
  EXPECT_TRUE(must_compile(json::parse(R"({"multipleOf": 0.5})")).is_valid(json::parse("1e308")));
  EXPECT_FALSE(
      must_compile(json::parse(R"({"multipleOf": 0.123456789})")).is_valid(json::parse("1e308")));
}
