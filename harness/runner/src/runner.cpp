#include <algorithm>
#include <chrono>
#include <ctime>
#include <cxh/core/bounded_dump.hpp>
#include <cxh/core/version.hpp>
#include <cxh/http/client.hpp>
#include <cxh/runner/runner.hpp>
#include <cxh/scenario/templating.hpp>
#include <map>
#include <optional>

#include "auth.hpp"
#include "checks.hpp"
#include "cometd_source.hpp"
#include "event_schemas.hpp"
#include "redact.hpp"
#include "request_builder.hpp"
#include "response_body.hpp"

namespace cxh::runner {

using steady = std::chrono::steady_clock;

namespace {

// One capture source: `header:Name` or a JSON pointer into the body; nullopt when absent.
std::optional<nlohmann::json> captured_value(const std::string& from,
                                             const http::client_response& res,
                                             const nlohmann::json* body) {
  if (from.rfind("header:", 0) == 0) {
    if (auto h = res.fields.get(from.substr(7))) return std::string(*h);
    return std::nullopt;
  }
  if (!body) return std::nullopt;
  try {
    auto p = nlohmann::json::json_pointer(from);
    if (body->contains(p)) return body->at(p);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

std::string source_of(const openapi::operation& op) {
  if (op.definition && op.definition->contains("x-source")) {
    const auto& s = (*op.definition)["x-source"];
    const auto& first = s.is_array() && !s.empty() ? s[0] : s;
    if (first.is_object() && first.contains("seed") && first.contains("line")) {
      return "spec/" + first["seed"].get<std::string>() + ":" + first["line"].dump();
    }
  }
  return op.document + "#" + op.pointer;
}

std::string family_of(const openapi::operation& op) {
  std::string f = op.document;
  auto slash = f.rfind('/');
  if (slash != std::string::npos) f = f.substr(slash + 1);
  if (f.size() > 5 && f.compare(f.size() - 5, 5, ".json") == 0) f.resize(f.size() - 5);
  return f;
}

std::string operation_key(const openapi::operation& op) {
  std::string k = op.method + " " + op.full_path();
  if (!op.operation_name.empty()) k += " [" + op.operation_name + "]";
  return k;
}

struct runner::impl {
  const openapi::spec_set& spec;
  target_config target;
  http::client client;
  detail::authenticator auth;
  detail::redactor secrets;  // every text of the results passes through it (redact.hpp)
  std::map<std::string, coverage_entry> coverage;   // by operation key
  std::shared_ptr<event_source> own_cometd;         // made on first use when none is given
  std::optional<detail::event_schemas> event_docs;  // compiled on the first CometD event

  // A request ready to send, with what re-sending it after a token refresh needs.
  struct prepared {
    http::client_request request;
    scenario::auth_override credentials;
    bool used_bearer = false;
  };

  static http::client_options client_options(const target_config& t) {
    http::client_options o;
    o.connect_timeout = t.connect_timeout;
    o.tls_timeout = t.connect_timeout;
    o.request_timeout = t.request_timeout;
    o.verify_tls = !t.insecure;
    o.ca_file = t.ca_file;
    return o;
  }

  impl(const openapi::spec_set& s, target_config t)
      : spec(s), target(std::move(t)), client(client_options(target)), auth(target, client) {
    secrets.add_all(target.creds.secrets());
    for (const auto& op : spec.operations()) {
      if (op.webhook) continue;  // outbound: the target calls the third party
      coverage_entry e;
      e.operation_key = operation_key(op);
      e.operation_id = op.operation_id;
      e.api = family_of(op);
      e.source = source_of(op);
      coverage.emplace(e.operation_key, e);
    }
  }

  // The notification a case waited for has the shape its page documents: valid against one
  // of the schemas of schemas/events/ for that channel (none documented: no check).
  void check_event_schema(const std::string& channel, const nlohmann::json& message, level strength,
                          std::vector<check_result>& checks) {
    if (!event_docs) event_docs.emplace();
    const auto& candidates = event_docs->for_channel(channel);
    if (candidates.empty()) return;
    const nlohmann::json& data =
        message.is_object() && message.contains("data") ? message["data"] : message;
    check_result c;
    c.rule = "event.schema";
    c.title = "the notification on " + channel + " has a documented shape";
    c.severity = strength;
    c.passed = false;
    for (const auto& e : candidates) {
      c.expected += (c.expected.empty() ? "valid against one of: " : ", ") + e.display;
      if (c.source.empty()) c.source = e.source;
    }
    std::string first_error;
    for (const auto& e : candidates) {
      auto errors = e.body.validate(data);
      if (errors.empty()) {
        c.passed = true;
        c.actual = "valid against " + e.display;
        c.source = e.source;
        break;
      }
      if (first_error.empty())
        first_error =
            e.display + ": " + errors.front().instance_location + " " + errors.front().message;
    }
    if (!c.passed) c.actual = first_error;
    checks.push_back(std::move(c));
  }

  // Outside JSON as results quote it: bounded (no recursion), secrets hidden before the cut.
  std::string shown(const nlohmann::json& v, std::size_t max_bytes) const {
    return cxh::bounded_dump(v, {32, max_bytes},
                             [this](std::string_view text) { return secrets.apply(text); });
  }

  const std::shared_ptr<event_source>& source_for(const scenario::event_expectation& ev,
                                                  const run_options& opts) const {
    if (ev.from == scenario::event_expectation::source::webhook) return opts.webhooks;
    return opts.cometd ? opts.cometd : own_cometd;
  }

  // The time left before the run's deadline (none: unbounded).
  std::optional<std::chrono::milliseconds> time_left(const run_options& opts) const {
    if (!opts.deadline) return std::nullopt;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*opts.deadline - steady::now());
    return std::max(left, std::chrono::milliseconds(1));
  }

  // The operation a step calls; errors the step when the specification has none of that name.
  bool resolve_operation(const scenario::step& s, const openapi::operation*& op,
                         step_result& out) const {
    if (s.call.empty()) return true;
    op = spec.by_operation_id(s.call);
    if (!op) {
      out.result = outcome::errored;
      out.error = s.at.str() + ": no operation '" + s.call + "' in the specification";
      return false;
    }
    out.operation_id = op->operation_id;
    out.operation_key = operation_key(*op);
    return true;
  }

  // The step's `auth:` with its ${...} expanded.
  static scenario::auth_override expanded_auth(const scenario::step& s,
                                               const scenario::template_context& vars,
                                               std::string& error) {
    scenario::auth_override credentials = s.auth;
    if (credentials.api_key) credentials.api_key = vars.expand_string(*credentials.api_key, error);
    if (credentials.bearer) credentials.bearer = vars.expand_string(*credentials.bearer, error);
    if (credentials.basic) {
      credentials.basic->first = vars.expand_string(credentials.basic->first, error);
      credentials.basic->second = vars.expand_string(credentials.basic->second, error);
    }
    return credentials;
  }

  // Builds the request and puts the credentials on it. False (with the step's outcome set)
  // when the step cannot be sent: a template or auth problem, or credentials the run lacks.
  bool prepare_request(const scenario::step& s, const openapi::operation* op,
                       const scenario::template_context& vars, const run_options& opts, prepared& p,
                       step_result& out) {
    auto built = detail::build_request(s, op, vars, target);
    if (!built.error.empty()) return halt(out, outcome::errored, s.at.str() + ": " + built.error);
    std::string auth_error;
    p.credentials = expanded_auth(s, vars, auth_error);
    if (!auth_error.empty()) return halt(out, outcome::errored, s.at.str() + ": " + auth_error);
    // A step's own credentials are secrets like the configured ones when they come from
    // variables (--var, the config); a literal of the suite file ("wrong", "not-a-token") is
    // printed in the suite itself, and hiding it would blank out case names.
    auto templated = [](const std::optional<std::string>& raw) {
      return raw && raw->find("${") != std::string::npos;
    };
    if (templated(s.auth.api_key)) secrets.add(*p.credentials.api_key);
    if (templated(s.auth.bearer)) secrets.add(*p.credentials.bearer);
    if (s.auth.basic && s.auth.basic->second.find("${") != std::string::npos)
      secrets.add(p.credentials.basic->second);
    // Credentials this run was not given: the case cannot say anything about the target.
    if (auto missing = auth.missing_credentials(op, p.credentials); !missing.empty()) {
      return halt(out, outcome::skipped,
                  s.at.str() + ": needs " + missing + ", which this run was not given");
    }
    if (auto why = auth.apply(op, p.credentials, built.request, p.used_bearer); !why.empty())
      return halt(out, outcome::errored, s.at.str() + ": " + why);
    if (auto left = time_left(opts))
      built.request.timeout =
          std::min(*left, built.request.timeout.value_or(target.request_timeout));
    p.request = std::move(built.request);
    return true;
  }

  static bool halt(step_result& out, outcome why, std::string error) {
    out.result = why;
    out.error = std::move(error);
    return false;
  }

  // Asynchronous expectations subscribe before the request, so nothing is missed.
  bool prepare_events(const scenario::step& s, const run_options& opts, step_result& out) {
    for (const auto& ev : s.events) {
      if (ev.from == scenario::event_expectation::source::cometd && !opts.cometd && !own_cometd) {
        own_cometd = detail::make_cometd_source(spec, target, auth);
      }
      auto& source = source_for(ev, opts);
      if (!source) {
        // Not a defect of the target: this run cannot observe the event (no receiver).
        const bool cometd = ev.from == scenario::event_expectation::source::cometd;
        return halt(out, outcome::skipped,
                    ev.at.str() + ": no " + (cometd ? "CometD" : "webhook") + " source for '" +
                        ev.channel + "' in this run (webhooks: cxharness run --webhook-listen)");
      }
      if (auto why = source->prepare(ev.channel); !why.empty())
        return halt(out, outcome::errored, ev.at.str() + ": " + why);
    }
    return true;
  }

  // Sends, refreshing an OAuth token once when the target says it expired.
  http::outcome send(const openapi::operation* op, prepared& p) {
    auto sent = client.send(p.request);
    if (sent.ok() && sent.response->status == 401 && p.used_bearer) {
      auth.refresh();
      bool again = false;
      auth.apply(op, p.credentials, p.request, again);
      sent = client.send(p.request);
    }
    return sent;
  }

  // The CometD/webhook messages the step expects, each awaited within its time (and the run's).
  void await_events(const scenario::step& expected, level strength, const run_options& opts,
                    std::vector<check_result>& checks) {
    for (const auto& ev : expected.events) {
      auto& source = source_for(ev, opts);
      auto within = ev.within;
      if (auto left = time_left(opts)) within = std::min(within, *left);
      auto got = source->await(ev.channel, ev.match, within);
      const bool cometd = ev.from == scenario::event_expectation::source::cometd;
      check_result c;
      c.rule = cometd ? "event.cometd" : "event.webhook";
      c.title =
          "a message on " + ev.channel + " within " + std::to_string(ev.within.count()) + " ms";
      c.passed = got.has_value();
      c.expected = shown(ev.match, 400);
      c.actual = got ? shown(*got, 400) : "none arrived";
      c.source = ev.at.str();
      c.severity = strength;
      checks.push_back(std::move(c));
      if (got && cometd) check_event_schema(ev.channel, *got, strength, checks);
    }
  }

  // Stores the step's `capture:` values (the first of its sources present); a missing one is a
  // failed check.
  void capture(const scenario::step& s, const http::client_response& res,
               const nlohmann::json* body, level strength, scenario::template_context& vars,
               std::vector<check_result>& checks) {
    for (const auto& cap : s.captures) {
      std::optional<nlohmann::json> v;
      for (const auto& from : cap.sources) {
        if (v) break;
        v = captured_value(from, res, body);
      }
      if (v) {
        vars.variables[cap.variable] = *v;
        secrets.learn_variable(cap.variable, *v);  // a captured token is a secret too
        continue;
      }
      std::string from;
      for (const auto& f : cap.sources) from += (from.empty() ? "" : " or ") + f;
      check_result c;
      c.rule = "capture";
      c.title = "capture " + cap.variable + " from " + from;
      c.passed = false;
      c.expected = from + " present";
      c.actual = "absent";
      c.source = s.at.str();
      c.severity = strength;
      checks.push_back(std::move(c));
    }
  }

  // Checks the answer: automatic rules, the scenario's assertions and events, captures.
  void evaluate(const scenario::step& s, const openapi::operation* op, const http::outcome& sent,
                const detail::parsed_body& parsed, scenario::template_context& vars, level strength,
                const run_options& opts, step_result& out) {
    const auto& res = *sent.response;
    const nlohmann::json* body = parsed.json ? &parsed.value : nullptr;
    if (parsed.too_deep) out.checks.push_back(detail::too_deep_check(s.at.str()));
    detail::response_view view{res, sent.elapsed, body, &secrets};
    if (op && s.auto_checks) {
      detail::automatic_checks(*op, view, s.expect_status, s.budget.value_or(target.budget),
                               out.checks);
    }
    // Expected values may name variables too (`equals: "${id}"`).
    scenario::step expected = s;
    std::string template_error;
    for (auto& a : expected.body_checks) a.value = vars.expand(a.value, template_error);
    for (auto& h : expected.header_checks) h.value = vars.expand_string(h.value, template_error);
    if (expected.raw_body_check && expected.raw_body_check->equals)
      expected.raw_body_check->equals =
          vars.expand_string(*expected.raw_body_check->equals, template_error);
    for (auto& ev : expected.events) ev.match = vars.expand(ev.match, template_error);
    if (!template_error.empty()) {
      halt(out, outcome::errored, s.at.str() + ": " + template_error);
      return;
    }
    detail::scenario_assertions(expected, view, strength, out.checks);
    await_events(expected, strength, opts, out.checks);
    capture(s, res, body, strength, vars, out.checks);
    bool failed = std::any_of(out.checks.begin(), out.checks.end(), fails_step);
    out.result = failed ? outcome::failed : outcome::passed;
    if (op) {
      auto& cov = coverage[out.operation_key];
      ++cov.calls;
      if (failed) ++cov.failed_calls;
    }
  }

  // A failed check fails its step when it is a MUST rule or one the scenario itself states
  // (assertions, events, captures carry the case's level; the case's level then decides
  // whether the run fails). A failed automatic SHOULD rule (response time) is reported only.
  static bool fails_step(const check_result& c) {
    if (c.passed) return false;
    if (c.severity == level::must) return true;
    return c.rule.rfind("assert.", 0) == 0 || c.rule.rfind("event.", 0) == 0 || c.rule == "capture";
  }

  step_result run_step(const scenario::step& s, scenario::template_context& vars, level strength,
                       const run_options& opts) {
    step_result out;
    out.name = s.name;
    const openapi::operation* op = nullptr;
    prepared p;
    if (!resolve_operation(s, op, out) || !prepare_request(s, op, vars, opts, p, out) ||
        !prepare_events(s, opts, out))
      return out;
    auto sent = send(op, p);
    // What the target issued is learned before anything of this exchange is recorded.
    secrets.add_all(auth.issued_tokens());
    auto parsed = sent.ok() ? detail::parse_body(sent.response->body) : detail::parsed_body{};
    if (sent.ok()) secrets.learn_response(*sent.response, parsed.json ? &parsed.value : nullptr);
    out.http = detail::record_exchange(p.request, sent, secrets);
    if (!sent.ok()) {
      halt(out, outcome::errored, std::string(http::to_string(sent.phase)) + ": " + sent.error);
      return out;
    }
    evaluate(s, op, sent, parsed, vars, strength, opts, out);
    return out;
  }

  // Runs steps in order. After a step that does not pass, the later ones are reported as not
  // run (they depend on it), never as passed or failed. Returns the worst outcome.
  outcome run_steps(const std::vector<scenario::step>& steps, scenario::template_context& vars,
                    level strength, const run_options& opts, std::vector<step_result>& into,
                    std::string& error) {
    outcome worst = outcome::passed;
    std::string blocker;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto& s = steps[i];
      if (worst == outcome::passed && opts.deadline && steady::now() >= *opts.deadline) {
        worst = outcome::not_run;
        blocker = error = "run deadline reached (--max-duration)";
      }
      if (worst != outcome::passed) {
        step_result skipped;
        skipped.name = s.name;
        skipped.operation_id = s.call;
        skipped.result = outcome::not_run;
        skipped.error = blocker;
        into.push_back(std::move(skipped));
        continue;
      }
      into.push_back(run_step(s, vars, strength, opts));
      const auto& r = into.back();
      if (r.result == outcome::passed) continue;
      if (r.result == outcome::errored || r.result == outcome::skipped) error = r.error;
      worst = r.result;
      blocker = "depends on step " + std::to_string(i + 1) + " '" + r.name + "', which " +
                (r.result == outcome::failed    ? "failed"
                 : r.result == outcome::skipped ? "was skipped"
                                                : "errored");
    }
    return worst;
  }
};

runner::runner(const openapi::spec_set& spec, target_config target)
    : impl_(std::make_unique<impl>(spec, std::move(target))) {}
runner::~runner() = default;

namespace {

std::string now_rfc3339() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool selected(const scenario::suite& s, const scenario::test_case& c, const run_options& o) {
  if (!o.suite_names.empty() &&
      std::find(o.suite_names.begin(), o.suite_names.end(), s.name) == o.suite_names.end()) {
    return false;
  }
  if (o.tags.empty()) return true;
  for (const auto& t : o.tags) {
    if (std::find(c.tags.begin(), c.tags.end(), t) != c.tags.end()) return true;
    if (std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end()) return true;
  }
  return false;
}

level level_of(const std::string& word) {
  if (word == "MUST") return level::must;
  if (word == "SHOULD") return level::should;
  if (word == "MAY") return level::may;
  return level::info;
}

// A case's level is its strongest requirement's; a case without requirements is MUST.
level strongest(const scenario::test_case& c) {
  if (c.requirements.empty()) return level::must;
  level l = level::info;
  for (const auto& r : c.requirements) {
    level x = level_of(r.level);
    if (static_cast<int>(x) < static_cast<int>(l)) l = x;
  }
  return l;
}

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

case_result describe(const scenario::suite& s, const scenario::test_case& c) {
  case_result cr;
  cr.suite = s.name;
  cr.name = c.name;
  cr.file = c.at.file + ":" + std::to_string(c.at.line);
  cr.tags = s.tags;
  cr.tags.insert(cr.tags.end(), c.tags.begin(), c.tags.end());
  for (const auto& r : c.requirements)
    cr.requirements.push_back({r.id, level_of(r.level), r.text, r.cite});
  cr.strength = strongest(c);
  return cr;
}

// The suite's variables, with the run's overrides (--var, the config's `variables:`) of those
// it declares.
scenario::template_context suite_variables(const scenario::suite& s, const run_options& opts) {
  scenario::template_context vars;
  vars.variables = s.variables;
  for (const auto& [name, value] : opts.variables) {
    if (!vars.variables.contains(name)) continue;
    auto& slot = vars.variables[name];
    // --var gives text: a number or boolean default takes the value as JSON when it reads so.
    if (value.is_string() && !slot.is_string()) {
      auto parsed = nlohmann::json::parse(value.get<std::string>(), nullptr, false);
      if (!parsed.is_discarded() && parsed.is_primitive() && !parsed.is_null()) {
        slot = parsed;
        continue;
      }
    }
    slot = value;
  }
  return vars;
}

bool past(const run_options& opts) {
  return opts.deadline && steady::now() >= *opts.deadline;
}

constexpr const char* deadline_reached = "run deadline reached (--max-duration)";  // as run_steps

}  // namespace

// One case of a suite whose setup ran (with `setup` as its outcome).
void runner::run_case(const scenario::test_case& c, outcome setup, const std::string& setup_error,
                      const std::vector<step_result>& setup_steps,
                      const scenario::template_context& suite_vars, const run_options& opts,
                      case_result& cr) {
  if (past(opts)) {
    cr.result = outcome::not_run;
    cr.error = deadline_reached;
    return;
  }
  if (setup != outcome::passed) {
    cr.result = setup;
    cr.error = std::string(setup == outcome::skipped ? "the suite's setup was skipped"
                                                     : "the suite's setup did not pass") +
               (setup_error.empty() ? "" : ": " + setup_error);
    cr.steps = setup_steps;
  } else {
    scenario::template_context vars = suite_vars;
    cr.result = impl_->run_steps(c.steps, vars, cr.strength, opts, cr.steps, cr.error);
  }
  // Below MUST, a failure is a finding at the case's level: reported, never failing the run.
  if (cr.result == outcome::failed && cr.strength != level::must) cr.result = outcome::finding;
}

run_result runner::run(const std::vector<scenario::suite>& suites, const run_options& opts) {
  auto& m = *impl_;
  run_result result;
  result.tool_version = cxh::version();
  result.target = m.target.label.empty() ? m.target.base : m.target.label;
  result.started_at = now_rfc3339();
  const auto started = steady::now();
  m.auth.bound_by(opts.deadline);
  for (const auto& s : suites) {
    std::vector<const scenario::test_case*> chosen;
    for (const auto& c : s.cases) {
      if (selected(s, c, opts)) chosen.push_back(&c);
    }
    if (chosen.empty()) continue;
    result.suites.push_back(s.name);
    scenario::template_context suite_vars = suite_variables(s, opts);
    for (const auto& [name, value] : suite_vars.variables.items())
      m.secrets.learn_variable(name, value);
    std::vector<step_result> setup_steps;
    std::string setup_error;
    outcome setup =
        past(opts) ? outcome::not_run
                   : m.run_steps(s.setup, suite_vars, level::must, opts, setup_steps, setup_error);
    if (setup == outcome::not_run && setup_error.empty()) setup_error = deadline_reached;
    for (const auto* c : chosen) {
      case_result cr = describe(s, *c);
      m.secrets.apply(cr);
      if (opts.on_case_started) opts.on_case_started(cr);
      const auto case_started = steady::now();
      run_case(*c, setup, setup_error, setup_steps, suite_vars, opts, cr);
      cr.elapsed_ms = ms_since(case_started);
      m.secrets.apply(cr);
      if (opts.on_case_finished) opts.on_case_finished(cr);
      result.cases.push_back(std::move(cr));
    }
    // Teardown runs whatever the cases did (not past the deadline: it would run unbounded).
    if (!s.teardown.empty() && !past(opts)) {
      std::vector<step_result> ignored;
      std::string error;
      m.run_steps(s.teardown, suite_vars, level::must, opts, ignored, error);
    }
  }
  // Secrets learned late (a token issued in the last suite) are hidden in earlier cases too.
  for (auto& c : result.cases) m.secrets.apply(c);
  result.target = m.secrets.apply(result.target);
  for (const auto& [key, entry] : m.coverage) result.coverage.push_back(entry);
  result.duration_ms = ms_since(started);
  return result;
}

diagnostics check_suites(const std::vector<scenario::suite>& suites,
                         const openapi::spec_set& spec) {
  diagnostics out;
  auto check = [&](const scenario::step& s) {
    if (s.call.empty()) return;
    const auto* op = spec.by_operation_id(s.call);
    if (!op) {
      out.push_back({s.at.str(), "no operation '" + s.call + "' in the specification",
                     "the operationIds are in schemas/*.json (`operationId`)"});
      return;
    }
    for (const auto& [name, value] : s.path_params) {
      if (op->path_template.find("{" + name + "}") == std::string::npos) {
        out.push_back({s.at.str(), "path parameter '" + name + "' is not in " + op->full_path(),
                       "the template's parameters are the names in braces"});
      }
    }
  };
  for (const auto& suite : suites) {
    for (const auto& s : suite.setup) check(s);
    for (const auto& s : suite.teardown) check(s);
    for (const auto& c : suite.cases) {
      for (const auto& s : c.steps) check(s);
    }
  }
  return out;
}

}  // namespace cxh::runner
