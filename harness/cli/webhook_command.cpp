// cxharness webhook certify: sends the documented webhooks to a vendor's endpoint and checks its
// answers. cxharness webhook receive: a receiver that verifies signatures and logs deliveries.

#include <csignal>
#include <cstdlib>
#include <cxh/core/atomic_file.hpp>
#include <cxh/core/exit_code.hpp>
#include <cxh/http/client.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/webhook/certify.hpp>
#include <cxh/webhook/receiver.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "commands.hpp"

namespace cxh::cli {

namespace {

struct webhook_args {
  std::string url, secret_env = "CXH_CHANNEL_SECRET", listen = "127.0.0.1:8090", report;
  std::vector<std::string> types;
  std::string deadline = "10";
  bool strict = false, insecure = false;
  std::string ca;
};

volatile std::sig_atomic_t g_webhook_stop = 0;
extern "C" void webhook_on_signal(int) {
  g_webhook_stop = 1;
}

std::optional<std::string> secret_from(const std::string& env) {
  const char* v = std::getenv(env.c_str());
  if (!v || !*v) {
    std::cerr << "cxharness webhook: environment variable " << env
              << " (the channel secret) is not set; --secret-env names another\n";
    return std::nullopt;
  }
  return std::string(v);
}

int certify(const webhook_args& a) {
  auto secret = secret_from(a.secret_env);
  if (!secret) return to_int(exit_code::usage_error);
  webhook::certify_options o;
  o.url = a.url;
  o.secret = *secret;
  o.types = a.types;
  o.insecure = a.insecure;
  o.ca_file = a.ca;
  try {
    o.deadline = std::chrono::milliseconds(static_cast<long long>(std::stod(a.deadline) * 1000));
  } catch (const std::exception&) {
    std::cerr << "cxharness webhook certify: --deadline takes seconds, got '" << a.deadline
              << "'\n";
    return to_int(exit_code::usage_error);
  }
  std::string why;
  if (!http::parse_url(a.url, &why)) {
    std::cerr << "cxharness webhook certify: " << why << "\n";
    return to_int(exit_code::usage_error);
  }
  auto spec = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  auto result = webhook::certify(std::get<openapi::spec_set>(spec), o);
  nlohmann::json report = nlohmann::json::array();
  bool failed = false;
  for (const auto& c : result.checks) {
    bool counts = c.level == "MUST" || a.strict;
    failed = failed || (!c.passed && counts);
    std::cout << (c.passed ? "ok    "
                  : counts ? "FAIL  "
                           : "warn  ")
              << c.type << ": " << c.name << " [" << c.level << "]";
    if (!c.passed) std::cout << "  expected " << c.expected << ", got " << c.actual;
    std::cout << "  (" << c.source << ")\n";
    report.push_back({{"type", c.type},
                      {"check", c.name},
                      {"level", c.level},
                      {"passed", c.passed},
                      {"expected", c.expected},
                      {"actual", c.actual},
                      {"source", c.source}});
  }
  if (!a.report.empty()) {
    auto unwritten = cxh::write_file_atomically(
        a.report, nlohmann::json{{"url", a.url}, {"checks", report}}.dump(2) + "\n");
    if (!unwritten.empty()) {
      std::cerr << "cxharness webhook certify: cannot write " << a.report << ": " << unwritten
                << "\n";
      return to_int(exit_code::harness_error);
    }
  }
  if (result.unreachable) return to_int(exit_code::harness_error);
  return to_int(failed ? exit_code::check_failed : exit_code::ok);
}

int receive(const webhook_args& a) {
  auto secret = secret_from(a.secret_env);
  if (!secret) return to_int(exit_code::usage_error);
  auto colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "cxharness webhook receive: --listen takes ADDRESS:PORT\n";
    return to_int(exit_code::usage_error);
  }
  webhook::receiver_options o;
  o.secret = *secret;
  o.address = a.listen.substr(0, colon);
  try {
    o.port = static_cast<std::uint16_t>(std::stoi(a.listen.substr(colon + 1)));
  } catch (const std::exception&) {
    std::cerr << "cxharness webhook receive: bad port in '" << a.listen << "'\n";
    return to_int(exit_code::usage_error);
  }
  webhook::receiver r(o);
  if (auto why = r.start(); !why.empty()) {
    std::cerr << "cxharness webhook receive: " << why << "\n";
    return to_int(exit_code::harness_error);
  }
  std::signal(SIGINT, webhook_on_signal);
  std::signal(SIGTERM, webhook_on_signal);
  std::cout << "receiving webhooks on " << r.url("/") << " (Ctrl-C stops)" << std::endl;
  std::size_t shown = 0;
  while (!g_webhook_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto all = r.deliveries();
    for (; shown < all.size(); ++shown) {
      const auto& d = all[shown];
      std::cout << d.answered << " " << d.path << " signature "
                << (d.signature_valid ? "valid" : "INVALID") << " trace "
                << (d.trace_id.empty() ? "-" : d.trace_id) << " " << d.body.size() << " bytes"
                << std::endl;
    }
  }
  return 0;
}

}  // namespace

runner add_webhook_command(CLI::App& app) {
  auto args = std::make_shared<webhook_args>();
  auto* cmd =
      app.add_subcommand("webhook", "Certify a vendor's webhook endpoint, or receive webhooks");
  cmd->require_subcommand(1);
  auto* cert =
      cmd->add_subcommand("certify", "Send each documented webhook, signed, and check the answers");
  cert->add_option("--url", args->url, "The vendor's webhook URL")->required();
  cert->add_option("--secret-env", args->secret_env,
                   "Environment variable holding the channel secret");
  cert->add_option("--type", args->types, "third-party-messaging or interactions (default: both)")
      ->check(CLI::IsMember({"third-party-messaging", "interactions"}));
  cert->add_option("--deadline", args->deadline, "Seconds the endpoint has to answer (default 10)");
  cert->add_option("--report", args->report, "Write the checks as JSON to this file");
  cert->add_flag("--strict", args->strict, "SHOULD checks (signature refusal) fail the run too");
  cert->add_flag("--insecure", args->insecure, "Do not verify TLS certificates");
  cert->add_option("--ca", args->ca, "PEM file of certificate authorities to trust");
  auto* recv =
      cmd->add_subcommand("receive", "Receive webhooks, verify signatures, log deliveries");
  recv->add_option("--listen", args->listen, "ADDRESS:PORT (default 127.0.0.1:8090)");
  recv->add_option("--secret-env", args->secret_env,
                   "Environment variable holding the channel secret");
  return [args, cert] { return cert->parsed() ? certify(*args) : receive(*args); };
}

}  // namespace cxh::cli
