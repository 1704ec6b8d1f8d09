#pragma once
// One worker thread: an io_context, its connections, its share of the schedule and its
// statistics. Nothing here is shared with other threads except through the collector.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cxh/load/schedule.hpp>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "collector.hpp"
#include "plan.hpp"

namespace cxh::load::detail {

using clock = std::chrono::steady_clock;

// Read-only after the start: shared by the workers.
struct shared_run {
  const plan* pl = nullptr;
  const profile* prof = nullptr;
  boost::asio::ip::tcp::resolver::results_type endpoints;
  std::string host;                          // SNI and certificate name
  boost::asio::ssl::context* tls = nullptr;  // null: plain HTTP
  const rate_plan* rates = nullptr;          // null: closed model
  collector* col = nullptr;
  unsigned workers = 1;
  clock::time_point start, end;
  std::chrono::nanoseconds timeout{};
  const std::atomic<bool>* cancel = nullptr;
};

class connection;

class worker {
 public:
  worker(const shared_run& sh, unsigned id, unsigned connections, unsigned first_vu);
  ~worker();
  // Opens the connections before the start, so that connecting does not pollute the first
  // second. Returns how many failed.
  unsigned preconnect();
  void run();  // from the start to the end of the drain
  double cpu_seconds() const { return cpu_s_; }

  // For connections.
  boost::asio::io_context& io() { return ioc_; }
  const shared_run& shared() const { return sh_; }
  run_stats& stats() { return *cur_; }
  std::mt19937_64& rng() { return rng_; }
  void on_free(connection* c);
  // Keeps the first failures of the run (max_error_samples per worker) for the error log.
  void take_sample(error_sample e);

 private:
  void pump();
  void arm(clock::time_point at);
  void on_tick();
  void on_sweep();
  void on_end();
  void maybe_finish();
  std::size_t pick_flow();

  const shared_run& sh_;
  unsigned id_;
  boost::asio::io_context ioc_{1};
  std::vector<std::unique_ptr<connection>> conns_;
  std::vector<connection*> idle_;
  std::optional<arrival_stream> stream_;
  std::optional<double> next_;
  boost::asio::steady_timer arrival_timer_, tick_timer_, sweep_timer_, end_timer_;
  bool armed_ = false;
  clock::time_point armed_for_;
  std::unique_ptr<run_stats> cur_;
  std::size_t interval_ = 0;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  std::uint64_t local_seq_ = 0;
  std::size_t busy_ = 0, samples_taken_ = 0;
  bool stopping_ = false, finished_ = false;
  double cpu_s_ = 0;
};

}  // namespace cxh::load::detail
