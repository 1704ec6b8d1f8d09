#pragma once
// A load profile: what to send, how fast, for how long, and what must hold
// (scenarios/load/README.md).

#include <cstdint>
#include <cxh/core/diagnostic.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cxh::load {

enum class executor_kind { constant_arrival_rate, ramping_arrival_rate, constant_concurrency };
enum class arrival_kind { uniform, poisson };

const char* to_string(executor_kind k);
const char* to_string(arrival_kind k);
// "open model" for the arrival-rate executors, "closed model" for constant-concurrency.
const char* model_label(executor_kind k);

// One stage of a ramping-arrival-rate run: the rate moves linearly to `target` over `duration_s`.
struct stage {
  double duration_s = 0;
  double target = 0;  // requests (flow starts) per second at the end of the stage
};

// One request of a flow. Text fields are templates (template.hpp).
struct step {
  std::string name;          // for reports; unique in the profile
  std::string method;        // upper case
  std::string path;          // full path with the query, a template
  std::string operation_id;  // resolved through the API definitions; may be empty
  std::vector<std::pair<std::string, std::string>> path_params;  // {name} -> value (operation)
  std::string query;                                             // "a=1&b=2", templates
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::pair<std::string, std::string>> capture;  // variable -> JSON pointer
  std::vector<int> expect;  // accepted statuses; empty: any status below 400
  std::string where;        // file:line:col of the step, for diagnostics at run time
};

// A weighted item of the mix: one request, or a chain whose captures feed the next steps.
struct flow {
  std::string name;
  double weight = 1;
  std::vector<step> steps;
};

struct auth_config {
  enum class kind { none, api_key, oauth, basic } type = kind::none;
  std::string api_key;  // templates: "${env:NAME}" keeps secrets out of profiles
  std::string api_key_header = "x-api-key";
  std::string grant = "password";        // oauth: password or client_credentials
  std::string username, password;        // oauth password grant, basic
  std::string client_id, client_secret;  // oauth (sent as Basic to the token endpoint)
  std::string scope;
  std::string token_path = "/auth/v3/oauth/token";
};

struct checks_config {
  bool status = false;       // the status is documented for the operation
  bool envelope = false;     // Engage: status.code in {0,1,2} on 2xx
  double schema_sample = 0;  // share of responses validated against the documented schema
};

struct threshold_spec {
  std::string scope;  // "*" or a step name
  std::string text;   // "p(99)<250ms"
  std::string where;
};

struct profile {
  std::string name;
  std::string file;    // where it was read from
  std::string target;  // base URL; empty: the embedded emulator
  executor_kind executor = executor_kind::constant_arrival_rate;
  arrival_kind arrivals = arrival_kind::uniform;
  std::uint64_t seed = 1;
  double rate = 0;        // constant-arrival-rate
  double duration_s = 0;  // constant-arrival-rate, constant-concurrency
  double start_rate = 0;  // ramping-arrival-rate
  std::vector<stage> stages;
  unsigned connections = 0;  // 0: chosen from the rate (open) ; the VUs of a closed run
  unsigned threads = 1;
  double timeout_s = 10;
  double max_lag_p99_ms = 50;  // above it (or with unsent requests) the run is invalid
  bool insecure = false;
  std::string ca_file;  // PEM bundle of authorities to trust (--ca); empty: the system store
  std::vector<std::pair<std::string, std::string>> headers;  // on every request
  auth_config auth;
  checks_config checks;
  std::vector<flow> mix;
  std::vector<threshold_spec> thresholds;

  double total_duration_s() const;
  // Flow starts the schedule plans (open model); 0 for the closed model.
  double planned_starts() const;
};

// Parses a profile (YAML). Every problem is a diagnostic with file:line:col and a hint.
std::variant<profile, cxh::diagnostics> parse_profile(std::string_view yaml,
                                                      const std::string& file);
std::variant<profile, cxh::diagnostics> load_profile(const std::string& path);

// "250ms", "1s", "1.5m", "2h", "500us"; a bare number is seconds. nullopt-like: negative on error.
double parse_duration_s(std::string_view text);

}  // namespace cxh::load
