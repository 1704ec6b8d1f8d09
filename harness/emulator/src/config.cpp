#include <cxh/emulator/config.hpp>

namespace cxh::emulator {

namespace {

using nlohmann::json;

bool string_field(const json& o, const char* key, std::string& out, const std::string& where,
                  cxh::diagnostics& problems) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string() || it->get<std::string>().empty()) {
    problems.push_back({where + "/" + key, "must be a non-empty string", ""});
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// A client's optional "redirect_uris": absolute URIs, matched exactly.
bool redirect_uris(const json& o, oauth_client& cl, const std::string& where,
                   cxh::diagnostics& problems) {
  auto it = o.find("redirect_uris");
  if (it == o.end()) return true;  // the defaults
  cl.redirect_uris.clear();
  bool ok = it->is_array();
  if (ok)
    for (const auto& u : *it) {
      bool absolute = u.is_string() && u.get<std::string>().find("://") != std::string::npos;
      if (absolute) cl.redirect_uris.push_back(u.get<std::string>());
      ok = ok && absolute;
    }
  if (!ok) problems.push_back({where + "/redirect_uris", "must be an array of absolute URIs", ""});
  return ok;
}

// The positive integer settings: name -> where it goes.
bool positive_setting(config& c, const std::string& key, std::uint64_t n) {
  if (key == "refresh_token_ttl_seconds")
    c.refresh_token_ttl = std::chrono::seconds(n);
  else if (key == "session_ttl_seconds")
    c.session_ttl = std::chrono::seconds(n);
  else if (key == "max_media_bytes")
    c.max_media_bytes = n;
  else if (key == "max_subscriptions_per_principal")
    c.max_subscriptions_per_principal = n;
  else if (key == "max_statistics_per_subscription")
    c.max_statistics_per_subscription = n;
  else
    return false;
  return true;
}

}  // namespace

std::optional<page_reading> page_reading_from_name(std::string_view name) {
  if (name == "primary") return page_reading::primary;
  if (name == "alternate") return page_reading::alternate;
  return std::nullopt;
}

std::variant<config, cxh::diagnostics> parse_config(const json& doc, const std::string& where) {
  config c;
  cxh::diagnostics problems;
  if (!doc.is_object())
    return cxh::diagnostics{{where, "the emulator config must be a JSON object", ""}};
  for (auto& [key, value] : doc.items()) {
    std::string at = where + "#/" + key;
    if (key == "api_keys") {
      c.api_keys.clear();
      if (!value.is_array())
        problems.push_back({at, "must be an array of strings", ""});
      else
        for (auto& k : value) {
          if (k.is_string() && !k.get<std::string>().empty())
            c.api_keys.push_back(k.get<std::string>());
          else
            problems.push_back({at, "every API key must be a non-empty string", ""});
        }
    } else if (key == "users") {
      c.users.clear();
      if (!value.is_array())
        problems.push_back({at, "must be an array of {username, password, id}", ""});
      else
        for (std::size_t i = 0; i < value.size(); ++i) {
          user u;
          std::string ua = at + "/" + std::to_string(i);
          if (!value[i].is_object()) {
            problems.push_back({ua, "must be an object", ""});
            continue;
          }
          bool ok = string_field(value[i], "username", u.username, ua, problems) &
                    string_field(value[i], "password", u.password, ua, problems);
          u.id = value[i].value("id", "user-" + std::to_string(i + 1));
          if (ok) c.users.push_back(u);
        }
    } else if (key == "clients") {
      c.clients.clear();
      if (!value.is_array())
        problems.push_back({at, "must be an array of {id, secret}", ""});
      else
        for (std::size_t i = 0; i < value.size(); ++i) {
          oauth_client cl;
          std::string ca = at + "/" + std::to_string(i);
          if (!value[i].is_object()) {
            problems.push_back({ca, "must be an object", ""});
            continue;
          }
          if (string_field(value[i], "id", cl.id, ca, problems) &
              string_field(value[i], "secret", cl.secret, ca, problems) &
              redirect_uris(value[i], cl, ca, problems))
            c.clients.push_back(cl);
        }
    } else if (key == "channel_secrets") {
      c.channel_secrets.clear();
      if (!value.is_object())
        problems.push_back({at, "must map channel ids to secrets", ""});
      else
        for (auto& [ch, secret] : value.items()) {
          if (secret.is_string() && !secret.get<std::string>().empty())
            c.channel_secrets[ch] = secret.get<std::string>();
          else
            problems.push_back({at + "/" + ch, "must be a non-empty string", ""});
        }
    } else if (key == "max_objects" || key == "token_ttl_seconds" || key == "seed") {
      if (!value.is_number_unsigned() || value.get<std::uint64_t>() == 0) {
        problems.push_back({at, "must be a positive integer", ""});
        continue;
      }
      auto n = value.get<std::uint64_t>();
      if (key == "max_objects")
        c.max_objects = n;
      else if (key == "token_ttl_seconds")
        c.token_ttl = std::chrono::seconds(n);
      else
        c.seed = n;
    } else if (value.is_number_unsigned() && value.get<std::uint64_t>() > 0 &&
               positive_setting(c, key, value.get<std::uint64_t>())) {
      continue;
    } else if (key == "refresh_token_ttl_seconds" || key == "session_ttl_seconds" ||
               key == "max_media_bytes" || key == "max_subscriptions_per_principal" ||
               key == "max_statistics_per_subscription") {
      problems.push_back({at, "must be a positive integer", ""});
    } else if (key == "faults") {
      auto f = parse_faults(value, at);
      if (auto* p = std::get_if<cxh::diagnostics>(&f))
        problems.insert(problems.end(), p->begin(), p->end());
      else
        c.faults = std::get<fault_set>(f);
    } else if (key == "cometd") {
      auto o = parse_cometd_options(value, at);
      if (auto* p = std::get_if<cxh::diagnostics>(&o))
        problems.insert(problems.end(), p->begin(), p->end());
      else
        c.cometd = std::get<cometd_options>(o);
    } else if (key == "webhooks") {
      if (!value.is_object()) {
        problems.push_back({at,
                            "must be {\"third_party_messaging\": URL, \"interactions\": URL, "
                            "\"channel\": ID}",
                            ""});
      } else {
        for (const auto& [wk, wv] : value.items()) {
          std::string* target = wk == "third_party_messaging" ? &c.tpm_webhook_url
                                : wk == "interactions"        ? &c.interactions_webhook_url
                                : wk == "channel"             ? &c.webhook_channel
                                                              : nullptr;
          if (!target || !wv.is_string())
            problems.push_back({at + "/" + wk, "unknown key or not a string",
                                "known: third_party_messaging, interactions, channel"});
          else
            *target = wv.get<std::string>();
        }
      }
    } else if (key == "admin") {
      if (!value.is_boolean())
        problems.push_back({at, "must be true or false", ""});
      else
        c.admin = value.get<bool>();
    } else if (key == "admin_token") {
      if (!value.is_string() || value.get<std::string>().empty())
        problems.push_back({at, "must be a non-empty string", ""});
      else
        c.admin_token = value.get<std::string>();
    } else if (key == "reading") {
      auto r = value.is_string() ? page_reading_from_name(value.get<std::string>()) : std::nullopt;
      if (!r)
        problems.push_back({at, "must be \"primary\" or \"alternate\"", ""});
      else
        c.reading = *r;
    } else {
      problems.push_back({at, "unknown setting '" + key + "'",
                          "known: api_keys, users, clients, channel_secrets, max_objects, "
                          "token_ttl_seconds, refresh_token_ttl_seconds, session_ttl_seconds, "
                          "max_media_bytes, max_subscriptions_per_principal, "
                          "max_statistics_per_subscription, seed, faults, admin, admin_token, "
                          "reading, cometd, webhooks"});
    }
  }
  if (!problems.empty()) return problems;
  return c;
}

}  // namespace cxh::emulator
