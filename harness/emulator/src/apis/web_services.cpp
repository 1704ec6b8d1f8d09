// Web Services v2 (/api/v2; 003, 004): the handler table, and the agent's own state: /me, its
// devices and channels, agent states per channel and for all channels, do-not-disturb,
// contact center sessions and the password (004:572-1108, 3514-3634).

#include "web_services.hpp"

#include "../bayeux/notifications.hpp"

namespace cxh::emulator::detail {

namespace ws {

namespace {

http::response get_me(const call& c, world& w) {
  // Overall User State: the user's devices and channels (004:611-660).
  auto [st, guard] = lock(w);
  json body = json::object();
  if (const user_rec* u = find_user(st, c.principal)) body = user_json(st, *u, c, false);
  body["statusCode"] = c.defect(mutation::ws_me_status_code_nonzero) ? 1 : 0;
  body["devices"] = json::array();
  for (const auto& [id, d] : st.devices)
    if (d.owner == c.principal) body["devices"].push_back(device_json(st, d, base_uri(c)));
  body["channels"] = json::array();
  for (const auto& [name, ch] : agent_of(st, c).channels)
    body["channels"].push_back(channel_json(name, ch));
  if (c.defect(mutation::ws_subresources_ignored)) body.erase("channels");
  return world::json_reply(200, body);
}

http::response get_my_devices(const call& c, world& w) {
  // URIs, or the devices themselves with fields=* (004:60-107, 671-711).
  auto [st, guard] = lock(w);
  std::string base = base_uri(c);
  json list = json::array();
  for (const auto& [id, d] : st.devices)
    if (d.owner == c.principal)
      list.push_back(full_objects(c) ? device_json(st, d, base) : json(base + "/devices/" + id));
  return ok_code({{full_objects(c) ? "devices" : "uris", list}});
}

http::response get_my_device(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:722-759
  auto it = st.devices.find(c.params.at("id"));
  if (it == st.devices.end() || it->second.owner != c.principal)
    return fail(c, w, 6, "device " + c.params.at("id") + " is not one of yours");
  return ok_code({{"device", device_json(st, it->second, base_uri(c))}});
}

http::response get_my_channels(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:761-808
  json list = json::array();
  for (const auto& [name, ch] : agent_of(st, c).channels) list.push_back(channel_json(name, ch));
  return ok_code({{"channels", list}});
}

http::response get_my_channel(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:810-849
  auto& channels = agent_of(st, c).channels;
  auto it = channels.find(c.params.at("channelId"));
  if (it == channels.end()) return fail(c, w, 6, "no channel " + c.params.at("channelId"));
  return ok_code({{"channel", channel_json(it->first, it->second)}});
}

// A channel signed out of the session (state Logout) takes no agent state until
// StartContactCenterSession signs it in (004:3601-3602).
bool signed_in(const channel_rec& ch) {
  return ch.state.state != "Logout";
}

// The caller's channel states on /v2/me/channels (004:1074-1107), after every change.
void notify_channels(world& w, const call& c, const agent_rec& a, const std::string& only = {}) {
  json list = json::array();
  for (const auto& [name, ch] : a.channels)
    if (only.empty() || name == only)
      list.push_back({{"channel", name},
                      {"userState", user_state_json(ch.state)},
                      {"dndState", ch.dnd ? "On" : "Off"}});
  publish_ws(w, c.principal, "/v2/me/channels", json{{"channels", list}});
}

http::response set_all_channels(const call& c, world& w) {
  // Ready / NotReady for all channels (004:855-919).
  auto [st, guard] = lock(w);
  const agent_state_def* target = find_agent_state(st, c.op.operation_name);
  auto& a = agent_of(st, c);
  bool any = false;
  bool apply = !c.defect(mutation::ws_ready_not_applied);
  for (auto& [name, ch] : a.channels)
    if (signed_in(ch)) {
      if (apply) ch.state = *target;
      any = true;
    }
  if (!any)  // 2 "not valid for the current state"; alternate reading: 3 "forbidden"
    return fail(c, w, c.alternate(w) ? 3 : 2,
                "no channel is in a contact center session; StartContactCenterSession");
  notify_channels(w, c, a);
  return ok_status();
}

http::response set_channel(const call& c, world& w) {
  // Ready, NotReady or a configured agent state such as OutToLunch for one channel
  // (004:996-1070; operation names from /settings/agent-states, 004:503).
  auto [st, guard] = lock(w);
  auto& channels = agent_of(st, c).channels;
  auto it = channels.find(c.params.at("channelId"));
  if (it == channels.end()) return fail(c, w, 6, "no channel " + c.params.at("channelId"));
  std::string name = str(c.body, "operationName");
  const agent_state_def* target = find_agent_state(st, name);
  if (!target) return fail(c, w, 2, "no agent state with operationName '" + name + "'");
  if (!signed_in(it->second))
    return fail(c, w, 2, "channel " + it->first + " is signed out; StartContactCenterSession");
  if (!c.defect(mutation::ws_channel_state_not_applied)) it->second.state = *target;
  notify_channels(w, c, agent_of(st, c), it->first);
  return ok_status();
}

void set_dnd(state& st, const call& c, bool on) {
  // "applies to all devices and channels" (004:923, 958; 3631-3632).
  auto& a = agent_of(st, c);
  a.dnd = on;
  for (auto& [name, ch] : a.channels) ch.dnd = on;
  for (auto& [id, d] : st.devices)
    if (d.owner == c.principal) d.dnd = on;
}

http::response me_dnd(const call& c, world& w) {
  auto [st, guard] = lock(w);
  set_dnd(st, c, c.op.operation_name == "DoNotDisturbOn");
  notify_channels(w, c, agent_of(st, c));
  // The two sections print different results for the same request (004:937-943, 3631).
  if (c.op.operation_id.find("DeviceChannelManagement") != std::string::npos) return ok_code();
  return ok_status();
}

http::response channel_dnd(const call& c, world& w) {
  // /channels/{id}: do-not-disturb on one of the caller's channels (004:3631-3632).
  auto [st, guard] = lock(w);
  auto& channels = agent_of(st, c).channels;
  auto it = channels.find(c.params.at("id"));
  if (it == channels.end()) return fail(c, w, 6, "no channel " + c.params.at("id"));
  it->second.dnd = c.op.operation_name == "DoNotDisturbOn";
  notify_channels(w, c, agent_of(st, c), it->first);
  return ok_code();
}

http::response device_operation(const call& c, world& w) {
  // DoNotDisturbOn/Off, ForwardCallsOn/Off on one device (004:3628-3634).
  auto [st, guard] = lock(w);
  auto it = st.devices.find(c.params.at("id"));
  if (it == st.devices.end()) return fail(c, w, 6, "no device " + c.params.at("id"));
  device_rec& d = it->second;
  if (d.owner != c.principal)  // "Agent (only for objects owned by this agent)" (004:3296)
    return fail(c, w, 5, "device " + d.id + " is not assigned to you");
  const std::string& name = c.op.operation_name;
  if (name == "ForwardCallsOn") {
    std::string to = str(c.body, "destination");
    if (to.empty()) return fail(c, w, 1, "destination is required");
    d.forward_to = to;
  } else if (name == "ForwardCallsOff") {
    if (d.forward_to.empty())  // "a device that's currently forwarding calls" (004:3634)
      return fail(c, w, 2, "device " + d.id + " is not forwarding calls");
    d.forward_to.clear();
  } else {
    d.dnd = name == "DoNotDisturbOn";
  }
  return ok_code();
}

// Passwords travel base64-encoded (004:3517); an undecodable one is an invalid parameter.
std::optional<std::string> decoded(const call& c, const char* key) {
  bool ok = false;
  std::string v = base64_decode(str(c.body, key), &ok);
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace

// ChangePassword on /me and /users/{id}: oldPassword must match (004:3514-3571).
http::response change_password(const call& c, world& w, const std::string& user_id) {
  auto [st, guard] = lock(w);
  auto it = st.users.find(user_id);
  if (it == st.users.end()) return fail(c, w, 6, "no user " + user_id);
  auto old_pw = decoded(c, "oldPassword"), new_pw = decoded(c, "newPassword");
  if (!old_pw || !new_pw) return fail(c, w, 2, "oldPassword and newPassword must be base64");
  if (new_pw->empty()) return fail(c, w, 2, "the new password is empty");
  // A configured user's password is the world's (the Auth API may have changed it). The codes
  // table names no code for a wrong old password (004:271-280): 2 "not valid", or in the
  // alternate reading 3 "forbidden" (schemas/ws-v2-me.json x-decision).
  auto configured = w.password_of(user_id);
  if (!secure_equals(configured ? *configured : it->second.password, *old_pw))
    return fail(c, w, c.alternate(w) ? 3 : 2, "oldPassword does not match the existing password");
  it->second.password = *new_pw;
  it->second.change_password_on_first_login = false;
  if (configured) apply_password_change(c, w, user_id, *new_pw);
  return ok_code();
}

// The new password signs in everywhere; older tokens and cookies of the user end, except the
// changing user's own WS session ("use the new password upon next login", 004:3645).
void apply_password_change(const call& c, world& w, const std::string& user_id,
                           const std::string& password) {
  w.change_password(user_id, password);
  if (c.principal == user_id) notifications_of(w).keep_cookie(w, user_id);
}

namespace {

http::response me_change_password(const call& c, world& w) {
  return change_password(c, w, c.principal);
}

http::response start_session(const call& c, world& w) {
  // StartContactCenterSession signs the named channels in (004:3601).
  auto [st, guard] = lock(w);
  auto& a = agent_of(st, c);
  if (!member(c, "channels").is_array() || member(c, "channels").empty())
    return fail(c, w, 1, "channels names no channel");
  const json& names = member(c, "channels");
  for (const auto& n : names)
    if (!n.is_string() || !a.channels.count(n.get<std::string>()))
      return fail(c, w, 2, "no channel " + n.dump());
  const agent_state_def* not_ready = find_agent_state(st, "NotReady");
  for (const auto& n : names) {
    auto& ch = a.channels[n.get<std::string>()];
    if (!signed_in(ch)) ch.state = *not_ready;
  }
  a.in_session = true;
  return ok_code();
}

http::response end_session(const call& c, world& w) {
  // EndContactCenterSession: agent logout on every device (004:3602); Offline (004:532-535).
  auto [st, guard] = lock(w);
  auto& a = agent_of(st, c);
  const agent_state_def* offline = find_agent_state(st, "Offline");
  for (auto& [name, ch] : a.channels) ch.state = *offline;
  a.in_session = false;
  return ok_code();
}

}  // namespace

}  // namespace ws

void add_web_services_handlers(std::unordered_map<std::string, api_handler>& table) {
  using namespace ws;
  table["wsV2MeGetOverallUserState"] = get_me;
  table["wsV2MeGetDevices"] = get_my_devices;
  table["wsV2MeGetDevice"] = get_my_device;
  table["wsV2MeGetChannels"] = get_my_channels;
  table["wsV2MeGetChannel"] = get_my_channel;
  table["wsV2MeReadyAllChannels"] = set_all_channels;
  table["wsV2MeNotReadyAllChannels"] = set_all_channels;
  table["wsV2MeReadyChannel"] = set_channel;
  table["wsV2MeNotReadyChannel"] = set_channel;
  table["wsV2MeSetChannelAgentState"] = set_channel;
  for (const char* id : {"wsV2MeDoNotDisturbOn", "wsV2MeDoNotDisturbOnDeviceChannelManagement",
                         "wsV2MeDoNotDisturbOff", "wsV2MeDoNotDisturbOffDeviceChannelManagement"})
    table[id] = me_dnd;
  table["wsV2ChannelDoNotDisturbOn"] = channel_dnd;
  table["wsV2ChannelDoNotDisturbOff"] = channel_dnd;
  for (const char* id : {"wsV2DeviceDoNotDisturbOn", "wsV2DeviceDoNotDisturbOff",
                         "wsV2DeviceForwardCallsOn", "wsV2DeviceForwardCallsOff"})
    table[id] = device_operation;
  table["wsV2MeChangePassword"] = me_change_password;
  table["wsV2MeStartContactCenterSession"] = start_session;
  table["wsV2MeEndContactCenterSession"] = end_session;
  add_interaction_handlers(table);
  add_media_handlers(table);
  add_workbin_handlers(table);
  add_call_handlers(table);
  add_resource_handlers(table);
  add_settings_handlers(table);
}

}  // namespace cxh::emulator::detail
