// cxharness emulate: the emulator as a server, until SIGINT or SIGTERM.

#include <csignal>
#include <cstdlib>
#include <cxh/core/exit_code.hpp>
#include <cxh/emulator/emulator.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "json_input.hpp"

namespace cxh::cli {

namespace {

struct emulate_args {
  std::string listen = "127.0.0.1:8080";
  unsigned threads = 0;
  std::string config_path;
  std::uint64_t seed = 0;
  bool admin = false;
  std::string admin_token_env;
  std::string reading;
  bool tls = false;
  std::string cert, key;
  bool tls_self_signed = false;
};

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

// The admin endpoints change what the emulator answers: off loopback they need a bearer token
// (read from the environment, never from the command line where `ps` shows it). Returns the
// exit code when the emulator must not start.
std::optional<int> apply_admin_token(const emulate_args& a, const std::string& address,
                                     emulator::config& cfg) {
  if (!a.admin_token_env.empty()) {
    const char* value = std::getenv(a.admin_token_env.c_str());
    if (!value || !*value) {
      std::cerr << "cxharness emulate: --admin-token-env: the environment variable '"
                << a.admin_token_env << "' is not set or empty\n";
      return to_int(exit_code::usage_error);
    }
    cfg.admin_token = value;
  }
  if (cfg.admin && cfg.admin_token.empty() && !http::is_loopback_address(address)) {
    std::cerr << "cxharness emulate: --admin on the non-loopback address " << address
              << " needs an admin token (--admin-token-env NAME, or admin_token in --config): "
                 "anyone who reaches the port could change the fault rules\n";
    return to_int(exit_code::usage_error);
  }
  return std::nullopt;
}

int run(const emulate_args& a) {
  emulator::config cfg;
  if (!a.config_path.empty()) {
    auto doc = read_json_file(a.config_path);
    if (auto* d = std::get_if<diagnostic>(&doc)) {
      std::cerr << to_string(*d) << "\n";
      return to_int(exit_code::usage_error);
    }
    auto parsed = emulator::parse_config(std::get<nlohmann::json>(doc), a.config_path);
    if (auto* p = std::get_if<diagnostics>(&parsed)) {
      for (auto& d : *p) std::cerr << to_string(d) << "\n";
      return to_int(exit_code::usage_error);
    }
    cfg = std::get<emulator::config>(parsed);
  }
  if (a.seed) cfg.seed = a.seed;
  if (a.admin) cfg.admin = true;
  if (!a.reading.empty()) cfg.reading = *emulator::page_reading_from_name(a.reading);
  http::server_options opts;
  auto colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "cxharness emulate: --listen takes ADDRESS:PORT, got '" << a.listen << "'\n";
    return to_int(exit_code::usage_error);
  }
  opts.address = a.listen.substr(0, colon);
  if (opts.address.size() > 2 && opts.address.front() == '[')
    opts.address = opts.address.substr(1, opts.address.size() - 2);
  try {
    int port = std::stoi(a.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    opts.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    std::cerr << "cxharness emulate: bad port in --listen '" << a.listen << "'\n";
    return to_int(exit_code::usage_error);
  }
  if (auto refused = apply_admin_token(a, opts.address, cfg)) return *refused;
  opts.threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  if (a.tls && !a.tls_self_signed && (a.cert.empty() || a.key.empty())) {
    std::cerr << "cxharness emulate: --tls needs --cert and --key (or use --tls-self-signed)\n";
    return to_int(exit_code::usage_error);
  }
  opts.tls.enabled = a.tls || a.tls_self_signed;
  opts.tls.self_signed = a.tls_self_signed;
  opts.tls.cert_file = a.cert;
  opts.tls.key_file = a.key;
  auto started = emulator::running_emulator::start(cfg, opts);
  if (auto* err = std::get_if<std::string>(&started)) {
    std::cerr << "cxharness emulate: " << *err << "\n";
    return to_int(exit_code::harness_error);
  }
  auto& em = *std::get<std::unique_ptr<emulator::running_emulator>>(started);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::cout << "cxharness emulator listening on " << (opts.tls.enabled ? "https://" : "http://")
            << opts.address << ":" << em.port() << " (" << opts.threads << " threads, "
            << em.core().spec().operations().size() << " operations); Ctrl-C stops it" << std::endl;
  if (opts.tls.enabled)
    std::cout << "certificate SHA-256 fingerprint " << em.certificate_fingerprint() << std::endl;
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cout << "stopping: finishing requests in flight" << std::endl;
  em.stop();
  return 0;
}

}  // namespace

runner add_emulate_command(CLI::App& app) {
  auto args = std::make_shared<emulate_args>();
  auto* cmd = app.add_subcommand("emulate", "Run the emulator of the documented APIs");
  cmd->add_option("--listen", args->listen, "ADDRESS:PORT to listen on (port 0: any free port)");
  cmd->add_option("--threads", args->threads, "Server threads (default: one per core)");
  cmd->add_option("--config", args->config_path,
                  "Emulator config (JSON): api_keys, users, clients, channel_secrets, ...")
      ->check(CLI::ExistingFile);
  cmd->add_option("--seed", args->seed, "Seed for ids and generated values");
  cmd->add_option("--reading", args->reading,
                  "Where the pages are silent or ambiguous, implement the primary reading "
                  "(default) or the alternate one (schemas' x-decision alternate_reading)")
      ->check(CLI::IsMember({"primary", "alternate"}));
  cmd->add_flag("--tls", args->tls, "Serve HTTPS with --cert and --key");
  cmd->add_option("--cert", args->cert, "PEM certificate chain for --tls")
      ->check(CLI::ExistingFile);
  cmd->add_option("--key", args->key, "PEM private key for --tls")->check(CLI::ExistingFile);
  cmd->add_flag("--tls-self-signed", args->tls_self_signed,
                "Serve HTTPS with a fresh self-signed certificate for localhost and 127.0.0.1");
  cmd->add_flag(
      "--admin", args->admin,
      "Serve /__cxh/admin/faults to change fault rules at run time (harness/emulator/FAULTS.md)");
  cmd->add_option("--admin-token-env", args->admin_token_env,
                  "Environment variable holding the admin token: /__cxh/ calls must then send "
                  "Authorization: Bearer TOKEN (required for --admin off loopback)");
  cmd->footer(
      "Built-in credentials (no --config): x-api-key demo-api-key; user agent1 / agent1-password\n"
      "(Basic on /api/v2, password grant on /auth/v3); OAuth client demo-client /\n"
      "demo-client-secret; channel demo-channel with secret demo-channel-secret.");
  return [args] { return run(*args); };
}

}  // namespace cxh::cli
