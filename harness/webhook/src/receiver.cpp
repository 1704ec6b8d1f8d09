#include <condition_variable>
#include <cxh/core/bounded_dump.hpp>
#include <cxh/webhook/receiver.hpp>
#include <cxh/webhook/signature.hpp>

namespace cxh::webhook {

receiver::receiver(receiver_options opts) : opts_(std::move(opts)) {
  http::server_options so;
  so.address = opts_.address;
  so.port = opts_.port;
  so.threads = 2;
  server_ =
      std::make_unique<http::server>(so, [this](const http::request& r) { return handle(r); });
}

receiver::~receiver() {
  server_->stop(std::chrono::milliseconds(200));
}

std::string receiver::start() {
  return server_->start();
}

std::string receiver::url(const std::string& path) const {
  return "http://" + opts_.address + ":" + std::to_string(server_->port()) + path;
}

void receiver::fail_next(failure_plan plan) {
  std::lock_guard lock(mutex_);
  plan_ = plan;
}

std::vector<delivery> receiver::deliveries() const {
  std::lock_guard lock(mutex_);
  return {log_.begin(), log_.end()};
}

std::uint64_t receiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::optional<delivery> receiver::await(const std::function<bool(const delivery&)>& match,
                                        std::chrono::milliseconds within) const {
  std::unique_lock lock(mutex_);
  std::optional<delivery> found;
  arrived_.wait_for(lock, within, [&] {
    for (const auto& d : log_) {
      if (d.signature_valid && match(d)) {
        found = d;
        return true;
      }
    }
    return false;
  });
  return found;
}

http::response receiver::handle(const http::request& req) {
  delivery d;
  d.path = std::string(req.path());
  d.body = req.body;
  // Nesting bounded before parsing (nlohmann builds and destroys values recursively): a deeper
  // body is kept as text only.
  if (cxh::json_nesting_depth(req.body, 256) <= 256)
    d.json = nlohmann::json::parse(req.body, nullptr, false);
  else
    d.json = nlohmann::json(nlohmann::json::value_t::discarded);
  if (d.json.is_discarded()) d.json = nullptr;
  d.trace_id = std::string(req.fields.get("X-B3-TraceId").value_or(""));
  d.at = std::chrono::system_clock::now();
  auto header = req.fields.get(signature_header);
  d.signature_valid = !opts_.check_signature || opts_.secret.empty() ||
                      (header && verify(opts_.secret, req.body, *header));
  http::response out;
  std::unique_lock lock(mutex_);
  ++requests_;
  failure_plan plan;
  if (plan_.count > 0) {
    plan = plan_;
    --plan_.count;
  }
  if (plan.count > 0 && plan.reset) {
    out.fault = http::connection_fault::reset_before_response;
    return out;
  }
  if (req.method != "POST") {
    out = http::response::json(405, R"({"message":"webhooks are POST requests"})");
  } else if (!d.signature_valid) {
    // The signature proves origin and integrity (002:3123-3127): refuse what does not match.
    out = http::response::json(401, R"({"message":"X-Hub-Signature is missing or wrong"})");
  } else if (plan.count > 0 && plan.status) {
    out = http::response::json(plan.status, R"({"message":"told to fail"})");
  } else if (opts_.answer_message_id) {
    out = http::response::json(
        200, nlohmann::json{{"messageId", "rcv-" + std::to_string(next_id_++)}}.dump());
  } else {
    out = http::response::json(200, "{}");
  }
  if (plan.count > 0) out.delay = plan.delay;
  d.answered = out.status;
  log_.push_back(std::move(d));
  while (log_.size() > opts_.max_deliveries) log_.pop_front();
  lock.unlock();
  arrived_.notify_all();
  return out;
}

}  // namespace cxh::webhook
