#pragma once

#include <chrono>
#include <cstdint>
#include <cxh/http/message.hpp>
#include <functional>
#include <memory>
#include <string>

namespace cxh::http {

struct tls_options {
  bool enabled = false;
  std::string cert_file;     // PEM certificate chain
  std::string key_file;      // PEM private key
  bool self_signed = false;  // generate a throwaway certificate for 127.0.0.1 and localhost
};

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port (read it back with port())
  unsigned threads = 1;
  std::size_t header_limit = 16 * 1024;      // larger: 431 and close
  std::size_t body_limit = 8 * 1024 * 1024;  // larger: 413 and close
  std::size_t max_connections = 10000;       // more: accepted and closed at once
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds max_deferred_wait{300000};  // cap on a held answer (deferred.hpp)
  tls_options tls;
};

// Handlers are pure: a request in, a response out, no socket. They run on the server's threads,
// concurrently, so they must be thread-safe.
using handler = std::function<response(const request&)>;

// An HTTP/1.1 server on Boost.Beast (C++20 coroutines): keep-alive, pipelined requests answered
// in order, limits, graceful stop. Malformed requests get 400 and the connection closes.
class server {
 public:
  server(server_options opts, handler h);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts the threads; returns an empty string, or what went wrong (a port in use,
  // an unreadable certificate...).
  std::string start();
  // With TLS: the SHA-256 fingerprint of the certificate served (hex), for clients to pin.
  std::string certificate_fingerprint() const;
  // Stops accepting, lets requests in flight finish for up to `grace`, then closes everything.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
  std::uint16_t port() const;
  std::size_t connections() const;
  std::uint64_t requests_served() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cxh::http
