// YAML -> profile, with a diagnostic (file:line:col, what, hint) for every problem found.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cxh/core/file.hpp>
#include <cxh/core/yaml_budget.hpp>
#include <cxh/load/profile.hpp>
#include <cxh/load/template.hpp>
#include <cxh/load/threshold.hpp>
#include <nlohmann/json.hpp>
#include <set>

namespace cxh::load {
namespace {

constexpr const char* placeholders_hint =
    "placeholders: ${uuid}, ${seq}, ${vu}, ${random_int(A,B)}, ${env:NAME}, ${variable}";

class reader {
 public:
  explicit reader(const std::string& file) : file_(file) {}

  std::string at(const YAML::Node& n) const {
    auto m = n.Mark();
    if (m.is_null()) return file_;
    return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }
  void error(const YAML::Node& n, std::string what, std::string hint = {}) {
    diags_.push_back({at(n), std::move(what), std::move(hint)});
  }
  // Rejects keys outside `known`, naming the allowed ones.
  bool map(const YAML::Node& n, const char* what, std::initializer_list<const char*> known) {
    if (!n.IsMap()) {
      error(n, std::string(what) + " must be a mapping");
      return false;
    }
    for (const auto& kv : n) {
      auto key = kv.first.as<std::string>();
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
        std::string list;
        for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        error(kv.first, "unknown key '" + key + "' in " + what, "allowed: " + list);
      }
    }
    return true;
  }
  bool scalar(const YAML::Node& n, const char* key, std::string& out) {
    if (!n.IsScalar()) {
      error(n, std::string("'") + key + "' must be a string");
      return false;
    }
    out = n.as<std::string>();
    return true;
  }
  bool number(const YAML::Node& n, const char* key, double& out, double min, double max) {
    std::string s;
    if (!n.IsScalar()) {
      error(n, std::string("'") + key + "' must be a number");
      return false;
    }
    s = n.as<std::string>();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) {
      error(n, std::string("'") + key + "' must be a number, not '" + s + "'");
      return false;
    }
    if (v < min || v > max) {
      error(n, std::string("'") + key + "' is " + s + ", outside [" + fmt(min) + ", " + fmt(max) +
                   "]");
      return false;
    }
    out = v;
    return true;
  }
  bool duration(const YAML::Node& n, const char* key, double& out) {
    if (!n.IsScalar()) {
      error(n, std::string("'") + key + "' must be a duration");
      return false;
    }
    double v = parse_duration_s(n.as<std::string>());
    if (v < 0) {
      error(n, "bad duration '" + n.as<std::string>() + "' for '" + key + "'",
            "a number with a unit: 500us, 250ms, 10s, 1.5m, 1h");
      return false;
    }
    out = v;
    return true;
  }
  bool boolean(const YAML::Node& n, const char* key, bool& out) {
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, out)) {
      error(n, std::string("'") + key + "' must be true or false");
      return false;
    }
    return true;
  }
  std::vector<std::pair<std::string, std::string>> string_map(const YAML::Node& n,
                                                              const char* key) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!n.IsMap()) {
      error(n, std::string("'") + key + "' must be a mapping of strings");
      return out;
    }
    for (const auto& kv : n) {
      std::string v;
      if (scalar(kv.second, key, v)) out.emplace_back(kv.first.as<std::string>(), v);
    }
    return out;
  }
  // A template must compile (placeholders known, environment variables set).
  void check_template(const YAML::Node& n, const std::string& text) {
    auto t = text_template::compile(text);
    if (auto* e = std::get_if<std::string>(&t)) error(n, *e, placeholders_hint);
  }
  static std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }

  cxh::diagnostics diags_;

 private:
  std::string file_;
};

// YAML -> JSON for request bodies: quoted scalars stay strings, plain ones become numbers,
// booleans or null when they read as such. Recursion is bounded: yaml-cpp refuses documents
// nested deeper than 2,000 levels, and check_yaml_budget bounds what aliases expand to.
nlohmann::json to_json(const YAML::Node& n) {
  if (n.IsMap()) {
    auto o = nlohmann::json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    auto a = nlohmann::json::array();
    for (const auto& x : n) a.push_back(to_json(x));
    return a;
  }
  if (!n.IsScalar()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;
  if (s == "null" || s == "~") return nullptr;
  if (s == "true") return true;
  if (s == "false") return false;
  char* end = nullptr;
  long long i = std::strtoll(s.c_str(), &end, 10);
  if (!s.empty() && *end == '\0') return i;
  double d = std::strtod(s.c_str(), &end);
  if (!s.empty() && *end == '\0' && std::isfinite(d)) return d;
  return s;
}

step parse_step(reader& r, const YAML::Node& n, const std::string& default_name, bool item) {
  step s;
  s.where = r.at(n);
  bool ok = item ? r.map(n, "a mix item",
                         {"name", "weight", "request", "operation", "path_params", "query",
                          "headers", "body", "capture", "expect"})
                 : r.map(n, "a step",
                         {"name", "request", "operation", "path_params", "query", "headers", "body",
                          "capture", "expect"});
  if (!ok) return s;
  if (n["request"] && n["operation"])
    r.error(n, "a step has either 'request' or 'operation', not both");
  if (n["request"]) {
    std::string req;
    if (r.scalar(n["request"], "request", req)) {
      auto sp = req.find(' ');
      if (sp == std::string::npos || req.find_first_not_of(' ', sp) == std::string::npos) {
        r.error(n["request"], "'request' must be 'METHOD /path', not '" + req + "'",
                "e.g. GET /api/v2/me");
      } else {
        s.method = req.substr(0, sp);
        s.path = req.substr(req.find_first_not_of(' ', sp));
        std::transform(s.method.begin(), s.method.end(), s.method.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        if (s.path.empty() || s.path[0] != '/')
          r.error(n["request"], "the path must start with '/': '" + s.path + "'");
        r.check_template(n["request"], s.path);
      }
    }
  } else if (n["operation"]) {
    r.scalar(n["operation"], "operation", s.operation_id);  // resolved against the spec later
  } else {
    r.error(n, "a step needs 'request: METHOD /path' or 'operation: operationId'");
  }
  if (n["path_params"]) {
    for (auto& [k, v] : r.string_map(n["path_params"], "path_params")) {
      r.check_template(n["path_params"], v);
      s.path_params.emplace_back(k, v);
    }
  }
  if (n["query"]) {
    for (auto& [k, v] : r.string_map(n["query"], "query")) {
      r.check_template(n["query"], v);
      s.query += (s.query.empty() ? "" : "&") + k + "=" + v;
    }
  }
  if (n["headers"]) {
    s.headers = r.string_map(n["headers"], "headers");
    for (auto& [k, v] : s.headers) r.check_template(n["headers"], v);
  }
  if (n["body"]) {
    const auto& b = n["body"];
    if (b.IsScalar()) {
      s.body = b.as<std::string>();
    } else {
      s.body = to_json(b).dump();
    }
    r.check_template(b, s.body);
  }
  if (n["capture"]) {
    for (auto& [k, v] : r.string_map(n["capture"], "capture")) {
      if (!v.empty() && v[0] != '/')
        r.error(n["capture"], "capture '" + k + "' must be a JSON pointer, not '" + v + "'",
                "e.g. /data/id");
      s.capture.emplace_back(k, v);
    }
  }
  if (n["expect"]) {
    const auto& e = n["expect"];
    auto add = [&](const YAML::Node& x) {
      double v = 0;
      if (r.number(x, "expect", v, 100, 599)) s.expect.push_back(static_cast<int>(v));
    };
    if (e.IsSequence())
      for (const auto& x : e) add(x);
    else
      add(e);
  }
  if (n["name"])
    r.scalar(n["name"], "name", s.name);
  else
    s.name = default_name;
  return s;
}

flow parse_flow(reader& r, const YAML::Node& n, std::size_t index) {
  flow f;
  if (!n.IsMap()) {
    r.error(n, "a mix item must be a mapping (one request, or name/weight/steps)");
    return f;
  }
  if (n["steps"] && !r.map(n, "a flow", {"name", "weight", "steps"})) return f;
  if (n["weight"]) r.number(n["weight"], "weight", f.weight, 0, 1e9);
  if (n["name"]) r.scalar(n["name"], "name", f.name);
  if (n["steps"]) {
    if (!n["steps"].IsSequence() || n["steps"].size() == 0) {
      r.error(n["steps"], "'steps' must be a non-empty list");
      return f;
    }
    std::size_t i = 0;
    for (const auto& s : n["steps"]) {
      ++i;
      f.steps.push_back(parse_step(r, s, "", false));
      if (f.steps.back().name.empty()) f.steps.back().name = "step" + std::to_string(i);
    }
    if (f.name.empty()) f.name = "flow" + std::to_string(index + 1);
    for (auto& s : f.steps) s.name = f.name + "." + s.name;
  } else {
    // A single request: the item's own keys describe it.
    f.steps.push_back(parse_step(r, n, "", true));
    if (f.steps.back().name.empty()) {
      auto& s = f.steps.back();
      s.name = f.name.empty() ? (s.operation_id.empty() ? s.method + " " + s.path : s.operation_id)
                              : f.name;
    }
    if (f.name.empty()) f.name = f.steps.back().name;
  }
  return f;
}

void parse_auth(reader& r, const YAML::Node& n, auth_config& a) {
  if (!r.map(n, "auth", {"api_key", "api_key_header", "oauth", "basic"})) return;
  if (n["api_key"]) {
    a.type = auth_config::kind::api_key;
    r.scalar(n["api_key"], "api_key", a.api_key);
    r.check_template(n["api_key"], a.api_key);
  }
  if (n["api_key_header"]) r.scalar(n["api_key_header"], "api_key_header", a.api_key_header);
  if (n["oauth"] && n["basic"]) r.error(n, "auth has 'oauth' or 'basic', not both");
  if (const auto& o = n["oauth"]) {
    a.type = auth_config::kind::oauth;
    if (r.map(o, "auth.oauth",
              {"grant", "username", "password", "client_id", "client_secret", "scope",
               "token_path"})) {
      if (o["grant"]) r.scalar(o["grant"], "grant", a.grant);
      if (a.grant != "password" && a.grant != "client_credentials")
        r.error(o["grant"], "unknown grant '" + a.grant + "'", "password or client_credentials");
      for (auto [key, field] : {std::pair{"username", &a.username},
                                {"password", &a.password},
                                {"client_id", &a.client_id},
                                {"client_secret", &a.client_secret},
                                {"scope", &a.scope},
                                {"token_path", &a.token_path}}) {
        if (o[key]) {
          r.scalar(o[key], key, *field);
          r.check_template(o[key], *field);
        }
      }
      if (a.client_id.empty()) r.error(o, "auth.oauth needs 'client_id' and 'client_secret'");
      if (a.grant == "password" && a.username.empty())
        r.error(o, "the password grant needs 'username' and 'password'",
                "use ${env:NAME} to keep the password out of the profile");
    }
  }
  if (const auto& b = n["basic"]) {
    a.type = auth_config::kind::basic;
    if (r.map(b, "auth.basic", {"username", "password"})) {
      if (b["username"]) r.scalar(b["username"], "username", a.username);
      if (b["password"]) r.scalar(b["password"], "password", a.password);
      r.check_template(b, a.username);
      r.check_template(b, a.password);
    }
  }
  // An API key goes with OAuth or Basic too (the gateway wants both).
  if (n["api_key"] && a.type == auth_config::kind::api_key) return;
}

void parse_root(reader& r, const YAML::Node& root, profile& p) {
  if (!r.map(root, "the profile",
             {"name",    "target",   "executor",   "arrivals",    "seed",
              "rate",    "duration", "start_rate", "stages",      "connections",
              "vus",     "threads",  "timeout",    "max_lag_p99", "insecure",
              "headers", "auth",     "checks",     "mix",         "thresholds"}))
    return;
  if (root["name"]) r.scalar(root["name"], "name", p.name);
  if (root["target"]) r.scalar(root["target"], "target", p.target);
  bool has_executor = false;
  if (root["executor"]) {
    std::string e;
    if (r.scalar(root["executor"], "executor", e)) {
      has_executor = true;
      if (e == "constant-arrival-rate")
        p.executor = executor_kind::constant_arrival_rate;
      else if (e == "ramping-arrival-rate")
        p.executor = executor_kind::ramping_arrival_rate;
      else if (e == "constant-concurrency")
        p.executor = executor_kind::constant_concurrency;
      else
        r.error(root["executor"], "unknown executor '" + e + "'",
                "constant-arrival-rate, ramping-arrival-rate or constant-concurrency");
    }
  }
  if (!has_executor && !root["executor"])
    r.error(root, "the profile needs an 'executor'",
            "constant-arrival-rate, ramping-arrival-rate or constant-concurrency");
  if (root["arrivals"]) {
    std::string a;
    if (r.scalar(root["arrivals"], "arrivals", a)) {
      if (a == "uniform")
        p.arrivals = arrival_kind::uniform;
      else if (a == "poisson")
        p.arrivals = arrival_kind::poisson;
      else
        r.error(root["arrivals"], "unknown arrivals '" + a + "'", "uniform or poisson");
    }
  }
  double v = 0;
  if (root["seed"] && r.number(root["seed"], "seed", v, 0, 9e15))
    p.seed = static_cast<std::uint64_t>(v);
  if (root["rate"]) r.number(root["rate"], "rate", p.rate, 1e-6, 1e8);
  if (root["duration"]) r.duration(root["duration"], "duration", p.duration_s);
  if (root["start_rate"]) r.number(root["start_rate"], "start_rate", p.start_rate, 0, 1e8);
  if (const auto& st = root["stages"]) {
    if (!st.IsSequence() || st.size() == 0) {
      r.error(st, "'stages' must be a non-empty list of {duration, target}");
    } else {
      for (const auto& s : st) {
        stage x;
        if (!r.map(s, "a stage", {"duration", "target"})) continue;
        if (!s["duration"] || !s["target"]) r.error(s, "a stage needs 'duration' and 'target'");
        if (s["duration"]) r.duration(s["duration"], "duration", x.duration_s);
        if (s["target"]) r.number(s["target"], "target", x.target, 0, 1e8);
        p.stages.push_back(x);
      }
    }
  }
  for (const char* k : {"connections", "vus"}) {
    if (root[k] && r.number(root[k], k, v, 1, 100000)) p.connections = static_cast<unsigned>(v);
  }
  if (root["threads"] && r.number(root["threads"], "threads", v, 1, 256))
    p.threads = static_cast<unsigned>(v);
  if (root["timeout"]) r.duration(root["timeout"], "timeout", p.timeout_s);
  if (root["max_lag_p99"] && r.duration(root["max_lag_p99"], "max_lag_p99", v))
    p.max_lag_p99_ms = v * 1000;
  if (root["insecure"]) r.boolean(root["insecure"], "insecure", p.insecure);
  if (root["headers"]) {
    p.headers = r.string_map(root["headers"], "headers");
    for (auto& [k, hv] : p.headers) r.check_template(root["headers"], hv);
  }
  if (root["auth"]) parse_auth(r, root["auth"], p.auth);
  if (const auto& c = root["checks"]) {
    if (r.map(c, "checks", {"status", "envelope", "schema_sample"})) {
      if (c["status"]) r.boolean(c["status"], "status", p.checks.status);
      if (c["envelope"]) r.boolean(c["envelope"], "envelope", p.checks.envelope);
      if (c["schema_sample"])
        r.number(c["schema_sample"], "schema_sample", p.checks.schema_sample, 0, 1);
    }
  }
  if (const auto& m = root["mix"]) {
    if (!m.IsSequence() || m.size() == 0) {
      r.error(m, "'mix' must be a non-empty list of requests or flows");
    } else {
      std::size_t i = 0;
      for (const auto& item : m) p.mix.push_back(parse_flow(r, item, i++));
    }
  } else {
    r.error(root, "the profile needs a 'mix' of requests or flows");
  }
  if (const auto& t = root["thresholds"]) {
    auto add = [&](const std::string& scope, const YAML::Node& list) {
      if (!list.IsSequence()) {
        r.error(list, "thresholds for '" + scope + "' must be a list of strings",
                "e.g. [\"p(99)<250ms\", \"error_rate<0.1%\"]");
        return;
      }
      for (const auto& x : list) {
        std::string text;
        if (!r.scalar(x, "thresholds", text)) continue;
        auto th = parse_threshold(text, scope);
        if (auto* e = std::get_if<std::string>(&th))
          r.error(x, *e,
                  "e.g. p(99)<250ms, error_rate<0.1%, achieved_rate>0.99*planned, lag_p99<1ms");
        p.thresholds.push_back({scope, text, r.at(x)});
      }
    };
    if (t.IsSequence()) {
      add("*", t);
    } else if (t.IsMap()) {
      for (const auto& kv : t) add(kv.first.as<std::string>(), kv.second);
    } else {
      r.error(t, "'thresholds' must be a list, or a mapping of scope -> list");
    }
  }
}

// Rules that need the whole profile: executor parameters, unique names, threshold scopes.
void check_profile(reader& r, const YAML::Node& root, profile& p) {
  switch (p.executor) {
    case executor_kind::constant_arrival_rate:
      if (p.rate <= 0) r.error(root, "constant-arrival-rate needs 'rate' (requests per second)");
      if (p.duration_s <= 0) r.error(root, "constant-arrival-rate needs 'duration'", "e.g. 30s");
      if (!p.stages.empty()) r.error(root["stages"], "'stages' belong to ramping-arrival-rate");
      break;
    case executor_kind::ramping_arrival_rate:
      if (p.stages.empty()) r.error(root, "ramping-arrival-rate needs 'stages'");
      if (root["rate"] || root["duration"])
        r.error(root,
                "ramping-arrival-rate takes 'start_rate' and 'stages', not 'rate'/'duration'");
      break;
    case executor_kind::constant_concurrency:
      if (p.duration_s <= 0) r.error(root, "constant-concurrency needs 'duration'", "e.g. 30s");
      if (root["rate"] || root["stages"])
        r.error(root, "constant-concurrency is a closed model: no 'rate' or 'stages'",
                "set 'vus' (connections), or use an arrival-rate executor");
      break;
  }
  if (p.threads > std::max(1u, p.connections) && p.connections > 0)
    r.error(root["threads"] ? root["threads"] : root, "more threads than connections",
            "each thread owns at least one connection");
  std::set<std::string> names;
  for (const auto& f : p.mix)
    for (const auto& s : f.steps)
      if (!names.insert(s.name).second)
        r.error(root["mix"], "two steps are named '" + s.name + "'", "give each a unique 'name'");
  for (const auto& t : p.thresholds)
    if (t.scope != "*" && !names.count(t.scope))
      r.diags_.push_back({t.where, "threshold scope '" + t.scope + "' names no step",
                          "use '*' or one of the step names"});
}

}  // namespace

const char* to_string(executor_kind k) {
  switch (k) {
    case executor_kind::constant_arrival_rate:
      return "constant-arrival-rate";
    case executor_kind::ramping_arrival_rate:
      return "ramping-arrival-rate";
    case executor_kind::constant_concurrency:
      return "constant-concurrency";
  }
  return "?";
}
const char* to_string(arrival_kind k) {
  return k == arrival_kind::poisson ? "poisson" : "uniform";
}
const char* model_label(executor_kind k) {
  return k == executor_kind::constant_concurrency ? "closed model" : "open model";
}

double profile::total_duration_s() const {
  if (executor != executor_kind::ramping_arrival_rate) return duration_s;
  double t = 0;
  for (const auto& s : stages) t += s.duration_s;
  return t;
}

double profile::planned_starts() const {
  switch (executor) {
    case executor_kind::constant_arrival_rate:
      return rate * duration_s;
    case executor_kind::ramping_arrival_rate: {
      double n = 0, from = start_rate;
      for (const auto& s : stages) {
        n += (from + s.target) / 2 * s.duration_s;
        from = s.target;
      }
      return n;
    }
    case executor_kind::constant_concurrency:
      return 0;
  }
  return 0;
}

double parse_duration_s(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end == s.c_str() || !std::isfinite(v) || v < 0) return -1;
  std::string unit(end);
  if (unit.empty() || unit == "s") return v;
  if (unit == "ms") return v / 1e3;
  if (unit == "us") return v / 1e6;
  if (unit == "m") return v * 60;
  if (unit == "h") return v * 3600;
  return -1;
}

std::variant<profile, cxh::diagnostics> parse_profile(std::string_view yaml,
                                                      const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    auto where =
        file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return cxh::diagnostics{{where, "not valid YAML: " + e.msg, ""}};
  }
  // Alias bombs: refused before anything below walks (or to_json expands) the aliases.
  if (auto over = cxh::check_yaml_budget(root, file)) return cxh::diagnostics{*over};
  reader r(file);
  profile p;
  p.file = file;
  try {
    parse_root(r, root, p);
    if (r.diags_.empty()) check_profile(r, root, p);
  } catch (const YAML::Exception& e) {
    r.diags_.push_back({file, std::string("unexpected YAML structure: ") + e.what(), ""});
  }
  if (!r.diags_.empty()) return r.diags_;
  if (p.name.empty()) p.name = file;
  return p;
}

std::variant<profile, cxh::diagnostics> load_profile(const std::string& path) {
  auto text = cxh::read_file(path, 4u << 20);
  if (auto* d = std::get_if<cxh::diagnostic>(&text)) return cxh::diagnostics{*d};
  return parse_profile(std::get<std::string>(text), path);
}

}  // namespace cxh::load
