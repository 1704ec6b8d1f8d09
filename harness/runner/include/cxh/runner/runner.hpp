#pragma once
// Runs conformance suites against a target and produces a run_result (result.hpp).
#include <chrono>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/result.hpp>
#include <cxh/runner/target.hpp>
#include <cxh/scenario/model.hpp>
#include <cxh/scenario/templating.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cxh::runner {

// Asynchronous expectations (CometD messages, webhook deliveries) are answered by sources the
// caller plugs in; a step that expects an event of a kind with no source is an error.
class event_source {
 public:
  virtual ~event_source() = default;
  // Prepares to receive on `channel` (subscribes); called before the step's request is sent.
  virtual std::string prepare(const std::string& channel) = 0;  // "" or what went wrong
  // A message on `channel` whose content contains `match`, received since prepare(); nullopt
  // when none arrives before the deadline.
  virtual std::optional<nlohmann::json> await(const std::string& channel,
                                              const nlohmann::json& match,
                                              std::chrono::milliseconds within) = 0;
};

struct run_options {
  std::vector<std::string> suite_names;  // empty: all
  std::vector<std::string> tags;         // empty: all; else a case needs one of them
  std::function<void(const case_result&)> on_case_started;
  std::function<void(const case_result&)> on_case_finished;
  std::shared_ptr<event_source> cometd;
  std::shared_ptr<event_source> webhooks;
  // Values that replace the suites' own (`--var NAME=VALUE`, the config's `variables:`), in
  // every selected suite that declares the name.
  std::map<std::string, nlohmann::json> variables;
  // When the run must end (--max-duration): requests and event waits are cut to it, and the
  // cases not started by then are reported as not run.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// Problems a suite has that only the specification shows (unknown operationIds, path
// parameters the operation does not have); file:line:column and a hint each.
diagnostics check_suites(const std::vector<scenario::suite>& suites, const openapi::spec_set& spec);

class runner {
 public:
  runner(const openapi::spec_set& spec, target_config target);
  ~runner();
  run_result run(const std::vector<scenario::suite>& suites, const run_options& opts);

 private:
  void run_case(const scenario::test_case& c, outcome setup, const std::string& setup_error,
                const std::vector<step_result>& setup_steps,
                const scenario::template_context& suite_vars, const run_options& opts,
                case_result& cr);
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The page and line an operation cites (first x-source), "spec/<page>:<line>".
std::string source_of(const openapi::operation& op);
// "schemas/openmedia.json" -> "openmedia".
std::string family_of(const openapi::operation& op);
// "POST /nexus/v3/openmedia/{openMediaService}/interactions [Accept]".
std::string operation_key(const openapi::operation& op);

}  // namespace cxh::runner
