#include <cxh/reporters/reporters.hpp>
#include <nlohmann/json.hpp>

#include "text.hpp"

namespace cxh::reporters {

namespace {

using detail::valid_utf8;
using nlohmann::json;

json headers(const std::vector<std::pair<std::string, std::string>>& h) {
  json out = json::array();
  for (const auto& [k, v] : h) out.push_back({{"name", valid_utf8(k)}, {"value", valid_utf8(v)}});
  return out;
}

json check(const runner::check_result& k) {
  return {{"rule", k.rule},
          {"title", valid_utf8(k.title)},
          {"passed", k.passed},
          {"level", runner::to_string(k.severity)},
          {"expected", valid_utf8(k.expected)},
          {"actual", valid_utf8(k.actual)},
          {"detail", valid_utf8(k.detail)},
          {"source", valid_utf8(k.source)}};
}

json step(const runner::step_result& s) {
  json out = {{"name", valid_utf8(s.name)},       {"operation_id", s.operation_id},
              {"operation_key", s.operation_key}, {"result", runner::to_string(s.result)},
              {"error", valid_utf8(s.error)},     {"checks", json::array()}};
  for (const auto& k : s.checks) out["checks"].push_back(check(k));
  if (s.http) {
    const auto& h = *s.http;
    out["http"] = {{"method", h.method},
                   {"url", valid_utf8(h.url)},
                   {"request_headers", headers(h.request_headers)},
                   {"request_body", valid_utf8(h.request_body)},
                   {"status", h.status},
                   {"response_headers", headers(h.response_headers)},
                   {"response_body", valid_utf8(h.response_body)},
                   {"elapsed_ms", h.elapsed_ms}};
  }
  return out;
}

}  // namespace

nlohmann::json to_json(const runner::run_result& r) {
  auto t = r.count();
  json out = {{"tool", "cxharness"},
              {"version", r.tool_version},
              {"target", valid_utf8(r.target)},
              {"started_at", r.started_at},
              {"duration_ms", r.duration_ms},
              {"suites", r.suites},
              {"totals",
               {{"cases", r.cases.size()},
                {"passed", t.passed},
                {"failed", t.failed},
                {"errored", t.errored},
                {"skipped", t.skipped},
                {"not_run", t.not_run},
                {"findings", t.findings}}},
              {"cases", json::array()},
              {"coverage", json::array()}};
  for (const auto& c : r.cases) {
    json jc = {{"suite", c.suite},
               {"name", valid_utf8(c.name)},
               {"file", valid_utf8(c.file)},
               {"tags", c.tags},
               {"requirements", json::array()},
               {"level", runner::to_string(c.strength)},
               {"result", runner::to_string(c.result)},
               {"error", valid_utf8(c.error)},
               {"elapsed_ms", c.elapsed_ms},
               {"steps", json::array()}};
    for (const auto& q : c.requirements) {
      jc["requirements"].push_back({{"id", q.id},
                                    {"level", runner::to_string(q.strength)},
                                    {"text", valid_utf8(q.text)},
                                    {"cite", q.cite}});
    }
    for (const auto& s : c.steps) jc["steps"].push_back(step(s));
    out["cases"].push_back(std::move(jc));
  }
  for (const auto& e : r.coverage) {
    out["coverage"].push_back({{"operation_key", e.operation_key},
                               {"operation_id", e.operation_id},
                               {"api", e.api},
                               {"source", e.source},
                               {"calls", e.calls},
                               {"failed_calls", e.failed_calls}});
  }
  return out;
}

void write_json(const runner::run_result& r, std::ostream& out) {
  out << to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace cxh::reporters
