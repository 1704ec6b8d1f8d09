// cxharness load PROFILE: the open-model load generator (harness/load/README.md).

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cxh/core/atomic_file.hpp>
#include <cxh/core/exit_code.hpp>
#include <cxh/emulator/emulator.hpp>
#include <cxh/load/auth.hpp>
#include <cxh/load/engine.hpp>
#include <cxh/load/report.hpp>
#include <cxh/load/self_test.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"

namespace cxh::cli {
namespace {

std::atomic<bool> interrupted{false};
extern "C" void cxh_load_on_signal(int) {
  interrupted.store(true);
}

struct load_args {
  std::string profile;
  std::string target;
  double rate = 0;
  std::string duration;
  unsigned connections = 0, threads = 0;
  std::vector<std::string> reports;
  std::string ca;
  bool insecure = false, self_test = false, check = false;
};

int usage(const std::string& what) {
  std::cerr << "cxharness load: " << what << "\n";
  return to_int(exit_code::usage_error);
}

void print_diagnostics(const cxh::diagnostics& ds) {
  for (const auto& d : ds) std::cerr << to_string(d) << "\n";
}

// "FORMAT:PATH" for json, hgrm, hlog, html.
bool split_report(const std::string& spec, std::string& format, std::string& path) {
  auto colon = spec.find(':');
  if (colon == std::string::npos) return false;
  format = spec.substr(0, colon);
  path = spec.substr(colon + 1);
  return !path.empty() &&
         (format == "json" || format == "hgrm" || format == "hlog" || format == "html");
}

// The live line: on a terminal only, redrawn in place once per second.
void progress(const load::timeline_point& t, bool color) {
  std::uint64_t errors = t.failed;
  const char* red = color && errors ? "\033[31m" : "";
  const char* reset = color && errors ? "\033[0m" : "";
  double len = t.length_s > 0 ? t.length_s : 1;
  std::fprintf(stderr,
               "\r[%4.0fs] %8.1f/s answered (planned %8.1f/s)  in flight %5llu  p50 %9s  p99 "
               "%9s  %serrors %llu%s   ",
               t.start_s + len, static_cast<double>(t.completed) / len, t.planned,
               static_cast<unsigned long long>(t.in_flight),
               load::format_ms(static_cast<double>(t.p50_us)).c_str(),
               load::format_ms(static_cast<double>(t.p99_us)).c_str(), red,
               static_cast<unsigned long long>(errors), reset);
}

// Failures by cause (whom to blame), the keep-alive events that were not failures, and the
// first failed requests with their connection's history.
void print_failures(const load::run_result& res) {
  load::op_stats all;
  for (const auto& op : res.totals.ops) all.add(op);
  std::string causes;
  for (std::size_t i = 0; i < load::n_phases; ++i)
    if (all.errors[i])
      causes += std::string(causes.empty() ? "" : ", ") +
                load::to_string(static_cast<load::error_phase>(i)) + " " +
                std::to_string(all.errors[i]);
  std::printf(
      "failed %llu%s%s; retried on a fresh connection %llu; idle connections closed by "
      "the target %llu\n",
      static_cast<unsigned long long>(all.failed), causes.empty() ? "" : ": ", causes.c_str(),
      static_cast<unsigned long long>(all.retried),
      static_cast<unsigned long long>(res.totals.closed_idle));
  std::size_t shown = 0;
  for (const auto& e : res.totals.samples) {
    if (++shown > 5) break;
    std::printf(
        "error at %.3fs %s: %s%s (%s); %llu answered before on the connection, idle "
        "%.1fms, %llu bytes read%s%s\n",
        e.at_s, e.step.c_str(), e.phase.c_str(), e.retry ? " on the retry" : "", e.error.c_str(),
        static_cast<unsigned long long>(e.requests_before), e.idle_ms,
        static_cast<unsigned long long>(e.bytes_read), e.first_line.empty() ? "" : ": ",
        e.first_line.c_str());
  }
}

// A run in which nothing succeeded measured nothing of the target: 3 when no answer came back
// at all (unreachable, TLS refused), 1 when answers came but every one failed.
std::optional<exit_code> nothing_succeeded(const load::verdict& v) {
  if (v.sent == 0 || v.failed < v.sent) return std::nullopt;
  return v.completed == 0 ? exit_code::harness_error : exit_code::check_failed;
}

int run_load(const load_args& a) {
  if (a.self_test) return load::self_test(std::cout);
  if (a.profile.empty()) return usage("a PROFILE is needed (or --self-test)");
  auto loaded = load::load_profile(a.profile);
  if (auto* ds = std::get_if<cxh::diagnostics>(&loaded)) {
    print_diagnostics(*ds);
    return to_int(exit_code::usage_error);
  }
  auto prof = std::get<load::profile>(std::move(loaded));
  // Command-line overrides.
  if (a.rate > 0) {
    if (prof.executor != load::executor_kind::constant_arrival_rate)
      return usage("--rate applies to constant-arrival-rate profiles");
    prof.rate = a.rate;
  }
  if (!a.duration.empty()) {
    double d = load::parse_duration_s(a.duration);
    if (d <= 0) return usage("bad --duration '" + a.duration + "' (e.g. 30s, 2m)");
    if (prof.executor == load::executor_kind::ramping_arrival_rate)
      return usage("--duration does not apply to ramping-arrival-rate (its stages set it)");
    prof.duration_s = d;
  }
  if (a.connections) prof.connections = a.connections;
  if (a.threads) prof.threads = a.threads;
  if (a.insecure) prof.insecure = true;
  if (!a.ca.empty()) {
    if (!std::ifstream(a.ca)) return usage("cannot read --ca '" + a.ca + "'");
    prof.ca_file = a.ca;
  }

  auto loaded_spec = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  if (auto* ds = std::get_if<cxh::diagnostics>(&loaded_spec)) {
    print_diagnostics(*ds);
    return to_int(exit_code::harness_error);
  }
  const auto& spec = std::get<openapi::spec_set>(loaded_spec);
  auto problems = load::check_plan(prof, &spec);
  if (!problems.empty()) {
    print_diagnostics(problems);
    return to_int(exit_code::usage_error);
  }
  if (a.check) {
    std::cout << a.profile << ": valid (" << load::to_string(prof.executor) << ", "
              << load::model_label(prof.executor) << ")\n";
    return 0;
  }
  struct report_target {
    std::string format, path;
  };
  std::vector<report_target> reports;
  for (const auto& r : a.reports) {
    report_target t;
    if (!split_report(r, t.format, t.path))
      return usage("bad --report '" + r + "': json:PATH, hgrm:DIR, hlog:PATH or html:PATH");
    reports.push_back(t);
  }

  // No target: the embedded emulator, on its own threads.
  std::string target = !a.target.empty() ? a.target : prof.target;
  std::unique_ptr<emulator::running_emulator> emu;
  if (target.empty()) {
    http::server_options so;
    so.threads = 2;
    auto started = emulator::running_emulator::start(emulator::config{}, so);
    if (auto* e = std::get_if<std::string>(&started)) {
      std::cerr << "cxharness load: cannot start the embedded emulator: " << *e << "\n";
      return to_int(exit_code::harness_error);
    }
    emu = std::move(std::get<0>(started));
    target = emu->base_url();
    std::cerr << "load: target is the embedded emulator at " << target << "\n";
  }
  auto auth = load::resolve_auth(prof, target, prof.insecure);
  if (auto* e = std::get_if<std::string>(&auth)) {
    std::cerr << "cxharness load: " << *e << "\n";
    return to_int(exit_code::harness_error);
  }

  std::unique_ptr<load::hlog_sink> hlog;
  for (const auto& r : reports)
    if (r.format == "hlog") {
      auto s = load::hlog_sink::open(r.path);
      if (auto* e = std::get_if<std::string>(&s)) return usage(*e);
      hlog = std::move(std::get<0>(s));
    }

  load::run_options ro;
  ro.prof = prof;
  ro.target = target;
  ro.spec = &spec;
  ro.secret_headers = std::get<load::header_list>(auth);
  ro.cancel = &interrupted;
  bool tty = isatty(STDERR_FILENO) != 0;
  bool color = tty && std::getenv("NO_COLOR") == nullptr;
  std::vector<load::timeline_point> timeline;
  ro.on_interval = [&](const load::interval_view& v) {
    timeline.push_back(load::summarize(v));
    if (hlog) hlog->write(v);
    if (tty) progress(timeline.back(), color);
  };
  std::cerr << "load: " << prof.name << ": " << load::to_string(prof.executor) << " ("
            << load::model_label(prof.executor) << "), " << prof.total_duration_s() << " s, "
            << load::default_connections(prof) << " connections\n"
            << "load: catch-up policy: " << load::catch_up_policy << "\n";
  auto old_int = std::signal(SIGINT, cxh_load_on_signal);
  auto old_term = std::signal(SIGTERM, cxh_load_on_signal);
  auto result = load::run(ro);
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (tty) std::cerr << "\n";
  if (auto* e = std::get_if<std::string>(&result)) {
    std::cerr << "cxharness load: " << *e << "\n";
    return to_int(exit_code::harness_error);
  }
  const auto& res = std::get<load::run_result>(result);
  auto verdict = load::judge(prof, res);
  std::string shown_target = emu ? "embedded emulator (" + target + ")" : target;

  // The summary on stdout.
  std::printf("%-40s %8s %8s %10s %10s %10s %10s %10s\n", "step", "sent", "failed", "p50", "p90",
              "p99", "p99.9", "max");
  for (std::size_t i = 0; i < res.steps.size(); ++i) {
    const auto& op = res.totals.ops[i];
    auto m = op.merged();
    auto c = [&](double q) {
      return load::format_ms(static_cast<double>(m.corrected.value_at_percentile(q)));
    };
    std::printf("%-40s %8llu %8llu %10s %10s %10s %10s %10s\n", res.steps[i].name.c_str(),
                static_cast<unsigned long long>(op.sent),
                static_cast<unsigned long long>(op.failed), c(50).c_str(), c(90).c_str(),
                c(99).c_str(), c(99.9).c_str(),
                load::format_ms(static_cast<double>(m.corrected.max())).c_str());
  }
  std::printf(
      "achieved %.2f/s (planned %.2f/s), %llu unsent, error rate %.4g%%, lag p99 %.3fms, "
      "generator CPU %.2fs\n",
      verdict.achieved_rate, verdict.planned_rate,
      static_cast<unsigned long long>(res.totals.unsent), verdict.error_rate * 100,
      verdict.lag_p99_ms, res.cpu_s);
  print_failures(res);
  for (const auto& t : verdict.thresholds)
    std::printf("threshold %s %s: %s (%s)\n", t.spec.scope.c_str(), t.spec.text.c_str(),
                t.pass ? "pass" : "FAIL", t.actual_text.c_str());
  for (const auto& n : res.notes) std::printf("note: %s\n", n.c_str());

  for (const auto& r : reports) {
    std::string error;
    if (r.format == "json") {
      if (auto why = cxh::write_file_atomically(
              r.path, load::summary_json(prof, res, verdict, shown_target).dump(2) + "\n");
          !why.empty())
        error = "cannot write " + r.path + ": " + why;
    } else if (r.format == "hgrm") {
      error = load::write_hgrm_files(r.path, res);
    } else if (r.format == "html") {
      if (auto why = cxh::write_file_atomically(
              r.path, load::html_report(prof, res, verdict, timeline, shown_target));
          !why.empty())
        error = "cannot write " + r.path + ": " + why;
    }
    if (!error.empty()) {
      std::cerr << "cxharness load: " << error << "\n";
      return to_int(exit_code::harness_error);
    }
  }
  if (emu) emu->stop();
  if (auto code = nothing_succeeded(verdict)) {
    std::printf("run FAILED: none of the %llu requests succeeded%s\n",
                static_cast<unsigned long long>(verdict.sent),
                verdict.completed == 0 ? " (no answer came back: see the causes above)" : "");
    return to_int(*code);
  }
  if (verdict.invalid) {
    std::printf("run INVALID: %s\n", verdict.invalid_reason.c_str());
    return to_int(exit_code::run_invalid);
  }
  if (!verdict.thresholds_pass) {
    std::printf("thresholds FAILED\n");
    return to_int(exit_code::thresholds_failed);
  }
  return 0;
}

}  // namespace

runner add_load_command(CLI::App& app) {
  auto a = std::make_shared<load_args>();
  auto* cmd =
      app.add_subcommand("load", "Run a load profile (open or closed model) against a target");
  cmd->add_option("profile", a->profile, "The load profile (YAML, scenarios/load/README.md)");
  cmd->add_option("--target", a->target,
                  "Base URL; default: the profile's, else the embedded emulator");
  cmd->add_option("--rate", a->rate, "Override the rate (constant-arrival-rate), requests/s");
  cmd->add_option("--duration", a->duration, "Override the duration (e.g. 30s)");
  cmd->add_option("--connections", a->connections, "Connections (the VUs of a closed model)");
  cmd->add_option("--threads", a->threads, "Worker threads");
  cmd->add_option("--report", a->reports, "FORMAT:PATH: json:FILE, hgrm:DIR, hlog:FILE, html:FILE")
      ->take_all();
  cmd->add_option("--ca", a->ca, "PEM file of certificate authorities to trust (TLS targets)");
  cmd->add_flag("--insecure", a->insecure, "Do not verify the target's TLS certificate");
  cmd->add_flag("--self-test", a->self_test, "Measure a server with known stalls; check accuracy");
  cmd->add_flag("--check", a->check, "Validate the profile and exit");
  return [a] { return run_load(*a); };
}

}  // namespace cxh::cli
