// Interval hand-off (collector.hpp).

#include "collector.hpp"

#include <algorithm>

namespace cxh::load::detail {

collector::collector(unsigned workers, std::size_t steps)
    : workers_(workers), steps_(steps), delivered_(workers), finished_(workers, false) {}

std::unique_ptr<run_stats> collector::fresh_locked() {
  if (!pool_.empty()) {
    auto s = std::move(pool_.back());
    pool_.pop_back();
    return s;
  }
  auto s = std::make_unique<run_stats>();
  s->resize(steps_);
  return s;
}

std::unique_ptr<run_stats> collector::fresh() {
  std::lock_guard lock(m_);
  return fresh_locked();
}

std::unique_ptr<run_stats> collector::deliver(unsigned worker, std::size_t index,
                                              std::unique_ptr<run_stats> full, bool last) {
  std::lock_guard lock(m_);
  auto& slot = pending_[index];
  if (slot.ops.empty()) slot.resize(steps_);
  slot.add(*full);
  full->reset();
  pool_.push_back(std::move(full));
  delivered_[worker] = index;
  if (last) finished_[worker] = true;
  cv_.notify_all();
  return fresh_locked();
}

std::optional<std::pair<std::size_t, run_stats>> collector::next(std::chrono::milliseconds wait,
                                                                 bool& done) {
  std::unique_lock lock(m_);
  auto ready = [&] {
    for (unsigned w = 0; w < workers_; ++w)
      if (!finished_[w] && (!delivered_[w] || *delivered_[w] < next_)) return false;
    return true;
  };
  done = false;
  if (!cv_.wait_for(lock, wait, ready)) return std::nullopt;
  auto it = pending_.find(next_);
  if (it == pending_.end()) {
    // Every worker finished before this interval.
    if (std::all_of(finished_.begin(), finished_.end(), [](bool f) { return f; }) &&
        pending_.empty()) {
      done = true;
      return std::nullopt;
    }
    run_stats empty;
    empty.resize(steps_);
    return std::pair{next_++, std::move(empty)};
  }
  auto out = std::pair{next_++, std::move(it->second)};
  pending_.erase(it);
  return out;
}

}  // namespace cxh::load::detail
