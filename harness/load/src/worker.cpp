// The worker loop: dispatches due flow starts to idle connections, ticks intervals, sweeps
// timeouts, drains at the end (worker.hpp).

#include "worker.hpp"

#include <time.h>

#include <algorithm>

#include "connection.hpp"

namespace cxh::load::detail {

namespace {

clock::duration seconds(double s) {
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

worker::worker(const shared_run& sh, unsigned id, unsigned connections, unsigned first_vu)
    : sh_(sh),
      id_(id),
      arrival_timer_(ioc_),
      tick_timer_(ioc_),
      sweep_timer_(ioc_),
      end_timer_(ioc_),
      rng_(sh.prof->seed * 0x2545F4914F6CDD1Dull + id) {
  for (unsigned i = 0; i < connections; ++i)
    conns_.push_back(std::make_unique<connection>(*this, first_vu + i));
  if (sh_.rates) stream_.emplace(*sh_.rates, sh_.prof->arrivals, sh_.prof->seed, id, sh_.workers);
  cur_ = sh_.col->fresh();
}

worker::~worker() = default;

unsigned worker::preconnect() {
  unsigned failed = 0;
  for (auto& c : conns_) c->open([&failed](bool ok) { failed += ok ? 0 : 1; });
  ioc_.run();
  ioc_.restart();
  return failed;
}

std::size_t worker::pick_flow() {
  const auto& cw = sh_.pl->cumulative_weight;
  if (cw.size() == 1) return 0;
  double u = unit_(rng_);
  auto it = std::upper_bound(cw.begin(), cw.end(), u);
  return std::min<std::size_t>(it - cw.begin(), cw.size() - 1);
}

void worker::run() {
  for (auto& c : conns_) idle_.push_back(c.get());
  std::reverse(idle_.begin(), idle_.end());
  if (stream_) next_ = stream_->next();
  tick_timer_.expires_at(sh_.start + std::chrono::seconds(1));
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_tick();
  });
  end_timer_.expires_at(sh_.end);
  end_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_end();
  });
  on_sweep();
  boost::asio::post(ioc_, [this] { pump(); });
  ioc_.run();
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  cpu_s_ = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void worker::pump() {
  if (stopping_) return maybe_finish();
  auto now = clock::now();
  if (!stream_) {
    // Closed model: every idle connection starts its next flow at once.
    while (!idle_.empty() && now < sh_.end) {
      auto* c = idle_.back();
      idle_.pop_back();
      ++busy_;
      cur_->started++;
      c->start_flow(now, sh_.pl->flows[pick_flow()], local_seq_++ * sh_.workers + id_);
    }
    return;
  }
  while (next_ && !idle_.empty()) {
    auto intended = sh_.start + seconds(*next_);
    if (intended > now) break;
    auto* c = idle_.back();
    idle_.pop_back();
    ++busy_;
    cur_->started++;
    c->start_flow(intended, sh_.pl->flows[pick_flow()], local_seq_++ * sh_.workers + id_);
    next_ = stream_->next();
  }
  if (next_ && !idle_.empty()) arm(sh_.start + seconds(*next_));
}

void worker::arm(clock::time_point at) {
  if (armed_ && armed_for_ <= at) return;
  armed_ = true;
  armed_for_ = at;
  arrival_timer_.expires_at(at);
  arrival_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // re-armed earlier, or stopping
    armed_ = false;
    pump();
  });
}

void worker::on_free(connection* c) {
  --busy_;
  idle_.push_back(c);
  if (stopping_) return maybe_finish();
  // Due starts go out now (the catch-up policy); otherwise the timer waits for the next one.
  pump();
}

void worker::take_sample(error_sample e) {
  if (samples_taken_ >= max_error_samples) return;
  ++samples_taken_;
  cur_->samples.push_back(std::move(e));
}

void worker::on_tick() {
  // A tick already queued when the worker finished must not deliver again (or re-arm).
  if (finished_) return;
  cur_->in_flight = busy_;
  cur_ = sh_.col->deliver(id_, interval_++, std::move(cur_), false);
  tick_timer_.expires_at(sh_.start + std::chrono::seconds(interval_ + 1));
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_tick();
  });
}

void worker::on_sweep() {
  if (finished_) return;
  auto now = clock::now();
  if (!stopping_ && sh_.cancel && sh_.cancel->load(std::memory_order_relaxed)) on_end();
  if (finished_) return;
  // After the end, requests in flight get the timeout to finish, then are cut as timeouts.
  for (auto& c : conns_)
    if (c->busy() && now - c->sent_at() > sh_.timeout) c->abort_timeout();
  auto period = std::clamp<clock::duration>(sh_.timeout / 10, std::chrono::milliseconds(5),
                                            std::chrono::milliseconds(100));
  sweep_timer_.expires_after(period);
  sweep_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_sweep();
  });
}

void worker::on_end() {
  if (stopping_) return;
  stopping_ = true;
  arrival_timer_.cancel();
  // Planned starts that never got a connection: counted, not dropped silently.
  while (next_) {
    cur_->unsent++;
    next_ = stream_->next();
  }
  maybe_finish();
}

void worker::maybe_finish() {
  if (finished_ || busy_ > 0) return;
  finished_ = true;
  tick_timer_.cancel();
  sweep_timer_.cancel();
  end_timer_.cancel();
  arrival_timer_.cancel();
  cur_->in_flight = 0;
  cur_ = sh_.col->deliver(id_, interval_, std::move(cur_), true);
  for (auto& c : conns_) c->close();
}

}  // namespace cxh::load::detail
