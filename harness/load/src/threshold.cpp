// Threshold parsing and evaluation (threshold.hpp).

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cxh/load/profile.hpp>
#include <cxh/load/threshold.hpp>

namespace cxh::load {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

bool number(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0' && std::isfinite(out);
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

std::variant<threshold, std::string> parse_threshold(std::string_view text, std::string scope) {
  threshold t;
  t.text = std::string(text);
  t.scope = std::move(scope);
  auto pos = text.find_first_of("<>");
  if (pos == std::string_view::npos)
    return "threshold '" + t.text + "' has no comparison (<, <=, >, >=)";
  std::string lhs = trim(text.substr(0, pos));
  std::size_t rhs_at = pos + 1;
  bool eq = rhs_at < text.size() && text[rhs_at] == '=';
  if (eq) ++rhs_at;
  t.cmp = text[pos] == '<' ? (eq ? threshold::op::le : threshold::op::lt)
                           : (eq ? threshold::op::ge : threshold::op::gt);
  std::string rhs = trim(text.substr(rhs_at));
  if (rhs.empty()) return "threshold '" + t.text + "' has nothing after the comparison";

  if (lhs == "error_rate") {
    t.what = threshold::metric::error_rate;
    bool percent = rhs.back() == '%';
    if (percent) rhs.pop_back();
    if (!number(rhs, t.bound) || t.bound < 0)
      return "error_rate bound '" + rhs + "' must be a fraction (0.001) or a percentage (0.1%)";
    if (percent) t.bound /= 100;
    return t;
  }
  if (lhs == "achieved_rate") {
    t.what = threshold::metric::achieved_rate;
    auto star = rhs.find('*');
    if (star != std::string::npos) {
      if (trim(std::string_view(rhs).substr(star + 1)) != "planned")
        return "achieved_rate bound '" + rhs + "': only FACTOR*planned is understood";
      t.of_planned = true;
      rhs = trim(std::string_view(rhs).substr(0, star));
    } else if (rhs == "planned") {
      t.of_planned = true;
      rhs = "1";
    }
    if (!number(rhs, t.bound) || t.bound < 0)
      return "achieved_rate bound '" + rhs + "' must be requests per second or FACTOR*planned";
    return t;
  }
  // Latency: [service_|lag_]p(N) or [service_|lag_]pN.
  std::string m = lhs;
  if (m.rfind("service_", 0) == 0) {
    t.what = threshold::metric::service;
    m = m.substr(8);
  } else if (m.rfind("lag_", 0) == 0) {
    t.what = threshold::metric::lag;
    m = m.substr(4);
  }
  if (m.size() < 2 || m[0] != 'p')
    return "unknown metric '" + lhs +
           "': p(N), service_p(N), lag_p(N), error_rate or achieved_rate";
  std::string pct = m.substr(1);
  if (pct.size() >= 2 && pct.front() == '(' && pct.back() == ')')
    pct = pct.substr(1, pct.size() - 2);
  if (!number(pct, t.percentile) || t.percentile < 0 || t.percentile > 100)
    return "bad percentile in '" + lhs + "': p(N) with N in 0..100";
  // A time: a number with us/ms/s/m; bare numbers are milliseconds (as in k6).
  double v = 0;
  if (number(rhs, v)) {
    t.bound = v * 1000;
  } else {
    double s = parse_duration_s(rhs);
    if (s < 0)
      return "bad time '" + rhs + "' in threshold '" + t.text + "'" + " (use 500us, 250ms, 1s)";
    t.bound = s * 1e6;
  }
  return t;
}

threshold_result evaluate(const threshold& t, const threshold_input& in) {
  threshold_result r;
  r.spec = t;
  double bound = t.bound;
  switch (t.what) {
    case threshold::metric::corrected:
    case threshold::metric::service:
    case threshold::metric::lag: {
      const histogram::hdr* h = nullptr;
      if (in.latencies)
        h = t.what == threshold::metric::corrected ? &in.latencies->corrected
            : t.what == threshold::metric::service ? &in.latencies->service
                                                   : &in.latencies->lag;
      if (!h || h->total_count() == 0) {
        r.actual_text = "no samples";
        r.pass = false;  // a latency bound with nothing measured proves nothing
        return r;
      }
      r.actual = static_cast<double>(h->value_at_percentile(t.percentile));
      r.actual_text = fmt("%.3fms", r.actual / 1000);
      break;
    }
    case threshold::metric::error_rate:
      r.actual = in.error_rate;
      r.actual_text = fmt("%.4g%%", in.error_rate * 100);
      break;
    case threshold::metric::achieved_rate:
      r.actual = in.achieved_rate;
      r.actual_text = fmt("%.2f/s", in.achieved_rate);
      if (t.of_planned) {
        bound = t.bound * in.planned_rate;
        if (in.planned_rate <= 0) {
          r.actual_text += " (no planned rate: closed model)";
          r.pass = false;
          return r;
        }
        r.actual_text += fmt(" (planned %.2f/s)", in.planned_rate);
      }
      break;
  }
  switch (t.cmp) {
    case threshold::op::lt:
      r.pass = r.actual < bound;
      break;
    case threshold::op::le:
      r.pass = r.actual <= bound;
      break;
    case threshold::op::gt:
      r.pass = r.actual > bound;
      break;
    case threshold::op::ge:
      r.pass = r.actual >= bound;
      break;
  }
  return r;
}

}  // namespace cxh::load
