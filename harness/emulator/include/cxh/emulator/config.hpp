#pragma once

#include <chrono>
#include <cstdint>
#include <cxh/core/diagnostic.hpp>
#include <cxh/emulator/faults.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxh::emulator {

struct user {
  std::string username;
  std::string password;
  std::string id;
};

struct oauth_client {
  std::string id;
  std::string secret;
};

// The Bayeux (CometD) servers of Statistics and Web Services v2 (harness/emulator/COMETD.md).
struct cometd_options {
  std::chrono::milliseconds timeout{30000};       // advice.timeout: how long /meta/connect is held
  std::chrono::milliseconds interval{0};          // advice.interval
  std::chrono::milliseconds max_interval{10000};  // no /meta/connect this long: the session expires
  std::size_t max_sessions = 10000;               // per server; more handshakes are refused
  std::size_t queue_cap = 1000;          // messages per session; past it the oldest are dropped
  std::chrono::milliseconds tick{1000};  // statistic change detection and session expiry sweep
};

// Reads {"timeout_ms", "interval_ms", "max_interval_ms", "max_sessions", "queue_cap", "tick_ms"}.
std::variant<cometd_options, cxh::diagnostics> parse_cometd_options(const nlohmann::json& doc,
                                                                    const std::string& where);

// Which faithful reading of the pages the emulator implements where they are silent or ambiguous
// (the schemas' x-decision entries): `primary` is the `chosen` one, `alternate` another faithful
// choice (`alternate_reading`). Suites must pass against both: the guard against checks that only
// fit one implementation.
enum class page_reading { primary, alternate };
std::optional<page_reading> page_reading_from_name(std::string_view name);

// Who may call the emulator. The defaults serve the demo and are documented in README.md; real
// runs pass a config file. Secrets here are never logged or reported.
struct config {
  std::vector<std::string> api_keys{"demo-api-key"};
  std::vector<user> users{{"agent1", "agent1-password", "00000000-0000-4000-8000-000000000001"}};
  std::vector<oauth_client> clients{{"demo-client", "demo-client-secret"}};
  std::map<std::string, std::string> channel_secrets{{"demo-channel", "demo-channel-secret"}};
  std::size_t max_objects = 100000;  // per store; beyond it creates get an error envelope
  std::chrono::seconds token_ttl{3600};
  std::uint64_t seed = 1;  // ids and generated values
  fault_set faults;        // injected latency, errors, stalls, mutations (FAULTS.md)
  bool admin = false;      // serve /__cxh/admin/faults (off unless asked)
  page_reading reading = page_reading::primary;
  cometd_options cometd;  // Bayeux servers: hold times, expiry, bounds
  // Outbound webhooks (harness/emulator/WEBHOOKS.md); empty: not sent. Signed with the secret of
  // `webhook_channel` in channel_secrets (default: the first channel).
  std::string tpm_webhook_url;           // Third-Party Messaging agent replies
  std::string interactions_webhook_url;  // Interactions Webhook STARTED / FINISHED
  std::string webhook_channel;
};

// Reads a config document ({"api_keys": [...], "users": [{"username", "password", "id"}],
// "clients": [{"id", "secret"}], "channel_secrets": {...}, "max_objects": N,
// "token_ttl_seconds": N, "seed": N, "faults": {"rules": [...]}, "admin": bool,
// "reading": "primary" | "alternate"}); unknown keys
// and wrong types are diagnostics. FAULTS.md documents the fault rules.
std::variant<config, cxh::diagnostics> parse_config(const nlohmann::json& doc,
                                                    const std::string& where);

}  // namespace cxh::emulator
