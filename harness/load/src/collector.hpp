#pragma once
// The hand-off of interval statistics from the workers to the run's thread: once per second
// per worker, under a mutex (never on the request path). Merging is adding counts.

#include <condition_variable>
#include <cstddef>
#include <cxh/load/stats.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace cxh::load::detail {

class collector {
 public:
  collector(unsigned workers, std::size_t steps);
  // A worker delivers its statistics for interval `index` and gets an empty set back.
  std::unique_ptr<run_stats> deliver(unsigned worker, std::size_t index,
                                     std::unique_ptr<run_stats> full, bool last);
  // The next interval once every worker delivered it (or finished); nullopt when every worker
  // has finished and nothing is left, or on timeout (then `done` says which).
  std::optional<std::pair<std::size_t, run_stats>> next(std::chrono::milliseconds wait, bool& done);
  std::unique_ptr<run_stats> fresh();

 private:
  std::unique_ptr<run_stats> fresh_locked();
  std::mutex m_;
  std::condition_variable cv_;
  unsigned workers_;
  std::size_t steps_;
  std::map<std::size_t, run_stats> pending_;
  std::vector<std::optional<std::size_t>> delivered_;  // last index per worker
  std::vector<bool> finished_;
  std::vector<std::unique_ptr<run_stats>> pool_;
  std::size_t next_ = 0;
};

}  // namespace cxh::load::detail
