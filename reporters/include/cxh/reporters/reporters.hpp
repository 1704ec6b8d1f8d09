#pragma once
#include <cxh/runner/result.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace cxh::reporters {

enum class format { console, junit, json, html };

struct report_target {
  format kind = format::console;
  std::string path;  // "-": standard output
};

// "junit:out/report.xml", "json:-"; nullopt and the reason in `why` when malformed.
std::optional<report_target> parse_report_spec(std::string_view spec, std::string* why);

// Progress while running, then a summary.
class console {
 public:
  console(std::ostream& out, bool color, bool verbose);
  void case_finished(const runner::case_result& c);
  void run_finished(const runner::run_result& r);

 private:
  std::string paint(std::string_view text, const char* code) const;
  std::ostream& out_;
  bool color_, verbose_;
};

void write_console(const runner::run_result& r, std::ostream& out, bool color);
void write_junit(const runner::run_result& r, std::ostream& out);
void write_json(const runner::run_result& r, std::ostream& out);
nlohmann::json to_json(const runner::run_result& r);
void write_html(const runner::run_result& r, std::ostream& out);

// Writes one report; "" or what went wrong.
std::string write_report(const report_target& target, const runner::run_result& r);

}  // namespace cxh::reporters
