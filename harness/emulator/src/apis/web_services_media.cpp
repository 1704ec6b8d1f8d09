// Web Services v2 e-mail and chat interactions (004:1560-2301): replies and new e-mails,
// sending and cancelling them; chat messages, notices, history and consultations.

#include "../webhooks_out.hpp"
#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

http::response create_email(const call& c, world& w) {
  // CreateEmail: a new outbound e-mail, delivered as "Reply Created" (004:1909-1944).
  auto [st, guard] = lock(w);
  if (full(st, st.interactions)) return full_store(c, w);
  interaction_rec i;
  i.id = w.new_id();
  i.channel = "email";
  i.state = "ReplyCreated";
  i.type = str(c.body, "interactionType");
  i.sub_type = str(c.body, "interactionSubType");
  i.queue = str(c.body, "queueName");
  i.owner = c.principal;
  i.email = {{"interactionId", i.id}, {"toAddress", ""}, {"subject", ""}, {"text", ""}};
  st.interactions[i.id] = i;
  return ok_status();
}

std::string quoted(const call& c, const json& original, bool quote_by_default) {
  // "empty unless quoteOriginal ... pre-pended by replyToStartLine and modified with
  // indentCharacter" (004:1665, 1738, 1750).
  const json& q = member(c, "quoteOriginal");
  bool quote = q.is_boolean() ? q.get<bool>() : quote_by_default;
  if (!quote) return "";
  std::string indent = str(c.body, "indentCharacter"), out = str(c.body, "replyToStartLine");
  if (!out.empty()) out += "\n";
  std::string text = text_of(original, "text");
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    out += indent + text.substr(start, nl == std::string::npos ? nl : nl - start + 1);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

http::response reply(const call& c, world& w) {
  // Reply, ReplyAll, Forward create the outbound interaction (004:1656-1832).
  auto t = require(c, w, need::email_inbound);
  if (t.refusal) return *t.refusal;
  auto& st = t.l.st;
  interaction_rec* i = t.i;
  if (full(st, st.interactions)) return full_store(c, w);
  const std::string& op = c.op.operation_name;
  interaction_rec r;
  r.id = w.new_id();
  r.channel = "email";
  r.state = "ReplyCreated";
  r.type = "Outbound";
  r.sub_type = "OutboundReply";
  r.parent_id = i->id;
  r.queue = str(c.body, "queueName");
  r.owner = c.principal;
  r.user_data = i->user_data;
  const json& e = i->email;
  r.email = {{"interactionId", r.id},
             {"toAddress", op == "Forward" ? "" : text_of(e, "fromAddress")},
             {"fromAddress", text_of(e, "toAddress")},
             {"subject", str(c.body, "subjectPrefix") + text_of(e, "subject")},
             {"text", quoted(c, e, op == "ReplyAll")}};
  if (op == "ReplyAll" && e.contains("ccAddresses")) r.email["ccAddresses"] = e["ccAddresses"];
  st.interactions[r.id] = r;
  if (op == "Reply") return ok_status();
  return ok_status({{"replyInteractionId", r.id}});  // 004:1759-1763, 1818-1822
}

http::response send(const call& c, world& w) {
  auto t = require(c, w, need::email_draft);  // the e-mail goes to its queue (004:1834-1874)
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  const json& mail = member(c, "email_object");
  if (!mail.is_object()) return fail(c, w, 1, "email_object must be an object");
  for (const auto& [k, v] : mail.items()) i->email[k] = v;
  i->state = "Queued";
  i->queue = str(c.body, "queueName");
  i->owner.clear();
  return ok_status();
}

http::response cancel_reply(const call& c, world& w) {
  return remove_interaction(c, w, need::email_draft);  // 004:1876-1907
}

http::response send_message(const call& c, world& w) {
  auto t = require(c, w, need::chat);  // 004:2142-2174
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  chat_event(*i, "NEW_MESSAGE", c.principal, str(c.body, "text"));
  // A conversation that came in over Third-Party Messaging: the consumer gets the message.
  const json& u = i->user_data;
  if (u.is_object() && u.contains("TpmChannelId") && u["TpmChannelId"].is_string())
    tpm_agent_reply(w, u["TpmChannelId"], u.value("TpmFrom", ""), str(c.body, "text"));
  return ok_code();
}

http::response send_notification(const call& c, world& w) {
  auto t = require(c, w, need::chat);  // TypingStarted, TypingStopped (004:2176-2208)
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  chat_event(*i, "NOTICE", c.principal, nullptr, str(c.body, "notification"));
  return ok_code();
}

http::response request_history(const call& c, world& w) {
  auto t = require(c, w, need::chat);  // history from eventId on, by CometD (004:2210-2233)
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  if (!member(c, "eventId").is_null()) {
    std::string from = str(c.body, "eventId");
    int last = i->chat.empty() ? 0 : i->chat.back().value("EventId", 0);
    bool digits =
        !from.empty() && from.size() < 9 &&
        std::all_of(from.begin(), from.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits || std::stoi(from) < 1 || std::stoi(from) > last)
      return fail(c, w, 2, "eventId " + from + " is not an event of this chat");
  }
  return ok_code();
}

http::response start_consultation(const call& c, world& w) {
  auto t = require(c, w, need::chat);  // 004:2235-2256
  if (t.refusal) return *t.refusal;
  auto& st = t.l.st;
  interaction_rec* i = t.i;
  std::string agent = str(c.body, "agentId");
  const user_rec* u = find_user(st, agent);
  if (!u) return fail(c, w, 6, "no agent " + agent);
  if (u->id == c.principal || !i->consult_agent.empty())
    return fail(c, w, 2, "a consultation with " + agent + " cannot start now");
  i->consult_agent = u->id;
  return ok_numeric();
}

http::response finish_consultation(const call& c, world& w) {
  // CompleteTransfer hands the chat over; LeaveChatConsultation conferences (004:2258-2301).
  auto t = require(c, w, need::chat);
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  if (i->consult_agent.empty()) return fail(c, w, 2, "no consultation is in progress");
  std::string agent = i->consult_agent;
  i->consult_agent.clear();
  if (c.op.operation_name == "CompleteTransfer") {
    chat_event(*i, "PARTY_LEFT", c.principal, nullptr);
    i->owner = agent;
  } else {
    i->conference.push_back(agent);
  }
  chat_event(*i, "PARTY_JOINED", agent, nullptr);
  return ok_numeric();
}

}  // namespace

void chat_event(interaction_rec& i, const std::string& type, const std::string& who, json text,
                json notice) {
  int next = i.chat.empty() ? 1 : i.chat.back().value("EventId", 0) + 1;
  i.chat.push_back({{"EventId", next},
                    {"MessageType", type},
                    {"MessageText", text},
                    {"NoticeText", nullptr},
                    {"NoticeType", notice},
                    {"UserId", who},
                    {"UserType", "Agent"},
                    {"Visibility", "All"},
                    {"NickName", who}});
}

void add_media_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2MeCreateEmail"] = create_email;
  for (const char* id : {"wsV2MeReplyEmail", "wsV2MeReplyAllEmail", "wsV2MeForwardEmail"})
    table[id] = reply;
  table["wsV2MeSendEmail"] = send;
  table["wsV2MeCancelReplyEmail"] = cancel_reply;
  table["wsV2MeSendChatMessage"] = send_message;
  table["wsV2MeSendChatNotification"] = send_notification;
  table["wsV2MeRequestChatHistory"] = request_history;
  table["wsV2MeInitiateChatConsultation"] = start_consultation;
  table["wsV2MeCompleteChatTransfer"] = finish_consultation;
  table["wsV2MeCompleteChatConference"] = finish_consultation;
}

}  // namespace cxh::emulator::detail::ws
