// Web Services v2 provisioning resources: users (004:3003-3034, 3573-3596), skills
// (004:3036-3282), devices (004:3284-3406) and contacts (004:3408-3464). Lists answer with
// URIs unless fields=* asks for the objects (004:58-112, 284-314).

#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

http::response not_found(const call& c, world& w, const std::string& what) {
  return fail(c, w, 6, what + " was not found");
}

http::response list_users(const call& c, world& w) {
  auto [st, guard] = lock(w);
  bool objects = full_objects(c) || c.req.query_param("subresources").has_value();  // 004:3026
  json list = json::array();
  for (const auto& [id, u] : st.users)
    list.push_back(objects ? user_json(st, u, c, true) : json(base_uri(c) + "/users/" + id));
  return ok_code({{objects ? "users" : "uris", list}});
}

// The writable user attributes (004:3008-3016); false when userName would clash.
bool apply_user(const state& st, user_rec& u, const call& c) {
  if (auto name = str(c.body, "userName"); !name.empty()) {
    const user_rec* other = find_user(st, name);
    if (other && other->id != u.id) return false;
    u.user_name = name;
  }
  if (auto pw = str(c.body, "password"); !pw.empty()) u.password = pw;
  if (const json& v = member(c, "firstName"); v.is_string()) u.first_name = v.get<std::string>();
  if (const json& v = member(c, "lastName"); v.is_string()) u.last_name = v.get<std::string>();
  if (const json& v = member(c, "roles"); v.is_array()) {  // the new role set, not a diff
    u.roles.clear();
    for (const auto& r : v)
      if (r.is_string()) u.roles.push_back(r.get<std::string>());
  }
  if (const json& v = member(c, "changePasswordOnFirstLogin"); v.is_boolean())
    u.change_password_on_first_login = v.get<bool>();
  return true;
}

http::response create_user(const call& c, world& w) {
  auto [st, guard] = lock(w);  // POST to create: id and uri (004:316-342)
  if (str(c.body, "userName").empty()) return fail(c, w, 1, "userName is required");
  if (full(st, st.users)) return full_store(c, w);
  user_rec u;
  u.id = w.new_id();
  if (!apply_user(st, u, c)) return fail(c, w, 2, "userName is taken");
  st.users[u.id] = u;
  return ok_code({{"id", u.id}, {"uri", base_uri(c) + "/users/" + u.id}});
}

http::response get_user(const call& c, world& w) {
  auto [st, guard] = lock(w);  // "user": {...} (004:293), subresources on request (004:114-235)
  auto it = st.users.find(c.params.at("id"));
  if (it == st.users.end()) return not_found(c, w, "user " + c.params.at("id"));
  if (c.defect(mutation::ws_user_read_other))  // the first other user answers
    for (auto other = st.users.begin(); other != st.users.end(); ++other)
      if (other != it) return ok_code({{"user", user_json(st, other->second, c, true)}});
  return ok_code({{"user", user_json(st, it->second, c, true)}});
}

http::response update_user(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3033
  auto it = st.users.find(c.params.at("id"));
  if (it == st.users.end()) return not_found(c, w, "user " + c.params.at("id"));
  user_rec changed = it->second;
  if (!apply_user(st, changed, c)) return fail(c, w, 2, "userName is taken");
  if (!c.defect(mutation::ws_user_update_not_applied)) it->second = changed;
  return ok_code();
}

http::response users_change_password(const call& c, world& w) {
  return change_password(c, w, c.params.at("id"));
}

http::response reset_password(const call& c, world& w) {
  // ResetPassword: no old password, base64 new one (004:3573-3596).
  auto [st, guard] = lock(w);
  auto it = st.users.find(c.params.at("id"));
  if (it == st.users.end()) return not_found(c, w, "user " + c.params.at("id"));
  bool ok = false;
  std::string pw = base64_decode(str(c.body, "newPassword"), &ok);
  if (!ok || pw.empty()) return fail(c, w, 2, "newPassword must be a non-empty base64 value");
  it->second.password = pw;
  if (w.password_of(it->first)) apply_password_change(c, w, it->first, pw);
  return ok_code();
}

http::response delete_user(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3034; its devices are unassigned, not destroyed
  if (c.defect(mutation::ws_user_delete_kept))
    return st.users.count(c.params.at("id")) ? ok_code()
                                             : not_found(c, w, "user " + c.params.at("id"));
  if (!st.users.erase(c.params.at("id"))) return not_found(c, w, "user " + c.params.at("id"));
  for (auto& [id, d] : st.devices)
    if (d.owner == c.params.at("id")) d.owner.clear();
  return ok_code();
}

http::response list_skills(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3048-3120
  json list = json::array();
  for (const auto& [id, s] : st.skills)
    list.push_back(full_objects(c) ? skill_json(s, nullptr) : json(base_uri(c) + "/skills/" + id));
  return ok_code({{full_objects(c) ? "skills" : "uris", list}});
}

http::response get_skill(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3122-3154
  auto it = st.skills.find(c.params.at("id"));
  if (it == st.skills.end()) return not_found(c, w, "skill " + c.params.at("id"));
  return ok_code({{"skill", skill_json(it->second, nullptr)}});
}

// The skills of a user, with their levels: /users/{user_id}/skills and /me/skills.
http::response user_skills(const call& c, world& w, const std::string& user_id) {
  auto [st, guard] = lock(w);  // 004:3186-3216, 3253-3282
  auto u = st.users.find(user_id);
  if (u == st.users.end()) return not_found(c, w, "user " + user_id);
  json list = json::array();
  for (const auto& [id, level] : u->second.skills)
    if (auto s = st.skills.find(id); s != st.skills.end())
      list.push_back(full_objects(c) ? skill_json(s->second, &level)
                                     : json(base_uri(c) + "/skills/" + id));
  return ok_code({{full_objects(c) ? "skills" : "uris", list}});
}

http::response user_skill(const call& c, world& w, const std::string& user_id) {
  auto [st, guard] = lock(w);  // 004:3156-3184, 3218-3251
  auto u = st.users.find(user_id);
  if (u == st.users.end()) return not_found(c, w, "user " + user_id);
  const std::string& skill_id = c.params.at("skill_id");
  auto level = u->second.skills.find(skill_id);
  auto s = st.skills.find(skill_id);
  if (level == u->second.skills.end() || s == st.skills.end())
    return not_found(c, w, "skill " + skill_id + " of user " + user_id);
  return ok_code({{"skill", skill_json(s->second, &level->second)}});
}

http::response list_user_skills(const call& c, world& w) {
  return user_skills(c, w, c.params.at("user_id"));
}
http::response get_user_skill(const call& c, world& w) {
  return user_skill(c, w, c.params.at("user_id"));
}
http::response my_skills(const call& c, world& w) {
  return user_skills(c, w, c.principal);
}
http::response my_skill(const call& c, world& w) {
  return user_skill(c, w, c.principal);
}

// Devices of the contact center, or of one user when `owner` is given (004:3298-3304).
http::response device_list(const call& c, world& w, const std::string* owner) {
  auto [st, guard] = lock(w);
  if (owner && !st.users.count(*owner)) return not_found(c, w, "user " + *owner);
  std::string base = base_uri(c);
  json list = json::array();
  for (const auto& [id, d] : st.devices)
    if (!owner || d.owner == *owner)
      list.push_back(full_objects(c) ? device_json(st, d, base) : json(base + "/devices/" + id));
  return ok_code({{full_objects(c) ? "devices" : "uris", list}});
}

http::response list_devices(const call& c, world& w) {
  return device_list(c, w, nullptr);
}
http::response list_user_devices(const call& c, world& w) {
  return device_list(c, w, &c.params.at("id"));
}

http::response get_device(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3296
  auto it = st.devices.find(c.params.at("id"));
  if (it == st.devices.end()) return not_found(c, w, "device " + c.params.at("id"));
  return ok_code({{"device", device_json(st, it->second, base_uri(c))}});
}

json contact_json(const contact_rec& k) {
  json j{{"id", k.id}, {"name", k.name}, {"type", k.type}};
  if (!k.phone_number.empty()) j["phoneNumber"] = k.phone_number;
  return j;
}

http::response list_contacts(const call& c, world& w) {
  // Queues, users and custom contacts; any attribute filters, several together (004:3415,
  // 3422); "type=custom" matches Custom (004:3452-3463), so values compare without case.
  auto [st, guard] = lock(w);
  std::vector<json> all;
  for (const auto& [id, u] : st.users) {
    std::string name = u.first_name + (u.last_name.empty() ? "" : " " + u.last_name);
    json j{{"id", id},
           {"name", name},
           {"type", "User"},
           {"userName", u.user_name},
           {"firstName", u.first_name},
           {"lastName", u.last_name}};
    for (const auto& [did, d] : st.devices)
      if (d.owner == id) j["phoneNumber"] = d.phone_number;
    all.push_back(j);
  }
  for (const auto& [id, k] : st.contacts) all.push_back(contact_json(k));
  json list = json::array();
  for (const auto& j : all) {
    bool keep = true;
    for (const char* key :
         {"id", "name", "type", "phoneNumber", "userName", "firstName", "lastName", "employeeId"})
      if (auto want = c.req.query_param(key))
        keep = keep && j.contains(key) && http::iequals(j[key].get<std::string>(), *want);
    if (keep) list.push_back(j);
  }
  return ok_code({{"contacts", list}});
}

http::response create_contact(const call& c, world& w) {
  auto [st, guard] = lock(w);  // a "custom" contact (004:3416, 3439-3447)
  if (str(c.body, "name").empty()) return fail(c, w, 1, "name is required");
  if (full(st, st.contacts)) return full_store(c, w);
  contact_rec k{w.new_id(), str(c.body, "name"), "Custom", str(c.body, "phoneNumber")};
  st.contacts[k.id] = k;
  // No /contacts/{id} is documented; the filter by id reads the new contact back.
  return ok_code({{"id", k.id}, {"uri", base_uri(c) + "/contacts?id=" + k.id}});
}

// "other types are read-only" (004:3417) names no code: 3 "forbidden", or in the alternate
// reading 2 "not valid for the current state" (schemas/ws-v2-resources.json x-decision).
int read_only_code(const call& c, world& w) {
  return c.alternate(w) ? 2 : 3;
}

// The custom contact a PUT or DELETE names; other types are read only (004:3417-3418).
std::optional<http::response> custom_contact(const call& c, world& w, state& st,
                                             contact_rec*& out) {
  std::string id = str(c.body, "id");
  if (id.empty()) return fail(c, w, 1, "id is required");
  auto it = st.contacts.find(id);
  if (it == st.contacts.end())
    return st.users.count(id) ? fail(c, w, read_only_code(c, w), "user contacts are read only")
                              : not_found(c, w, "contact " + id);
  if (it->second.type != "Custom")
    return fail(c, w, read_only_code(c, w), it->second.type + " contacts are read only");
  out = &it->second;
  return std::nullopt;
}

http::response update_contact(const call& c, world& w) {
  auto [st, guard] = lock(w);
  contact_rec* k = nullptr;
  if (auto refused = custom_contact(c, w, st, k)) return *refused;
  if (const json& v = member(c, "name"); v.is_string()) {
    if (v.get<std::string>().empty()) return fail(c, w, 2, "name cannot be empty");
    k->name = v.get<std::string>();
  }
  if (const json& v = member(c, "phoneNumber"); v.is_string())
    k->phone_number = v.get<std::string>();
  return ok_code();
}

http::response delete_contact(const call& c, world& w) {
  auto [st, guard] = lock(w);
  contact_rec* k = nullptr;
  if (auto refused = custom_contact(c, w, st, k)) return *refused;
  if (!c.defect(mutation::ws_contact_delete_kept)) st.contacts.erase(std::string(k->id));
  return ok_code();
}

}  // namespace

void add_resource_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2ListUsers"] = list_users;
  table["wsV2CreateUser"] = create_user;
  table["wsV2GetUser"] = get_user;
  table["wsV2UpdateUser"] = update_user;
  table["wsV2UsersChangePassword"] = users_change_password;
  table["wsV2UsersResetPassword"] = reset_password;
  table["wsV2DeleteUser"] = delete_user;
  table["wsV2ListSkills"] = list_skills;
  table["wsV2GetSkill"] = get_skill;
  table["wsV2ListUserSkills"] = list_user_skills;
  table["wsV2GetUserSkill"] = get_user_skill;
  table["wsV2MeGetSkills"] = my_skills;
  table["wsV2MeGetSkill"] = my_skill;
  table["wsV2ListDevices"] = list_devices;
  table["wsV2GetDevice"] = get_device;
  table["wsV2ListUserDevices"] = list_user_devices;
  table["wsV2ListContacts"] = list_contacts;
  table["wsV2CreateContact"] = create_contact;
  table["wsV2UpdateContact"] = update_contact;
  table["wsV2DeleteContact"] = delete_contact;
}

}  // namespace cxh::emulator::detail::ws
