// Web Services v2: the seed, the shared request and response helpers, and the JSON renderings
// of agents, devices, interactions, calls, skills and users.

#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

// The five basic agent states every contact center starts with; read only (004:511-541).
std::vector<agent_state_def> basic_agent_states() {
  return {
      {"D3663509-3D82-4DD3-A82E-2EA8EFA02AEF", "AfterCallWork", "AfterCallWork", "NotReady",
       "AfterCallWork", "", true},
      {"2B36138D-C564-4562-A8CB-3C32D564F296", "AuxWork", "AuxWork", "NotReady", "AuxWork", "",
       true},
      {"900D55CC-2BB0-431F-8BF9-D3525B383BE6", "NotReady", "Not Ready", "NotReady", "", "", true},
      {"0F7F5003-EF26-4D13-A6Ef-D0C7EC819BEB", "Offline", "Offline", "Logout", "", "", true},
      {"9430250E-0A1B-421F-B372-F29E69366DED", "Ready", "Ready", "Ready", "", "", true},
  };
}

}  // namespace

interaction_rec inbound_invitation(world& w, const std::string& channel, const std::string& queue,
                                   const std::string& owner) {
  interaction_rec i;
  i.id = w.new_id();
  i.channel = channel;
  i.state = "Invited";
  i.type = "Inbound";
  i.sub_type = "InboundNew";
  i.queue = queue;
  i.owner = owner;
  return i;
}

namespace {

interaction_rec email_invite(world& w, const std::string& owner) {
  // New E-mail Interaction (004:1963-1978, 2321-2385).
  interaction_rec i = inbound_invitation(w, "email", "SimpleEmailInQueue", owner);
  i.received_at = "2013-06-28T20:30:34Z";
  i.email = {{"interactionId", i.id},
             {"subject", "test_reply"},
             {"fromAddress", "Customer1@example.com"},
             {"toAddress", "support@example.com"},
             {"text", "This is email body.\r\nTesting, hopefully this will work"}};
  i.user_data = {{"Subject", "test_reply"},
                 {"FromAddress", "Customer1@example.com"},
                 {"To", "support@example.com"},
                 {"Mailbox", "support"},
                 {"Origination_Source", "Email"}};
  return i;
}

interaction_rec chat_invite(world& w, const std::string& owner) {
  // Chat Invited (004:2588-2646); the history the Accept delivers (004:2742-2806).
  interaction_rec i = inbound_invitation(w, "chat", "SimpleChatInQueue", owner);
  i.user_data = {{"Subject", "Customersupport"}, {"ServiceType", "default"}};
  const json none = nullptr;
  i.chat = json::array({{{"EventId", 1},
                         {"MessageType", "PARTY_JOINED"},
                         {"MessageText", none},
                         {"NoticeText", none},
                         {"NoticeType", none},
                         {"UserId", "009B51CDF64818CA"},
                         {"UserType", "Client"},
                         {"Visibility", "All"},
                         {"NickName", "CustomerName"}},
                        {{"EventId", 2},
                         {"MessageType", "NEW_MESSAGE"},
                         {"MessageText", "Hello, I need help"},
                         {"NoticeText", none},
                         {"NoticeType", none},
                         {"UserId", "009B51CDF64818CA"},
                         {"UserType", none},
                         {"Visibility", "All"},
                         {"NickName", none}}});
  return i;
}

void seed(state& st, world& w) {
  st.agent_states = basic_agent_states();
  // Supported features and whether a contact center has them by default (004:416-425).
  for (auto [id, text, assigned] :
       {std::tuple{"api-provisioning-read", "General provisioning read", true},
        std::tuple{"api-provisioning-write", "General provisioning write", true},
        std::tuple{"api-voice", "The API for the voice channel.", true},
        std::tuple{"ui-supervisor-provisioning-routing", "UI to provision routing", true},
        std::tuple{"ui-supervisor-provisioning-skill", "UI to provision skills", true},
        std::tuple{"ui-supervisor-provisioning-user", "UI to provision users", true},
        std::tuple{"ui-supervisor-recording", "UI to view call recordings", true},
        std::tuple{"ui-supervisor-reporting", "UI to view contact center statistics", true},
        std::tuple{"api-multimedia", "API for non-voice channels", false}})
    st.features.push_back({id, text, assigned});
  // The workbins of GetWorkbinTypesInfo (004:3815-3858).
  for (auto [id, name] :
       {std::pair{"RmFjZWJvb2sgV29ya2JpbiBJblByb2dyZXNzL1ByaXZhdGVWawV3",
                  "FacebookWorkbinInProgress"},
        std::pair{"VHdpdHRlciBXb3JrYmIuIERyYWZ0L1ByaXZhdGVWawV3", "TwitterWorkbinDraft"},
        std::pair{"VHdpdHRlciBXb3JrYmIuIEluUHJvZ3Jlc3MvUHJpdmF0ZVZpZXc=",
                  "TwitterWorkbinInProgress"},
        std::pair{"VGVzdFdvcmthW4vUHJpdmF0ZVZpZXc=", "TestWorkbin"},
        std::pair{"RmFjZWJvb2sgV29ya2JpbiBEcmFmdC9Qcm12YXRlVmlldw==", "FacebookWorkbinDraft"}})
    st.workbins.push_back({id, name, std::string(name) + "/PrivateView"});
  // Skills as printed (004:3104-3116), assigned to every configured agent.
  std::vector<std::string> skill_ids;
  for (auto [name, text] : {std::pair{"Might", "Brandishing of heavy and sharp long iron bars."},
                            std::pair{"Magic", "Declaiming of strange phrases."}}) {
    skill_rec s{w.new_id(), name, text};
    skill_ids.push_back(s.id);
    st.skills[s.id] = s;
  }
  // Queues are contacts too (004:3415).
  for (const char* q : {"SimpleEmailInQueue", "SimpleChatInQueue"}) {
    contact_rec k{w.new_id(), q, "Queue", ""};
    st.contacts[k.id] = k;
  }
  const agent_state_def* not_ready = find_agent_state(st, "NotReady");
  int n = 0;
  for (const auto& u : w.cfg().users) {
    user_rec r;
    r.id = u.id;
    r.user_name = u.username;
    r.password = u.password;
    r.first_name = u.username;
    for (const auto& id : skill_ids) r.skills[id] = "0";
    st.users[r.id] = r;
    agent_rec& a = st.agents[u.id];
    for (const char* ch : {"voice", "chat", "email"}) a.channels[ch] = {*not_ready, false};
    device_rec d{w.new_id(), u.id, std::to_string(5001 + n++), "", false};
    st.devices[d.id] = d;
    // One ringing inbound call and two invitations to act on (first use, as asked).
    call_rec k{w.new_id(),       u.id,  d.id,   "Ringing", "+16505550100", w.new_id(),
               {"+16505550100"}, false, w.now()};
    st.calls[k.id] = k;
    for (auto i : {email_invite(w, u.id), chat_invite(w, u.id)}) st.interactions[i.id] = i;
  }
}

std::vector<std::string> capabilities(const interaction_rec& i) {
  if (i.state == "Invited") return {"Accept", "Reject"};  // 004:1977
  if (i.state == "ReplyCreated")                          // 004:2081
    return {"Cancel", "Send", "PlaceInWorkbin", "UpdateProperties", "LinkAttachment"};
  if (i.state != "Accepted" && i.state != "Pulled") return {};
  if (i.channel == "email")  // 004:2054
    return {"Transfer",     "Reply",          "ReplyAll",        "StopProcessing",
            "PlaceInQueue", "PlaceInWorkbin", "UpdateProperties"};
  // 004:2852-2859 prints "Reply" for chat; the chat operations (004:2091-2104) stand for it.
  return {"Transfer",         "PlaceInQueue", "StopProcessing",  "PlaceInWorkbin",
          "UpdateProperties", "SendMessage",  "SendNotification"};
}

}  // namespace

locked lock(world& w) {
  auto& st = w.state<state>("web_services");
  std::unique_lock guard(st.m);
  if (!st.seeded) {
    seed(st, w);
    st.seeded = true;
  }
  return {st, std::move(guard)};
}

agent_rec& agent_of(state& st, const call& c) {
  // Basic authentication admits only configured users, and each was seeded with an agent.
  return st.agents[c.principal];
}

const agent_state_def* find_agent_state(const state& st, const std::string& operation_name) {
  for (const auto& s : st.agent_states)
    if (s.operation_name == operation_name) return &s;
  return nullptr;
}

const user_rec* find_user(const state& st, const std::string& id_or_name) {
  if (auto it = st.users.find(id_or_name); it != st.users.end()) return &it->second;
  for (const auto& [id, u] : st.users)
    if (http::iequals(u.user_name, id_or_name)) return &u;
  return nullptr;
}

std::string base_uri(const call& c) {
  auto host = c.req.fields.get("Host");
  return "http://" + std::string(host && !host->empty() ? *host : "localhost") + "/api/v2";
}

bool full_objects(const call& c) {
  auto f = c.req.query_param("fields");
  return f && !f->empty();
}

bool wants_subresource(const call& c, const char* name) {
  auto s = c.req.query_param("subresources");
  if (!s) return false;
  if (*s == "*") return true;
  std::string_view rest = *s;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    if (rest.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

std::string str(const json* body, const char* key) {
  if (!body || !body->is_object()) return "";
  auto it = body->find(key);
  return it != body->end() && it->is_string() ? it->get<std::string>() : "";
}

const json& member(const call& c, const char* key) {
  static const json none;
  if (!c.body || !c.body->is_object()) return none;
  auto it = c.body->find(key);
  return it == c.body->end() ? none : *it;
}

std::string last_segment(std::string_view uri) {
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  auto slash = uri.rfind('/');
  return std::string(slash == std::string_view::npos ? uri : uri.substr(slash + 1));
}

http::response ok_status(json extra) {
  extra["status"] = "ok";
  return world::json_reply(200, extra);
}

http::response ok_code(json extra) {
  extra["statusCode"] = 0;
  return world::json_reply(200, extra);
}

http::response ok_numeric(json extra) {
  extra["status"] = 0;
  return world::json_reply(200, extra);
}

http::response fail(const call& c, world& w, int code, const std::string& message,
                    const openapi::operation* envelope) {
  // The page names no HTTP status for a failure (004:265); the nearest 4xx carries it.
  int status = code == 6 ? 404 : code == 3 || code == 5 ? 403 : code == 4 ? 503 : 400;
  const openapi::operation& op = envelope ? *envelope : c.op;
  const json candidates[] = {
      {{"statusCode", code}, {"statusMessage", message}},    // 004:269-280
      {{"status", "error"}, {"errorDescription", message}},  // 003:96-101
      {{"status", code}, {"description", message}},          // 004:3865-3870
  };
  if (const auto* doc = op.response_for(status)) {
    if (const auto* m = doc->find_media("application/json"); m && m->body)
      for (const auto& body : candidates)
        if (m->body->is_valid(body)) return world::json_reply(status, body);
  }
  return w.error(&op, c.req.path(), status, message);
}

http::response full_store(const call& c, world& w) {
  return fail(c, w, 4, "the emulator's state is full (max_objects)");
}

json user_state_json(const agent_state_def& s) {
  json u{{"id", s.id}, {"displayName", s.display_name}, {"state", s.state}};
  if (!s.work_mode.empty()) u["workMode"] = s.work_mode;
  if (!s.reason.empty()) u["reason"] = s.reason;
  return u;
}

json channel_json(const std::string& name, const channel_rec& ch) {
  // 004:779-798; dndState as in the channel notification (004:1098).
  return {{"channel", name},
          {"userState", user_state_json(ch.state)},
          {"dndState", ch.dnd ? "On" : "Off"}};
}

json device_json(const state& st, const device_rec& d, const std::string& base) {
  // Device attributes (004:91-105, 3337-3358, 3382-3406).
  json j{{"id", d.id},
         {"uri", base + "/devices/" + d.id},
         {"phoneNumber", d.phone_number},
         {"e164Number", d.phone_number},
         {"telephonyNetwork", "Private"},
         {"doNotDisturb", d.dnd ? "On" : "Off"},
         {"capabilities",
          {d.dnd ? "DoNotDisturbOff" : "DoNotDisturbOn",
           d.forward_to.empty() ? "ForwardCallsOn" : "ForwardCallsOff"}}};
  auto a = st.agents.find(d.owner);
  j["deviceState"] = a != st.agents.end() && a->second.in_session ? "Active" : "Inactive";
  if (a != st.agents.end())
    if (auto v = a->second.channels.find("voice"); v != a->second.channels.end())
      j["userState"] = user_state_json(v->second.state);
  if (!d.forward_to.empty()) j["forwardTo"] = d.forward_to;
  return j;
}

json interaction_json(const interaction_rec& i, const std::string& base) {
  // InteractionStateMessage (004:1963-1978, 2016-2055); both spellings of the type name are
  // printed (003:395, 004:2382).
  json j{{"messageType", "InteractionStateMessage"},
         {"messageTypeName", "InteractionStateMessage"},
         {"id", i.id},
         {"uri", base + "/interactions/" + i.id},
         {"channel", i.channel},
         {"state", i.state},
         {"capabilities", capabilities(i)},
         {"interactionType", i.type},
         {"interactionSubType", i.sub_type},
         {"userData", i.user_data}};
  if (!i.queue.empty()) j["currentQueue"] = i.queue;
  if (!i.received_at.empty()) j["receivedAt"] = i.received_at;
  if (!i.parent_id.empty()) j["parentId"] = i.parent_id;
  if (!i.conference.empty()) j["participants"] = i.conference;
  if (i.channel == "email") {
    json e = i.email;
    e["attachments"] = json::array();
    for (const auto& [id, a] : i.attachments)  // 004:2032-2037
      e["attachments"].push_back(
          {{"id", id}, {"name", a.name}, {"size", a.bytes.size()}, {"mimetype", a.mime}});
    j["email_object"] = e;
  }
  if (i.channel == "chat") {
    j["chat_notifications"] = i.chat;
    j["sessionId"] = i.id;  // 004:2862
  }
  return j;
}

json call_json(const call_rec& k, const std::string& base, const world& w) {
  // CallStateChangeMessage's call (004:3690-3730), capabilities per state (004:3486).
  std::vector<std::string> caps;
  if (k.state == "Ringing") caps = {"Answer", "Hangup"};
  if (k.state == "Dialing") caps = {"Hangup"};
  if (k.state == "Held")
    caps = {"Hangup", "Retrieve", "SingleStepTransfer", "CompleteConference", "MergeWithOtherCall"};
  if (k.state == "Established") {
    caps = {"Hangup",
            "Hold",
            "SendDtmf",
            "SingleStepTransfer",
            "SingleStepConference",
            "InitiateConference",
            "CompleteConference",
            "MergeWithOtherCall",
            "SwapCalls",
            k.mute ? "UnmuteCall" : "MuteCall"};
    if (k.participants.size() > 1) caps.push_back("RemoveParticipantFromConference");
  }
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(w.now() - k.since).count();
  json info = json::array();
  for (const auto& p : k.participants)
    info.push_back({{"location", nullptr},
                    {"country", {{"name", ""}, {"code", ""}, {"callingCode", ""}}},
                    {"formattedPhoneNumber", p},
                    {"E164digits", p}});
  return {{"id", k.id},
          {"uri", base + "/me/calls/" + k.id},
          {"state", k.state},
          {"callUuid", k.call_uuid},
          {"deviceUri", base + "/devices/" + k.device_id},
          {"participants", k.participants},
          {"participantsInfo", info},
          {"ani", k.ani},
          {"capabilities", caps},
          {"duration", std::to_string(seconds)},
          {"mute", k.mute ? "On" : "Off"}};
}

json skill_json(const skill_rec& s, const std::string* level) {
  json j{{"id", s.id}, {"name", s.name}};
  if (!s.description.empty()) j["description"] = s.description;  // absent if unset (004:3088)
  if (level) j["level"] = *level;
  return j;
}

json user_json(const state& st, const user_rec& u, const call& c, bool subresources) {
  // User attributes (004:3005-3016); the password is never read back.
  std::string base = base_uri(c);
  auto a = st.agents.find(u.id);
  json j{{"id", u.id},
         {"uri", base + "/users/" + u.id},
         {"userName", u.user_name},
         {"firstName", u.first_name},
         {"lastName", u.last_name},
         {"roles", u.roles},
         {"changePasswordOnFirstLogin", u.change_password_on_first_login},
         {"doNotDisturb", a != st.agents.end() && a->second.dnd ? "On" : "Off"}};
  // Skills and devices only when asked for (004:152, 3013-3014).
  if (subresources && wants_subresource(c, "skills")) {
    j["skills"] = json::array();
    for (const auto& [id, level] : u.skills)
      if (auto s = st.skills.find(id); s != st.skills.end())
        j["skills"].push_back(skill_json(s->second, &level));
  }
  if (subresources && wants_subresource(c, "devices")) {
    j["devices"] = json::array();
    for (const auto& [id, d] : st.devices)
      if (d.owner == u.id) j["devices"].push_back(device_json(st, d, base));
  }
  return j;
}

}  // namespace cxh::emulator::detail::ws
