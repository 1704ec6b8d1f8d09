#pragma once
// k6-like thresholds: "p(99)<250ms", "p(99.9)<1s", "p50<=20ms", "service_p(99)<50ms",
// "lag_p99<1ms", "error_rate<0.1%", "achieved_rate>0.99*planned", "achieved_rate>=95".
// p(...) is the corrected response time (done - intended); a bare time is milliseconds.

#include <cxh/load/stats.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace cxh::load {

struct threshold {
  enum class metric { corrected, service, lag, error_rate, achieved_rate } what = metric::corrected;
  enum class op { lt, le, gt, ge } cmp = op::lt;
  double percentile = 99;   // latency metrics: 0..100
  double bound = 0;         // microseconds, a fraction (error_rate) or requests/s
  bool of_planned = false;  // achieved_rate: bound is a factor of the planned rate
  std::string scope = "*";  // "*" or a step name
  std::string text;
};

// The error says what is wrong with the text.
std::variant<threshold, std::string> parse_threshold(std::string_view text, std::string scope);

// What a threshold is judged on, for its scope.
struct threshold_input {
  const latency_set* latencies = nullptr;
  double error_rate = 0;     // failed / (sent) in the scope
  double achieved_rate = 0;  // completed flow starts (or requests of the step) per second
  double planned_rate = 0;   // planned starts per second (0 for the closed model)
};

struct threshold_result {
  threshold spec;
  double actual = 0;        // same unit as bound
  std::string actual_text;  // "312.4ms", "0.02%", "98.7/s"
  bool pass = false;
};

threshold_result evaluate(const threshold& t, const threshold_input& in);

}  // namespace cxh::load
