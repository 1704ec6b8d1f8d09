// The self-contained HTML capacity report: inline SVG charts, no external resources.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cxh/load/report.hpp>
#include <sstream>

namespace cxh::load {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '&':
        o += "&amp;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

struct series {
  std::string name, color;
  std::vector<std::pair<double, double>> pts;
  bool bars = false;
};

// A line (or bar) chart; x_ticks: (position, label). y starts at 0.
std::string chart(const std::string& title, const std::string& y_label,
                  const std::vector<series>& ss,
                  const std::vector<std::pair<double, std::string>>& x_ticks) {
  const double W = 760, H = 280, L = 70, R = 40, T = 30, B = 40;  // R: room for "99.999%"
  double xmin = 1e300, xmax = -1e300, ymax = 0;
  for (const auto& s : ss)
    for (auto [x, y] : s.pts) {
      xmin = std::min(xmin, x);
      xmax = std::max(xmax, x);
      ymax = std::max(ymax, y);
    }
  for (const auto& t : x_ticks) {
    xmin = std::min(xmin, t.first);
    xmax = std::max(xmax, t.first);
  }
  if (xmin > xmax) xmin = 0, xmax = 1;
  if (xmax == xmin) xmax = xmin + 1;
  if (ymax <= 0) ymax = 1;
  // A round upper bound for the y axis.
  double step = std::pow(10, std::floor(std::log10(ymax)));
  double top = std::ceil(ymax / step) * step;
  auto px = [&](double x) { return L + (x - xmin) / (xmax - xmin) * (W - L - R); };
  auto py = [&](double y) { return H - B - y / top * (H - T - B); };
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
    << "' viewBox='0 0 " << W << " " << H << "' role='img'><title>" << esc(title) << "</title>"
    << "<text x='" << L << "' y='18' font-weight='bold'>" << esc(title) << "</text>";
  for (int i = 0; i <= 4; ++i) {
    double y = top * i / 4;
    o << "<line x1='" << L << "' x2='" << W - R << "' y1='" << py(y) << "' y2='" << py(y)
      << "' stroke='#ddd'/><text x='" << L - 6 << "' y='" << py(y) + 4
      << "' text-anchor='end' font-size='11'>" << num(y) << "</text>";
  }
  for (const auto& [x, label] : x_ticks)
    o << "<text x='" << px(x) << "' y='" << H - B + 16 << "' text-anchor='middle' font-size='11'>"
      << esc(label) << "</text><line x1='" << px(x) << "' x2='" << px(x) << "' y1='" << T
      << "' y2='" << H - B << "' stroke='#eee'/>";
  o << "<text x='14' y='" << (H - B + T) / 2 << "' font-size='11' transform='rotate(-90 14 "
    << (H - B + T) / 2 << ")' text-anchor='middle'>" << esc(y_label) << "</text>";
  double legend_x = L + 10, legend_y = T + 2;
  for (const auto& s : ss) {
    if (s.bars) {
      double bw = std::max(1.0, (W - L - R) / std::max<double>(1, s.pts.size()) * 0.8);
      for (auto [x, y] : s.pts)
        if (y > 0)
          o << "<rect x='" << px(x) - bw / 2 << "' y='" << py(y) << "' width='" << bw
            << "' height='" << py(0) - py(y) << "' fill='" << s.color << "'/>";
    } else if (!s.pts.empty()) {
      o << "<polyline fill='none' stroke-width='2' stroke='" << s.color << "' points='";
      for (auto [x, y] : s.pts) o << px(x) << "," << py(y) << " ";
      o << "'/>";
    }
    double width = 24 + 6.5 * static_cast<double>(s.name.size());
    if (legend_x + width > W - R && legend_x > L + 10) {  // next legend row, inside the plot
      legend_x = L + 10;
      legend_y += 14;
    }
    o << "<rect x='" << legend_x << "' y='" << legend_y << "' width='10' height='10' fill='"
      << s.color << "'/><text x='" << legend_x + 14 << "' y='" << legend_y + 9
      << "' font-size='11'>" << esc(s.name) << "</text>";
    legend_x += width;
  }
  o << "<line x1='" << L << "' x2='" << W - R << "' y1='" << py(0) << "' y2='" << py(0)
    << "' stroke='#333'/></svg>\n";
  return o.str();
}

const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                         "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

// The percentile spectrum on the 1/(1-q) log axis: x = log10(1/(1-q)).
std::vector<std::pair<double, double>> spectrum(const histogram::hdr& h) {
  std::vector<std::pair<double, double>> pts;
  if (h.total_count() == 0) return pts;
  for (int i = 0; i <= 100; ++i) {
    double x = 5.0 * i / 100;  // up to 99.999%
    double q = 1 - std::pow(10, -x);
    pts.emplace_back(x, static_cast<double>(h.value_at_percentile(q * 100)) / 1000);
  }
  return pts;
}

// Failures by cause (whom to blame), the keep-alive events that were not failures, and the
// first failed requests with their connection's history.
std::string error_tables(const run_result& r) {
  std::ostringstream o;
  o << "<h2>Errors by cause</h2><table><tr><th>step</th>";
  for (std::size_t i = 0; i < n_phases; ++i)
    o << "<th>" << to_string(static_cast<error_phase>(i)) << "</th>";
  o << "<th>retried</th></tr>";
  for (std::size_t s = 0; s < r.steps.size(); ++s) {
    o << "<tr><td>" << esc(r.steps[s].name) << "</td>";
    for (std::size_t i = 0; i < n_phases; ++i) o << "<td>" << r.totals.ops[s].errors[i] << "</td>";
    o << "<td>" << r.totals.ops[s].retried << "</td></tr>";
  }
  o << "</table><p>closed_before_response: the target closed or reset the connection before any "
       "byte of the answer; closed_mid_response: after some bytes; parse: bytes that are not an "
       "HTTP response. retried (not errors): idempotent requests sent once more on a fresh "
       "connection after a reused keep-alive connection closed before any byte. Keep-alive "
       "connections the target closed while idle, reopened before reuse: "
    << r.totals.closed_idle << ".</p>";
  if (r.totals.samples.empty()) return o.str();
  o << "<h2>First failed requests</h2><table><tr><th>at</th><th>step</th><th>cause</th>"
       "<th>error</th><th>answered before on the connection</th><th>idle before</th>"
       "<th>bytes read</th><th>first line</th></tr>";
  for (const auto& e : r.totals.samples) {
    char at[64], idle[64];
    std::snprintf(at, sizeof at, "%.3fs", e.at_s);
    std::snprintf(idle, sizeof idle, "%.1fms", e.idle_ms);
    o << "<tr><td>" << at << "</td><td>" << esc(e.step) << "</td><td>" << esc(e.phase)
      << (e.retry ? " (retry)" : "") << "</td><td>" << esc(e.error) << "</td><td>"
      << e.requests_before << "</td><td>" << idle << "</td><td>" << e.bytes_read << "</td><td>"
      << esc(e.first_line) << "</td></tr>";
  }
  o << "</table>";
  return o.str();
}

}  // namespace

std::string html_report(const profile& p, const run_result& r, const verdict& v,
                        const std::vector<timeline_point>& timeline, const std::string& target) {
  std::ostringstream o;
  o << "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>cxharness load: "
    << esc(p.name) << "</title><style>body{font-family:sans-serif;margin:24px;color:#222}"
    << "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    << "text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}.pass{color:#080}"
    << ".fail{color:#b00;font-weight:bold}svg{display:block;margin:12px 0}</style></head><body>";
  o << "<h1>Capacity report: " << esc(p.name) << "</h1>";
  o << "<p>Target <code>" << esc(target) << "</code>; executor <b>" << to_string(p.executor)
    << "</b> (<b>" << model_label(p.executor) << "</b>)";
  if (p.executor != executor_kind::constant_concurrency)
    o << ", " << to_string(p.arrivals) << " arrivals, planned " << num(v.planned_rate) << "/s";
  o << ", " << num(r.duration_s) << " s, " << r.connections << " connections, " << r.threads
    << " threads.</p>";
  o << "<p>Catch-up policy: " << esc(catch_up_policy) << ".</p>";
  o << "<p>Result: <span class='" << (v.invalid || !v.thresholds_pass ? "fail" : "pass") << "'>"
    << (v.invalid           ? "INVALID: " + esc(v.invalid_reason)
        : v.thresholds_pass ? std::string("pass")
                            : std::string("thresholds failed"))
    << "</span>. Achieved " << num(v.achieved_rate) << "/s, " << v.sent << " sent, " << v.completed
    << " answered, " << v.failed << " failed, " << r.totals.unsent << " unsent; generator CPU "
    << num(r.cpu_s) << " s, schedule lag p99 " << num(v.lag_p99_ms) << " ms.</p>";

  o << "<h2>Operations</h2><table><tr><th>step</th><th>operation</th><th>sent</th><th>failed</th>"
    << "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>service p99</th>"
    << "<th>lag p99</th></tr>";
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto& op = r.totals.ops[i];
    auto m = op.merged();
    auto c = [&](double q) {
      return format_ms(static_cast<double>(m.corrected.value_at_percentile(q)));
    };
    o << "<tr><td>" << esc(r.steps[i].name) << "</td><td>" << esc(r.steps[i].operation)
      << "</td><td>" << op.sent << "</td><td>" << op.failed << "</td><td>" << c(50) << "</td><td>"
      << c(90) << "</td><td>" << c(99) << "</td><td>" << c(99.9) << "</td><td>"
      << format_ms(static_cast<double>(m.corrected.max())) << "</td><td>"
      << format_ms(static_cast<double>(m.service.value_at_percentile(99))) << "</td><td>"
      << format_ms(static_cast<double>(m.lag.value_at_percentile(99))) << "</td></tr>";
  }
  o << "</table>";
  if (!v.thresholds.empty()) {
    o << "<h2>Thresholds</h2><table><tr><th>scope</th><th>threshold</th><th>actual</th><th>"
      << "result</th></tr>";
    for (const auto& t : v.thresholds)
      o << "<tr><td>" << esc(t.spec.scope) << "</td><td>" << esc(t.spec.text) << "</td><td>"
        << esc(t.actual_text) << "</td><td class='" << (t.pass ? "pass'>pass" : "fail'>FAIL")
        << "</td></tr>";
    o << "</table>";
  }

  o << "<h2>Charts</h2>";
  // Spectrum: all operations merged (corrected and service), then each operation (corrected).
  std::vector<series> spec;
  latency_set all;
  for (const auto& op : r.totals.ops) all.add(op.merged());
  spec.push_back({"all: corrected", palette[0], spectrum(all.corrected)});
  spec.push_back({"all: service (uncorrected)", palette[1], spectrum(all.service)});
  for (std::size_t i = 0; i < r.steps.size() && i < 6; ++i)
    spec.push_back({r.steps[i].name, palette[2 + i], spectrum(r.totals.ops[i].merged().corrected)});
  o << chart("Latency by percentile (log scale of 1/(1-q))", "ms", spec,
             {{0, "0%"}, {1, "90%"}, {2, "99%"}, {3, "99.9%"}, {4, "99.99%"}, {5, "99.999%"}});

  std::vector<std::pair<double, std::string>> ticks;
  double span = timeline.empty() ? 1 : timeline.back().start_s + 1;
  int every = std::max(1, static_cast<int>(span / 10));
  for (int s = 0; s <= static_cast<int>(span); s += every)
    ticks.emplace_back(s, std::to_string(s) + "s");
  series p50{"p50", palette[0], {}}, p99{"p99", palette[1], {}}, mx{"max", palette[4], {}};
  // Flow starts against the plan (like with like: a flow may make several requests), and
  // the requests answered, on one axis.
  series started{"flows started/s", palette[4], {}}, plan{"flows planned/s", palette[2], {}},
      done{"requests answered/s", palette[0], {}}, flight{"in flight", palette[3], {}};
  series errs{"failed/s", palette[1], {}, true};
  for (const auto& t : timeline) {
    double x = t.start_s + 0.5;
    double len = t.length_s > 0 ? t.length_s : 1;
    p50.pts.emplace_back(x, static_cast<double>(t.p50_us) / 1000);
    p99.pts.emplace_back(x, static_cast<double>(t.p99_us) / 1000);
    mx.pts.emplace_back(x, static_cast<double>(t.max_us) / 1000);
    done.pts.emplace_back(x, static_cast<double>(t.completed) / len);
    started.pts.emplace_back(x, static_cast<double>(t.started) / len);
    if (p.executor != executor_kind::constant_concurrency) plan.pts.emplace_back(x, t.planned);
    flight.pts.emplace_back(x, static_cast<double>(t.in_flight));
    errs.pts.emplace_back(x, static_cast<double>(t.failed) / len);
  }
  o << chart("Corrected latency over time (per-second merged histograms)", "ms", {p50, p99, mx},
             ticks);
  o << chart("Throughput over time", "per second", {plan, started, done, flight}, ticks);
  o << chart("Errors over time", "failed requests/s", {errs}, ticks);
  o << error_tables(r);
  o << "<p>Percentiles come from HDR histograms merged by adding counts; none is an "
       "average of percentiles.</p></body></html>\n";
  return o.str();
}

}  // namespace cxh::load
