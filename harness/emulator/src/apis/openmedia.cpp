// Openmedia API (/nexus/v3/openmedia, 000; 002:6717-7200): interactions created, read, updated
// and stopped by id or by external id, per open media service.

#include "../webhooks_out.hpp"
#include "../world.hpp"

namespace cxh::emulator::detail {

namespace {

struct interaction {
  std::string id, external_id, service, parent_id, received_at, state = "active";
  std::string stop_reason, stop_description;
  json user_data = json::object();
  std::uint64_t revision = 1;
};

struct openmedia_state {
  explicit openmedia_state(const config& c) : by_id(c.max_objects), by_external(c.max_objects) {}
  bounded_store<interaction> by_id;        // service/id -> interaction
  bounded_store<std::string> by_external;  // service/externalId -> id
  std::mutex create_mutex;                 // external id check and insert are one step
};

std::string key(const std::string& service, const std::string& id) {
  return service + "/" + id;
}

json to_json(const interaction& i) {
  json d{{"id", i.id}, {"state", i.state}, {"userData", i.user_data}, {"revision", i.revision}};
  if (!i.external_id.empty()) d["externalId"] = i.external_id;
  if (!i.parent_id.empty()) d["parentInteractionId"] = i.parent_id;
  if (!i.received_at.empty()) d["receivedAt"] = i.received_at;
  if (i.state == "stopped") {
    d["reasonSystemName"] = i.stop_reason;
    if (!i.stop_description.empty()) d["reasonDescription"] = i.stop_description;
  }
  return d;
}

// The 200 body is only `{object}` on the page (000:45); the primary reading answers the
// interaction in `data` with its `state`, the alternate one leaves the undocumented state out.
http::response ok(const interaction& i, const world& w, const call& c) {
  json d = to_json(i);
  if (c.alternate(w)) d.erase("state");
  return world::json_reply(200, json{{"status", {{"code", 0}}}, {"data", d}});
}

const json& data_of(const call& c) {
  static const json empty = json::object();
  if (!c.body || !c.body->contains("data") || !(*c.body)["data"].is_object()) return empty;
  return (*c.body)["data"];
}

// The interaction id a call names: {interactionId}, or ext_{externalId} looked up.
std::optional<std::string> resolve(const call& c, openmedia_state& st) {
  const auto& service = c.params.at("openMediaService");
  if (auto it = c.params.find("interactionId"); it != c.params.end()) return it->second;
  if (auto it = c.params.find("externalId"); it != c.params.end())
    return st.by_external.get(key(service, it->second));
  return std::nullopt;
}

http::response create(const call& c, world& w) {
  auto& st = w.state<openmedia_state>("openmedia");
  const json& d = data_of(c);
  interaction i;
  i.service = c.params.at("openMediaService");
  i.id = w.new_id();
  for (auto [field, target] :
       {std::pair{"externalId", &i.external_id}, std::pair{"parentInteractionId", &i.parent_id},
        std::pair{"receivedAt", &i.received_at}})
    if (d.contains(field) && d[field].is_string()) *target = d[field].get<std::string>();
  if (d.contains("userData") && d["userData"].is_object()) i.user_data = d["userData"];
  if (!i.parent_id.empty() && !st.by_id.get(key(i.service, i.parent_id)))
    return w.error(&c.op, c.req.path(), 404, "parent interaction " + i.parent_id + " not found");
  std::lock_guard lock(st.create_mutex);
  if (!i.external_id.empty() && !c.defect(mutation::om_ext_id_ignored)) {
    auto r = st.by_external.insert(key(i.service, i.external_id), i.id);
    if (r == bounded_store<std::string>::put::exists && !c.defect(mutation::om_duplicate_accepted))
      return w.error(&c.op, c.req.path(), 409,
                     "an interaction with externalId " + i.external_id + " exists");
    if (r == bounded_store<std::string>::put::full)
      return w.error(&c.op, c.req.path(), 500, "emulator state is full (max_objects)");
  }
  if (st.by_id.insert(key(i.service, i.id), i) != bounded_store<interaction>::put::ok) {
    if (!i.external_id.empty()) st.by_external.erase(key(i.service, i.external_id));
    return w.error(&c.op, c.req.path(), 500, "emulator state is full (max_objects)");
  }
  interaction_event(w, "STARTED", i.id, i.service);
  return ok(i, w, c);
}

http::response get(const call& c, world& w) {
  auto& st = w.state<openmedia_state>("openmedia");
  auto id = resolve(c, st);
  auto found = id ? st.by_id.get(key(c.params.at("openMediaService"), *id)) : std::nullopt;
  if (!found && c.defect(mutation::om_unknown_id_found) && id) {
    found.emplace();  // the defect: an interaction that does not exist is found
    found->id = *id;
  }
  if (!found) return w.error(&c.op, c.req.path(), 404, "interaction not found");
  if (c.params.count("externalId") && c.defect(mutation::om_ext_lookup_wrong_id))
    found->id = w.new_id();  // the defect: another interaction's id
  return ok(*found, w, c);
}

// changePropertiesRequest (000:160-176): added and changed keys set, deleted keys removed.
void apply_changes(interaction& i, const json& d) {
  for (const char* section : {"addedProperties", "changedProperties"})
    if (d.contains(section) && d[section].is_object())
      for (auto& [k, v] : d[section].items()) i.user_data[k] = v;
  if (d.contains("deletedProperties")) {
    const json& del = d["deletedProperties"];
    if (del.is_object())
      for (auto& [k, v] : del.items()) (void)v, i.user_data.erase(k);
    if (del.is_array())
      for (auto& k : del)
        if (k.is_string()) i.user_data.erase(k.get<std::string>());
  }
  ++i.revision;
}

http::response update(const call& c, world& w) {
  auto& st = w.state<openmedia_state>("openmedia");
  auto id = resolve(c, st);
  const json& d = data_of(c);
  std::optional<interaction> result;
  bool stopped = false;
  // Whether a stopped interaction takes updates is not on the page: the primary reading
  // refuses (400), the alternate one applies them (x-decision in openmedia.json).
  const bool update_stopped = c.alternate(w);
  if (id) {
    st.by_id.update(key(c.params.at("openMediaService"), *id), [&](interaction& i) {
      if (i.state == "stopped" && !update_stopped) {
        stopped = true;
        return;
      }
      if (!c.defect(mutation::om_update_not_applied)) apply_changes(i, d);
      result = i;
    });
  }
  if (stopped)
    return w.error(&c.op, c.req.path(), 400, "the interaction is stopped; it cannot change");
  if (!result) return w.error(&c.op, c.req.path(), 404, "interaction not found");
  return ok(*result, w, c);
}

http::response stop(const call& c, world& w) {
  auto& st = w.state<openmedia_state>("openmedia");
  auto id = resolve(c, st);
  const json& d = data_of(c);
  std::optional<interaction> result;
  bool already = false, changed = false;
  if (id) {
    st.by_id.update(key(c.params.at("openMediaService"), *id), [&](interaction& i) {
      if (i.state == "stopped") {
        already = true;
        result = i;
        return;
      }
      if (!c.defect(mutation::om_stop_not_stopped)) {
        i.state = "stopped";
        i.stop_reason = d.value("reasonSystemName", "Stopped");
        i.stop_description = d.value("reasonDescription", "");
        ++i.revision;
        changed = true;
      }
      result = i;
    });
  }
  // Stopping a stopped interaction is not on the page: the primary reading refuses (400), the
  // alternate one answers 200 and changes nothing (x-decision in openmedia.json).
  if (already && !c.alternate(w))
    return w.error(&c.op, c.req.path(), 400, "the interaction is already stopped");
  if (!result && c.defect(mutation::om_stop_unknown_accepted))
    return world::json_reply(200, json{{"status", {{"code", 0}}}});
  if (!result) return w.error(&c.op, c.req.path(), 404, "interaction not found");
  if (changed) interaction_event(w, "FINISHED", result->id, result->service);
  return ok(*result, w, c);
}

}  // namespace

void add_openmedia_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["openmediaCreateInteraction"] = create;
  table["openmediaGetInteraction"] = get;
  table["openmediaGetInteractionByExternalId"] = get;
  table["openmediaUpdateInteraction"] = update;
  table["openmediaUpdateInteractionByExternalId"] = update;
  table["openmediaStopInteraction"] = stop;
  table["openmediaStopInteractionByExternalId"] = stop;
}

}  // namespace cxh::emulator::detail
