// Rate plans and arrival streams (schedule.hpp).

#include <algorithm>
#include <cmath>
#include <cxh/load/schedule.hpp>

namespace cxh::load {

rate_plan::rate_plan(double start_rate, std::vector<stage> stages)
    : start_rate_(start_rate), stages_(std::move(stages)) {
  double t = 0, n = 0, from = start_rate_;
  for (const auto& s : stages_) {
    t0_.push_back(t);
    n0_.push_back(n);
    n += (from + s.target) / 2 * s.duration_s;
    t += s.duration_s;
    from = s.target;
  }
  total_s_ = t;
}

rate_plan rate_plan::from(const profile& p) {
  if (p.executor == executor_kind::ramping_arrival_rate) return rate_plan(p.start_rate, p.stages);
  return rate_plan(p.rate, {stage{p.duration_s, p.rate}});
}

double rate_plan::rate_at(double t) const {
  double from = start_rate_;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const auto& s = stages_[i];
    if (t < t0_[i] + s.duration_s || i + 1 == stages_.size()) {
      if (s.duration_s <= 0) return s.target;
      double f = std::clamp((t - t0_[i]) / s.duration_s, 0.0, 1.0);
      return from + (s.target - from) * f;
    }
    from = s.target;
  }
  return from;
}

double rate_plan::cumulative(double t) const {
  double from = start_rate_;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const auto& s = stages_[i];
    if (t < t0_[i] + s.duration_s || i + 1 == stages_.size()) {
      double dt = std::clamp(t - t0_[i], 0.0, s.duration_s);
      double slope = s.duration_s > 0 ? (s.target - from) / s.duration_s : 0;
      return n0_[i] + from * dt + slope * dt * dt / 2;
    }
    from = s.target;
  }
  return 0;
}

double rate_plan::inverse(double x) const {
  double from = start_rate_;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const auto& s = stages_[i];
    double n_end = n0_[i] + (from + s.target) / 2 * s.duration_s;
    if (x <= n_end || i + 1 == stages_.size()) {
      double dx = std::max(0.0, x - n0_[i]);
      double slope = s.duration_s > 0 ? (s.target - from) / s.duration_s : 0;
      double dt;
      if (std::abs(slope) < 1e-12) {
        dt = from > 0 ? dx / from : 0;
      } else {
        // slope/2 dt^2 + from dt - dx = 0; the root in [0, duration], in a cancellation-free form.
        double disc = std::max(0.0, from * from + 2 * slope * dx);
        dt = 2 * dx / (from + std::sqrt(disc));
        if (!std::isfinite(dt)) dt = s.duration_s;
      }
      return t0_[i] + std::min(dt, s.duration_s);
    }
    from = s.target;
  }
  return total_s_;
}

arrival_stream::arrival_stream(const rate_plan& plan, arrival_kind kind, std::uint64_t seed,
                               unsigned worker, unsigned workers)
    : plan_(&plan),
      kind_(kind),
      worker_(worker),
      workers_(workers ? workers : 1),
      rng_(seed * 0x9E3779B97F4A7C15ull + worker + 1) {}

std::optional<double> arrival_stream::next() {
  if (kind_ == arrival_kind::uniform) {
    x_ = static_cast<double>(index_++ * workers_ + worker_) + 0.5;
  } else {
    // Unit-rate Poisson in count space, thinned to this worker's share, mapped through the
    // inverse of the cumulative rate (time rescaling): a non-homogeneous Poisson process.
    x_ += exp_(rng_) * workers_;
  }
  if (x_ >= plan_->total()) return std::nullopt;
  return plan_->inverse(x_);
}

}  // namespace cxh::load
