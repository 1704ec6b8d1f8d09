// Reporters on a hostile synthetic run: every format well formed, nothing lost, nothing leaked.
#include <gtest/gtest.h>

#include <cxh/core/file.hpp>
#include <cxh/reporters/reporters.hpp>
#include <cxh/schema/validator.hpp>
#include <sstream>

#include "nasty_run.hpp"

namespace {

using namespace cxh::reporters;

bool valid_utf8_text(const std::string& s) {
  // nlohmann refuses invalid UTF-8 when asked to be strict.
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(ReportSpec, Parses) {
  std::string why;
  auto t = parse_report_spec("junit:out/r.xml", &why);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, format::junit);
  EXPECT_EQ(t->path, "out/r.xml");
  EXPECT_TRUE(parse_report_spec("json:-", &why));
  EXPECT_FALSE(parse_report_spec("xml:r.xml", &why));
  EXPECT_NE(why.find("unknown format 'xml'"), std::string::npos);
  EXPECT_FALSE(parse_report_spec("html:", &why));
  EXPECT_FALSE(parse_report_spec("html", &why));
}

TEST(JUnit, CountsAndEscaping) {
  std::ostringstream out;
  write_junit(cxh::testing::nasty_run(), out);
  std::string xml = out.str();
  EXPECT_TRUE(valid_utf8_text(xml));
  EXPECT_NE(xml.find("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"body.schema"), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"read: reset"), std::string::npos);
  EXPECT_EQ(xml.find("</script>"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find(std::string(1, '\0')), std::string::npos);
  EXPECT_NE(xml.find("R-2 SHOULD"), std::string::npos);
}

TEST(Json, MatchesItsSchemaAndKeepsEverything) {
  std::ostringstream out;
  write_json(cxh::testing::nasty_run(), out);
  auto doc = nlohmann::json::parse(out.str());
  auto text =
      cxh::read_file(std::string(CXH_SOURCE_DIR) + "/schemas/report/run-result.schema.json");
  ASSERT_TRUE(std::holds_alternative<std::string>(text));
  auto compiled = cxh::schema::compile(nlohmann::json::parse(std::get<std::string>(text)));
  ASSERT_TRUE(std::holds_alternative<cxh::schema::schema>(compiled));
  auto errors = std::get<cxh::schema::schema>(compiled).validate(doc);
  EXPECT_TRUE(errors.empty()) << cxh::schema::to_text(errors);
  EXPECT_EQ(doc["totals"]["failed"], 1);
  EXPECT_EQ(doc["cases"][1]["steps"][0]["checks"][1]["rule"], "body.schema");
  EXPECT_EQ(doc["coverage"][1]["calls"], 0);
  EXPECT_GT(doc["cases"][0]["steps"][0]["http"]["response_body"].get<std::string>().size(), 5000u);
}

TEST(Html, SelfContainedAndScriptSafe) {
  std::ostringstream out;
  write_html(cxh::testing::nasty_run(), out);
  std::string html = out.str();
  EXPECT_TRUE(valid_utf8_text(html));
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  // The data block holds the hostile text, but its only "</script>" is its own end.
  auto data = html.find("id=\"run-data\">");
  ASSERT_NE(data, std::string::npos);
  auto end = html.find("</script>", data);
  auto next = html.find("<script>", data);
  EXPECT_LT(end, next);
  EXPECT_EQ(html.substr(data, end - data).find("<!--"), std::string::npos);
  auto embedded = nlohmann::json::parse(html.substr(data + 14, end - data - 14));
  EXPECT_EQ(embedded["cases"].size(), 4u);
}

TEST(Console, ColourOnlyWhenAsked) {
  std::ostringstream plain, coloured;
  write_console(cxh::testing::nasty_run(), plain, false);
  write_console(cxh::testing::nasty_run(), coloured, true);
  EXPECT_EQ(plain.str().find("\033["), std::string::npos);
  EXPECT_NE(coloured.str().find("\033["), std::string::npos);
  EXPECT_NE(plain.str().find("expected:"), std::string::npos);
  EXPECT_NE(plain.str().find("spec/b.txt:2"), std::string::npos);
  EXPECT_NE(plain.str().find("1 of 2 documented operations called"), std::string::npos);
}

}  // namespace
