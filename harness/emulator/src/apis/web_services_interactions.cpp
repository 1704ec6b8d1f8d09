// Web Services v2 interactions of the agent (/me/interactions; 003, 004:1125-1558): the
// general operations by operationName. E-mail and chat operations: web_services_media.cpp.

#include "../bayeux/notifications.hpp"
#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

bool visible_to(const interaction_rec& i, const std::string& who) {
  return i.owner == who ||
         std::find(i.conference.begin(), i.conference.end(), who) != i.conference.end();
}

// The agent is working on it: accepted, or pulled back from a workbin (003:138, 004:4040).
bool working(const interaction_rec& i) {
  return i.state == "Accepted" || i.state == "Pulled";
}

interaction_rec* mine(state& st, const call& c) {
  auto it = st.interactions.find(c.params.at("id"));
  if (it == st.interactions.end() || !visible_to(it->second, c.principal)) return nullptr;
  return &it->second;
}

http::response not_found(const call& c, world& w, const openapi::operation* env = nullptr) {
  return fail(c, w, 6, "interaction " + c.params.at("id") + " is not one of yours", env);
}

http::response wrong_state(const call& c, world& w, const interaction_rec& i,
                           const openapi::operation* env = nullptr) {
  return fail(c, w, 2,
              c.op.operation_name + " is not valid for " + i.channel + " interaction " + i.id +
                  " in state " + i.state,
              env);
}

// What an operation needs before it acts: the interaction, owned, in an allowed state.
interaction_rec* ready(state& st, const call& c, need n, bool& allowed) {
  interaction_rec* i = mine(st, c);
  allowed = false;
  if (!i) return nullptr;
  bool owner = i->owner == c.principal;
  switch (n) {
    case need::owner_working:
      allowed = owner && working(*i);
      break;
    case need::owner_working_or_draft:
      allowed = owner && (working(*i) || i->state == "ReplyCreated");
      break;
    case need::email_inbound:  // Reply, ReplyAll, Forward: after an Accept (004:1658-1802)
      allowed = owner && working(*i) && i->channel == "email" && i->type == "Inbound";
      break;
    case need::email_draft:  // Send, CancelReplyEmail: the reply being written (004:1836-1878)
      allowed = owner && i->channel == "email" && i->state == "ReplyCreated";
      break;
    case need::chat:
      allowed = owner && working(*i) && i->channel == "chat";
      break;
  }
  return i;
}

// The InteractionStateMessage of /v2/me/interactions to one agent (003:70, 395, 413;
// 004:1167); `state` overrides the stored one (InvitedConference, LeftConference, Revoked).
void notify(const call& c, world& w, const interaction_rec& i, const std::string& to,
            const char* state = nullptr) {
  json n = interaction_json(i, base_uri(c));
  if (state) n["state"] = state;
  publish_ws(w, to, "/v2/me/interactions", n);
}

http::response get_interactions(const call& c, world& w) {
  // URIs, or the interactions in the notification format with fields=* (003:39-43).
  auto [st, guard] = lock(w);
  std::string base = base_uri(c);
  json list = json::array();
  for (const auto& [id, i] : st.interactions)
    if (visible_to(i, c.principal))
      list.push_back(full_objects(c) ? interaction_json(i, base)
                                     : json(base + "/interactions/" + id));
  return ok_code({{full_objects(c) ? "interactions" : "uris", list}});
}

http::response accept(const call& c, world& w) {
  // Accept an invitation (003:68-101); chat answers in statusCode (004:2106-2140).
  auto [st, guard] = lock(w);
  interaction_rec* i = mine(st, c);
  const openapi::operation* chat_op = w.spec().by_operation_id("wsV2MeAcceptChatInteraction");
  bool chat = i ? i->channel == "chat" : !member(c, "nickname").is_null();
  const openapi::operation* env = chat && chat_op ? chat_op : &c.op;
  if (!i) return not_found(c, w, env);
  if (i->state != "Invited" || i->owner != c.principal) return wrong_state(c, w, *i, env);
  i->state = "Accepted";
  if (!chat) {
    notify(c, w, *i, c.principal);  // "the true response" (004:1167)
    return ok_status();
  }
  std::string nick = str(c.body, "nickname");
  chat_event(*i, "PARTY_JOINED", c.principal, nullptr);
  if (!nick.empty()) i->chat.back()["NickName"] = nick;
  notify(c, w, *i, c.principal);  // with the chat history so far (004:2108)
  return ok_code();
}

http::response reject(const call& c, world& w) {
  // Reject: the system presents it to another agent, so it leaves this one (003:103-134).
  auto [st, guard] = lock(w);
  interaction_rec* i = mine(st, c);
  if (!i) return not_found(c, w);
  bool invited = i->state == "Invited" || c.defect(mutation::ws_reject_any_state);
  if (!invited || i->owner != c.principal) return wrong_state(c, w, *i);
  notify(c, w, *i, c.principal, "Revoked");  // it leaves this agent (COMETD.md)
  release_attachments(w, *i);
  st.interactions.erase(std::string(i->id));
  return ok_status();
}

}  // namespace

http::response remove_interaction(const call& c, world& w, need n) {
  auto t = require(c, w, n);
  if (t.refusal) return *t.refusal;
  release_attachments(w, *t.i);
  t.l.st.interactions.erase(std::string(t.i->id));
  return ok_status();
}

namespace {

http::response stop_processing(const call& c, world& w) {
  return remove_interaction(c, w, need::owner_working);  // the end of ownership (003:136-169)
}

http::response place_in_queue(const call& c, world& w) {
  auto t = require(c, w, need::owner_working);  // another person continues it (003:171-205)
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  i->state = "Queued";
  i->queue = str(c.body, "queue");
  i->owner.clear();
  i->conference.clear();
  return ok_status();
}

http::response update_properties(const call& c, world& w) {
  auto t =
      require(c, w, need::owner_working_or_draft);  // 003:207-250; 004:2081 lists it for drafts
  if (t.refusal) return *t.refusal;
  interaction_rec* i = t.i;
  const json& props = member(c, "properties");
  if (!props.is_object()) return fail(c, w, 1, "properties must be an object");
  for (const auto& [k, v] : props.items()) i->user_data[k] = v;
  return ok_status();
}

const workbin_rec* find_workbin(const state& st, const json& id) {
  // "workbin-identifiers" (003:261): an id or name, or an object carrying one.
  std::vector<std::string> keys;
  if (id.is_string()) keys.push_back(id.get<std::string>());
  if (id.is_object())
    for (const char* k : {"workbinId", "id", "workbinName", "name", "workbinTypeId"})
      if (id.contains(k) && id[k].is_string()) keys.push_back(id[k].get<std::string>());
  for (const auto& k : keys)
    for (const auto& b : st.workbins)
      if (b.id == k || b.name == k) return &b;
  return nullptr;
}

http::response place_in_workbin(const call& c, world& w) {
  auto t = require(c, w,
                   need::owner_working_or_draft);  // 003:252-282; state as notified (004:4113-4136)
  if (t.refusal) return *t.refusal;
  auto& st = t.l.st;
  interaction_rec* i = t.i;
  const workbin_rec* b = find_workbin(st, member(c, "workbin"));
  if (!b) return fail(c, w, 6, "no workbin " + member(c, "workbin").dump());
  i->state = "Queued";
  i->queue = b->name + "/PrivateQueue";
  i->workbin = b->id;
  i->workbin_agent = c.principal;
  i->owner.clear();
  i->conference.clear();
  return ok_status();
}

http::response get_workbin_content(const call& c, world& w) {
  // The content itself arrives by CometD (003:284-319); here the workbin must exist.
  auto [st, guard] = lock(w);
  if (!mine(st, c)) return not_found(c, w);
  if (!find_workbin(st, member(c, "workbin")))
    return fail(c, w, 6, "no workbin " + member(c, "workbin").dump());
  return ok_status();
}

http::response transfer(const call& c, world& w) {
  // To another agent, or to the agents of a skill (003:321-351, 004:1578).
  auto t = require(c, w, need::owner_working);
  if (t.refusal) return *t.refusal;
  auto& st = t.l.st;
  interaction_rec* i = t.i;
  std::string target = str(c.body, "targetId");
  const user_rec* u = find_user(st, target);
  const skill_rec* skill = nullptr;
  for (const auto& [id, s] : st.skills)
    if (id == target || s.name == target) skill = &s;
  if (!u && !skill) return fail(c, w, 6, "no agent or skill " + target);
  if (u && u->id == c.principal) return fail(c, w, 2, "cannot transfer to yourself");
  i->conference.clear();
  i->consult_agent.clear();
  if (u) {
    i->owner = u->id;
    i->state = "Invited";  // the target is invited as for a new interaction
    notify(c, w, *i, u->id);
  } else {
    i->owner.clear();
    i->state = "Queued";
    i->queue = skill->name;
  }
  return ok_status();
}

http::response start_conference(const call& c, world& w) {
  auto t = require(c, w, need::owner_working);  // two agents on one interaction (003:353-415)
  if (t.refusal) return *t.refusal;
  auto& st = t.l.st;
  interaction_rec* i = t.i;
  std::string agent = str(c.body, "agentId");
  const user_rec* u = find_user(st, agent);
  if (!u) return fail(c, w, 6, "no agent " + agent);
  if (u->id == c.principal || visible_to(*i, u->id))
    return fail(c, w, 2, "agent " + agent + " is already on interaction " + i->id);
  i->conference.push_back(u->id);
  notify(c, w, *i, u->id, "InvitedConference");  // 003:395
  return ok_status();
}

http::response leave_conference(const call& c, world& w) {
  // "the last remaining Agent will retain Interaction ownership" (003:417-449).
  auto [st, guard] = lock(w);
  interaction_rec* i = mine(st, c);
  if (!i) return not_found(c, w);
  std::string agent = str(c.body, "agentId");
  const user_rec* u = find_user(st, agent);
  std::string id = u ? u->id : agent;
  auto in = std::find(i->conference.begin(), i->conference.end(), id);
  if (in != i->conference.end()) {
    i->conference.erase(in);
  } else if (id == i->owner && !i->conference.empty()) {
    i->owner = i->conference.front();
    i->conference.erase(i->conference.begin());
  } else {
    return fail(c, w, 2, "agent " + agent + " is not in a conference on " + i->id);
  }
  notify(c, w, *i, i->owner, "LeftConference");  // the remaining agents (003:413)
  for (const auto& other : i->conference) notify(c, w, *i, other, "LeftConference");
  return ok_status();
}

}  // namespace

// The interaction an operation acts on, with the state lock held (see web_services.hpp).
target require(const call& c, world& w, need n) {
  target t{lock(w), nullptr, std::nullopt};
  bool allowed = false;
  t.i = ready(t.l.st, c, n, allowed);
  if (!t.i)
    t.refusal = not_found(c, w);
  else if (!allowed)
    t.refusal = wrong_state(c, w, *t.i);
  return t;
}

void add_interaction_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2MeGetInteractions"] = get_interactions;
  for (const char* id :
       {"wsV2MeAcceptInteraction", "wsV2MeAcceptEmailInteraction", "wsV2MeAcceptChatInteraction"})
    table[id] = accept;
  table["wsV2MeRejectInteraction"] = reject;
  table["wsV2MeStopProcessingInteraction"] = stop_processing;
  table["wsV2MePlaceInteractionInQueue"] = place_in_queue;
  table["wsV2MeUpdateInteractionProperties"] = update_properties;
  table["wsV2MePlaceInteractionInWorkbin"] = place_in_workbin;
  table["wsV2MeGetWorkbinContentOperation"] = get_workbin_content;
  table["wsV2MeTransferInteraction"] = transfer;
  table["wsV2MeStartConference"] = start_conference;
  table["wsV2MeEndConference"] = leave_conference;
}

}  // namespace cxh::emulator::detail::ws
