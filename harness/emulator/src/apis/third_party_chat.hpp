#pragma once
// Third-Party Messaging conversations on the agent's desktop (WEBHOOKS.md): a consumer's Text
// message becomes a Web Services v2 chat invitation for an agent Ready on chat, and what the
// agent sends in that chat goes back to the third party as a signed TPM webhook.
#include <string>

#include "../world.hpp"

namespace cxh::emulator::detail {

// Routes one inbound TPM Text message (already stored under message_id) to an agent.
void route_third_party_text(const call& c, world& w, const std::string& channel_id,
                            const std::string& from, const std::string& text,
                            const std::string& message_id);

}  // namespace cxh::emulator::detail
