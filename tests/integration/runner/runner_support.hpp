#pragma once
// Shared by the runner tests: the embedded spec, the emulator with a config, suites from text or
// from scenarios/, and lookups in a run_result.
#include <gtest/gtest.h>

#include <cxh/emulator/emulator.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/runner.hpp>
#include <cxh/scenario/parse.hpp>
#include <optional>
#include <variant>

namespace cxh::testing {

inline const openapi::spec_set& spec() {
  static const openapi::spec_set s =
      std::get<openapi::spec_set>(openapi::spec_set::load(openapi::spec_set::embedded_documents()));
  return s;
}

inline runner::credentials emulator_credentials() {
  emulator::config cfg;
  runner::credentials c;
  c.api_key = cfg.api_keys.front();
  c.basic = std::make_pair(cfg.users.front().username, cfg.users.front().password);
  runner::oauth_settings o;
  o.grant = "password";
  o.client_id = cfg.clients.front().id;
  o.client_secret = cfg.clients.front().secret;
  o.username = cfg.users.front().username;
  o.password = cfg.users.front().password;
  c.oauth = o;
  c.channel_secret = cfg.channel_secrets.begin()->second;
  return c;
}

inline std::unique_ptr<emulator::running_emulator> start_emulator(emulator::config cfg = {}) {
  auto r = emulator::running_emulator::start(std::move(cfg));
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<emulator::running_emulator>>(r));
}

inline std::vector<scenario::suite> suites_from(const std::string& yaml) {
  auto r = scenario::parse_suite(yaml, "inline.yaml");
  if (auto* d = std::get_if<diagnostics>(&r)) {
    ADD_FAILURE() << to_string(d->front());
    return {};
  }
  return {std::get<scenario::suite>(std::move(r))};
}

inline std::vector<scenario::suite> repository_suites() {
  auto loaded = scenario::load_suites({std::string(CXH_SOURCE_DIR) + "/scenarios"});
  for (const auto& p : loaded.problems) ADD_FAILURE() << to_string(p);
  return loaded.suites;
}

// An emulator config with one conformance defect on one route ("*" or an operationId): the
// shared start of every mutation-table row. Nullopt when the emulator does not know the name.
inline std::optional<emulator::config> config_with_defect(const std::string& route,
                                                          const std::string& mutation) {
  auto faults = emulator::parse_faults(
      nlohmann::json{{"rules", {{{"route", route}, {"mutations", {mutation}}}}}}, "test");
  if (!std::holds_alternative<emulator::fault_set>(faults)) return std::nullopt;
  emulator::config cfg;
  cfg.faults = std::get<emulator::fault_set>(faults);
  return cfg;
}

inline runner::target_config target_for(const std::string& base) {
  runner::target_config t;
  t.base = base;
  t.creds = emulator_credentials();
  t.request_timeout = std::chrono::milliseconds(3000);
  t.connect_timeout = std::chrono::milliseconds(3000);
  t.budget = std::chrono::milliseconds(60000);  // sanitizer builds on a loaded machine
  return t;
}

// Every failed check of the run, as "rule: title (expected / actual)" lines.
inline std::vector<const runner::check_result*> failed_checks(const runner::run_result& r) {
  std::vector<const runner::check_result*> out;
  for (const auto& c : r.cases) {
    for (const auto& s : c.steps) {
      for (const auto& k : s.checks) {
        if (!k.passed && k.severity == runner::level::must) out.push_back(&k);
      }
    }
  }
  return out;
}

}  // namespace cxh::testing
