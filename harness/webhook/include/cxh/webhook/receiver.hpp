#pragma once
// A webhook endpoint for tests and certification runs: verifies X-Hub-Signature (constant time),
// records deliveries (bounded), answers as the pages require ({"messageId": ...} for
// Third-Party Messaging), and can be told to fail so that a sender's retries show.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cxh/http/server.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cxh::webhook {

struct delivery {
  std::string path;
  std::string body;
  nlohmann::json json;  // null when the body is not JSON
  bool signature_valid = false;
  std::string trace_id;  // X-B3-TraceId
  int answered = 0;      // the status the receiver answered
  std::chrono::system_clock::time_point at;
};

// What the next requests get instead of the normal answer.
struct failure_plan {
  int status = 0;                      // answer this status (0: no status override)
  unsigned count = 0;                  // for this many requests
  std::chrono::milliseconds delay{0};  // wait before answering (deadline tests)
  bool reset = false;                  // reset the connection instead of answering
};

struct receiver_options {
  std::string secret;  // empty: signatures are not checked
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  bool check_signature = true;         // false: accept anything (a non-conforming receiver)
  bool answer_message_id = true;       // false: 200 {} (a receiver that omits messageId)
  std::size_t max_deliveries = 10000;  // oldest dropped beyond this
};

class receiver {
 public:
  explicit receiver(receiver_options opts);
  ~receiver();
  std::string start();  // "" or why it could not listen
  std::string url(const std::string& path = "/webhook") const;
  void fail_next(failure_plan plan);
  std::vector<delivery> deliveries() const;
  std::uint64_t requests() const;  // every request, counted before any failure plan
  // A delivery with a valid signature that satisfies `match`, waiting up to `within`.
  std::optional<delivery> await(const std::function<bool(const delivery&)>& match,
                                std::chrono::milliseconds within) const;

 private:
  http::response handle(const http::request& req);
  receiver_options opts_;
  std::unique_ptr<http::server> server_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::deque<delivery> log_;
  failure_plan plan_;
  std::uint64_t requests_ = 0, next_id_ = 1;
};

}  // namespace cxh::webhook
