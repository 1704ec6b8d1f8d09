#pragma once

#include <cstdint>
#include <cxh/emulator/config.hpp>
#include <cxh/http/message.hpp>
#include <cxh/http/server.hpp>
#include <cxh/openapi/spec.hpp>
#include <memory>
#include <string>
#include <variant>

namespace cxh::emulator {

namespace detail {
class world;
}

// The emulator as a pure handler: thread-safe; state lives inside it.
class emulator {
 public:
  emulator(config cfg, openapi::spec_set spec);
  ~emulator();
  http::response handle(const http::request& req) const;
  const openapi::spec_set& spec() const;

 private:
  std::shared_ptr<detail::world> world_;
};

// The emulator on a loopback port, in this process: the embedded default target.
class running_emulator {
 public:
  // Starts on opts.address:opts.port (0: ephemeral). Error: a message saying what failed.
  static std::variant<std::unique_ptr<running_emulator>, std::string> start(
      config cfg, http::server_options opts = {});
  ~running_emulator();
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  std::uint16_t port() const;
  std::string certificate_fingerprint() const;  // with TLS: SHA-256 of the served certificate
  void stop();
  const emulator& core() const { return *emulator_; }

 private:
  running_emulator() = default;
  std::shared_ptr<emulator> emulator_;
  std::unique_ptr<http::server> server_;
  bool tls_ = false;
};

}  // namespace cxh::emulator
