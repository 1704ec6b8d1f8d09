#pragma once
// One client connection (plain or TLS) and the coroutines that open it and run one exchange on
// it. Internal to cxh::http's client.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <cxh/http/client.hpp>
#include <memory>
#include <string>

namespace cxh::http::detail {

struct connection {
  std::string origin;
  std::unique_ptr<boost::beast::tcp_stream> plain;
  std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
  boost::beast::flat_buffer buffer;
};

struct exchange_result {
  outcome out;
  bool keep_alive = false;  // the connection may serve another request
  bool stale = false;       // failed before any response byte: a retry on a new connection is safe
};

// Verification on unless opts.verify_tls is false; trust from opts.ca_file or the system store.
// Returns "" or what went wrong (an unreadable CA file).
std::string configure_client_tls(boost::asio::ssl::context& ctx, const client_options& opts);

// Resolves, connects and (for https) handshakes with SNI and host-name verification.
boost::asio::awaitable<outcome> open(connection& c, const parsed_url& url,
                                     const client_options& opts, boost::asio::ssl::context& tls);

boost::asio::awaitable<exchange_result> exchange(connection& c, const parsed_url& url,
                                                 const client_request& req,
                                                 const client_options& opts,
                                                 std::chrono::milliseconds timeout);

}  // namespace cxh::http::detail
