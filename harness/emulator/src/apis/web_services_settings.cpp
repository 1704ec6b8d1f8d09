// Web Services v2 contact-center resources: features (004:368-425), settings and the agent
// state descriptors (004:427-569), and the contact center's interactions (003:34-49).

#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

json feature_json(const feature_rec& f) {
  return {{"id", f.id}, {"displayName", f.description}, {"description", f.description}};
}

// /features: the contact center's; /system/features: every one (004:376-389).
http::response feature_list(const call& c, world& w, bool system) {
  auto [st, guard] = lock(w);
  json list = json::array();
  for (const auto& f : st.features)
    if (system || f.assigned)
      list.push_back(full_objects(c) ? feature_json(f) : json(base_uri(c) + "/features/" + f.id));
  return ok_code({{full_objects(c) ? "features" : "uris", list}});
}

http::response list_features(const call& c, world& w) {
  return feature_list(c, w, false);
}
http::response list_system_features(const call& c, world& w) {
  return feature_list(c, w, true);
}

feature_rec* assigned_feature(state& st, const std::string& id) {
  for (auto& f : st.features)
    if (f.id == id && f.assigned) return &f;
  return nullptr;
}

http::response get_feature(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:400
  const feature_rec* f = assigned_feature(st, c.params.at("id"));
  if (!f) return fail(c, w, 6, "feature " + c.params.at("id") + " is not assigned");
  return ok_code({{"feature", feature_json(*f)}});
}

http::response delete_feature(const call& c, world& w) {
  auto [st, guard] = lock(w);  // "Removes the feature from the contact center" (004:401)
  feature_rec* f = assigned_feature(st, c.params.at("id"));
  if (!f) return fail(c, w, 6, "feature " + c.params.at("id") + " is not assigned");
  f->assigned = false;
  return ok_code();
}

http::response list_settings_groups(const call& c, world& w) {
  // General and Agent States (004:433-485).
  std::string base = base_uri(c);
  (void)w;
  return ok_code({{"settings",
                   {{{"displayName", "General"}, {"uri", base + "/settings/general-settings"}},
                    {{"displayName", "Agent States"}, {"uri", base + "/settings/agent-states"}}}}});
}

json agent_state_json(const agent_state_def& s) {
  json j{{"id", s.id},
         {"operationName", s.operation_name},
         {"displayName", s.display_name},
         {"state", s.state}};
  if (!s.work_mode.empty()) j["workMode"] = s.work_mode;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

http::response list_agent_states(const call& c, world& w) {
  auto [st, guard] = lock(w);  // key names the identifying attribute (004:468, 513-545)
  (void)c;
  json list = json::array();
  for (const auto& s : st.agent_states) list.push_back(agent_state_json(s));
  return ok_code({{"key", "operationName"}, {"settings", list}});
}

// "modes are applicable to particular states ... This should be enforced by the API" (004:506).
bool work_mode_fits(const agent_state_def& s) {
  static const std::set<std::string> ready{"ManualIn", "AutoIn", "ReturnBack"};
  static const std::set<std::string> not_ready{"AfterCallWork", "AuxWork", "LegalGuard",
                                               "NoCallDisconnect", "WalkAway"};
  if (s.work_mode.empty()) return true;
  return s.state == "Ready" ? ready.count(s.work_mode) > 0 : not_ready.count(s.work_mode) > 0;
}

// The body's attributes applied to `s`; an error message when the result is not valid.
std::string apply_agent_state(const state& st, agent_state_def& s, const call& c) {
  if (const json& v = member(c, "displayName"); v.is_string())
    s.display_name = v.get<std::string>();
  if (const json& v = member(c, "state"); v.is_string()) {
    if (v != "Ready" && v != "NotReady") return "state must be Ready or NotReady";
    if (s.state != v.get<std::string>() && member(c, "workMode").is_null()) s.work_mode.clear();
    s.state = v.get<std::string>();
  }
  if (const json& v = member(c, "workMode"); v.is_string()) s.work_mode = v.get<std::string>();
  if (const json& v = member(c, "reason"); v.is_string()) s.reason = v.get<std::string>();
  if (!work_mode_fits(s)) return "workMode " + s.work_mode + " does not apply to " + s.state;
  if (s.display_name.empty()) return "displayName is required";
  for (const auto& other : st.agent_states)  // "it must be unique" (004:507)
    if (other.id != s.id && !s.reason.empty() && other.reason == s.reason)
      return "reason " + s.reason + " is already used by " + other.operation_name;
  return "";
}

http::response create_agent_state(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:493, 547-558
  agent_state_def s;
  s.operation_name = str(c.body, "operationName");
  if (s.operation_name.empty() || str(c.body, "state").empty())
    return fail(c, w, 1, "operationName, displayName and state are required");
  if (find_agent_state(st, s.operation_name))
    return fail(c, w, 2, "operationName " + s.operation_name + " exists");
  if (st.agent_states.size() >= st.cap) return full_store(c, w);
  s.id = w.new_id();
  if (auto problem = apply_agent_state(st, s, c); !problem.empty()) return fail(c, w, 2, problem);
  st.agent_states.push_back(s);
  return ok_code({{"id", s.id}, {"uri", base_uri(c) + "/settings/agent-states/" + s.id}});
}

// The descriptor a PUT or DELETE names by operationName; the basic five are read only (004:511).
std::optional<http::response> editable(const call& c, world& w, state& st, agent_state_def*& out) {
  std::string name = str(c.body, "operationName");
  if (name.empty()) return fail(c, w, 1, "operationName is required");
  for (auto& s : st.agent_states)
    if (s.operation_name == name) out = &s;
  if (!out) return fail(c, w, 6, "no agent state " + name);
  if (out->read_only) return fail(c, w, 3, "agent state " + name + " is read only");
  return std::nullopt;
}

http::response update_agent_state(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:494, 560-569
  agent_state_def* s = nullptr;
  if (auto refused = editable(c, w, st, s)) return *refused;
  agent_state_def changed = *s;
  if (auto problem = apply_agent_state(st, changed, c); !problem.empty())
    return fail(c, w, 2, problem);
  *s = changed;
  return ok_code();
}

http::response delete_agent_state(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:495
  agent_state_def* s = nullptr;
  if (auto refused = editable(c, w, st, s)) return *refused;
  std::string id = s->id;
  std::erase_if(st.agent_states, [&](const agent_state_def& d) { return d.id == id; });
  return ok_code();
}

http::response list_interactions(const call& c, world& w) {
  // "all currently active interactions for this Contact Center" (003:37).
  auto [st, guard] = lock(w);
  std::string base = base_uri(c);
  json list = json::array();
  for (const auto& [id, i] : st.interactions)
    list.push_back(full_objects(c) ? interaction_json(i, base)
                                   : json(base + "/interactions/" + id));
  return ok_code({{full_objects(c) ? "interactions" : "uris", list}});
}

http::response get_interaction(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 003:48
  auto it = st.interactions.find(c.params.at("id"));
  if (it == st.interactions.end()) return fail(c, w, 6, "no interaction " + c.params.at("id"));
  return ok_code({{"interaction", interaction_json(it->second, base_uri(c))}});
}

http::response update_interaction(const call& c, world& w) {
  // "Updates a given interaction" (003:49): its attached data, as userData or properties.
  auto [st, guard] = lock(w);
  auto it = st.interactions.find(c.params.at("id"));
  if (it == st.interactions.end()) return fail(c, w, 6, "no interaction " + c.params.at("id"));
  bool any = false;
  for (const char* key : {"userData", "properties"})
    if (const json& v = member(c, key); v.is_object()) {
      for (const auto& [k, value] : v.items()) it->second.user_data[k] = value;
      any = true;
    }
  if (!any) return fail(c, w, 1, "the body has no userData or properties object");
  return ok_code();
}

}  // namespace

void add_settings_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2ListFeatures"] = list_features;
  table["wsV2ListSystemFeatures"] = list_system_features;
  table["wsV2GetFeature"] = get_feature;
  table["wsV2DeleteFeature"] = delete_feature;
  table["wsV2ListSettingsGroups"] = list_settings_groups;
  table["wsV2ListAgentStates"] = list_agent_states;
  table["wsV2CreateAgentState"] = create_agent_state;
  table["wsV2UpdateAgentState"] = update_agent_state;
  table["wsV2DeleteAgentState"] = delete_agent_state;
  table["wsV2ListInteractions"] = list_interactions;
  table["wsV2GetInteraction"] = get_interaction;
  table["wsV2UpdateInteraction"] = update_interaction;
}

}  // namespace cxh::emulator::detail::ws
