#include "webhooks_out.hpp"

#include <cxh/webhook/sender.hpp>
#include <mutex>

#include "json_gate.hpp"

namespace cxh::emulator::detail {

namespace {

struct outbound {
  explicit outbound(const config&) {
    webhook::retry_policy p;
    p.max_attempts = 3;
    p.backoff = std::chrono::milliseconds(200);
    p.deadline = std::chrono::milliseconds(10000);  // 002:7273
    sender = std::make_unique<webhook::sender>(p);
  }
  std::unique_ptr<webhook::sender> sender;
};

std::string secret_of(const config& c) {
  if (!c.webhook_channel.empty()) {
    auto it = c.channel_secrets.find(c.webhook_channel);
    if (it != c.channel_secrets.end()) return it->second;
  }
  return c.channel_secrets.empty() ? "" : c.channel_secrets.begin()->second;
}

}  // namespace

void interaction_event(world& w, const std::string& event, const std::string& id,
                       const std::string& media) {
  const auto& url = w.cfg().interactions_webhook_url;
  if (url.empty()) return;
  json entity = {{"id", id}, {"selfUri", "/nexus/v3/openmedia/" + media + "/interactions/" + id}};
  if (media == "chat" || media == "email") entity["mediaType"] = media;
  json body = {{"operationId", w.new_id()},
               {"data", {{"entities", json::array({{{"event", event}, {"entity", entity}}})}}}};
  w.state<outbound>("webhooks-out").sender->deliver_async(url, secret_of(w.cfg()), body.dump());
}

std::string tpm_agent_reply(world& w, const std::string& channel_id, const std::string& to,
                            const json& text) {
  const auto& url = w.cfg().tpm_webhook_url;
  if (url.empty()) return "";
  std::string message_id = w.new_id();
  // An SMS-shaped agent message, as the SMS data flow prints it (002:7349-7373).
  json body = {{"channel",
                {{"id", channel_id},
                 {"type", "sms"},
                 {"from", {{"id", channel_id}}},
                 {"to", {{"id", to}}},
                 {"messageId", message_id}}},
               {"type", "Text"},
               {"text", text}};
  w.state<outbound>("webhooks-out").sender->deliver_async(url, secret_of(w.cfg()), body.dump());
  return message_id;
}

std::optional<http::response> webhooks_admin(const http::request& req, world& w) {
  if (req.path() != "/__cxh/admin/tpm/reply") return std::nullopt;
  if (req.method != "POST") return world::json_reply(405, {{"message", "POST only"}});
  const auto& url = w.cfg().tpm_webhook_url;
  if (url.empty()) {
    return world::json_reply(409, {{"message", "no third_party_messaging webhook URL configured"}});
  }
  auto gated = parse_gated(req.body);
  if (gated.result == gated_json::outcome::too_deep)
    return world::json_reply(400, {{"message", too_deep_message()}});
  const json& in = gated.value;
  if (!in.is_object() || !in.contains("text") || !in["text"].is_string()) {
    return world::json_reply(400, {{"message", "expected {\"channelId\", \"to\", \"text\"}"}});
  }
  std::string channel = in.value(
      "channelId", w.cfg().webhook_channel.empty() ? "demo-channel" : w.cfg().webhook_channel);
  std::string message_id = tpm_agent_reply(w, channel, in.value("to", "16504661149"), in["text"]);
  return world::json_reply(202, {{"messageId", message_id}});
}

}  // namespace cxh::emulator::detail
