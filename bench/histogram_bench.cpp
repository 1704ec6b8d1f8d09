// cxh::histogram: the per-request recording cost the load generator pays, and the merge and
// percentile queries it runs per interval. BM_baseline_increment (one counter bump at a
// precomputed index, the floor any histogram pays) is the in-run peer: read BM_record against
// it, not in absolute nanoseconds.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "cxh/histogram/hdr.hpp"

namespace {

using cxh::histogram::hdr;

// Latencies in ns, log-normal around ~200 us with a long tail, like HTTP round trips.
const std::vector<std::int64_t>& latencies() {
  static const std::vector<std::int64_t> values = [] {
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> d(12.2, 1.0);
    std::vector<std::int64_t> v(1 << 16);
    for (auto& x : v) x = static_cast<std::int64_t>(d(rng));
    return v;
  }();
  return values;
}

void BM_baseline_increment(benchmark::State& state) {
  const auto& values = latencies();
  std::vector<std::int64_t> counts(1 << 16);
  std::size_t i = 0;
  for (auto _ : state) {
    ++counts[static_cast<std::size_t>(values[i]) & 0xffff];
    i = (i + 1) & (values.size() - 1);
  }
  benchmark::DoNotOptimize(counts.data());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_baseline_increment);

void BM_record(benchmark::State& state) {
  const auto& values = latencies();
  hdr h(1, 3'600'000'000'000, static_cast<int>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.record(values[i]));
    i = (i + 1) & (values.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_record)->Arg(2)->Arg(3)->Arg(5);

// Expected interval 1 ms: most samples are below it (one record); the tail adds a few.
void BM_record_corrected(benchmark::State& state) {
  const auto& values = latencies();
  hdr h;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.record_corrected(values[i], state.range(0)));
    i = (i + 1) & (values.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_record_corrected)->Arg(1'000'000)->Arg(100'000);

hdr filled(std::int64_t lowest, std::int64_t highest, int digits) {
  hdr h(lowest, highest, digits);
  for (auto v : latencies()) h.record(v);
  return h;
}

// Merging per-thread histograms at the end of an interval: equal layouts (index by index) and
// different ones (re-recording every bucket).
void BM_add(benchmark::State& state) {
  const hdr other =
      state.range(0) == 0 ? filled(1, 3'600'000'000'000, 3) : filled(1000, 3'600'000'000'000, 2);
  hdr sum;
  for (auto _ : state) {
    sum.add(other);
    benchmark::DoNotOptimize(sum.total_count());
  }
}
BENCHMARK(BM_add)->Arg(0)->Arg(1)->ArgName("other_layout");

void BM_value_at_percentile(benchmark::State& state) {
  const hdr h = filled(1, 3'600'000'000'000, 3);
  const double percentile = static_cast<double>(state.range(0)) / 10.0;
  for (auto _ : state) benchmark::DoNotOptimize(h.value_at_percentile(percentile));
}
BENCHMARK(BM_value_at_percentile)->Arg(500)->Arg(999);

void BM_encode_base64(benchmark::State& state) {
  const hdr h = filled(1, 3'600'000'000'000, 3);
  for (auto _ : state) benchmark::DoNotOptimize(cxh::histogram::to_base64(h));
}
BENCHMARK(BM_encode_base64);

}  // namespace

BENCHMARK_MAIN();
