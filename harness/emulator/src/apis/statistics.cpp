// Statistics API (/statistics/v3, 002:4728-6717): current values of pre-configured statistics
// without a subscription, and subscriptions whose statistics are read until they are deleted.
// Values are computed, not stored: a deterministic function of the seed, the statistic, its
// object and the whole seconds since the emulator started, so every reader of one statistic at
// one moment sees the same value, and values move as time passes.

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "../bayeux/notifications.hpp"
#include "../world.hpp"

namespace cxh::emulator::detail {

namespace {

enum class kind { agent_state, time_in_state, counter, total_time, average, gauge };

// The contact center's pre-configured statistics (002:4740-4742, 4929-4930): the three the page
// names and common Stat Server ones.
struct preconfigured {
  const char* name;
  kind k;
};
constexpr preconfigured known_statistics[] = {
    {"CurrentAgentState", kind::agent_state},     // 002:4795
    {"TimeInCurrentState", kind::time_in_state},  // 002:4802
    {"AverageHandlingTime", kind::average},       // 002:4900
    {"AverageSpeedOfAnswer", kind::average},      {"TotalLoginTime", kind::total_time},
    {"TotalTalkTime", kind::total_time},          {"TotalNumberInboundCalls", kind::counter},
    {"TotalNumberOutboundCalls", kind::counter},  {"TotalNumberCallsAnswered", kind::counter},
    {"CurrentNumberWaitingCalls", kind::gauge},   {"CurrentNumberReadyAgents", kind::gauge},
    {"CurrentNumberNotReadyAgents", kind::gauge},
};

std::optional<kind> kind_of_name(const std::string& name) {
  for (const auto& s : known_statistics)
    if (name == s.name) return s.k;
  return std::nullopt;
}

// A statistic opened from a definition (002:4908-4921) behaves by its category's prefix.
kind kind_of_definition(const json& definition) {
  std::string category = definition.is_object() ? definition.value("category", "") : "";
  auto starts = [&](const char* p) { return category.rfind(p, 0) == 0; };
  if (starts("Current")) return kind::gauge;
  if (starts("Average")) return kind::average;
  if (starts("Total") && category.find("Time") != std::string::npos) return kind::total_time;
  return kind::counter;
}

struct opened_statistic {
  std::string statistic_id, name, object_id, object_type;
  std::string value_key;  // what the value is computed from: the name, or the definition
  kind k = kind::counter;
};

struct subscription {
  std::string id, operation_id;
  std::string owner;  // the token's principal: its CometD sessions get the updates
  std::vector<opened_statistic> statistics;
  bool wrong_ids_in_updates = false;  // mutation stat_notification_wrong_statistic (FAULTS.md)
};

struct statistics_state {
  explicit statistics_state(const config& c) : subscriptions(c.max_objects) {}
  bounded_store<subscription> subscriptions;
  std::once_flag clock_once;
  std::int64_t epoch_at_start_ms = 0;  // wall-clock milliseconds at uptime zero
  // The values last published over CometD, per subscription and statistic (StatisticUpdate
  // goes out on change, 002:5044-5050).
  std::mutex published_mutex;
  std::unordered_map<std::string, std::unordered_map<std::string, json>> published;
};

statistics_state& state(world& w) {
  return w.state<statistics_state>("statistics");
}

std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t hash(const std::string& s, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ull;
  return mix(h ^ mix(seed));
}

// The value of one statistic at second `s` of the run and its generation time (002:5203-5217):
// the value object's structure is Stat Server's, so each kind has a plain shape.
struct reading {
  json value;
  std::int64_t timestamp;
};

reading read_value(world& w, kind k, const std::string& name, const std::string& object_type,
                   const std::string& object_id) {
  auto& st = state(w);
  std::call_once(st.clock_once, [&] {
    auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    st.epoch_at_start_ms = wall - w.uptime().count();
  });
  const std::int64_t s = w.uptime().count() / 1000;
  const std::uint64_t seed = w.cfg().seed;
  const std::uint64_t h = hash(name + '\n' + object_type + '\n' + object_id, seed);
  // Agent state periods depend on the object only, so the state and the time in it agree.
  const std::uint64_t ho = hash(object_type + '\n' + object_id, seed);
  const std::int64_t period = 20 + static_cast<std::int64_t>(ho % 41);
  const std::int64_t phase = static_cast<std::int64_t>(ho % static_cast<std::uint64_t>(period));
  const std::int64_t slot = (s + phase) / period, since = slot * period - phase;
  auto u = [](std::uint64_t x) { return static_cast<std::int64_t>(x); };
  json v;
  switch (k) {
    case kind::agent_state: {
      static const char* states[] = {"Ready", "NotReady", "Busy", "AfterCallWork"};
      v = {{"state", states[mix(ho + static_cast<std::uint64_t>(slot)) % 4]},
           {"startTime", st.epoch_at_start_ms + std::max<std::int64_t>(since, 0) * 1000}};
      break;
    }
    case kind::time_in_state:
      v = {{"value", s - std::max<std::int64_t>(since, 0)}};  // seconds
      break;
    case kind::counter:  // one more every 20 to 60 seconds
      v = {{"value", u(h % 50) + (s + u(h % 7)) / (20 + u(h % 41))}};
      break;
    case kind::total_time:  // seconds, growing with the run
      v = {{"value", u(h % 3600) + s}};
      break;
    case kind::average:  // seconds, a new average every minute
      v = {{"value", 60 + u(mix(h + static_cast<std::uint64_t>(s / 60)) % 240)}};
      break;
    case kind::gauge:  // a level that moves every five seconds
      v = {{"value", u(mix(h + static_cast<std::uint64_t>(s / 5)) % 12)}};
      break;
  }
  return {v, st.epoch_at_start_ms + s * 1000};
}

json ok_status() {
  return {{"code", 0}};
}

// One failed part of a bulk request: an ErrorResponse {status} (002:5228-5229).
json error_item(int code, const std::string& message) {
  return {{"status", {{"code", code}, {"message", message}}}};
}

// data.statistics of a request body; null when the body is not the documented shape (a body
// sent without a JSON content type reaches the handler unvalidated).
const json* statistics_of(const call& c) {
  if (!c.body || !c.body->is_object() || !c.body->contains("data")) return nullptr;
  const json& d = (*c.body)["data"];
  if (!d.is_object() || !d.contains("statistics") || !d["statistics"].is_array() ||
      d["statistics"].empty())
    return nullptr;
  return &d["statistics"];
}

std::string string_at(const json& o, const char* field) {
  return o.is_object() && o.contains(field) && o[field].is_string() ? o[field].get<std::string>()
                                                                    : std::string();
}

http::response peek_many(const call& c, world& w) {
  const json* list = statistics_of(c);
  if (!list)
    return w.error(&c.op, c.req.path(), 400, "body must be {\"data\":{\"statistics\":[...]}}");
  json values = json::array(), errors = json::array();
  for (const json& item : *list) {
    std::string name = string_at(item, "name"), type = string_at(item, "objectType"),
                id = string_at(item, "objectId");
    auto k = kind_of_name(name);
    if (!k) {
      errors.push_back(error_item(404, "statistic " + name + " is not pre-configured"));
      continue;
    }
    if (type.empty() || id.empty()) {
      errors.push_back(
          error_item(400, "statistic " + name + ": objectType and objectId are empty"));
      continue;
    }
    auto r = read_value(w, *k, name, type, id);
    values.push_back({{"name", name},
                      {"objectType", type},
                      {"objectId", id},
                      {"value", r.value},
                      {"timestamp", r.timestamp}});
  }
  if (values.empty())
    return w.error(
        &c.op, c.req.path(), 400,
        "no statistic could be read: " + errors.front()["status"]["message"].get<std::string>());
  // Some failed: partial success, code 2, with data and errors (002:226-237).
  bool partial = !errors.empty() && !c.defect(mutation::stat_partial_as_success);
  json body{{"status", {{"code", partial ? 2 : 0}}}, {"data", {{"statistics", values}}}};
  if (!errors.empty()) body["errors"] = errors;
  return world::json_reply(200, body);
}

http::response peek_one(const call& c, world& w) {
  const std::string& name = c.params.at("statisticName");
  std::string type = c.req.query_param("objectType").value_or("");
  std::string id = c.req.query_param("objectId").value_or("");
  if ((type.empty() || id.empty()) && !c.defect(mutation::stat_required_param_skipped))
    return w.error(&c.op, c.req.path(), 400, "objectType and objectId are required (002:4853)");
  auto k = kind_of_name(name);
  if (!k) return w.error(&c.op, c.req.path(), 404, "statistic " + name + " is not pre-configured");
  auto r = read_value(w, *k, name, type, id);
  json stat{{"name", name},
            {"objectType", type},
            {"objectId", id},
            {"value", r.value},
            {"timestamp", r.timestamp}};
  return world::json_reply(200, json{{"status", ok_status()}, {"data", {{"statistic", stat}}}});
}

// verbose=INFO (the default) adds what was opened; OFF gives ids, values and times (002:5822-5837).
std::optional<bool> verbose_of(const call& c) {
  std::string v = c.req.query_param("verbose").value_or("INFO");
  if (v == "INFO") return true;
  if (v == "OFF") return false;
  return std::nullopt;
}

json statistic_json(world& w, const opened_statistic& o, bool verbose) {
  auto r = read_value(w, o.k, o.value_key, o.object_type, o.object_id);
  json d{{"statisticId", o.statistic_id}, {"value", r.value}, {"timestamp", r.timestamp}};
  if (verbose) {
    if (!o.name.empty()) d["name"] = o.name;  // absent for a definition (002:4957-4966)
    d["objectId"] = o.object_id;
    d["objectType"] = o.object_type;
  }
  return d;
}

// The bounds of one caller's subscriptions (README.md: sizing): nullopt when within them.
std::optional<std::string> beyond_bounds(const call& c, world& w, std::size_t statistics) {
  const auto& cfg = w.cfg();
  if (statistics > cfg.max_statistics_per_subscription)
    return "a subscription holds at most " + std::to_string(cfg.max_statistics_per_subscription) +
           " statistics (max_statistics_per_subscription)";
  std::size_t mine = 0;
  state(w).subscriptions.for_each(
      [&](const std::string&, const subscription& s) { mine += s.owner == c.principal; });
  if (mine >= cfg.max_subscriptions_per_principal)
    return "at most " + std::to_string(cfg.max_subscriptions_per_principal) +
           " subscriptions per caller (max_subscriptions_per_principal)";
  return std::nullopt;
}

// Another principal's subscription is as unknown as a deleted one.
std::optional<subscription> own_subscription(const call& c, world& w, const std::string& id) {
  auto sub = state(w).subscriptions.get(id);
  if (sub && sub->owner != c.principal) return std::nullopt;
  return sub;
}

http::response subscribe(const call& c, world& w) {
  auto verbose = verbose_of(c);
  if (!verbose) return w.error(&c.op, c.req.path(), 400, "verbose must be OFF or INFO");
  const json* list = statistics_of(c);
  if (!list)
    return w.error(&c.op, c.req.path(), 400, "body must be {\"data\":{\"statistics\":[...]}}");
  if (auto beyond = beyond_bounds(c, w, list->size()))
    return w.error(&c.op, c.req.path(), 400, *beyond);
  // While the service is down, subscriptions cannot be made (002:5079-5082).
  if (!notifications_of(w).statistics_available())
    return w.error(&c.op, c.req.path(), 503, "the Statistics service is unavailable");
  subscription sub;
  sub.owner = c.principal;
  sub.operation_id = string_at(*c.body, "operationId");
  sub.wrong_ids_in_updates = c.defect(mutation::stat_notification_wrong_statistic);
  json errors = json::array();
  std::set<std::string> ids;
  for (const json& item : *list) {
    opened_statistic o;
    o.statistic_id = string_at(item, "statisticId");
    o.name = string_at(item, "name");
    o.object_id = string_at(item, "objectId");
    o.object_type = string_at(item, "objectType");
    // statisticId is unique inside the subscription (002:5906-5911).
    if (!ids.insert(o.statistic_id).second)
      return w.error(&c.op, c.req.path(), 400, "statisticId " + o.statistic_id + " is repeated");
    if (item.contains("definition")) {
      o.k = kind_of_definition(item["definition"]);
      o.value_key = "definition " + item["definition"].dump();
    } else if (auto k = kind_of_name(o.name)) {
      o.k = *k;
      o.value_key = o.name;
    } else {
      errors.push_back(error_item(
          404, "statistic " + o.statistic_id + ": " + o.name + " is not pre-configured"));
      continue;
    }
    sub.statistics.push_back(o);
  }
  if (sub.statistics.empty())
    return w.error(
        &c.op, c.req.path(), 400,
        "no statistic could be opened: " + errors.front()["status"]["message"].get<std::string>());
  // "The subscriptionId is filled from the operationId" (002:4976).
  sub.id = sub.operation_id.empty() ? w.new_id() : sub.operation_id;
  auto put = state(w).subscriptions.insert(sub.id, sub);
  if (put == bounded_store<subscription>::put::exists)
    return w.error(&c.op, c.req.path(), 400, "subscription " + sub.id + " already exists");
  if (put == bounded_store<subscription>::put::full)
    return w.error(&c.op, c.req.path(), 503, "emulator state is full (max_objects)");
  notifications_of(w).start_ticker(w);
  json stats = json::array();
  for (const auto& o : sub.statistics) stats.push_back(statistic_json(w, o, *verbose));
  json data{{"subscriptionId", sub.id}, {"statistics", stats}};
  if (!sub.operation_id.empty()) data["operationId"] = sub.operation_id;
  json body{{"status", {{"code", errors.empty() ? 0 : 2}}}, {"data", data}};
  if (!errors.empty()) body["errors"] = errors;
  return world::json_reply(200, body);
}

std::vector<std::string> split_ids(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    std::string id =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!id.empty() && id.front() == ' ') id.erase(0, 1);
    while (!id.empty() && id.back() == ' ') id.pop_back();
    if (!id.empty()) out.push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

http::response subscription_values(const call& c, world& w) {
  const std::string& id = c.params.at("id");
  auto verbose = verbose_of(c);
  auto sub = own_subscription(c, w, id);
  // The page documents no 4xx here (002:6330-6587); an unknown subscription or bad parameter
  // is an Engage error code in the documented 200 envelope ("All other status codes indicate
  // an error", 002:239-240).
  auto failed = [&](int code, const std::string& message) {
    return world::json_reply(
        200, json{{"status", {{"code", code}, {"message", message}}},
                  {"data", {{"subscriptionId", id}, {"statistics", json::array()}}}});
  };
  if (!verbose) return failed(400, "verbose must be OFF or INFO");
  if (!sub) return failed(404, "subscription " + id + " not found");
  json stats = json::array(), errors = json::array();
  auto wanted = c.req.query_param("statisticIds");
  if (c.defect(mutation::stat_subset_ignored)) wanted.reset();
  if (!wanted) {
    for (const auto& o : sub->statistics) stats.push_back(statistic_json(w, o, *verbose));
  } else {
    // statisticIds: a comma-delimited subset of the subscription (002:6284-6311).
    for (const auto& sid : split_ids(*wanted)) {
      auto it = std::find_if(sub->statistics.begin(), sub->statistics.end(),
                             [&](const opened_statistic& o) { return o.statistic_id == sid; });
      if (it == sub->statistics.end())
        errors.push_back(error_item(404, "statistic " + sid + " is not in subscription " + id));
      else
        stats.push_back(statistic_json(w, *it, *verbose));
    }
    if (stats.empty()) return failed(404, "none of the statisticIds is in subscription " + id);
  }
  json body{{"status", {{"code", errors.empty() ? 0 : 2}}},
            {"data", {{"subscriptionId", id}, {"statistics", stats}}}};
  if (!errors.empty()) body["errors"] = errors;
  return world::json_reply(200, body);
}

http::response unsubscribe(const call& c, world& w) {
  // "a fire-and-forget operation that always returns a success response" (002:5036-5037):
  // another principal's subscription is left alone, with the same answer.
  if (own_subscription(c, w, c.params.at("id")) && !c.defect(mutation::stat_delete_kept))
    state(w).subscriptions.erase(c.params.at("id"));
  return world::json_reply(200, json{{"status", ok_status()}});
}

}  // namespace

std::vector<std::pair<std::string, json>> statistic_changes(world& w) {
  auto& st = state(w);
  std::vector<subscription> subs;
  st.subscriptions.for_each([&](const std::string&, const subscription& s) { subs.push_back(s); });
  std::map<std::string, json> by_owner;
  std::lock_guard lock(st.published_mutex);
  std::unordered_map<std::string, std::unordered_map<std::string, json>> still;
  for (const auto& s : subs) {
    auto& last = st.published[s.id];
    for (const auto& o : s.statistics) {
      auto r = read_value(w, o.k, o.value_key, o.object_type, o.object_id);
      auto it = last.find(o.statistic_id);
      if (it != last.end() && it->second == r.value) continue;
      last[o.statistic_id] = r.value;
      auto& items = by_owner[s.owner];
      if (items.is_null()) items = json::array();
      items.push_back(
          {{"subscriptionId", s.id},
           {"statisticId", s.wrong_ids_in_updates ? "x-" + o.statistic_id : o.statistic_id},
           {"value", r.value},
           {"timestamp", r.timestamp}});
    }
    still[s.id] = std::move(last);
  }
  st.published = std::move(still);  // deleted subscriptions are forgotten
  return {by_owner.begin(), by_owner.end()};
}

void drop_statistic_subscriptions(world& w) {
  auto& st = state(w);
  std::vector<std::string> ids;
  st.subscriptions.for_each([&](const std::string& id, const subscription&) { ids.push_back(id); });
  for (const auto& id : ids) st.subscriptions.erase(id);
}

void add_statistics_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["statisticsPeekStatistics"] = peek_many;
  table["statisticsPeekStatistic"] = peek_one;
  table["statisticsCreateSubscription"] = subscribe;
  table["statisticsGetSubscriptionValues"] = subscription_values;
  table["statisticsDeleteSubscription"] = unsubscribe;
  for (const char* op :
       {"statisticsCometd", "statisticsCometdHandshake", "statisticsCometdConnect",
        "statisticsCometdSubscribe", "statisticsCometdUnsubscribe", "statisticsCometdDisconnect"})
    table[op] = statistics_cometd;
}

}  // namespace cxh::emulator::detail
