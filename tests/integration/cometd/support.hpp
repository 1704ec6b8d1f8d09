#pragma once

// Shared by the CometD integration tests: an emulator on loopback with a short tick, a bearer
// token, the documented schemas of every message, and node scripts run as child processes.

#include <gtest/gtest.h>

#include <cstdio>
#include <cxh/emulator/emulator.hpp>
#include <cxh/http/signing.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cometd_test {

using nlohmann::json;

inline std::unique_ptr<cxh::emulator::running_emulator> start_emulator(
    cxh::emulator::config cfg = {}) {
  cfg.admin = true;
  cfg.cometd.tick = std::chrono::milliseconds(100);
  if (cfg.cometd.timeout == std::chrono::milliseconds(30000))
    cfg.cometd.timeout = std::chrono::milliseconds(3000);
  cxh::http::server_options opts;
  opts.threads = 2;
  auto r = cxh::emulator::running_emulator::start(std::move(cfg), opts);
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return nullptr;
  }
  return std::move(std::get<0>(r));
}

// A password-grant token for agent1 (asked of the emulator in-process).
inline std::string token_of(const cxh::emulator::running_emulator& em,
                            const std::string& user = "agent1",
                            const std::string& password = "agent1-password") {
  cxh::http::request r;
  r.method = "POST";
  r.target = "/auth/v3/oauth/token";
  r.fields.add("x-api-key", "demo-api-key");
  r.fields.add("Authorization",
               "Basic " + cxh::http::base64_encode("demo-client:demo-client-secret"));
  r.fields.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = "grant_type=password&username=" + user + "&password=" + password;
  auto res = em.core().handle(r);
  json parsed = json::parse(res.body, nullptr, false);
  EXPECT_TRUE(parsed.is_object() && parsed.contains("access_token")) << res.body;
  return parsed.is_object() ? parsed.value("access_token", "") : "";
}

// The embedded schemas, compiled by URI ("events/statistic-update.json#/$defs/Message").
class schemas {
 public:
  schemas() {
    for (const auto& d : cxh::openapi::spec_set::embedded_documents()) {
      auto diags = compiler_.add_document(d.uri, json::parse(d.text));
      EXPECT_TRUE(diags.empty()) << d.display;
    }
  }
  // Errors as text; empty when `instance` is valid.
  std::string check(const std::string& relative, const json& instance) {
    auto it = cache_.find(relative);
    if (it == cache_.end()) {
      auto compiled = compiler_.compile("https://cxharness.dev/schemas/" + relative);
      if (auto* d = std::get_if<cxh::diagnostics>(&compiled))
        return "schema " + relative + " does not compile: " + cxh::to_string(d->front());
      it = cache_.emplace(relative, std::get<cxh::schema::schema>(compiled)).first;
    }
    auto errors = it->second.validate(instance);
    return errors.empty() ? std::string() : cxh::schema::to_text(errors);
  }

 private:
  cxh::schema::compiler compiler_;
  std::map<std::string, cxh::schema::schema> cache_;
};

// The schema a server-to-client message must satisfy: its event file's Message for a
// delivered notification, the Bayeux reply otherwise.
inline std::string schema_for(const json& m) {
  std::string ch = m.value("channel", "");
  if (ch == "/meta/handshake") return "events/bayeux.json#/$defs/HandshakeResponse";
  if (ch == "/meta/connect") return "events/bayeux.json#/$defs/ConnectResponse";
  if (ch == "/meta/subscribe") return "events/bayeux.json#/$defs/SubscribeResponse";
  if (ch == "/meta/unsubscribe") return "events/bayeux.json#/$defs/UnsubscribeResponse";
  if (ch == "/meta/disconnect") return "events/bayeux.json#/$defs/DisconnectResponse";
  if (ch == "/statistics/v3/updates") return "events/statistic-update.json#/$defs/Message";
  if (ch == "/statistics/v3/service") return "events/service-state-change.json#/$defs/Message";
  if (ch == "/v2/me/channels") return "events/channel-state-change.json#/$defs/Message";
  if (ch == "/v2/me/interactions") return "events/interaction-state-message.json#/$defs/Message";
  if (ch == "/v2/me/calls") return "events/call-state-change-message.json#/$defs/Message";
  if (ch == "/v2/me/devices") return "events/device-state-change-message.json#/$defs/Message";
  return "events/bayeux.json#/$defs/ServerMessage";
}

inline std::filesystem::path tools_dir() {
  return std::filesystem::path(CXH_SOURCE_DIR) / ".tools" / "node_modules";
}

inline bool have_node_tools(std::initializer_list<const char*> packages) {
  if (std::system("node --version > /dev/null 2>&1") != 0) return false;
  for (const char* p : packages)
    if (!std::filesystem::exists(tools_dir() / p)) return false;
  return true;
}

// Runs a command and collects its stdout lines (stderr merged), until it exits.
inline std::vector<std::string> run_lines(const std::string& command, int* exit_code) {
  std::vector<std::string> lines;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) {
    *exit_code = -1;
    return lines;
  }
  std::string line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  if (!line.empty()) lines.push_back(line);
  int status = ::pclose(p);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return lines;
}

}  // namespace cometd_test
