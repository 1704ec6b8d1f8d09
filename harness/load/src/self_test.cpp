// The accuracy self-test (self_test.hpp).

#include <cmath>
#include <cstdio>
#include <cxh/http/server.hpp>
#include <cxh/load/engine.hpp>
#include <cxh/load/report.hpp>
#include <cxh/load/self_test.hpp>
#include <ostream>

namespace cxh::load {
namespace {

profile make_profile(const self_test_options& o, unsigned connections) {
  profile p;
  p.name = "self-test";
  p.file = "(self-test)";
  p.executor = executor_kind::constant_arrival_rate;
  p.arrivals = arrival_kind::uniform;
  p.rate = o.rate;
  p.duration_s = o.duration_s;
  p.connections = connections;
  p.threads = 1;
  p.timeout_s = 5;
  flow f;
  f.name = "me";
  step s;
  s.name = "GET /";
  s.method = "GET";
  s.path = "/";
  s.where = "(self-test)";
  f.steps.push_back(s);
  p.mix.push_back(f);
  return p;
}

}  // namespace

int self_test(std::ostream& out, const self_test_options& o) {
  // The server: a handler with nothing to do but wait, so that its own processing time (and a
  // sanitizer's) stays small beside d and S. Every T ms it stalls for S ms: a request arriving
  // in the window waits for its end, as the emulator's "stall" fault does.
  auto t0 = std::chrono::steady_clock::now();
  auto handler = [t0, o](const http::request&) {
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    double phase_ms = static_cast<double>(us % static_cast<long long>(o.period_ms * 1000)) / 1000;
    double wait = o.d_ms + (phase_ms < o.stall_ms ? o.stall_ms - phase_ms : 0);
    auto r = http::response::json(200, R"({"ok":true})");
    r.delay = std::chrono::milliseconds(std::lround(wait));
    return r;
  };
  http::server_options so;
  so.threads = 2;
  http::server server(so, handler);
  if (auto e = server.start(); !e.empty()) {
    out << "self-test: cannot start the server: " << e << "\n";
    return 3;
  }
  std::string base_url = "http://127.0.0.1:" + std::to_string(server.port());
  char line[256];
  std::snprintf(line, sizeof line,
                "self-test: in-process server with service time d=%gms and a stall of S=%gms every "
                "T=%gms; open model, %g req/s uniform, %gs\n",
                o.d_ms, o.stall_ms, o.period_ms, o.rate, o.duration_s);
  out << line;

  // Enough connections for every request of a stall to be in flight at once: nothing queues
  // on the client, as in an ideal open loop.
  unsigned conns =
      static_cast<unsigned>(std::ceil(o.rate * (o.stall_ms + o.d_ms) / 1000 * 1.5 + 16));
  run_options ro;
  ro.prof = make_profile(o, conns);
  ro.target = base_url;
  auto r = run(ro);
  if (auto* e = std::get_if<std::string>(&r)) {
    out << "self-test: the run failed: " << *e << "\n";
    return 3;
  }
  auto& res = std::get<run_result>(r);
  auto v = judge(ro.prof, res);
  auto all = res.totals.ops[0].merged();
  std::uint64_t failed = res.totals.ops[0].failed;

  // Compared: the percentiles inside the stall's share of the distribution, where L(q) is exact
  // (q > 1 - S/T = 0.8 here); below it L(q) is about d and loopback overhead dominates.
  double q0 = 1 - o.stall_ms / o.period_ms;
  // d is the service time outside the stalls as the client sees it (the configured latency plus
  // loopback and server overhead): the median, which lies below q0.
  double d = static_cast<double>(all.corrected.value_at_percentile(50)) / 1000;
  std::snprintf(line, sizeof line, "  d measured as the median: %.2fms (configured %gms)\n", d,
                o.d_ms);
  out << line;
  bool ok = !v.invalid && failed == 0;
  out << "  percentile   expected L(q)   corrected (measured)   error    service time "
         "(uncorrected)\n";
  for (double q : {0.90, 0.95, 0.99, 0.999}) {
    if (q <= q0) continue;
    double expected = d + o.stall_ms - (1 - q) * o.period_ms;
    double got = static_cast<double>(all.corrected.value_at_percentile(q * 100)) / 1000;
    double svc = static_cast<double>(all.service.value_at_percentile(q * 100)) / 1000;
    double err = std::abs(got - expected) / expected;
    bool pass = err <= o.tolerance;
    ok = ok && pass;
    std::snprintf(line, sizeof line, "  p%-9g  %10.2fms   %16.2fms   %5.1f%%   %14.2fms   %s\n",
                  q * 100, expected, got, err * 100, svc, pass ? "ok" : "FAIL (beyond 5%)");
    out << line;
  }
  std::snprintf(
      line, sizeof line, "  %llu requests, %llu failed, %llu unsent, schedule lag p99 %.3fms%s\n",
      static_cast<unsigned long long>(res.totals.ops[0].sent),
      static_cast<unsigned long long>(failed), static_cast<unsigned long long>(res.totals.unsent),
      v.lag_p99_ms, v.invalid ? (" -- INVALID: " + v.invalid_reason).c_str() : "");
  out << line;

  // One connection at a higher rate: a stalled connection holds back the requests behind it,
  // as in a closed loop. Service time then hides the stall; the corrected time does not.
  run_options few = ro;
  few.prof.connections = 1;
  few.prof.rate = 100;
  few.prof.duration_s = 4 * o.period_ms / 1000;
  few.prof.max_lag_p99_ms = 1e9;
  auto r2 = run(few);
  if (auto* res2 = std::get_if<run_result>(&r2)) {
    auto m = res2->totals.ops[0].merged();
    auto ms = [](const histogram::hdr& h, double q) {
      return static_cast<double>(h.value_at_percentile(q)) / 1000;
    };
    std::snprintf(line, sizeof line,
                  "  coordinated omission, 1 connection at 100 req/s: p90 service %.2fms vs "
                  "corrected %.2fms, p99 service %.2fms vs corrected %.2fms\n",
                  ms(m.service, 90), ms(m.corrected, 90), ms(m.service, 99), ms(m.corrected, 99));
    out << line;
  }
  server.stop();
  out << (ok ? "self-test: PASS (every compared percentile within 5%)\n" : "self-test: FAIL\n");
  return ok ? 0 : 1;
}

}  // namespace cxh::load
