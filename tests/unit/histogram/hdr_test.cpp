// cxh::histogram::hdr: layout, recording, merging and queries, checked against exact arithmetic
// on the raw samples (seeded random data) and hand-computed cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cxh/histogram/hdr.hpp>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

using cxh::histogram::hdr;

TEST(Hdr, RejectsParametersOutsideTheDomain) {
  EXPECT_THROW(hdr(0, 100, 3), std::invalid_argument);
  EXPECT_THROW(hdr(10, 19, 3), std::invalid_argument);
  EXPECT_THROW(hdr(1, 100, -1), std::invalid_argument);
  EXPECT_THROW(hdr(1, 100, 6), std::invalid_argument);
  EXPECT_THROW(hdr(std::int64_t{1} << 50, INT64_MAX, 5), std::invalid_argument);  // > 61 bits
  EXPECT_NO_THROW(hdr(1, 2, 0));
  EXPECT_NO_THROW(hdr(1, INT64_MAX, 5));
}

TEST(Hdr, LayoutMatchesHdrHistogram) {
  const hdr h;  // 1 .. 3.6e12, 3 digits: 2048 sub-buckets
  EXPECT_EQ(h.sub_bucket_count(), 2048);
  EXPECT_EQ(h.bucket_count(), 32);  // 2048 << 31 is the first power past 3.6e12
  EXPECT_EQ(h.counts_length(), 33 * 1024);
  // Below 2048 every value is its own bucket; 8192..16383 are counted in steps of 8.
  EXPECT_EQ(h.lowest_equivalent(2047), 2047);
  EXPECT_EQ(h.highest_equivalent(2047), 2047);
  EXPECT_EQ(h.lowest_equivalent(10007), 10000);
  EXPECT_EQ(h.highest_equivalent(10007), 10007);
  EXPECT_EQ(h.size_of_equivalent_range(10007), 8);
  EXPECT_EQ(h.median_equivalent(10007), 10004);
  EXPECT_TRUE(h.values_are_equivalent(10000, 10007));
  EXPECT_FALSE(h.values_are_equivalent(10007, 10008));
  // lowest discernible 1000 -> unit 512: 0..511 share bucket 0's first slot.
  const hdr coarse(1000, 1'000'000'000, 2);
  EXPECT_EQ(coarse.lowest_equivalent(511), 0);
  EXPECT_EQ(coarse.highest_equivalent(1), 511);
  EXPECT_EQ(coarse.lowest_equivalent(512), 512);
  // The top bucket of the widest layout ends exactly at INT64_MAX without overflowing.
  hdr widest(1, INT64_MAX, 2);
  EXPECT_EQ(widest.highest_equivalent(INT64_MAX), INT64_MAX);
  EXPECT_TRUE(widest.record(INT64_MAX));
  EXPECT_EQ(widest.max(), INT64_MAX);
}

TEST(Hdr, EveryIndexMapsBackToItsOwnBucket) {
  for (const hdr& h : {hdr(1, 1'000'000, 2), hdr(1000, 1'000'000'000'000, 3), hdr(7, 1 << 30, 0)}) {
    for (int i = 0; i < h.counts_length(); ++i) {
      const std::int64_t low = h.value_from_index(i);
      ASSERT_EQ(h.index_of(low), i) << "index " << i;
      ASSERT_EQ(h.index_of(h.highest_equivalent(low)), i) << "index " << i;
      if (i + 1 < h.counts_length()) {
        ASSERT_EQ(h.highest_equivalent(low) + 1, h.value_from_index(i + 1));
      }
    }
  }
}

TEST(Hdr, RecordsAndCountsOutOfRangeValuesWithoutCrashing) {
  hdr h(1, 1'000'000, 3);
  EXPECT_TRUE(h.record(0));
  EXPECT_TRUE(h.record(1'000'000, 3));
  EXPECT_FALSE(h.record(-1));
  EXPECT_FALSE(h.record(1'000'001, 2));
  EXPECT_FALSE(h.record(INT64_MAX));
  EXPECT_FALSE(h.record(INT64_MIN, 4));
  EXPECT_FALSE(h.record(5, -1));  // a negative count is refused, not counted
  EXPECT_TRUE(h.record(5, 0));
  EXPECT_EQ(h.total_count(), 4);
  EXPECT_EQ(h.out_of_range(), 1 + 2 + 1 + 4);
  EXPECT_EQ(h.count_at(1'000'000), 3);
  EXPECT_EQ(h.count_at(-5), 0);
  EXPECT_EQ(h.count_at(INT64_MAX), 0);
  EXPECT_EQ(h.count_at(5), 0);
  EXPECT_FALSE(h.record_corrected(-3, 1));
  EXPECT_EQ(h.out_of_range(), 9);
}

TEST(Hdr, CorrectedRecordingAddsTheMissedSamples) {
  hdr corrected;
  EXPECT_TRUE(corrected.record_corrected(10'000, 1'000));
  EXPECT_TRUE(corrected.record_corrected(2'500, 1'000));
  EXPECT_TRUE(corrected.record_corrected(999, 1'000));  // below the interval: just itself
  EXPECT_TRUE(corrected.record_corrected(5'000, 0));    // no interval: just itself
  EXPECT_TRUE(corrected.record_corrected(3'000, -20));
  // By hand: 10000 -> 10000, 9000, ..., 1000 (10 samples); 2500 -> 2500, 1500.
  hdr expected;
  for (std::int64_t v = 10'000; v >= 1'000; v -= 1'000) expected.record(v);
  for (std::int64_t v : {2'500, 1'500, 999, 5'000, 3'000}) expected.record(v);
  EXPECT_TRUE(corrected.same_counts(expected));
  EXPECT_EQ(corrected.total_count(), 15);
  EXPECT_EQ(corrected.count_at(1'000), 1);
  EXPECT_EQ(corrected.count_at(5'000), 2);
  EXPECT_EQ(corrected.count_at(500), 0);
}

// Seeded sample sets: uniform, lognormal (latency-like) and bimodal (fast cache hits, slow misses).
std::vector<std::int64_t> samples(const std::string& kind, std::uint32_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  std::uniform_int_distribution<std::int64_t> uniform(0, 5'000'000);
  std::lognormal_distribution<double> lognormal(9.0, 1.5);
  std::normal_distribution<double> fast(800, 120), slow(250'000, 40'000);
  std::bernoulli_distribution pick_slow(0.07);
  for (int i = 0; i < n; ++i) {
    double v = 0;
    if (kind == "uniform") {
      v = static_cast<double>(uniform(rng));
    } else if (kind == "lognormal") {
      v = lognormal(rng);
    } else {
      v = pick_slow(rng) ? slow(rng) : fast(rng);
    }
    out.push_back(std::clamp<std::int64_t>(std::llround(v), 0, 3'000'000'000'000));
  }
  return out;
}

struct data_case {
  std::string kind;
  std::int64_t lowest, highest;
  int digits;
};

// Readable test names in CTest instead of gtest's byte dump.
void PrintTo(const data_case& c, std::ostream* os) {
  *os << c.kind << " lowest=" << c.lowest << " highest=" << c.highest << " digits=" << c.digits;
}

class HdrData : public ::testing::TestWithParam<data_case> {};

TEST_P(HdrData, MergeOfDisjointSlicesEqualsTheWhole) {
  const auto& c = GetParam();
  const auto values = samples(c.kind, 7, 60'000);
  hdr whole(c.lowest, c.highest, c.digits);
  for (auto v : values) ASSERT_TRUE(whole.record(v));
  std::mt19937 rng(11);
  for (int parts : {2, 5, 17}) {
    std::vector<hdr> slices(static_cast<std::size_t>(parts), hdr(c.lowest, c.highest, c.digits));
    for (auto v : values) slices[rng() % static_cast<unsigned>(parts)].record(v);
    hdr merged(c.lowest, c.highest, c.digits);
    for (const auto& s : slices) merged.add(s);
    EXPECT_TRUE(merged.same_counts(whole)) << parts << " slices";
    for (int i = 0; i < whole.counts_length(); ++i) {
      ASSERT_EQ(merged.count_at_index(i), whole.count_at_index(i)) << "bucket " << i;
    }
    EXPECT_EQ(merged.total_count(), whole.total_count());
    EXPECT_EQ(merged.min(), whole.min());
    EXPECT_EQ(merged.max(), whole.max());
    EXPECT_DOUBLE_EQ(merged.mean(), whole.mean());
  }
}

TEST_P(HdrData, PercentilesStayWithinThePrecisionOfTheExactValue) {
  const auto& c = GetParam();
  auto values = samples(c.kind, 3, 25'001);
  hdr h(c.lowest, c.highest, c.digits);
  for (auto v : values) ASSERT_TRUE(h.record(v));
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  const double precision = std::pow(10.0, -c.digits);
  for (double p :
       {0.0, 0.001, 1.0, 10.0, 25.0, 33.3, 50.0, 66.6, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    // The exact value at the percentile: the ceil(p * n)-th smallest sample (at least the first).
    const auto rank = std::max<std::int64_t>(static_cast<std::int64_t>(std::ceil(p / 100 * n)), 1);
    const std::int64_t exact = values[static_cast<std::size_t>(rank - 1)];
    const std::int64_t got = h.value_at_percentile(p);
    EXPECT_TRUE(h.values_are_equivalent(got, exact)) << "p" << p << ": " << got << " vs " << exact;
    EXPECT_EQ(got, p == 0 ? h.lowest_equivalent(exact) : h.highest_equivalent(exact)) << "p" << p;
    // The bucket width bound: within 10^-digits relative (plus the lowest discernible unit).
    EXPECT_LE(std::abs(static_cast<double>(got - exact)),
              static_cast<double>(exact) * precision * 2 + static_cast<double>(c.lowest))
        << "p" << p;
    // And the reverse query brackets it.
    EXPECT_GE(h.percentile_at_or_below(exact), p == 0 ? 0.0 : p - 1e-9) << "p" << p;
  }
  EXPECT_EQ(h.min(), h.lowest_equivalent(values.front()));
  EXPECT_EQ(h.max(), h.highest_equivalent(values.back()));
  EXPECT_DOUBLE_EQ(h.percentile_at_or_below(values.back()), 100.0);
}

TEST_P(HdrData, IterationCoversEveryCountInOrder) {
  const auto& c = GetParam();
  const auto values = samples(c.kind, 5, 10'000);
  hdr h(c.lowest, c.highest, c.digits);
  for (auto v : values) h.record(v);
  std::int64_t total = 0, previous = -1;
  double weighted = 0;
  h.for_each_recorded([&](std::int64_t value, std::int64_t count) {
    EXPECT_GT(value, previous);
    EXPECT_EQ(value, h.highest_equivalent(value));
    EXPECT_EQ(h.count_at(value), count);
    previous = value;
    total += count;
    weighted += static_cast<double>(h.median_equivalent(value)) * static_cast<double>(count);
  });
  EXPECT_EQ(total, static_cast<std::int64_t>(values.size()));
  EXPECT_DOUBLE_EQ(h.mean(), weighted / static_cast<double>(total));
  // The mean of the raw samples is within the bucket precision of the histogram's.
  double raw = 0;
  for (auto v : values) raw += static_cast<double>(v);
  raw /= static_cast<double>(values.size());
  EXPECT_NEAR(h.mean(), raw, raw * std::pow(10.0, -c.digits) * 2 + static_cast<double>(c.lowest));
}

INSTANTIATE_TEST_SUITE_P(Distributions, HdrData,
                         ::testing::Values(data_case{"uniform", 1, 3'600'000'000'000, 3},
                                           data_case{"lognormal", 1, 3'600'000'000'000, 3},
                                           data_case{"bimodal", 1, 3'600'000'000'000, 3},
                                           data_case{"lognormal", 1, 100'000'000'000, 2},
                                           data_case{"bimodal", 1000, 10'000'000'000, 4},
                                           data_case{"uniform", 1, 10'000'000, 5},
                                           data_case{"lognormal", 16, 10'000'000'000, 1}),
                         [](const ::testing::TestParamInfo<data_case>& param_info) {
                           const data_case& c = param_info.param;
                           return c.kind + "_d" + std::to_string(c.digits) + "_l" +
                                  std::to_string(c.lowest);
                         });

TEST(Hdr, AddAcrossLayoutsReRecordsAtLowestEquivalents) {
  hdr fine(1, 1'000'000, 3), coarse(1, 100'000, 1);
  for (std::int64_t v : {0, 1, 150, 2047, 9'999, 80'000, 500'000}) fine.record(v, 2);
  fine.start_time_ms = 2000;
  fine.end_time_ms = 3000;
  coarse.start_time_ms = 1000;
  coarse.add(fine);
  // 500000 does not fit 1..100000: counted out of range, the rest lands in coarse buckets.
  EXPECT_EQ(coarse.total_count(), 12);
  EXPECT_EQ(coarse.out_of_range(), 2);
  EXPECT_EQ(coarse.count_at(0), 2);
  EXPECT_EQ(coarse.count_at(fine.lowest_equivalent(9'999)), 2);
  EXPECT_EQ(coarse.start_time_ms, 1000);
  EXPECT_EQ(coarse.end_time_ms, 3000);
  // Coarse into fine: every value is re-recorded at the coarse bucket's lowest value.
  hdr back(1, 1'000'000, 3);
  back.add(coarse);
  EXPECT_EQ(back.total_count(), 12);
  EXPECT_EQ(back.out_of_range(), 2);
  coarse.for_each_recorded([&](std::int64_t value, std::int64_t count) {
    EXPECT_EQ(back.count_at(coarse.lowest_equivalent(value)), count) << value;
  });
}

TEST(Hdr, StatisticsOfKnownValues) {
  hdr h;
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.value_at_percentile(50), 0);
  EXPECT_EQ(h.percentile_at_or_below(10), 100.0);
  for (std::int64_t v : {1, 2, 3, 4}) h.record(v);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 4);
  EXPECT_DOUBLE_EQ(h.mean(), 2.5);
  EXPECT_DOUBLE_EQ(h.stddev(), std::sqrt(1.25));
  EXPECT_EQ(h.value_at_percentile(25), 1);
  EXPECT_EQ(h.value_at_percentile(25.0001), 2);
  EXPECT_EQ(h.value_at_percentile(50), 2);
  EXPECT_EQ(h.value_at_percentile(100), 4);
  EXPECT_EQ(h.value_at_percentile(250), 4);  // clamped
  EXPECT_EQ(h.value_at_percentile(-5), 1);
  EXPECT_EQ(h.value_at_percentile(std::nan("")), 1);
  EXPECT_DOUBLE_EQ(h.percentile_at_or_below(2), 50.0);
  EXPECT_DOUBLE_EQ(h.percentile_at_or_below(-1), 0.0);
  EXPECT_DOUBLE_EQ(h.percentile_at_or_below(INT64_MAX), 100.0);
  h.record(0);
  EXPECT_EQ(h.min(), 0);
  // Large values: min/max report the bucket edges, not the raw samples.
  hdr big;
  big.record(1'000'003);
  EXPECT_EQ(big.min(), big.lowest_equivalent(1'000'003));
  EXPECT_EQ(big.max(), big.highest_equivalent(1'000'003));
  EXPECT_NE(big.min(), big.max());
}

TEST(Hdr, ResetClearsEverythingButTheLayout) {
  hdr h(1, 1'000'000, 2);
  h.record(5, 10);
  h.record(-1);
  h.tag = "x";
  h.start_time_ms = 5;
  h.reset();
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.out_of_range(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.count_at(5), 0);
  EXPECT_TRUE(h.tag.empty());
  EXPECT_EQ(h.start_time_ms, 0);
  EXPECT_TRUE(h.same_counts(hdr(1, 1'000'000, 2)));
  EXPECT_TRUE(h.record(7));
  EXPECT_EQ(h.min(), 7);
}

TEST(Hdr, SetCountAtIndexKeepsTheTotals) {
  hdr h(1, 100'000, 3);
  EXPECT_FALSE(h.set_count_at_index(-1, 1));
  EXPECT_FALSE(h.set_count_at_index(h.counts_length(), 1));
  EXPECT_FALSE(h.set_count_at_index(3, -1));
  const int i = h.index_of(50'000);
  EXPECT_TRUE(h.set_count_at_index(i, 4));
  EXPECT_TRUE(h.set_count_at_index(h.index_of(7), 1));
  EXPECT_EQ(h.total_count(), 5);
  EXPECT_EQ(h.max(), h.highest_equivalent(50'000));
  EXPECT_EQ(h.min(), 7);
}

// Global allocation counter: record() must never allocate.
std::size_t g_allocations = 0;

TEST(Hdr, RecordDoesNotAllocate) {
  hdr h;
  std::mt19937_64 rng(1);
  std::vector<std::int64_t> values(100'000);
  for (auto& v : values) v = static_cast<std::int64_t>(rng() % 3'000'000'000'000);
  const std::size_t before = g_allocations;
  for (auto v : values) h.record(v);
  for (auto v : values) h.record(v, 3);
  h.record(-1);
  EXPECT_EQ(g_allocations, before);
  EXPECT_EQ(h.total_count(), 400'000);
}

}  // namespace

// GCC pairs free() with the operator new it sees inlined; here both sides are malloc/free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop
