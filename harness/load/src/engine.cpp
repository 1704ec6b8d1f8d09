// run(): resolves the target, prepares the plan, starts the workers, merges their intervals.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cmath>
#include <cxh/load/engine.hpp>
#include <cxh/load/template.hpp>
#include <latch>
#include <set>
#include <thread>

#include "collector.hpp"
#include "plan.hpp"
#include "worker.hpp"

namespace cxh::load {

namespace asio = boost::asio;
using detail::clock;

namespace {

struct target_url {
  bool tls = false;
  std::string host, port, base_path, host_header;
};

std::variant<target_url, std::string> parse_target(const std::string& url) {
  target_url t;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    t.tls = true;
    rest = url.substr(8);
  } else {
    return "target '" + url + "' must start with http:// or https://";
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  t.base_path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!t.base_path.empty() && t.base_path.back() == '/') t.base_path.pop_back();
  if (authority.empty() || authority.find('@') != std::string::npos)
    return "target '" + url + "' needs a host (and no user:password@)";
  t.host_header = authority;
  if (authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return "target '" + url + "': unclosed IPv6 address";
    t.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      t.port = authority.substr(close + 2);
  } else {
    auto colon = authority.rfind(':');
    t.host = authority.substr(0, colon);
    if (colon != std::string::npos) t.port = authority.substr(colon + 1);
  }
  if (t.port.empty()) t.port = t.tls ? "443" : "80";
  char* end = nullptr;
  long p = std::strtol(t.port.c_str(), &end, 10);
  if (*end != '\0' || p <= 0 || p > 65535) return "target '" + url + "': bad port '" + t.port + "'";
  return t;
}

}  // namespace

std::string configure_client_tls(asio::ssl::context& ctx, bool insecure,
                                 const std::string& ca_file) {
  if (insecure) {
    ctx.set_verify_mode(asio::ssl::verify_none);
    return "";
  }
  boost::system::error_code ec;
  if (ca_file.empty())
    ctx.set_default_verify_paths(ec);
  else
    ctx.load_verify_file(ca_file, ec);
  if (ec) return "cannot load the certificate authorities from '" + ca_file + "': " + ec.message();
  ctx.set_verify_mode(asio::ssl::verify_peer);
  return "";
}

unsigned default_connections(const profile& p) {
  if (p.connections) return p.connections;
  if (p.executor == executor_kind::constant_concurrency) return 10;
  double peak = p.rate;
  for (const auto& s : p.stages) peak = std::max(peak, s.target);
  peak = std::max(peak, p.start_rate);
  return static_cast<unsigned>(std::clamp(std::ceil(peak * 0.1), 16.0, 1000.0));
}

cxh::diagnostics check_plan(const profile& p, const openapi::spec_set* spec) {
  cxh::diagnostics out;
  run_options o;
  o.prof = p;
  o.spec = spec;
  auto pl = detail::prepare(o, "localhost", "");
  if (auto* e = std::get_if<std::string>(&pl)) out.push_back({p.file, *e, ""});
  // Variables must be captured by an earlier step of the same flow.
  for (const auto& f : p.mix) {
    std::set<std::string> captured;
    for (const auto& s : f.steps) {
      std::vector<std::string> texts{s.path, s.body, s.query};
      for (const auto& [k, v] : s.headers) texts.push_back(v);
      for (const auto& [k, v] : s.path_params) texts.push_back(v);
      for (const auto& text : texts) {
        auto t = text_template::compile(text);
        if (!std::holds_alternative<text_template>(t)) continue;
        for (const auto& v : std::get<text_template>(t).variables())
          if (!captured.count(v))
            out.push_back({s.where,
                           "${" + v + "} is not captured by an earlier step of '" + f.name + "'",
                           "add 'capture: {" + v + ": /json/pointer}' to an earlier step"});
      }
      for (const auto& [k, v] : s.capture) captured.insert(k);
    }
  }
  return out;
}

std::variant<run_result, std::string> run(const run_options& opts) {
  const auto& p = opts.prof;
  auto parsed = parse_target(opts.target);
  if (auto* e = std::get_if<std::string>(&parsed)) return *e;
  auto target = std::get<target_url>(parsed);

  auto prepared = detail::prepare(opts, target.host_header, target.base_path);
  if (auto* e = std::get_if<std::string>(&prepared)) return *e;
  auto pl = std::get<detail::plan>(std::move(prepared));

  asio::io_context resolve_ctx;
  asio::ip::tcp::resolver resolver(resolve_ctx);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(target.host, target.port, ec);
  if (ec) return "cannot resolve " + target.host + ": " + ec.message();

  std::optional<asio::ssl::context> tls;
  if (target.tls) {
    tls.emplace(asio::ssl::context::tls_client);
    if (auto err = configure_client_tls(*tls, p.insecure, p.ca_file); !err.empty()) return err;
  }

  run_result result;
  result.steps = pl.steps;
  result.connections = default_connections(p);
  result.threads = std::max(1u, std::min(p.threads, result.connections));
  result.duration_s = p.total_duration_s();
  std::optional<rate_plan> rates;
  if (p.executor != executor_kind::constant_concurrency) {
    rates.emplace(rate_plan::from(p));
    result.planned_starts = rates->total();
  }

  detail::collector col(result.threads, pl.steps.size());
  detail::shared_run sh;
  sh.pl = &pl;
  sh.prof = &p;
  sh.endpoints = endpoints;
  sh.host = target.host;
  sh.tls = tls ? &*tls : nullptr;
  sh.rates = rates ? &*rates : nullptr;
  sh.col = &col;
  sh.workers = result.threads;
  sh.timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(p.timeout_s));
  sh.cancel = opts.cancel;

  std::latch ready(result.threads);
  std::latch go(1);
  std::vector<std::thread> threads;
  std::vector<double> cpu(result.threads, 0);
  std::vector<unsigned> failed(result.threads, 0);
  unsigned per = result.connections / result.threads, extra = result.connections % result.threads;
  unsigned first_vu = 0;
  for (unsigned w = 0; w < result.threads; ++w) {
    unsigned n = per + (w < extra ? 1 : 0);
    threads.emplace_back([&, w, n, first_vu] {
      detail::worker wk(sh, w, n, first_vu);
      failed[w] = wk.preconnect();
      ready.count_down();
      go.wait();
      wk.run();
      cpu[w] = wk.cpu_seconds();
    });
    first_vu += n;
  }
  ready.wait();
  // Written before `go` opens: the latch orders it before every worker's reads.
  sh.start = clock::now() + std::chrono::milliseconds(20);
  sh.end = sh.start + std::chrono::duration_cast<clock::duration>(
                          std::chrono::duration<double>(result.duration_s));
  go.count_down();

  result.totals.resize(pl.steps.size());
  for (;;) {
    bool done = false;
    auto next = col.next(std::chrono::milliseconds(200), done);
    if (done) break;
    if (!next) continue;
    auto& [index, stats] = *next;
    interval_view v;
    v.index = index;
    v.start_s = static_cast<double>(index);
    double end_s = std::chrono::duration<double>(clock::now() - sh.start).count();
    v.length_s = std::clamp(end_s - v.start_s, 0.0, 1.0);
    if (rates) v.planned = rates->cumulative(v.start_s + 1) - rates->cumulative(v.start_s);
    v.stats = &stats;
    v.steps = &result.steps;
    if (opts.on_interval) opts.on_interval(v);
    stats.in_flight = 0;
    result.totals.add(stats);
  }
  for (auto& t : threads) t.join();
  result.elapsed_s = std::chrono::duration<double>(clock::now() - sh.start).count();
  for (double c : cpu) result.cpu_s += c;
  unsigned failed_total = 0;
  for (unsigned f : failed) failed_total += f;
  if (failed_total)
    result.notes.push_back(std::to_string(failed_total) + " of " +
                           std::to_string(result.connections) +
                           " connections could not be opened before the start");
  return result;
}

}  // namespace cxh::load
