#pragma once
// Judging and reporting a run: thresholds, validity, the JSON summary
// (schemas/report/load-summary.schema.json), .hgrm files, the .hlog interval log and the HTML
// capacity report. Percentiles always come from merged histograms, never from averages.

#include <cxh/load/engine.hpp>
#include <cxh/load/threshold.hpp>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxh::load {

// One second of the run, for the progress line and the HTML charts.
struct timeline_point {
  double start_s = 0, length_s = 0;
  double planned = 0;
  std::uint64_t started = 0, completed = 0, failed = 0, in_flight = 0;
  std::array<std::uint64_t, n_phases> errors{};
  std::int64_t p50_us = 0, p99_us = 0, max_us = 0;  // corrected, all operations merged
};
timeline_point summarize(const interval_view& v);

struct verdict {
  std::vector<threshold_result> thresholds;
  bool thresholds_pass = true;
  bool invalid = false;        // the generator fell behind its plan
  std::string invalid_reason;  // what showed it
  double planned_rate = 0, achieved_rate = 0, error_rate = 0;
  double lag_p99_ms = 0;
  std::uint64_t sent = 0, completed = 0, failed = 0;
};
verdict judge(const profile& p, const run_result& r);

nlohmann::json summary_json(const profile& p, const run_result& r, const verdict& v,
                            const std::string& target);

// One .hgrm per operation (corrected response time, milliseconds) into dir; error text or empty.
std::string write_hgrm_files(const std::string& dir, const run_result& r);

// Interval log: one line per operation per second (tag = step name, corrected, microseconds).
class hlog_sink {
 public:
  // Error text when the file cannot be opened.
  static std::variant<std::unique_ptr<hlog_sink>, std::string> open(const std::string& path);
  void write(const interval_view& v);
  ~hlog_sink();

 private:
  hlog_sink() = default;
  struct impl;
  std::unique_ptr<impl> impl_;
};

std::string html_report(const profile& p, const run_result& r, const verdict& v,
                        const std::vector<timeline_point>& timeline, const std::string& target);

// "12.3ms" style.
std::string format_ms(double us);

}  // namespace cxh::load
