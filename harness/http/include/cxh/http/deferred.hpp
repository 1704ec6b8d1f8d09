#pragma once

// A response that is not ready when the handler returns (a long poll): the handler returns a
// response whose `later` points at a deferred, and completes it from any thread. The server
// holds the connection until then, or until max_wait passes (it then sends the timeout
// response), or abandons it when the client goes away or the server stops.

#include <chrono>
#include <cxh/http/message.hpp>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

namespace cxh::http {

class deferred {
 public:
  enum class state { pending, completed, timed_out, abandoned };

  deferred(std::chrono::milliseconds max_wait, response on_timeout)
      : max_wait_(max_wait), on_timeout_(std::move(on_timeout)) {}

  // The answer. The first of complete / timeout / abandon wins: false when too late, so that
  // the caller keeps whatever it meant to deliver (e.g. messages stay queued).
  bool complete(response r) { return resolve(state::completed, std::move(r)); }
  state current() const {
    std::lock_guard lock(m_);
    return state_;
  }
  bool pending() const { return current() == state::pending; }
  std::chrono::milliseconds max_wait() const { return max_wait_; }

  // Server side. `wake` runs once, on the resolving thread, when the state leaves pending (at
  // once if it already has). Cleared by the server before the connection's frame goes away.
  void on_resolved(std::function<void()> wake) {
    std::unique_lock lock(m_);
    if (state_ != state::pending) {
      lock.unlock();
      wake();
      return;
    }
    wake_ = std::move(wake);
  }
  void clear_wake() {
    std::lock_guard lock(m_);
    wake_ = nullptr;
  }
  // Ends the wait without an answer; returns the response to send (the completed one if it
  // came first, else the timeout response).
  response time_out() {
    resolve(state::timed_out, response{});
    std::lock_guard lock(m_);
    return state_ == state::completed ? std::move(*result_) : on_timeout_;
  }
  void abandon() { resolve(state::abandoned, response{}); }
  // The completed response (call once the state is `completed`).
  response take() {
    std::lock_guard lock(m_);
    return result_ ? std::move(*result_) : on_timeout_;
  }

 private:
  bool resolve(state s, response r) {
    std::function<void()> wake;
    {
      std::lock_guard lock(m_);
      if (state_ != state::pending) return false;
      state_ = s;
      if (s == state::completed) result_ = std::move(r);
      wake = std::move(wake_);
      wake_ = nullptr;
    }
    if (wake) wake();
    return true;
  }

  mutable std::mutex m_;
  state state_ = state::pending;
  std::optional<response> result_;
  std::function<void()> wake_;
  std::chrono::milliseconds max_wait_;
  response on_timeout_;
};

}  // namespace cxh::http
