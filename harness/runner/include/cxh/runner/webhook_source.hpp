#pragma once
// Webhook expectations (`expect.events: [{webhook: NAME, match: {...}}]`) answered by a
// cxh::webhook::receiver: NAME is the path the target posts to (/NAME), deliveries must carry a
// valid X-Hub-Signature and arrive after the step began.
#include <cxh/runner/runner.hpp>
#include <cxh/webhook/receiver.hpp>
#include <map>
#include <memory>
#include <mutex>

namespace cxh::runner {

class webhook_source final : public event_source {
 public:
  explicit webhook_source(std::shared_ptr<webhook::receiver> r) : receiver_(std::move(r)) {}
  std::string prepare(const std::string& channel) override;
  std::optional<nlohmann::json> await(const std::string& channel, const nlohmann::json& match,
                                      std::chrono::milliseconds within) override;

 private:
  std::shared_ptr<webhook::receiver> receiver_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::system_clock::time_point> since_;
};

}  // namespace cxh::runner
