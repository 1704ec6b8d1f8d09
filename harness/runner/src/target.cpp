#include <cstdlib>
#include <cxh/core/file.hpp>
#include <cxh/runner/target.hpp>
#include <cxh/scenario/parse.hpp>
#include <cxh/scenario/templating.hpp>
#include <cxh/scenario/yaml_json.hpp>

namespace cxh::runner {

std::vector<std::string> credentials::secrets() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (!s.empty()) out.push_back(s);
  };
  if (api_key) add(*api_key);
  if (bearer_token) add(*bearer_token);
  if (oauth) {
    add(oauth->client_secret);
    add(oauth->password);
    add(oauth->code);
    add(oauth->refresh_token);
  }
  if (basic) add(basic->second);
  if (channel_secret) add(*channel_secret);
  return out;
}

const std::string& target_config::base_for(const std::string& family) const {
  auto it = apis.find(family);
  return it != apis.end() ? it->second : base;
}

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

}  // namespace

void fill_from_environment(credentials& c) {
  if (!c.api_key) c.api_key = env("CXH_API_KEY");
  if (!c.bearer_token) c.bearer_token = env("CXH_BEARER_TOKEN");
  if (!c.channel_secret) c.channel_secret = env("CXH_CHANNEL_SECRET");
  auto user = env("CXH_USERNAME"), password = env("CXH_PASSWORD");
  if (!c.basic && user && password) c.basic = std::make_pair(*user, *password);
  auto id = env("CXH_CLIENT_ID"), secret = env("CXH_CLIENT_SECRET");
  if (!c.oauth && id && secret) {
    oauth_settings o;
    o.client_id = *id;
    o.client_secret = *secret;
    if (user && password) {
      o.grant = "password";
      o.username = *user;
      o.password = *password;
    } else {
      o.grant = "client_credentials";
    }
    c.oauth = o;
  }
}

namespace {

// `credentials:` of a config (secrets may read the environment through `str`).
template <typename Str, typename Complain>
void read_credentials(const nlohmann::json& value, const std::string& ptr, Str& str,
                      Complain& complain, credentials& creds) {
  for (const auto& [ck, cv] : value.items()) {
    const std::string cptr = ptr + "/" + ck;
    if (ck == "api_key") {
      creds.api_key = str(cv, cptr);
    } else if (ck == "bearer_token") {
      creds.bearer_token = str(cv, cptr);
    } else if (ck == "channel_secret") {
      creds.channel_secret = str(cv, cptr);
    } else if (ck == "basic" && cv.is_object()) {
      creds.basic = std::make_pair(str(cv.value("username", nlohmann::json()), cptr + "/username"),
                                   str(cv.value("password", nlohmann::json()), cptr + "/password"));
    } else if (ck == "oauth" && cv.is_object()) {
      oauth_settings o;
      std::map<std::string, std::string*> fields{{"grant", &o.grant},
                                                 {"client_id", &o.client_id},
                                                 {"client_secret", &o.client_secret},
                                                 {"username", &o.username},
                                                 {"password", &o.password},
                                                 {"code", &o.code},
                                                 {"redirect_uri", &o.redirect_uri},
                                                 {"refresh_token", &o.refresh_token},
                                                 {"scope", &o.scope}};
      for (const auto& [ok, ov] : cv.items()) {
        auto f = fields.find(ok);
        if (f == fields.end()) {
          complain(cptr + "/" + ok, "unknown oauth setting '" + ok + "'",
                   "grant, client_id, client_secret, username, password, code, redirect_uri, "
                   "refresh_token, scope");
        } else {
          *f->second = str(ov, cptr + "/" + ok);
        }
      }
      static const std::vector<std::string> grants{"password", "client_credentials",
                                                   "authorization_code", "refresh_token"};
      if (std::find(grants.begin(), grants.end(), o.grant) == grants.end()) {
        complain(cptr + "/grant", "grant '" + o.grant + "' is not supported",
                 "password, client_credentials, authorization_code or refresh_token");
      }
      creds.oauth = o;
    } else {
      complain(cptr, "unknown credential '" + ck + "'",
               "api_key, bearer_token, oauth, basic, channel_secret");
    }
  }
}

// `variables:` of a config: suite variables this target needs (its channel, service, user).
// Strings may read the environment (${env:NAME}); numbers and booleans are kept as they are.
template <typename Str, typename Complain>
void read_variables(const nlohmann::json& value, const std::string& ptr, Str& str,
                    Complain& complain, std::map<std::string, nlohmann::json>& out) {
  for (const auto& [name, v] : value.items()) {
    if (v.is_string())
      out[name] = str(v, ptr + "/" + name);
    else if (v.is_primitive() && !v.is_null())
      out[name] = v;
    else
      complain(ptr + "/" + name, "variable '" + name + "' is not a string, number or boolean",
               "variables: {channelId: my-channel}");
  }
}

}  // namespace

std::variant<target_config, diagnostics> load_target_config(const std::string& path) {
  auto text = cxh::read_file(path, 1 << 20);
  if (auto* d = std::get_if<diagnostic>(&text)) return diagnostics{*d};
  return parse_target_config(std::get<std::string>(text), path);
}

std::variant<target_config, diagnostics> parse_target_config(std::string_view text,
                                                             const std::string& path) {
  auto yaml = scenario::yaml_to_json(text, path);
  if (yaml.refused) return diagnostics{*yaml.refused};
  if (!yaml.error.empty())
    return diagnostics{{yaml.error, "the config is not valid YAML/JSON", ""}};
  diagnostics problems;
  const auto& doc = yaml.doc;
  auto complain = [&](const std::string& ptr, std::string what, std::string hint = "") {
    problems.push_back({doc.at(ptr).str(), std::move(what), std::move(hint)});
  };
  scenario::template_context ctx;
  auto str = [&](const nlohmann::json& j, const std::string& ptr) -> std::string {
    if (!j.is_string()) {
      complain(ptr, "expected a string");
      return "";
    }
    std::string error;
    std::string out = ctx.expand_string(j.get<std::string>(), error);
    if (!error.empty()) complain(ptr, error);
    return out;
  };
  auto duration = [&](const nlohmann::json& j, const std::string& ptr,
                      std::chrono::milliseconds& out) {
    auto d = j.is_string() ? scenario::parse_duration(j.get<std::string>()) : std::nullopt;
    if (!d) {
      complain(ptr, "expected a duration", "durations look like 250ms, 5s or 1m");
    } else {
      out = *d;
    }
  };
  target_config t;
  const auto& j = doc.value;
  if (!j.is_object()) return diagnostics{{doc.at("").str(), "the config must be a mapping", ""}};
  for (const auto& [key, value] : j.items()) {
    const std::string ptr = "/" + key;
    if (key == "target") {
      t.base = str(value, ptr);
    } else if (key == "apis" && value.is_object()) {
      for (const auto& [family, base] : value.items())
        t.apis[family] = str(base, ptr + "/" + family);
    } else if (key == "credentials" && value.is_object()) {
      read_credentials(value, ptr, str, complain, t.creds);
    } else if (key == "tls" && value.is_object()) {
      if (value.contains("ca")) t.ca_file = str(value["ca"], ptr + "/ca");
      if (value.contains("insecure"))
        t.insecure = value["insecure"].is_boolean() && value["insecure"].get<bool>();
    } else if (key == "timeouts" && value.is_object()) {
      if (value.contains("connect"))
        duration(value["connect"], ptr + "/connect", t.connect_timeout);
      if (value.contains("request"))
        duration(value["request"], ptr + "/request", t.request_timeout);
    } else if (key == "budget") {
      duration(value, ptr, t.budget);
    } else if (key == "variables" && value.is_object()) {
      read_variables(value, ptr, str, complain, t.variables);
    } else {
      complain(ptr, "unknown or malformed setting '" + key + "'",
               "target, apis, credentials, tls, timeouts, budget, variables (see "
               "harness/runner/README.md)");
    }
  }
  if (!problems.empty()) return problems;
  return t;
}

}  // namespace cxh::runner
