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
  // More: accepted and closed at once. Lowered at start() to what RLIMIT_NOFILE allows (less
  // headroom for other descriptors), so accept() does not run out of descriptors first.
  std::size_t max_connections = 10000;
  // Open connections from one client address (an IPv6 /64) beyond which it is accepted and closed
  // at once, so one client cannot take every slot. 0: nine tenths of max_connections (a load run
  // or a thousand long polls from 127.0.0.1 still fit).
  std::size_t max_connections_per_peer = 0;
  std::chrono::milliseconds idle_timeout{30000};  // waiting for a request, or writing an answer
  // From a new connection (or the TLS handshake) to a request's complete header, and from the
  // first byte of a later request on a keep-alive connection to its complete header: a client
  // that sends nothing or dribbles its header is closed then. Never longer than idle_timeout for
  // a new connection.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds max_deferred_wait{300000};  // cap on a held answer (deferred.hpp)
  tls_options tls;
};

// Handlers are pure: a request in, a response out, no socket. They run on the server's threads,
// concurrently, so they must be thread-safe.
using handler = std::function<response(const request&)>;

// Whether a listen address is a loopback one (127.0.0.0/8, ::1, ::ffff:127.x.y.z); false for an
// address that does not parse.
bool is_loopback_address(const std::string& address);

// An HTTP/1.1 server on Boost.Beast (C++20 coroutines): keep-alive, pipelined requests answered
// in order, limits, graceful stop. Malformed requests get 400 and the connection closes. Every
// response header is checked on the way out: control characters in values become spaces, and a
// name that is not a token or a field too large to send turns the answer into a 500.
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
  // The limits in effect after start() (max_connections as clamped to the descriptor limit).
  std::size_t max_connections() const;
  std::size_t max_connections_per_peer() const;
  std::uint64_t requests_served() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cxh::http
