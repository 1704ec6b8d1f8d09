#pragma once
// An HTTP/1.1 client on Boost.Beast: a keep-alive connection pool per origin, TLS with certificate
// verification on by default (system trust store or a CA file) and SNI, connect/TLS/request
// timeouts, header and body limits. Every failure is a value (error_phase + message), never an
// exception or a crash, whatever bytes the peer sends.
#include <chrono>
#include <cstdint>
#include <cxh/http/message.hpp>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cxh::http {

struct client_options {
  std::chrono::milliseconds connect_timeout{5000};   // resolve + TCP connect
  std::chrono::milliseconds tls_timeout{5000};       // TLS handshake
  std::chrono::milliseconds request_timeout{30000};  // write request .. last body byte
  std::size_t header_limit = 64 * 1024;
  std::size_t body_limit = 16 * 1024 * 1024;
  bool verify_tls = true;                // false: --insecure
  std::string ca_file;                   // PEM bundle; empty: the system trust store
  std::size_t max_idle_per_origin = 16;  // idle keep-alive connections kept per scheme://host:port
  std::string user_agent = "cxharness/0.1";
  unsigned threads = 1;  // io threads of the client
};

// Where a request failed; `none` when a response (of any status) was read.
enum class error_phase { none, url, resolve, connect, tls, write, read, timeout, limit, protocol };
std::string_view to_string(error_phase p);

struct client_request {
  std::string method = "GET";
  std::string url;  // absolute: http[s]://host[:port]/path?query
  headers fields;   // Host, User-Agent and Content-Length are added when absent
  std::string body;
  std::optional<std::chrono::milliseconds> timeout;  // overrides request_timeout
};

struct client_response {
  int status = 0;
  std::string reason;
  headers fields;
  std::string body;
};

struct outcome {
  error_phase phase = error_phase::none;
  std::string error;  // what went wrong, for people; empty when ok
  std::optional<client_response> response;
  std::chrono::nanoseconds elapsed{0};  // from the call to the last byte (or the failure)
  bool reused_connection = false;
  bool ok() const { return phase == error_phase::none && response.has_value(); }
};

struct parsed_url {
  std::string scheme;  // http or https
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  std::string target;          // path and query, at least "/"
  std::string origin() const;  // scheme://host:port
};
// nullopt and a message in `why` when the URL is not an absolute http(s) URL.
std::optional<parsed_url> parse_url(std::string_view url, std::string* why = nullptr);

class client {
 public:
  explicit client(client_options opts = {});
  ~client();  // cancels what is in flight (their callbacks get error_phase::read/timeout)
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Blocking; callable from any thread except the client's own io threads.
  outcome send(client_request req);
  // Asynchronous; `done` runs on one of the client's io threads.
  void send_async(client_request req, std::function<void(outcome)> done);
  std::future<outcome> send_future(client_request req);

  // Drops idle pooled connections (for example after a target restart).
  void close_idle();
  // Statistics, for tests and reports.
  std::uint64_t connections_opened() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace cxh::http
