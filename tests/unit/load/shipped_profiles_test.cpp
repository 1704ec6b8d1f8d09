// The profiles shipped in scenarios/load/ match the documented profile schema
// (schemas/load/load-profile.schema.json) and parse; and the schema is not a rubber stamp: a
// profile with a misspelt key or a wrong executor is rejected by both.
#include <gtest/gtest.h>

#include <cxh/load/profile.hpp>
#include <cxh/scenario/yaml_json.hpp>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
const std::string root = CXH_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

cxh::schema::schema profile_schema() {
  auto doc = nlohmann::json::parse(read(root + "/schemas/load/load-profile.schema.json"));
  auto compiled = cxh::schema::compile(doc, {}, "urn:cxharness:load-profile");
  EXPECT_TRUE(std::holds_alternative<cxh::schema::schema>(compiled));
  return std::get<cxh::schema::schema>(compiled);
}

std::vector<cxh::schema::error> schema_errors(const cxh::schema::schema& s,
                                              const std::string& yaml) {
  auto j = cxh::scenario::yaml_to_json(yaml, "profile.yaml");
  EXPECT_TRUE(j.error.empty()) << j.error;
  return s.validate(j.doc.value);
}

TEST(ShippedProfiles, MatchTheSchemaAndParse) {
  auto schema = profile_schema();
  int n = 0;
  for (const auto& e : fs::directory_iterator(root + "/scenarios/load")) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    std::string text = read(e.path());
    for (const auto& err : schema_errors(schema, text))
      ADD_FAILURE() << e.path() << " " << err.instance_location << ": " << err.message;
    ::setenv("CXH_API_KEY", "test-key", 0);  // capacity.yaml reads it
    auto parsed = cxh::load::parse_profile(text, e.path().string());
    if (auto* d = std::get_if<cxh::diagnostics>(&parsed))
      ADD_FAILURE() << e.path() << ": " << to_string(d->front());
  }
  EXPECT_GE(n, 3);
}

TEST(ShippedProfiles, TheSchemaAndTheParserRejectTheSameMistakes) {
  auto schema = profile_schema();
  std::string good = read(root + "/scenarios/load/smoke.yaml");
  for (auto [from, to] : {std::pair<std::string, std::string>{"executor: constant-arrival-rate",
                                                              "executor: constant-arival-rate"},
                          {"duration: 3s", "durration: 3s"}}) {
    std::string bad = good;
    auto at = bad.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    bad.replace(at, from.size(), to);
    EXPECT_FALSE(schema_errors(schema, bad).empty()) << to;
    EXPECT_TRUE(std::holds_alternative<cxh::diagnostics>(cxh::load::parse_profile(bad, "bad.yaml")))
        << to;
  }
}

}  // namespace
