// Thresholds, validity and the JSON summary (report.hpp).

#include <cmath>
#include <cstdio>
#include <cxh/core/version.hpp>
#include <cxh/load/report.hpp>

namespace cxh::load {
namespace {

using nlohmann::json;

json percentiles_ms(const histogram::hdr& h) {
  auto ms = [&](double q) { return static_cast<double>(h.value_at_percentile(q)) / 1000.0; };
  return {{"count", h.total_count()},
          {"p50", ms(50)},
          {"p90", ms(90)},
          {"p99", ms(99)},
          {"p99_9", ms(99.9)},
          {"max", static_cast<double>(h.max()) / 1000.0}};
}

json latency_json(const latency_set& s) {
  return {{"corrected_ms", percentiles_ms(s.corrected)},
          {"service_ms", percentiles_ms(s.service)},
          {"lag_ms", percentiles_ms(s.lag)}};
}

json op_json(const op_stats& op) {
  json errors = json::object();
  for (std::size_t i = 0; i < n_phases; ++i)
    errors[to_string(static_cast<error_phase>(i))] = op.errors[i];
  json classes = json::object();
  for (std::size_t c = 0; c < n_classes; ++c)
    classes[to_string(static_cast<status_class>(c))] =
        op.by_class[c] ? op.by_class[c]->corrected.total_count() : 0;
  json j = latency_json(op.merged());
  j["sent"] = op.sent;
  j["completed"] = op.completed;
  j["failed"] = op.failed;
  j["retried"] = op.retried;
  j["errors"] = errors;
  j["by_class"] = classes;
  return j;
}

json samples_json(const std::vector<error_sample>& samples) {
  json out = json::array();
  for (const auto& e : samples)
    out.push_back({{"at_s", e.at_s},
                   {"step", e.step},
                   {"phase", e.phase},
                   {"error", e.error},
                   {"requests_before_on_connection", e.requests_before},
                   {"idle_ms_before", e.idle_ms},
                   {"connection_age_ms", e.connection_age_ms},
                   {"retry", e.retry},
                   {"bytes_read", e.bytes_read},
                   {"first_line", e.first_line}});
  return out;
}

}  // namespace

std::string format_ms(double us) {
  char buf[32];
  double ms = us / 1000.0;
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.3fms" : ms < 1000 ? "%.1fms" : "%.0fms", ms);
  return buf;
}

timeline_point summarize(const interval_view& v) {
  timeline_point t;
  t.start_s = v.start_s;
  t.length_s = v.length_s;
  t.planned = v.planned;
  t.started = v.stats->started;
  t.in_flight = v.stats->in_flight;
  histogram::hdr all = make_histogram();
  for (const auto& op : v.stats->ops) {
    t.completed += op.completed;
    t.failed += op.failed;
    for (std::size_t i = 0; i < n_phases; ++i) t.errors[i] += op.errors[i];
    for (const auto& s : op.by_class)
      if (s) all.add(s->corrected);
  }
  t.p50_us = all.value_at_percentile(50);
  t.p99_us = all.value_at_percentile(99);
  t.max_us = all.max();
  return t;
}

verdict judge(const profile& p, const run_result& r) {
  verdict v;
  latency_set all;
  for (const auto& op : r.totals.ops) {
    all.add(op.merged());
    v.sent += op.sent;
    v.completed += op.completed;
    v.failed += op.failed;
  }
  double d = r.duration_s > 0 ? r.duration_s : 1;
  v.planned_rate = r.planned_starts / d;
  v.achieved_rate = static_cast<double>(r.totals.started) / d;
  v.error_rate = v.sent ? static_cast<double>(v.failed) / static_cast<double>(v.sent) : 0;
  v.lag_p99_ms = static_cast<double>(all.lag.value_at_percentile(99)) / 1000.0;
  // Invalid: the generator did not keep to its plan, so the latencies do not describe it.
  if (r.totals.unsent > 0) {
    v.invalid = true;
    v.invalid_reason = std::to_string(r.totals.unsent) +
                       " planned requests were never sent (no free connection, or the generator "
                       "fell behind its plan)";
  } else if (p.executor != executor_kind::constant_concurrency && v.lag_p99_ms > p.max_lag_p99_ms) {
    v.invalid = true;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "schedule lag p99 %.3fms is above max_lag_p99 %.3fms: the generator fell "
                  "behind its plan",
                  v.lag_p99_ms, p.max_lag_p99_ms);
    v.invalid_reason = buf;
  }
  for (const auto& spec : p.thresholds) {
    auto parsed = parse_threshold(spec.text, spec.scope);
    if (!std::holds_alternative<threshold>(parsed)) continue;  // rejected when parsed
    const auto& t = std::get<threshold>(parsed);
    threshold_input in;
    latency_set scoped;
    if (t.scope == "*") {
      in.latencies = &all;
      in.error_rate = v.error_rate;
      in.achieved_rate = v.achieved_rate;
      in.planned_rate = v.planned_rate;
    } else {
      for (std::size_t i = 0; i < r.steps.size(); ++i) {
        if (r.steps[i].name != t.scope) continue;
        const auto& op = r.totals.ops[i];
        scoped = op.merged();
        in.latencies = &scoped;
        in.error_rate = op.sent ? static_cast<double>(op.failed) / static_cast<double>(op.sent) : 0;
        in.achieved_rate = static_cast<double>(op.completed) / d;
        in.planned_rate = v.planned_rate;
      }
    }
    auto res = evaluate(t, in);
    v.thresholds_pass = v.thresholds_pass && res.pass;
    v.thresholds.push_back(res);
  }
  return v;
}

json summary_json(const profile& p, const run_result& r, const verdict& v,
                  const std::string& target) {
  json plan = {{"executor", to_string(p.executor)},
               {"model", model_label(p.executor)},
               {"duration_s", r.duration_s},
               {"connections", r.connections},
               {"threads", r.threads},
               {"timeout_s", p.timeout_s},
               {"max_lag_p99_ms", p.max_lag_p99_ms}};
  if (p.executor != executor_kind::constant_concurrency) {
    plan["arrivals"] = to_string(p.arrivals);
    plan["seed"] = p.seed;
    plan["planned_requests"] = r.planned_starts;
    plan["planned_rate_per_s"] = v.planned_rate;
    if (p.executor == executor_kind::ramping_arrival_rate) {
      json stages = json::array();
      for (const auto& s : p.stages)
        stages.push_back({{"duration_s", s.duration_s}, {"target", s.target}});
      plan["start_rate"] = p.start_rate;
      plan["stages"] = stages;
    } else {
      plan["rate_per_s"] = p.rate;
    }
  }
  latency_set all;
  op_stats all_ops;
  json ops = json::array();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    json j = op_json(r.totals.ops[i]);
    j["name"] = r.steps[i].name;
    j["operation"] = r.steps[i].operation;
    j["method"] = r.steps[i].method;
    ops.push_back(j);
    all_ops.add(r.totals.ops[i]);
  }
  json ths = json::array();
  for (const auto& t : v.thresholds)
    ths.push_back({{"scope", t.spec.scope},
                   {"threshold", t.spec.text},
                   {"actual", t.actual_text},
                   {"pass", t.pass}});
  json lag = percentiles_ms(all_ops.merged().lag);
  return {
      {"tool", "cxharness load"},
      {"version", cxh::version()},
      {"profile", {{"name", p.name}, {"file", p.file}}},
      {"target", target},
      {"plan", plan},
      {"catch_up_policy", catch_up_policy},
      {"units", "milliseconds; recorded in microseconds in HDR histograms (3 significant digits)"},
      {"achieved",
       {{"started", r.totals.started},
        {"sent", v.sent},
        {"completed", v.completed},
        {"failed", v.failed},
        {"unsent", r.totals.unsent},
        {"retried", all_ops.retried},
        {"closed_idle", r.totals.closed_idle},
        {"rate_per_s", v.achieved_rate},
        {"error_rate", v.error_rate},
        {"elapsed_s", r.elapsed_s}}},
      {"generator",
       {{"cpu_s", r.cpu_s},
        {"cpu_percent", r.elapsed_s > 0 ? 100 * r.cpu_s / r.elapsed_s : 0},
        {"lag_ms", lag}}},
      {"all", op_json(all_ops)},
      {"operations", ops},
      {"error_samples", samples_json(r.totals.samples)},
      {"thresholds", ths},
      {"valid", !v.invalid},
      {"invalid_reason", v.invalid_reason},
      {"result", v.invalid           ? "invalid"
                 : v.thresholds_pass ? "pass"
                                     : "thresholds_failed"},
      {"notes", r.notes},
  };
}

}  // namespace cxh::load
