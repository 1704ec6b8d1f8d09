#pragma once
// What a run measured, per operation (step) and status class: three HDR histograms in
// microseconds (corrected = done - intended, service = done - sent, lag = sent - intended),
// errors by phase, counts. Merged by adding counts, never by averaging percentiles.

#include <array>
#include <cstdint>
#include <cxh/histogram/hdr.hpp>
#include <memory>
#include <string>
#include <vector>

namespace cxh::load {

enum class status_class : int { s2xx, s3xx, s4xx, s5xx, error, count };
// Why a request failed. A failed read is split by whom to blame: the peer closed (or reset) the
// connection before any byte of the answer, closed it in the middle of the answer, or sent bytes
// that are not HTTP.
enum class error_phase : int {
  connect,
  tls,
  write,
  closed_before_response,
  closed_mid_response,
  parse,
  timeout,
  status,
  check,
  count
};
constexpr std::size_t n_classes = static_cast<std::size_t>(status_class::count);
constexpr std::size_t n_phases = static_cast<std::size_t>(error_phase::count);

const char* to_string(status_class c);
const char* to_string(error_phase p);
status_class class_of(int status);

// Values are microseconds; the range (1 us .. 1 h, 3 digits) bounds the memory per histogram.
histogram::hdr make_histogram();

struct latency_set {
  histogram::hdr corrected = make_histogram();
  histogram::hdr service = make_histogram();
  histogram::hdr lag = make_histogram();
  void add(const latency_set& o);
  void reset();
};

struct op_stats {
  // Allocated on first use: most operations only ever see one or two classes.
  std::array<std::unique_ptr<latency_set>, n_classes> by_class;
  std::array<std::uint64_t, n_phases> errors{};
  std::uint64_t sent = 0;       // requests written (or attempted) on a connection
  std::uint64_t completed = 0;  // a response was read
  std::uint64_t failed = 0;     // requests with at least one error phase
  // Requests sent again, once, on a fresh connection: a reused keep-alive connection the peer
  // closed before any byte of the answer (idempotent methods only). Not errors.
  std::uint64_t retried = 0;

  latency_set& at(status_class c) {
    auto& p = by_class[static_cast<std::size_t>(c)];
    if (!p) p = std::make_unique<latency_set>();
    return *p;
  }
  void add(const op_stats& o);
  void reset();
  // Every class merged into one set.
  latency_set merged() const;
  std::uint64_t error_count() const;
};

// One failed request, as it happened on its connection: what the first error log shows.
struct error_sample {
  double at_s = 0;  // from the start of the run
  std::string step, phase, error;
  std::uint64_t requests_before = 0;  // answered on this connection before this one
  double idle_ms = 0;                 // the connection's idle time before this request
  double connection_age_ms = 0;
  bool retry = false;            // this was the retry on a fresh connection
  std::uint64_t bytes_read = 0;  // of this answer, before the failure
  std::string first_line;        // its first line (printable, at most 100 characters)
};
inline constexpr std::size_t max_error_samples = 20;

// One reporting interval (or the whole run) across every operation.
struct run_stats {
  std::vector<op_stats> ops;    // indexed like the run's step list
  std::uint64_t scheduled = 0;  // flow starts the schedule planned in this span
  std::uint64_t started = 0;    // flow starts that got a connection
  std::uint64_t unsent = 0;     // planned starts never sent before the end
  std::uint64_t in_flight = 0;  // at the end of the span
  // Keep-alive connections the peer had closed while idle, found before reuse and reopened
  // (not errors: a server may close an idle connection at any time).
  std::uint64_t closed_idle = 0;
  std::vector<error_sample> samples;  // the first failures (at most max_error_samples)
  void resize(std::size_t n) { ops.resize(n); }
  void add(const run_stats& o);
  void reset();
};

}  // namespace cxh::load
