#pragma once
// Where a run sends its requests and with which credentials. From `--target URL`, a config file
// (YAML or JSON, below) and environment variables; secrets are never printed.
//
//   target: https://gws.example.com          # base for every API family
//   apis:                                    # per-family overrides (family = schemas/<name>.json)
//     statistics: https://stats.example.com
//   credentials:
//     api_key: ${env:CXH_API_KEY}
//     bearer_token: ...                      # a static token, or:
//     oauth: {grant: password, client_id: .., client_secret: .., username: .., password: ..}
//     basic: {username: .., password: ..}    # Web Services v2
//     channel_secret: ..                     # X-Hub-Signature of Third-Party Messaging bodies
//   tls: {ca: FILE, insecure: false}
//   timeouts: {connect: 5s, request: 30s}
//   budget: 5s                               # response-time budget of every step
//   variables: {channelId: my-channel}       # suite variables for this target (like --var)
#include <chrono>
#include <cxh/core/diagnostic.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cxh::runner {

struct oauth_settings {
  std::string grant;  // password | client_credentials | authorization_code | refresh_token
  std::string client_id, client_secret, username, password, code, redirect_uri, refresh_token,
      scope;
};

struct credentials {
  std::optional<std::string> api_key;
  std::optional<std::string> bearer_token;
  std::optional<oauth_settings> oauth;
  std::optional<std::pair<std::string, std::string>> basic;  // username, password
  std::optional<std::string> channel_secret;
  // Every secret value, for redaction.
  std::vector<std::string> secrets() const;
};

struct target_config {
  std::string base;                         // "http://127.0.0.1:8080"
  std::map<std::string, std::string> apis;  // family -> base
  credentials creds;
  std::string ca_file;
  bool insecure = false;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds budget{5000};
  std::map<std::string, nlohmann::json> variables;  // suite variables' values for this target
  std::string label;  // how reports name the target ("embedded emulator" or the base URL)

  const std::string& base_for(const std::string& family) const;
};

// Reads a config file (YAML or JSON); ${env:NAME} in values reads the environment. Then the
// environment fills what the file left unset: CXH_API_KEY, CXH_BEARER_TOKEN, CXH_USERNAME +
// CXH_PASSWORD (basic), CXH_CLIENT_ID + CXH_CLIENT_SECRET (oauth client_credentials, or password
// with CXH_USERNAME/CXH_PASSWORD), CXH_CHANNEL_SECRET.
std::variant<target_config, diagnostics> load_target_config(const std::string& path);
// The same from text already read (`path` names it in diagnostics).
std::variant<target_config, diagnostics> parse_target_config(std::string_view text,
                                                             const std::string& path);
void fill_from_environment(credentials& c);

}  // namespace cxh::runner
