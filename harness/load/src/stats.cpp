// Merging and naming of run statistics (stats.hpp).

#include <cxh/load/stats.hpp>

namespace cxh::load {

const char* to_string(status_class c) {
  static const char* names[] = {"2xx", "3xx", "4xx", "5xx", "error"};
  return names[static_cast<int>(c)];
}

const char* to_string(error_phase p) {
  static const char* names[] = {
      "connect", "tls",    "write", "closed_before_response", "closed_mid_response", "parse",
      "timeout", "status", "check"};
  return names[static_cast<int>(p)];
}

status_class class_of(int status) {
  if (status >= 200 && status < 300) return status_class::s2xx;
  if (status >= 300 && status < 400) return status_class::s3xx;
  if (status >= 400 && status < 500) return status_class::s4xx;
  if (status >= 500 && status < 600) return status_class::s5xx;
  return status_class::error;
}

histogram::hdr make_histogram() {
  return histogram::hdr(1, 3'600'000'000, 3);
}

void latency_set::add(const latency_set& o) {
  corrected.add(o.corrected);
  service.add(o.service);
  lag.add(o.lag);
}

void latency_set::reset() {
  corrected.reset();
  service.reset();
  lag.reset();
}

void op_stats::add(const op_stats& o) {
  for (std::size_t c = 0; c < n_classes; ++c)
    if (o.by_class[c]) at(static_cast<status_class>(c)).add(*o.by_class[c]);
  for (std::size_t p = 0; p < n_phases; ++p) errors[p] += o.errors[p];
  sent += o.sent;
  completed += o.completed;
  failed += o.failed;
  retried += o.retried;
}

void op_stats::reset() {
  for (auto& s : by_class)
    if (s) s->reset();
  errors.fill(0);
  sent = completed = failed = retried = 0;
}

latency_set op_stats::merged() const {
  latency_set m;
  for (const auto& s : by_class)
    if (s) m.add(*s);
  return m;
}

std::uint64_t op_stats::error_count() const {
  return failed;
}

void run_stats::add(const run_stats& o) {
  if (ops.size() < o.ops.size()) ops.resize(o.ops.size());
  for (std::size_t i = 0; i < o.ops.size(); ++i) ops[i].add(o.ops[i]);
  scheduled += o.scheduled;
  started += o.started;
  unsent += o.unsent;
  in_flight += o.in_flight;
  closed_idle += o.closed_idle;
  for (const auto& e : o.samples) {
    if (samples.size() >= max_error_samples) break;
    samples.push_back(e);
  }
}

void run_stats::reset() {
  for (auto& op : ops) op.reset();
  scheduled = started = unsent = in_flight = closed_idle = 0;
  samples.clear();
}

}  // namespace cxh::load
