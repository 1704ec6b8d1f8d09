#pragma once

namespace cxh {

// Process exit codes, shared by every subcommand (README.md documents them).
enum class exit_code : int {
  ok = 0,                 // everything passed
  check_failed = 1,       // the target (or an instance) failed a check
  usage_error = 2,        // bad command line, unreadable or invalid config / schema / scenario
  harness_error = 3,      // the harness could not run: target unreachable, internal error
  run_invalid = 4,        // a load run is invalid: the generator fell behind its plan
  thresholds_failed = 99  // a load run's thresholds failed
};

constexpr int to_int(exit_code c) {
  return static_cast<int>(c);
}

}  // namespace cxh
