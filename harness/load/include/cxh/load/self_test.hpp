#pragma once
// `cxharness load --self-test`: measures a server whose behaviour is known exactly (the embedded
// in-process server with a fixed service time d and a stall of S ms every T ms) and compares the
// corrected percentiles with the ideal open-loop expectation L(q) = d + S - (1-q)T, q > 1 - S/T.

#include <iosfwd>

namespace cxh::load {

struct self_test_options {
  // Long stalls and a low rate: the answers released together at the end of a stall (rate x S of
  // them) are few, so the server's own time to write them (large under sanitizers) stays small
  // beside S. Ten stall periods.
  double d_ms = 2, stall_ms = 500, period_ms = 2500;
  // T x rate = 50.3: each period shifts the arrivals by 0.3 of their spacing, so ten periods
  // sample the stall's phases 5 ms apart.
  double rate = 20.12;
  double duration_s = 25;
  double tolerance = 0.05;
};

// Prints the comparison; returns 0 when every compared percentile is within the tolerance.
int self_test(std::ostream& out, const self_test_options& o = {});

}  // namespace cxh::load
