#include "nasty_run.hpp"

namespace cxh::testing {

runner::run_result nasty_run() {
  using namespace runner;
  const std::string nasty = std::string("a\"b'<c>&d</script><!-- \x01\x02 nul:") +
                            std::string(1, '\0') + " bad:\xff\xfe\xc3 end \xef\xbf\xbe";
  run_result r;
  r.tool_version = "0.1.0";
  r.target = "http://127.0.0.1:1/" + nasty;
  r.started_at = "2026-11-23T10:00:00Z";
  r.duration_ms = 12.5;
  r.suites = {"alpha", "beta"};
  case_result passed{"alpha",
                     "passes",
                     "s.yaml:3",
                     {"lifecycle"},
                     {{"R-1", level::must, "text", {}}},
                     outcome::passed,
                     "",
                     {},
                     1.5};
  step_result ok;
  ok.name = "create";
  ok.operation_id = "opCreate";
  ok.operation_key = "POST /x";
  ok.checks.push_back(
      {"status.documented", "documented", true, level::must, "200", "200", "", "spec/a.txt:1"});
  exchange ex;
  ex.method = "POST";
  ex.url = "http://127.0.0.1:1/x";
  ex.request_headers = {{"x-api-key", "<redacted>"}};
  ex.request_body = "{\"a\":1}";
  ex.status = 200;
  ex.response_headers = {{"Content-Type", "application/json"}};
  ex.response_body = std::string(5000, 'z') + nasty;
  ok.http = ex;
  passed.steps.push_back(ok);

  case_result failed{"alpha",
                     "fails " + nasty,
                     "s.yaml:9",
                     {"negative", "lifecycle"},
                     {{"R-2", level::should, nasty, {}}},
                     outcome::failed,
                     "",
                     {},
                     2};
  step_result bad = ok;
  bad.result = outcome::failed;
  bad.checks.push_back({"body.schema", "valid " + nasty, false, level::must, nasty, nasty,
                        "/a: " + nasty, "spec/b.txt:2"});
  failed.steps.push_back(bad);

  case_result errored{
      "beta", "errors", "t.yaml:1", {}, {}, outcome::errored, "read: reset " + nasty, {}, 3};
  case_result skipped{"beta",         "skipped", "t.yaml:5", {"negative"}, {}, outcome::skipped,
                      "setup failed", {},        0};
  r.cases = {passed, failed, errored, skipped};
  r.coverage = {{"POST /x", "opCreate", "alpha-api", "spec/a.txt:1", 2, 1},
                {"GET /y", "opGet", "beta-api", "spec/a.txt:9", 0, 0}};
  return r;
}

}  // namespace cxh::testing
