#include <cxh/core/bounded_dump.hpp>
#include <cxh/webhook/sender.hpp>
#include <cxh/webhook/signature.hpp>
#include <random>

namespace cxh::webhook {

std::string new_trace_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return out;
}

sender::sender(retry_policy policy, std::shared_ptr<http::client> client)
    : policy_(policy),
      client_(client ? std::move(client) : std::make_shared<http::client>()),
      jitter_state_(policy.seed) {
  worker_ = std::thread([this] { work(); });
}

sender::~sender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

delivery_result sender::deliver(const std::string& url, std::string_view secret,
                                const std::string& body, std::string trace_id) {
  delivery_result r;
  r.url = url;
  r.trace_id = trace_id.empty() ? new_trace_id() : std::move(trace_id);
  auto backoff = policy_.backoff;
  for (unsigned n = 1; n <= std::max(1u, policy_.max_attempts); ++n) {
    http::client_request req;
    req.method = "POST";
    req.url = url;
    req.body = body;
    req.timeout = policy_.deadline;
    req.fields.set("Content-Type", "application/json");
    req.fields.set(std::string(signature_header), sign(secret, body));
    req.fields.set("X-B3-TraceId", r.trace_id);
    auto got = client_->send(req);
    attempt a;
    a.number = n;
    a.elapsed_ms = std::chrono::duration<double, std::milli>(got.elapsed).count();
    if (got.ok()) {
      a.status = got.response->status;
    } else {
      a.error =
          got.phase == http::error_phase::timeout ? "deadline exceeded: " + got.error : got.error;
    }
    r.attempts.push_back(a);
    if (got.ok() && a.status >= 200 && a.status < 300) {
      r.delivered = true;
      if (cxh::json_nesting_depth(got.response->body, 256) <= 256) {  // no deep recursion
        auto j = nlohmann::json::parse(got.response->body, nullptr, false);
        if (!j.is_discarded()) r.answer = std::move(j);
      }
      break;
    }
    // 4xx: the receiver refused this webhook for good; 5xx, timeouts, resets: redeliver.
    if (got.ok() && a.status < 500) break;
    if (n == policy_.max_attempts) break;
    std::uint64_t jitter;
    {
      std::lock_guard lock(mutex_);
      jitter_state_ = jitter_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      jitter = jitter_state_ >> 33;
    }
    auto wait = backoff + std::chrono::milliseconds(
                              backoff.count() > 1 ? jitter % (backoff.count() / 2 + 1) : 0);
    std::this_thread::sleep_for(wait);
    backoff = std::min(backoff * 2, policy_.max_backoff);
  }
  std::lock_guard lock(mutex_);
  log_.push_back(r);
  while (log_.size() > 1000) log_.pop_front();
  return r;
}

void sender::deliver_async(std::string url, std::string secret, std::string body,
                           std::string trace_id, std::function<void(const delivery_result&)> done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(
        {std::move(url), std::move(secret), std::move(body), std::move(trace_id), std::move(done)});
  }
  wake_.notify_one();
}

void sender::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    job j = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    auto r = deliver(j.url, j.secret, j.body, j.trace_id);
    if (j.done) j.done(r);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void sender::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

std::vector<delivery_result> sender::log() const {
  std::lock_guard lock(mutex_);
  return {log_.begin(), log_.end()};
}

}  // namespace cxh::webhook
