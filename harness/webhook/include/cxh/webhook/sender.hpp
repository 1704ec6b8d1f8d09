#pragma once
// Sends webhooks as Genesys does: POST JSON with X-Hub-Signature of the exact bytes and an
// X-B3-TraceId, a response deadline (10 s, spec/002_b62a95316013058d.txt:7273), and redelivery
// on 5xx, timeouts and connection errors per a policy (7282-7284). Keeps a log of every attempt,
// without secrets.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cxh/http/client.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cxh::webhook {

struct retry_policy {
  unsigned max_attempts = 3;
  std::chrono::milliseconds backoff{500};  // before the 2nd attempt; doubles after
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds deadline{10000};  // the receiver must answer within this
  std::uint64_t seed = 1;                     // jitter (0..backoff/2), reproducible
};

struct attempt {
  unsigned number = 0;
  int status = 0;     // 0: no answer
  std::string error;  // transport error or "deadline exceeded"
  double elapsed_ms = 0;
};

struct delivery_result {
  std::string url;
  std::string trace_id;
  bool delivered = false;  // a 2xx within the deadline
  std::vector<attempt> attempts;
  std::optional<nlohmann::json> answer;  // the 2xx body, when JSON
};

class sender {
 public:
  explicit sender(retry_policy policy = {}, std::shared_ptr<http::client> client = nullptr);
  ~sender();  // finishes the queued deliveries
  sender(const sender&) = delete;
  sender& operator=(const sender&) = delete;

  // Blocking: every attempt until delivered or out of attempts.
  delivery_result deliver(const std::string& url, std::string_view secret, const std::string& body,
                          std::string trace_id = "");
  // Queued on the sender's own thread, so callers (the emulator's request threads) never wait.
  void deliver_async(std::string url, std::string secret, std::string body,
                     std::string trace_id = "",
                     std::function<void(const delivery_result&)> done = {});
  std::vector<delivery_result> log() const;  // the last 1,000 deliveries
  // Waits until the queue is empty (tests).
  void drain();

 private:
  struct job {
    std::string url, secret, body, trace_id;
    std::function<void(const delivery_result&)> done;
  };
  void work();
  retry_policy policy_;
  std::shared_ptr<http::client> client_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<job> queue_;
  std::deque<delivery_result> log_;
  bool stopping_ = false, busy_ = false;
  std::uint64_t jitter_state_;
  std::thread worker_;
};

// A fresh 16-byte hex trace id (B3 propagation).
std::string new_trace_id();

}  // namespace cxh::webhook
