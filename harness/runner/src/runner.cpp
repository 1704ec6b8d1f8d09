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

  step_result run_step(const scenario::step& s, scenario::template_context& vars, level strength,
                       const run_options& opts) {
    step_result out;
    out.name = s.name;
    const openapi::operation* op = nullptr;
    if (!s.call.empty()) {
      op = spec.by_operation_id(s.call);
      if (!op) {
        out.result = outcome::errored;
        out.error = s.at.str() + ": no operation '" + s.call + "' in the specification";
        return out;
      }
      out.operation_id = op->operation_id;
      out.operation_key = operation_key(*op);
    }
    auto built = detail::build_request(s, op, vars, target);
    if (!built.error.empty()) {
      out.result = outcome::errored;
      out.error = s.at.str() + ": " + built.error;
      return out;
    }
    scenario::auth_override credentials = s.auth;
    std::string auth_error;
    if (credentials.api_key)
      credentials.api_key = vars.expand_string(*credentials.api_key, auth_error);
    if (credentials.bearer)
      credentials.bearer = vars.expand_string(*credentials.bearer, auth_error);
    if (credentials.basic) {
      credentials.basic->first = vars.expand_string(credentials.basic->first, auth_error);
      credentials.basic->second = vars.expand_string(credentials.basic->second, auth_error);
    }
    if (!auth_error.empty()) {
      out.result = outcome::errored;
      out.error = s.at.str() + ": " + auth_error;
      return out;
    }
    // A step's own credentials are secrets like the configured ones.
    if (credentials.api_key) secrets.add(*credentials.api_key);
    if (credentials.bearer) secrets.add(*credentials.bearer);
    if (credentials.basic) secrets.add(credentials.basic->second);
    // Credentials this run was not given: the case cannot say anything about the target.
    if (auto missing = auth.missing_credentials(op, credentials); !missing.empty()) {
      out.result = outcome::skipped;
      out.error = s.at.str() + ": needs " + missing + ", which this run was not given";
      return out;
    }
    bool used_bearer = false;
    if (auto why = auth.apply(op, credentials, built.request, used_bearer); !why.empty()) {
      out.result = outcome::errored;
      out.error = s.at.str() + ": " + why;
      return out;
    }
    // Asynchronous expectations subscribe before the request, so nothing is missed.
    for (const auto& ev : s.events) {
      if (ev.from == scenario::event_expectation::source::cometd && !opts.cometd && !own_cometd) {
        own_cometd = detail::make_cometd_source(spec, target, auth);
      }
      auto& source = source_for(ev, opts);
      if (!source) {
        // Not a defect of the target: this run cannot observe the event (no receiver).
        out.result = outcome::skipped;
        out.error =
            ev.at.str() + ": no " +
            std::string(ev.from == scenario::event_expectation::source::cometd ? "CometD"
                                                                               : "webhook") +
            " source for '" + ev.channel +
            "' in this run (webhooks: cxharness run --webhook-listen)";
        return out;
      }
      if (auto why = source->prepare(ev.channel); !why.empty()) {
        out.result = outcome::errored;
        out.error = ev.at.str() + ": " + why;
        return out;
      }
    }
    auto sent = client.send(built.request);
    if (sent.ok() && sent.response->status == 401 && used_bearer) {
      auth.refresh();
      bool again = false;
      auth.apply(op, credentials, built.request, again);
      sent = client.send(built.request);
    }
    // What the target issued is learned before anything of this exchange is recorded.
    secrets.add_all(auth.issued_tokens());
    secrets.learn_request(built.request);
    auto parsed = sent.ok() ? detail::parse_body(sent.response->body) : detail::parsed_body{};
    if (sent.ok()) secrets.learn_response(*sent.response, parsed.json ? &parsed.value : nullptr);
    out.http = detail::record_exchange(built.request, sent, secrets);
    if (!sent.ok()) {
      out.result = outcome::errored;
      out.error = std::string(http::to_string(sent.phase)) + ": " + sent.error;
      return out;
    }
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
    for (auto& ev : expected.events) ev.match = vars.expand(ev.match, template_error);
    if (!template_error.empty()) {
      out.result = outcome::errored;
      out.error = s.at.str() + ": " + template_error;
      return out;
    }
    detail::scenario_assertions(expected, view, strength, out.checks);
    for (const auto& ev : expected.events) {
      auto& source = source_for(ev, opts);
      auto got = source->await(ev.channel, ev.match, ev.within);
      check_result c;
      c.rule =
          ev.from == scenario::event_expectation::source::cometd ? "event.cometd" : "event.webhook";
      c.title =
          "a message on " + ev.channel + " within " + std::to_string(ev.within.count()) + " ms";
      c.passed = got.has_value();
      c.expected = shown(ev.match, 400);
      c.actual = got ? shown(*got, 400) : "none arrived";
      c.source = ev.at.str();
      c.severity = strength;
      out.checks.push_back(std::move(c));
      if (got && ev.from == scenario::event_expectation::source::cometd)
        check_event_schema(ev.channel, *got, strength, out.checks);
    }
    for (const auto& [var, from] : s.captures) {
      std::optional<nlohmann::json> v;
      if (from.rfind("header:", 0) == 0) {
        if (auto h = res.fields.get(from.substr(7))) v = std::string(*h);
      } else if (body) {
        try {
          auto p = nlohmann::json::json_pointer(from);
          if (body->contains(p)) v = body->at(p);
        } catch (const std::exception&) {
        }
      }
      if (v) {
        vars.variables[var] = *v;
        secrets.learn_variable(var, *v);
      } else {
        check_result c;
        c.rule = "capture";
        c.title = "capture " + var + " from " + from;
        c.passed = false;
        c.expected = from + " present";
        c.actual = "absent";
        c.source = s.at.str();
        c.severity = strength;
        out.checks.push_back(std::move(c));
      }
    }
    bool failed = false;
    for (const auto& c : out.checks) failed = failed || (!c.passed && c.severity == level::must);
    out.result = failed ? outcome::failed : outcome::passed;
    if (op) {
      auto& cov = coverage[out.operation_key];
      ++cov.calls;
      if (failed) ++cov.failed_calls;
    }
    return out;
  }

  // Runs steps in order; stops at the first that does not pass. Returns the worst outcome.
  outcome run_steps(const std::vector<scenario::step>& steps, scenario::template_context& vars,
                    level strength, const run_options& opts, std::vector<step_result>& into,
                    std::string& error) {
    for (const auto& s : steps) {
      into.push_back(run_step(s, vars, strength, opts));
      const auto& r = into.back();
      if (r.result != outcome::passed) {
        if (r.result == outcome::errored || r.result == outcome::skipped) error = r.error;
        return r.result;
      }
    }
    return outcome::passed;
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

level strongest(const scenario::test_case& c) {
  if (c.requirements.empty()) return level::must;
  level l = level::may;
  for (const auto& r : c.requirements) {
    if (r.level == "MUST") return level::must;
    if (r.level == "SHOULD") l = level::should;
  }
  return l;
}

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

}  // namespace

run_result runner::run(const std::vector<scenario::suite>& suites, const run_options& opts) {
  auto& m = *impl_;
  run_result result;
  result.tool_version = cxh::version();
  result.target = m.target.label.empty() ? m.target.base : m.target.label;
  result.started_at = now_rfc3339();
  const auto started = steady::now();
  for (const auto& s : suites) {
    std::vector<const scenario::test_case*> chosen;
    for (const auto& c : s.cases) {
      if (selected(s, c, opts)) chosen.push_back(&c);
    }
    if (chosen.empty()) continue;
    result.suites.push_back(s.name);
    scenario::template_context suite_vars;
    suite_vars.variables = s.variables;
    for (const auto& [name, value] : s.variables.items()) m.secrets.learn_variable(name, value);
    std::vector<step_result> setup_steps;
    std::string setup_error;
    outcome setup = m.run_steps(s.setup, suite_vars, level::must, opts, setup_steps, setup_error);
    for (const auto* c : chosen) {
      case_result cr;
      cr.suite = s.name;
      cr.name = c->name;
      cr.file = c->at.file + ":" + std::to_string(c->at.line);
      cr.tags = s.tags;
      cr.tags.insert(cr.tags.end(), c->tags.begin(), c->tags.end());
      for (const auto& r : c->requirements) {
        cr.requirements.push_back({r.id,
                                   r.level == "MUST"     ? level::must
                                   : r.level == "SHOULD" ? level::should
                                                         : level::may,
                                   r.text});
      }
      m.secrets.apply(cr);
      if (opts.on_case_started) opts.on_case_started(cr);
      const auto case_started = steady::now();
      if (setup != outcome::passed) {
        cr.result = setup;  // failed, errored, or skipped (it needs what this run lacks)
        cr.error = std::string(setup == outcome::skipped ? "the suite's setup was skipped"
                                                         : "the suite's setup did not pass") +
                   (setup_error.empty() ? "" : ": " + setup_error);
        cr.steps = setup_steps;
      } else {
        scenario::template_context vars = suite_vars;
        cr.result = m.run_steps(c->steps, vars, strongest(*c), opts, cr.steps, cr.error);
      }
      cr.elapsed_ms = ms_since(case_started);
      m.secrets.apply(cr);
      if (opts.on_case_finished) opts.on_case_finished(cr);
      result.cases.push_back(std::move(cr));
    }
    if (!s.teardown.empty()) {
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
