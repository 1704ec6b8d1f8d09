#include "third_party_chat.hpp"

#include "../bayeux/notifications.hpp"
#include "web_services.hpp"

namespace cxh::emulator::detail {

void route_third_party_text(const call& c, world& w, const std::string& channel_id,
                            const std::string& from, const std::string& text,
                            const std::string& message_id) {
  auto [st, guard] = ws::lock(w);
  // Routing: the first agent Ready on chat gets the conversation; with none, the message stays
  // stored on the TPM side only (nothing queues it for later).
  std::string agent;
  for (const auto& [id, a] : st.agents) {
    auto ch = a.channels.find("chat");
    if (ch != a.channels.end() && ch->second.state.state == "Ready" && !ch->second.dnd && !a.dnd &&
        a.in_session) {
      agent = id;
      break;
    }
  }
  if (agent.empty() || ws::full(st, st.interactions)) return;
  ws::interaction_rec i = ws::inbound_invitation(w, "chat", "ThirdPartyMessaging", agent);
  i.user_data = {{"Origination_Source", "ThirdPartyMessaging"},
                 {"TpmChannelId", channel_id},
                 {"TpmFrom", from},
                 {"TpmMessageId", message_id}};
  ws::chat_event(i, "PARTY_JOINED", from, nullptr);
  ws::chat_event(i, "NEW_MESSAGE", from, text);
  for (auto& e : i.chat) e["UserType"] = "Client";
  st.interactions[i.id] = i;
  publish_ws(w, agent, "/v2/me/interactions", ws::interaction_json(i, ws::base_uri(c)));
}

}  // namespace cxh::emulator::detail
