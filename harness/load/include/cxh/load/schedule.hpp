#pragma once
// The open-model schedule: intended start times of flows, from a rate plan (constant or ramping
// stages) and an arrival process (uniform spacing or seeded Poisson).

#include <cstdint>
#include <cxh/load/profile.hpp>
#include <optional>
#include <random>
#include <vector>

namespace cxh::load {

// A piecewise-linear rate r(t); cumulative(t) = integral of r from 0 to t (expected starts).
class rate_plan {
 public:
  rate_plan(double start_rate, std::vector<stage> stages);
  static rate_plan from(const profile& p);  // arrival-rate executors only
  double duration_s() const { return total_s_; }
  double rate_at(double t) const;
  double cumulative(double t) const;
  double total() const { return cumulative(total_s_); }
  // The t at which cumulative(t) == x (x in [0, total()]); the first such t.
  double inverse(double x) const;

 private:
  double start_rate_;
  std::vector<stage> stages_;
  std::vector<double> t0_, n0_;  // stage start times and cumulative counts
  double total_s_ = 0;
};

// One worker's share of the schedule. The n-th start of the whole run happens at
// cumulative(t) = n + 1/2 (uniform); worker w of W takes n = w, w+W, ... . Poisson: each worker
// runs an independent process of rate r(t)/W (seed + w): their superposition is Poisson r(t).
class arrival_stream {
 public:
  arrival_stream(const rate_plan& plan, arrival_kind kind, std::uint64_t seed, unsigned worker,
                 unsigned workers);
  // Seconds from the start of the run; nullopt after the last one.
  std::optional<double> next();

 private:
  const rate_plan* plan_;
  arrival_kind kind_;
  unsigned worker_, workers_;
  std::uint64_t index_ = 0;
  double x_ = 0;  // position in expected-count space
  std::mt19937_64 rng_;
  std::exponential_distribution<double> exp_{1.0};
};

}  // namespace cxh::load
