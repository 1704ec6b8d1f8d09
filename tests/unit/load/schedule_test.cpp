#include <gtest/gtest.h>

#include <cmath>
#include <cxh/load/schedule.hpp>

using namespace cxh::load;

namespace {

std::vector<double> all(const rate_plan& plan, arrival_kind k, std::uint64_t seed, unsigned w,
                        unsigned workers) {
  arrival_stream s(plan, k, seed, w, workers);
  std::vector<double> out;
  while (auto t = s.next()) out.push_back(*t);
  return out;
}

}  // namespace

TEST(LoadSchedule, ConstantUniformIsEvenlySpaced) {
  rate_plan plan(100, {{10, 100}});
  auto t = all(plan, arrival_kind::uniform, 1, 0, 1);
  ASSERT_EQ(t.size(), 1000u);
  EXPECT_NEAR(t[0], 0.005, 1e-9);
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], 0.01, 1e-9);
}

TEST(LoadSchedule, WorkersShareTheSequence) {
  rate_plan plan(100, {{1, 100}});
  auto a = all(plan, arrival_kind::uniform, 1, 0, 2), b = all(plan, arrival_kind::uniform, 1, 1, 2);
  EXPECT_EQ(a.size() + b.size(), 100u);
  EXPECT_NEAR(b[0] - a[0], 0.01, 1e-9);
}

TEST(LoadSchedule, RampingStagesIntegrateToTheRequestCount) {
  // 0 -> 100/s over 10 s (500), hold 5 s (500), 100 -> 20/s over 4 s (240): 1240 starts.
  rate_plan plan(0, {{10, 100}, {5, 100}, {4, 20}});
  EXPECT_DOUBLE_EQ(plan.total(), 1240);
  EXPECT_DOUBLE_EQ(plan.duration_s(), 19);
  auto t = all(plan, arrival_kind::uniform, 1, 0, 1);
  EXPECT_EQ(t.size(), 1240u);
  // Half the ramp's requests arrive after t = 10/sqrt(2).
  std::size_t before = 0;
  for (double x : t) before += x < 10 / std::sqrt(2.0) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(before), 250, 1);
  for (std::size_t i = 1; i < t.size(); ++i) ASSERT_GE(t[i], t[i - 1]);
  EXPECT_LE(t.back(), 19);
  EXPECT_NEAR(plan.inverse(plan.cumulative(12.3)), 12.3, 1e-9);
  EXPECT_NEAR(plan.rate_at(17), 60, 1e-9);
}

TEST(LoadSchedule, PoissonIsSeededAndReproducible) {
  rate_plan plan(200, {{50, 200}});
  auto a = all(plan, arrival_kind::poisson, 9, 0, 1);
  auto b = all(plan, arrival_kind::poisson, 9, 0, 1);
  auto c = all(plan, arrival_kind::poisson, 10, 0, 1);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // 10000 expected; a Poisson count has sd 100.
  EXPECT_NEAR(static_cast<double>(a.size()), 10000, 500);
  // Exponential gaps: mean 5 ms, coefficient of variation 1.
  double sum = 0, sq = 0;
  for (std::size_t i = 1; i < a.size(); ++i) {
    double g = a[i] - a[i - 1];
    sum += g;
    sq += g * g;
  }
  double n = static_cast<double>(a.size() - 1), mean = sum / n;
  double cv = std::sqrt(sq / n - mean * mean) / mean;
  EXPECT_NEAR(mean, 0.005, 0.0003);
  EXPECT_NEAR(cv, 1.0, 0.05);
}

TEST(LoadSchedule, PoissonWorkersSuperpose) {
  rate_plan plan(100, {{100, 100}});
  std::size_t total = 0;
  for (unsigned w = 0; w < 4; ++w) total += all(plan, arrival_kind::poisson, 3, w, 4).size();
  EXPECT_NEAR(static_cast<double>(total), 10000, 500);
}
