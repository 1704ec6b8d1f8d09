#pragma once
// `cxharness load --self-test`: measures a server whose behaviour is known exactly (the embedded
// emulator with a fixed service time d and a stall of S ms every T ms) and compares the
// corrected percentiles with the ideal open-loop expectation L(q) = d + S - (1-q)T, q > 1 - S/T.

#include <iosfwd>

namespace cxh::load {

struct self_test_options {
  double d_ms = 2, stall_ms = 200, period_ms = 1000;
  double rate = 397;  // not a divisor of T, so arrivals sweep every phase of the stall
  double duration_s = 10;
  double tolerance = 0.05;
};

// Prints the comparison; returns 0 when every compared percentile is within the tolerance.
int self_test(std::ostream& out, const self_test_options& o = {});

}  // namespace cxh::load
