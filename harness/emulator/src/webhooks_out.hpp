#pragma once
// The emulator as the sender of webhooks (WEBHOOKS.md): Interactions Webhook STARTED/FINISHED
// after Open Media interactions are created and stopped, and Third-Party Messaging agent
// replies, signed and redelivered by cxh::webhook::sender on its own thread.
#include <optional>
#include <string>

#include "world.hpp"

namespace cxh::emulator::detail {

// STARTED or FINISHED for an interaction, when an Interactions Webhook URL is configured.
void interaction_event(world& w, const std::string& event, const std::string& id,
                       const std::string& media);
// An agent's message to a Third-Party Messaging consumer, posted to the TPM webhook; its
// messageId, or "" when no TPM webhook URL is configured.
std::string tpm_agent_reply(world& w, const std::string& channel_id, const std::string& to,
                            const json& text);
// POST /__cxh/admin/tpm/reply {"channelId", "to", "text"}: an agent reply to the TPM webhook.
std::optional<http::response> webhooks_admin(const http::request& req, world& w);

}  // namespace cxh::emulator::detail
