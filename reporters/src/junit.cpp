#include <unistd.h>

#include <cxh/reporters/reporters.hpp>
#include <map>
#include <sstream>

#include "text.hpp"

namespace cxh::reporters {

using detail::xml_escape;

namespace {

std::string seconds(double ms) {
  std::ostringstream s;
  s.precision(3);
  s << std::fixed << ms / 1000.0;
  return s.str();
}

std::string failure_text(const runner::case_result& c) {
  std::ostringstream s;
  for (const auto& step : c.steps) {
    for (const auto& k : step.checks) {
      if (k.passed) continue;
      s << "[" << runner::to_string(k.severity) << "] " << k.rule << ": " << k.title << "\n"
        << "  expected: " << k.expected << "\n  actual:   " << k.actual
        << "\n  source:   " << k.source << "\n";
      if (!k.detail.empty()) s << "  " << k.detail << "\n";
      if (step.http) {
        s << "  request:  " << step.http->method << " " << step.http->url << " -> "
          << step.http->status << "\n";
      }
    }
  }
  return s.str();
}

std::string first_failed_rule(const runner::case_result& c) {
  for (const auto& step : c.steps) {
    for (const auto& k : step.checks) {
      if (!k.passed) return k.rule + ": " + k.title;
    }
  }
  return "failed";
}

// The case's requirements (id, level, citations) and, for a finding, its level.
void write_properties(const runner::case_result& c, std::ostream& out) {
  if (c.requirements.empty() && c.result != runner::outcome::finding) return;
  out << "      <properties>\n";
  for (const auto& q : c.requirements) {
    std::string cite;
    for (const auto& x : q.cite) cite += (cite.empty() ? " " : ",") + x;
    out << "        <property name=\"requirement\" value=\"" << xml_escape(q.id) << " "
        << runner::to_string(q.strength) << xml_escape(cite) << "\"/>\n";
  }
  if (c.result == runner::outcome::finding)
    out << "        <property name=\"finding\" value=\"" << runner::to_string(c.strength)
        << "\"/>\n";
  out << "      </properties>\n";
}

std::string finding_text(const runner::case_result& c) {
  return std::string(runner::to_string(c.strength)) +
         " finding (reported, does not fail the run):\n" + failure_text(c);
}

}  // namespace

void write_junit(const runner::run_result& r, std::ostream& out) {
  std::map<std::string, std::vector<const runner::case_result*>> by_suite;
  std::vector<std::string> order;
  for (const auto& c : r.cases) {
    if (!by_suite.count(c.suite)) order.push_back(c.suite);
    by_suite[c.suite].push_back(&c);
  }
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  auto t = r.count();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"cxharness\" tests=\"" << r.cases.size() << "\" failures=\"" << t.failed
      << "\" errors=\"" << t.errored << "\" skipped=\"" << t.skipped + t.not_run << "\" time=\""
      << seconds(r.duration_ms) << "\">\n";
  for (const auto& name : order) {
    const auto& cases = by_suite[name];
    unsigned failures = 0, errors = 0, skipped = 0;
    double ms = 0;
    for (const auto* c : cases) {
      failures += c->result == runner::outcome::failed;
      errors += c->result == runner::outcome::errored;
      skipped += c->result == runner::outcome::skipped || c->result == runner::outcome::not_run;
      ms += c->elapsed_ms;
    }
    out << "  <testsuite name=\"" << xml_escape(name) << "\" tests=\"" << cases.size()
        << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped
        << "\" time=\"" << seconds(ms) << "\" timestamp=\"" << xml_escape(r.started_at)
        << "\" hostname=\"" << xml_escape(host) << "\">\n"
        << "    <properties>\n      <property name=\"target\" value=\"" << xml_escape(r.target)
        << "\"/>\n      <property name=\"tool\" value=\"cxharness " << xml_escape(r.tool_version)
        << "\"/>\n    </properties>\n";
    for (const auto* c : cases) {
      out << "    <testcase classname=\"" << xml_escape(c->suite) << "\" name=\""
          << xml_escape(c->name) << "\" file=\"" << xml_escape(c->file) << "\" time=\""
          << seconds(c->elapsed_ms) << "\">\n";
      write_properties(*c, out);
      switch (c->result) {
        case runner::outcome::passed:
          break;
        case runner::outcome::failed:
          out << "      <failure message=\"" << xml_escape(first_failed_rule(*c))
              << "\" type=\"conformance\">" << xml_escape(failure_text(*c)) << "</failure>\n";
          break;
        case runner::outcome::errored:
          out << "      <error message=\"" << xml_escape(c->error.substr(0, 500))
              << "\" type=\"harness\">" << xml_escape(c->error) << "</error>\n";
          break;
        case runner::outcome::skipped:
        case runner::outcome::not_run:
          out << "      <skipped message=\"" << xml_escape(c->error) << "\"/>\n";
          break;
        case runner::outcome::finding:
          // Below MUST a failed check does not fail the run: a passed testcase that says so.
          out << "      <system-out>" << xml_escape(finding_text(*c)) << "</system-out>\n";
          break;
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace cxh::reporters
