#pragma once
// The load engine: one io_context per worker thread, each owning its connections and its
// statistics (no locks or atomics on the request path); every second each worker hands its
// interval statistics to the calling thread, which merges them by adding counts.

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <cxh/core/diagnostic.hpp>
#include <cxh/load/profile.hpp>
#include <cxh/load/stats.hpp>
#include <cxh/openapi/spec.hpp>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cxh::load {

// Printed in every report: what happens to a request whose intended time has passed.
inline constexpr const char* catch_up_policy =
    "late requests are sent as soon as a connection frees; their latency counts from the "
    "intended time; requests still waiting at the end are counted as unsent";

struct step_info {
  std::string name;
  std::string operation;  // operationId, or "METHOD /path"
  std::string method;
};

struct interval_view {
  std::size_t index = 0;
  double start_s = 0, length_s = 0;  // from the start of the run
  double planned = 0;                // planned flow starts in the interval (open model)
  const run_stats* stats = nullptr;  // merged over the workers
  const std::vector<step_info>* steps = nullptr;
};

struct run_options {
  profile prof;                             // after command-line overrides
  std::string target;                       // base URL: http[s]://host[:port][/prefix]
  const openapi::spec_set* spec = nullptr;  // resolves operationIds; needed by checks
  // Added to every request (credentials, resolved): never printed.
  std::vector<std::pair<std::string, std::string>> secret_headers;
  std::function<void(const interval_view&)> on_interval;  // called on the run()'s thread
  const std::atomic<bool>* cancel = nullptr;              // set: end the run early
};

struct run_result {
  std::vector<step_info> steps;
  run_stats totals;
  double duration_s = 0;      // planned duration
  double elapsed_s = 0;       // start to the end of the drain
  double planned_starts = 0;  // open model
  double cpu_s = 0;           // CPU time of the worker threads
  unsigned connections = 0, threads = 0;
  std::vector<std::string> notes;  // e.g. connection failures at start
};

// Checks the profile against the API definitions (operationIds, captured variables): every
// problem is a diagnostic.
cxh::diagnostics check_plan(const profile& p, const openapi::spec_set* spec);

// Runs the profile. An error string when it cannot start (bad URL, unresolvable host).
std::variant<run_result, std::string> run(const run_options& opts);

// Client TLS for the run's connections and its token request: no verification when insecure,
// else trust ca_file (PEM) or, when empty, the system store. An error when ca_file cannot be read.
std::string configure_client_tls(boost::asio::ssl::context& ctx, bool insecure,
                                 const std::string& ca_file);

// Connections when the profile does not say: enough for the peak rate at ~100 ms answers.
unsigned default_connections(const profile& p);

}  // namespace cxh::load
