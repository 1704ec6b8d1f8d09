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

// A run with a finding (a SHOULD case whose check failed) and a step not run after a failed
// one: every reporter shows them, apart from failures; the JSON matches its schema.
cxh::runner::run_result findings_run() {
  using namespace cxh::runner;
  run_result r = cxh::testing::nasty_run();
  case_result finding;
  finding.suite = "gamma";
  finding.name = "advice";
  finding.file = "g.yaml:3";
  finding.requirements = {{"G-1", level::should, "advised", {"000:30", "002:100-102"}}};
  finding.strength = level::should;
  finding.result = outcome::finding;
  step_result failed_step;
  failed_step.name = "first";
  failed_step.result = outcome::failed;
  failed_step.checks.push_back(
      {"assert.status", "the status is 201", false, level::should, "201", "200", "", "g.yaml:7"});
  step_result later;
  later.name = "second";
  later.result = outcome::not_run;
  later.error = "depends on step 1 'first', which failed";
  finding.steps = {failed_step, later};
  r.cases.push_back(finding);
  return r;
}

TEST(Findings, EveryReporterShowsThemApartFromFailures) {
  auto run = findings_run();
  EXPECT_EQ(run.count().findings, 1u);
  EXPECT_EQ(run.count().failed, 1u);

  std::ostringstream json_out;
  write_json(run, json_out);
  auto doc = nlohmann::json::parse(json_out.str());
  auto text =
      cxh::read_file(std::string(CXH_SOURCE_DIR) + "/schemas/report/run-result.schema.json");
  ASSERT_TRUE(std::holds_alternative<std::string>(text));
  auto compiled = cxh::schema::compile(nlohmann::json::parse(std::get<std::string>(text)));
  ASSERT_TRUE(std::holds_alternative<cxh::schema::schema>(compiled));
  auto errors = std::get<cxh::schema::schema>(compiled).validate(doc);
  EXPECT_TRUE(errors.empty()) << cxh::schema::to_text(errors);
  EXPECT_EQ(doc["totals"]["findings"], 1);
  EXPECT_EQ(doc["totals"]["failed"], 1);
  const auto& c = doc["cases"].back();
  EXPECT_EQ(c["result"], "finding");
  EXPECT_EQ(c["level"], "SHOULD");
  EXPECT_EQ(c["requirements"][0]["cite"][1], "002:100-102");
  EXPECT_EQ(c["steps"][1]["result"], "not_run");

  std::ostringstream xml;
  write_junit(run, xml);
  EXPECT_NE(xml.str().find("tests=\"5\" failures=\"1\""), std::string::npos) << xml.str();
  EXPECT_NE(xml.str().find("<property name=\"finding\" value=\"SHOULD\"/>"), std::string::npos);
  EXPECT_NE(xml.str().find("G-1 SHOULD 000:30,002:100-102"), std::string::npos);
  EXPECT_NE(xml.str().find("<system-out>SHOULD finding"), std::string::npos);

  std::ostringstream console_out;
  write_console(run, console_out, false);
  const std::string text_out = console_out.str();
  EXPECT_NE(text_out.find("1 finding(s) at SHOULD/MAY/INFO"), std::string::npos) << text_out;
  EXPECT_NE(text_out.find("(SHOULD finding)"), std::string::npos);
  EXPECT_NE(text_out.find("step second: not run, depends on step 1"), std::string::npos);

  std::ostringstream html;
  write_html(run, html);
  EXPECT_NE(html.str().find(" findings (SHOULD/MAY/INFO)"), std::string::npos);
  EXPECT_NE(html.str().find("value=\"finding\""), std::string::npos);
}

}  // namespace
