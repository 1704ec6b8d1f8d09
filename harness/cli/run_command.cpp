// cxharness run: conformance suites against a target (default: the embedded emulator).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cxh/core/exit_code.hpp>
#include <cxh/emulator/emulator.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/generate.hpp>
#include <cxh/runner/runner.hpp>
#include <cxh/runner/webhook_source.hpp>
#include <cxh/scenario/parse.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "commands.hpp"

#ifdef CXH_WITH_REPORTERS
#include <cxh/reporters/reporters.hpp>
#endif

namespace cxh::cli {

namespace rn = cxh::runner;

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_suites();

namespace {

struct run_args {
  std::vector<std::string> paths;
  std::string target;
  std::string config;
  std::vector<std::string> suites;
  std::vector<std::string> tags;
  std::vector<std::string> reports;
  std::string ca;
  bool insecure = false;
  bool list = false;
  bool verbose = false;
  std::string budget;
  std::string timeout;            // --timeout: each request, body included
  std::string max_duration;       // --max-duration: the whole run
  std::vector<std::string> vars;  // --var NAME=VALUE
  std::string webhook_listen;
  std::string reading;                           // the embedded emulator's reading of the pages
  bool generated = false, no_generated = false;  // default: with the built-in suites only
};

void print_diagnostics(const diagnostics& ds) {
  for (const auto& d : ds) std::cerr << to_string(d) << "\n";
}

// The embedded emulator's own credentials: what `cxharness emulate` documents.
rn::credentials emulator_credentials(const emulator::config& cfg) {
  rn::credentials c;
  c.api_key = cfg.api_keys.front();
  c.basic = std::make_pair(cfg.users.front().username, cfg.users.front().password);
  rn::oauth_settings o;
  o.grant = "password";
  o.client_id = cfg.clients.front().id;
  o.client_secret = cfg.clients.front().secret;
  o.username = cfg.users.front().username;
  o.password = cfg.users.front().password;
  c.oauth = o;
  c.channel_secret = cfg.channel_secrets.begin()->second;
  return c;
}

std::variant<std::vector<scenario::suite>, diagnostics> load(const run_args& a) {
  if (!a.paths.empty()) {
    auto loaded = scenario::load_suites(a.paths);
    if (!loaded.problems.empty()) return loaded.problems;
    return loaded.suites;
  }
  std::vector<scenario::suite> suites;
  diagnostics problems;
  for (const auto& [name, text] : embedded_suites()) {
    auto r = scenario::parse_suite(text, std::string(name));
    if (auto* d = std::get_if<diagnostics>(&r)) {
      problems.insert(problems.end(), d->begin(), d->end());
    } else {
      suites.push_back(std::get<scenario::suite>(std::move(r)));
    }
  }
  if (!problems.empty()) return problems;
  return suites;
}

// --list: each suite, its variables with their defaults (what --var may set), its cases.
void list_suites(const std::vector<scenario::suite>& suites) {
  for (const auto& s : suites) {
    std::cout << s.name << "  (" << s.file << ")\n";
    if (!s.variables.empty()) {
      std::cout << "  variables (--var NAME=VALUE):\n";
      for (const auto& [name, value] : s.variables.items())
        std::cout << "    " << name << " = " << value.dump() << "\n";
    }
    for (const auto& c : s.cases) std::cout << "  " << c.name << "\n";
  }
}

// The run's variables: the config's `variables:`, then --var (the command line wins).
bool run_variables(const run_args& a, const rn::target_config& target,
                   std::map<std::string, nlohmann::json>& out) {
  out = target.variables;
  for (const auto& v : a.vars) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "cxharness run: --var '" << v << "' is not NAME=VALUE\n";
      return false;
    }
    out[v.substr(0, eq)] = v.substr(eq + 1);
  }
  return true;
}

// A variable no selected suite declares is noted once: it may be meant for a suite not
// selected, or be misspelt.
void warn_undeclared(const run_args& a, const std::vector<scenario::suite>& suites,
                     const std::map<std::string, nlohmann::json>& vars) {
  for (const auto& [name, value] : vars) {
    bool declared = std::any_of(suites.begin(), suites.end(), [&](const scenario::suite& s) {
      bool chosen =
          a.suites.empty() || std::find(a.suites.begin(), a.suites.end(), s.name) != a.suites.end();
      return chosen && s.variables.contains(name);
    });
    if (!declared)
      std::cerr << "cxharness run: warning: no selected suite declares the variable '" << name
                << "' (cxharness run --list shows each suite's variables)\n";
  }
}

// --timeout and --max-duration; false (after saying why) when one is not a duration.
bool run_bounds(const run_args& a, rn::target_config& target, rn::run_options& opts) {
  if (!a.timeout.empty()) {
    auto d = scenario::parse_duration(a.timeout);
    if (!d || d->count() <= 0) {
      std::cerr << "cxharness run: --timeout '" << a.timeout << "' is not a duration (2s, 500ms)\n";
      return false;
    }
    target.request_timeout = *d;
  }
  if (!a.max_duration.empty()) {
    auto d = scenario::parse_duration(a.max_duration);
    if (!d || d->count() <= 0) {
      std::cerr << "cxharness run: --max-duration '" << a.max_duration
                << "' is not a duration (90s, 15m)\n";
      return false;
    }
    opts.deadline = std::chrono::steady_clock::now() + *d;
  }
  return true;
}

bool want_color() {
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// Where the run's problems end it: a usage error (2) or the harness's own (3).
struct stop {
  exit_code code;
};

// The suites to run (built-in or given, plus the generated ones), checked against the spec.
std::variant<std::vector<scenario::suite>, stop> prepare_suites(
    const run_args& a, const openapi::spec_set& spec, const rn::generate_options& generate) {
  auto loaded = load(a);
  if (auto* d = std::get_if<diagnostics>(&loaded)) {
    print_diagnostics(*d);
    return stop{exit_code::usage_error};
  }
  auto& suites = std::get<std::vector<scenario::suite>>(loaded);
  if (a.generated || (a.paths.empty() && !a.no_generated))
    suites.push_back(rn::generate_cases(spec, generate));
  for (const auto& name : a.suites) {
    bool known =
        std::any_of(suites.begin(), suites.end(), [&](const auto& s) { return s.name == name; });
    if (!known) {
      std::string names;
      for (const auto& s : suites) names += (names.empty() ? "" : ", ") + s.name;
      std::cerr << "cxharness run: no suite '" << name << "' (suites: " << names << ")\n";
      return stop{exit_code::usage_error};
    }
  }
  return std::move(suites);
}

// The target from --config, --target, --ca, --insecure and --budget.
std::optional<stop> configure_target(const run_args& a, rn::target_config& target) {
  if (!a.config.empty()) {
    auto t = rn::load_target_config(a.config);
    if (auto* d = std::get_if<diagnostics>(&t)) {
      print_diagnostics(*d);
      return stop{exit_code::usage_error};
    }
    target = std::get<rn::target_config>(std::move(t));
  }
  if (!a.target.empty()) target.base = a.target;
  if (!a.ca.empty()) target.ca_file = a.ca;
  if (a.insecure) target.insecure = true;
  if (!a.budget.empty()) {
    auto d = scenario::parse_duration(a.budget);
    if (!d) {
      std::cerr << "cxharness run: --budget '" << a.budget << "' is not a duration (250ms, 5s)\n";
      return stop{exit_code::usage_error};
    }
    target.budget = *d;
  }
  if (!a.reading.empty() && !target.base.empty()) {
    std::cerr << "cxharness run: --reading chooses the embedded emulator's behaviour; it does not "
                 "apply with --target or a config's target\n";
    return stop{exit_code::usage_error};
  }
  return std::nullopt;
}

// What a run needs besides the target: the embedded emulator when no target was given, and
// a webhook receiver (the embedded emulator posts to one started here; a real target's
// webhooks must be pointed at --webhook-listen by its administrators).
struct peers {
  std::shared_ptr<webhook::receiver> receiver;
  std::unique_ptr<emulator::running_emulator> embedded;

  bool start_receiver(const std::string& address, std::uint16_t port, const std::string& secret) {
    webhook::receiver_options ro;
    ro.address = address;
    ro.port = port;
    ro.secret = secret;
    receiver = std::make_shared<webhook::receiver>(ro);
    if (auto why = receiver->start(); !why.empty()) {
      std::cerr << "cxharness run: webhook receiver: " << why << "\n";
      return false;
    }
    return true;
  }

  std::optional<stop> start_embedded(const run_args& a, rn::target_config& target) {
    emulator::config cfg;
    if (!a.reading.empty()) cfg.reading = *emulator::page_reading_from_name(a.reading);
    if (!start_receiver("127.0.0.1", 0, cfg.channel_secrets.begin()->second))
      return stop{exit_code::harness_error};
    cfg.interactions_webhook_url = receiver->url("/interactions");
    cfg.tpm_webhook_url = receiver->url("/third-party-messaging");
    http::server_options opts;
    opts.threads = 2;
    auto started = emulator::running_emulator::start(cfg, opts);
    if (auto* e = std::get_if<std::string>(&started)) {
      std::cerr << "cxharness run: the embedded emulator did not start: " << *e << "\n";
      return stop{exit_code::harness_error};
    }
    embedded = std::move(std::get<std::unique_ptr<emulator::running_emulator>>(started));
    target.base = embedded->base_url();
    target.label = "embedded emulator (" + target.base + ")";
    target.creds = emulator_credentials(cfg);
    return std::nullopt;
  }

  std::optional<stop> listen_for_webhooks(const run_args& a, const rn::target_config& target) {
    if (a.webhook_listen.empty()) return std::nullopt;
    auto colon = a.webhook_listen.rfind(':');
    int port = -1;
    try {
      if (colon != std::string::npos) port = std::stoi(a.webhook_listen.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535) {
      std::cerr << "cxharness run: --webhook-listen takes ADDRESS:PORT\n";
      return stop{exit_code::usage_error};
    }
    // Without the secret the receiver cannot tell the target's webhooks from forged ones.
    if (!target.creds.channel_secret || target.creds.channel_secret->empty()) {
      std::cerr << "cxharness run: --webhook-listen needs the channel secret to verify "
                   "X-Hub-Signature: set CXH_CHANNEL_SECRET or credentials.channel_secret in "
                   "the --config file\n";
      return stop{exit_code::usage_error};
    }
    if (!start_receiver(a.webhook_listen.substr(0, colon), static_cast<std::uint16_t>(port),
                        target.creds.channel_secret.value_or("")))
      return stop{exit_code::harness_error};
    std::cerr << "webhooks are received on " << receiver->url("/NAME") << "\n";
    return std::nullopt;
  }

  std::optional<stop> start(const run_args& a, rn::target_config& target) {
    if (target.base.empty()) {
      if (auto s = start_embedded(a, target)) return s;
    } else {
      rn::fill_from_environment(target.creds);
      target.label = target.base;
      if (auto s = listen_for_webhooks(a, target)) return s;
    }
    while (!target.base.empty() && target.base.back() == '/') target.base.pop_back();
    return std::nullopt;
  }
};

// The exit status of a finished run. Findings (below MUST) never fail it.
int verdict(const run_args& a, const rn::run_result& result) {
  auto totals = result.count();
  if (totals.not_run > 0) {
    std::cerr << "cxharness run: the run's deadline (--max-duration " << a.max_duration
              << ") was reached; " << totals.not_run << " case(s) not run\n";
    return to_int(exit_code::harness_error);
  }
  if (result.cases.empty()) {
    std::cerr << "cxharness run: no case matched the filters\n";
    return to_int(exit_code::usage_error);
  }
  if (totals.passed + totals.failed + totals.errored + totals.findings == 0) {
    // Nothing was verified (credentials missing, events unobservable): not a pass.
    std::cerr << "cxharness run: every case was skipped; see the reasons above\n";
    return to_int(exit_code::usage_error);
  }
  if (totals.errored > 0) return to_int(exit_code::harness_error);
  if (totals.failed > 0) return to_int(exit_code::check_failed);
  return to_int(exit_code::ok);
}

#ifdef CXH_WITH_REPORTERS
std::optional<stop> parse_reports(const run_args& a, std::vector<reporters::report_target>& out) {
  for (const auto& spec_text : a.reports) {
    std::string why;
    auto t = reporters::parse_report_spec(spec_text, &why);
    if (!t) {
      std::cerr << "cxharness run: --report " << spec_text << ": " << why << "\n";
      return stop{exit_code::usage_error};
    }
    out.push_back(*t);
  }
  return std::nullopt;
}

// Runs with the console reporter, then writes the reports (even when the deadline cut it).
int run_and_report(const run_args& a, const openapi::spec_set& spec,
                   const std::vector<scenario::suite>& suites, const rn::target_config& target,
                   rn::run_options& opts) {
  std::vector<reporters::report_target> reports;
  if (auto s = parse_reports(a, reports)) return to_int(s->code);
  reporters::console console(std::cout, want_color(), a.verbose);
  opts.on_case_finished = [&](const rn::case_result& c) { console.case_finished(c); };
  rn::runner r(spec, target);
  auto result = r.run(suites, opts);
  console.run_finished(result);
  for (const auto& t : reports) {
    if (auto why = reporters::write_report(t, result); !why.empty()) {
      std::cerr << "cxharness run: report " << t.path << ": " << why << "\n";
      return to_int(exit_code::harness_error);
    }
  }
  return verdict(a, result);
}
#else
int run_and_report(const run_args& a, const openapi::spec_set& spec,
                   const std::vector<scenario::suite>& suites, const rn::target_config& target,
                   rn::run_options& opts) {
  if (!a.reports.empty()) {
    std::cerr << "cxharness run: this build has no reporters\n";
    return to_int(exit_code::usage_error);
  }
  opts.on_case_finished = [](const rn::case_result& c) {
    std::cout << rn::to_string(c.result) << "  " << c.suite << " / " << c.name << "\n";
  };
  rn::runner r(spec, target);
  auto result = r.run(suites, opts);
  auto t = result.count();
  std::cout << t.passed << " passed, " << t.failed << " failed, " << t.errored << " errored, "
            << t.skipped << " skipped, " << t.not_run << " not run, " << t.findings
            << " findings\n";
  (void)want_color;
  return verdict(a, result);
}
#endif

int execute(const run_args& a) {
  auto spec_or = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  if (auto* d = std::get_if<diagnostics>(&spec_or)) {
    print_diagnostics(*d);
    return to_int(exit_code::harness_error);
  }
  const auto& spec = std::get<openapi::spec_set>(spec_or);
  rn::target_config target;
  if (auto s = configure_target(a, target)) return to_int(s->code);
  rn::run_options opts;
  if (!run_variables(a, target, opts.variables)) return to_int(exit_code::usage_error);
  rn::generate_options generate;
  generate.known = opts.variables;
  // The embedded emulator's own channel: what `cxharness emulate` documents.
  if (target.base.empty())
    generate.known.emplace("channelId", emulator::config{}.channel_secrets.begin()->first);
  auto prepared = prepare_suites(a, spec, generate);
  if (auto* s = std::get_if<stop>(&prepared)) return to_int(s->code);
  auto& suites = std::get<std::vector<scenario::suite>>(prepared);
  if (a.list) {
    list_suites(suites);
    return 0;
  }
  if (auto problems = rn::check_suites(suites, spec); !problems.empty()) {
    print_diagnostics(problems);
    return to_int(exit_code::usage_error);
  }
  warn_undeclared(a, suites, opts.variables);
  peers running;
  if (auto s = running.start(a, target)) return to_int(s->code);
  opts.suite_names = a.suites;
  opts.tags = a.tags;
  if (!run_bounds(a, target, opts)) return to_int(exit_code::usage_error);
  if (running.receiver) opts.webhooks = std::make_shared<rn::webhook_source>(running.receiver);
  return run_and_report(a, spec, suites, target, opts);
}

}  // namespace

runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<run_args>();
  auto* cmd = app.add_subcommand(
      "run", "Run conformance suites against a target (default: the embedded emulator)");
  cmd->add_option("paths", args->paths,
                  "Suite files or folders (default: the built-in suites of scenarios/)");
  cmd->add_option("--target", args->target, "Base URL of the target for every API family");
  cmd->add_option("--config", args->config,
                  "Target config (YAML/JSON): per-family URLs, credentials, TLS, timeouts");
  cmd->add_option("--suite", args->suites, "Run only this suite (repeatable)");
  cmd->add_option("--tag", args->tags, "Run only cases with this tag (repeatable)");
  cmd->add_option("--report", args->reports,
                  "FORMAT:PATH, FORMAT one of console, junit, json, html (repeatable)");
  cmd->add_option("--ca", args->ca, "PEM file of certificate authorities to trust");
  cmd->add_flag("--insecure", args->insecure, "Do not verify TLS certificates");
  cmd->add_option("--budget", args->budget, "Response-time budget per request (default 5s)");
  cmd->add_option("--timeout", args->timeout,
                  "Bound on each request, body included (default: the config's timeouts.request, "
                  "else 30s)");
  cmd->add_option("--max-duration", args->max_duration,
                  "Bound on the whole run: cases not started by then are reported as not run "
                  "(exit 3)");
  cmd->add_option("--var", args->vars,
                  "NAME=VALUE: set a suite variable in every suite that declares it (repeatable; "
                  "--list shows them)");
  cmd->add_option("--reading", args->reading,
                  "The embedded emulator implements the primary (default) or the alternate "
                  "faithful reading of the pages where they are silent or ambiguous")
      ->check(CLI::IsMember({"primary", "alternate"}));
  cmd->add_option("--webhook-listen", args->webhook_listen,
                  "ADDRESS:PORT of a webhook receiver for `webhook:` expectations (real targets)");
  cmd->add_flag("--generated", args->generated,
                "Add the cases generated from the schemas (default with the built-in suites)");
  cmd->add_flag("--no-generated", args->no_generated, "Leave the generated cases out")
      ->excludes(cmd->get_option("--generated"));
  cmd->add_flag("--list", args->list, "List the suites and cases, run nothing");
  cmd->add_flag("-v,--verbose", args->verbose, "Show every check, not only failures");
  return [args] { return execute(*args); };
}

}  // namespace cxh::cli
