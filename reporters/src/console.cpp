#include <cxh/reporters/reporters.hpp>
#include <sstream>

#include "text.hpp"

namespace cxh::reporters {

namespace {

constexpr const char* green = "32";
constexpr const char* red = "31";
constexpr const char* yellow = "33";
constexpr const char* dim = "2";

std::string excerpt(const std::string& s, std::size_t n = 300) {
  std::string one = detail::valid_utf8(s.size() > n ? s.substr(0, n) + "..." : s);
  // A hostile answer must not drive the terminal: control characters (ESC included) become '?'.
  for (auto& ch : one) {
    if (ch == '\n' || ch == '\r' || ch == '\t') {
      ch = ' ';
    } else if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      ch = '?';
    }
  }
  return one;
}

const char* mark(runner::outcome o) {
  switch (o) {
    case runner::outcome::passed:
      return "ok  ";
    case runner::outcome::failed:
      return "FAIL";
    case runner::outcome::errored:
      return "ERR ";
    case runner::outcome::skipped:
      return "skip";
    case runner::outcome::not_run:
      return "----";
    case runner::outcome::finding:
      return "note";
  }
  return "?";
}

const char* colour(runner::outcome o) {
  switch (o) {
    case runner::outcome::passed:
      return green;
    case runner::outcome::skipped:
    case runner::outcome::finding:
      return yellow;
    case runner::outcome::not_run:
      return dim;
    default:
      return red;
  }
}

// "SHOULD finding" beside a case below MUST, so nobody reads it as a failure of the run.
std::string level_note(const runner::case_result& c) {
  if (c.result != runner::outcome::finding) return "";
  return std::string("  (") + runner::to_string(c.strength) + " finding)";
}

}  // namespace

console::console(std::ostream& out, bool color, bool verbose)
    : out_(out), color_(color), verbose_(verbose) {}

std::string console::paint(std::string_view text, const char* code) const {
  if (!color_) return std::string(text);
  return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
}

void console::case_finished(const runner::case_result& c) {
  out_ << paint(mark(c.result), colour(c.result)) << " " << excerpt(c.suite) << " / "
       << excerpt(c.name) << level_note(c)
       << paint(" (" + std::to_string(static_cast<long long>(c.elapsed_ms)) + " ms)", dim) << "\n";
  if (verbose_) {
    for (const auto& s : c.steps) {
      out_ << "       " << s.name;
      if (s.result == runner::outcome::not_run) out_ << ": not run, " << excerpt(s.error);
      out_ << "\n";
      for (const auto& k : s.checks) {
        out_ << "         " << (k.passed ? "ok   " : "FAIL ") << k.rule << ": " << excerpt(k.title)
             << "\n";
      }
    }
  }
  out_.flush();
}

void console::run_finished(const runner::run_result& r) {
  auto t = r.count();
  std::size_t shown = 0;
  for (const auto& c : r.cases) {
    if (c.result == runner::outcome::passed) continue;
    if (shown++ == 0) out_ << "\n" << paint("Problems", red) << "\n";
    out_ << "\n"
         << paint(std::string(mark(c.result)), colour(c.result)) << " " << excerpt(c.suite) << " / "
         << excerpt(c.name) << level_note(c) << "  [" << excerpt(c.file) << "]\n";
    if (!c.error.empty()) out_ << "     " << excerpt(c.error, 500) << "\n";
    for (const auto& s : c.steps) {
      bool header = false;
      for (const auto& k : s.checks) {
        if (k.passed) continue;
        if (!header) {
          out_ << "   step " << s.name;
          if (s.http)
            out_ << ": " << s.http->method << " " << excerpt(s.http->url) << " -> "
                 << s.http->status;
          out_ << "\n";
          header = true;
        }
        out_ << "     " << runner::to_string(k.severity) << " " << k.rule << ": "
             << excerpt(k.title) << "\n"
             << "       expected: " << excerpt(k.expected) << "\n"
             << "       actual:   " << excerpt(k.actual) << "\n"
             << "       source:   " << excerpt(k.source) << "\n";
        if (!k.detail.empty()) {
          std::istringstream lines(detail::valid_utf8(k.detail));
          std::string line;
          for (int n = 0; n < 5 && std::getline(lines, line); ++n) {
            out_ << "         " << excerpt(line) << "\n";
          }
        }
      }
      if (!s.error.empty() && s.http) {
        out_ << "   step " << excerpt(s.name) << ": " << s.http->method << " "
             << excerpt(s.http->url) << "\n";
      }
      if (s.result == runner::outcome::not_run)
        out_ << "   step " << excerpt(s.name) << ": not run, " << excerpt(s.error) << "\n";
    }
  }
  unsigned called = 0;
  for (const auto& e : r.coverage) called += e.calls > 0;
  out_ << "\n"
       << paint(std::to_string(t.passed) + " passed", green) << ", "
       << paint(std::to_string(t.failed) + " failed", t.failed ? red : dim) << ", "
       << paint(std::to_string(t.errored) + " errored", t.errored ? red : dim) << ", "
       << std::to_string(t.skipped) << " skipped"
       << (t.not_run ? ", " + paint(std::to_string(t.not_run) + " not run", red) : "") << " in "
       << static_cast<long long>(r.duration_ms) << " ms against " << excerpt(r.target) << "\n"
       << paint(std::to_string(t.findings) + " finding(s)", t.findings ? yellow : dim)
       << " at SHOULD/MAY/INFO (reported, not failures)\n"
       << "coverage: " << called << " of " << r.coverage.size()
       << " documented operations called\n";
  out_.flush();
}

void write_console(const runner::run_result& r, std::ostream& out, bool color) {
  console c(out, color, false);
  for (const auto& k : r.cases) c.case_finished(k);
  c.run_finished(r);
}

}  // namespace cxh::reporters
