#include "client_connection.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <string>

namespace cxh::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

outcome failure(error_phase phase, std::string message) {
  outcome o;
  o.phase = phase;
  o.error = std::move(message);
  return o;
}

std::string ms(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string tls_failure_reason(beast::error_code ec, SSL* ssl) {
  std::string why = ec.message();
  long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verify != X509_V_OK) {
    why += " (certificate: ";
    why += X509_verify_cert_error_string(verify);
    why += "; use --ca FILE to trust it, or --insecure)";
  }
  return why;
}

template <class Stream>
awaitable<exchange_result> exchange_on(Stream& stream, beast::tcp_stream& lowest, connection& c,
                                       const parsed_url& url, const client_request& req,
                                       const client_options& opts,
                                       std::chrono::milliseconds timeout) {
  exchange_result r;
  bhttp::request<bhttp::string_body> msg;
  msg.version(11);
  msg.target(url.target);
  bhttp::verb verb = bhttp::string_to_verb(req.method);
  if (verb == bhttp::verb::unknown) {
    msg.method_string(req.method);
  } else {
    msg.method(verb);
  }
  for (const auto& [name, value] : req.fields.fields()) {
    msg.insert(name, value);
  }
  if (!req.fields.has("Host")) {
    bool default_port =
        (url.scheme == "http" && url.port == 80) || (url.scheme == "https" && url.port == 443);
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    msg.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(url.port));
  }
  if (!req.fields.has("User-Agent")) msg.set(bhttp::field::user_agent, opts.user_agent);
  msg.body() = req.body;
  if (!req.fields.has("Content-Length") && !req.fields.has("Transfer-Encoding")) {
    msg.prepare_payload();
  }

  lowest.expires_after(timeout);
  auto [write_error, written] = co_await bhttp::async_write(stream, msg, tuple_awaitable);
  (void)written;
  if (write_error) {
    r.stale = true;
    r.out = write_error == beast::error::timeout
                ? failure(error_phase::timeout, "write: not sent within " + ms(timeout))
                : failure(error_phase::write, "write: " + write_error.message());
    co_return r;
  }

  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
  parser.body_limit(opts.body_limit);
  if (verb == bhttp::verb::head) parser.skip(true);
  auto [read_error, read] = co_await bhttp::async_read(stream, c.buffer, parser, tuple_awaitable);
  (void)read;
  if (read_error) {
    r.stale = !parser.got_some() &&
              (read_error == bhttp::error::end_of_stream ||
               read_error == asio::error::connection_reset || read_error == asio::error::eof);
    if (read_error == beast::error::timeout) {
      r.out = failure(error_phase::timeout, "read: no complete response within " + ms(timeout));
    } else if (read_error == bhttp::error::body_limit) {
      r.out = failure(error_phase::limit, "read: body larger than the limit of " +
                                              std::to_string(opts.body_limit) + " bytes");
    } else if (read_error == bhttp::error::header_limit) {
      r.out = failure(error_phase::limit, "read: header larger than the limit of " +
                                              std::to_string(opts.header_limit) + " bytes");
    } else if (read_error == bhttp::error::end_of_stream || read_error == asio::error::eof ||
               read_error == bhttp::error::partial_message) {
      r.out = failure(error_phase::read, "read: the connection closed before a complete response");
    } else if (read_error.category() ==
               bhttp::make_error_code(bhttp::error::bad_version).category()) {
      r.out = failure(error_phase::protocol, "read: malformed response: " + read_error.message());
    } else {
      r.out = failure(error_phase::read, "read: " + read_error.message());
    }
    co_return r;
  }
  lowest.expires_never();
  auto& res = parser.get();
  client_response out;
  out.status = static_cast<int>(res.result_int());
  out.reason = std::string(res.reason());
  for (const auto& field : res)
    out.fields.add(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(res.body());
  // Extra bytes after a complete response would be read as the next one: never reuse then.
  r.keep_alive = res.keep_alive() && !res.need_eof() && c.buffer.size() == 0;
  r.out.response = std::move(out);
  co_return r;
}

}  // namespace

std::string configure_client_tls(asio::ssl::context& ctx, const client_options& opts) {
  beast::error_code ec;
  ctx.set_verify_mode(opts.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none, ec);
  if (!opts.ca_file.empty()) {
    ctx.load_verify_file(opts.ca_file, ec);
    if (ec) return "cannot use CA file '" + opts.ca_file + "': " + ec.message();
  } else {
    ctx.set_default_verify_paths(ec);
    if (ec) return "cannot load the system trust store: " + ec.message();
  }
  return "";
}

awaitable<outcome> open(connection& c, const parsed_url& url, const client_options& opts,
                        asio::ssl::context& tls) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  asio::steady_timer timer(ex);
  timer.expires_after(opts.connect_timeout);
  auto resolved =
      co_await (resolver.async_resolve(url.host, std::to_string(url.port), tuple_awaitable) ||
                timer.async_wait(tuple_awaitable));
  if (resolved.index() == 1) {
    co_return failure(error_phase::timeout,
                      "resolve: " + url.host + " not resolved within " + ms(opts.connect_timeout));
  }
  auto [resolve_error, endpoints] = std::get<0>(resolved);
  if (resolve_error) {
    co_return failure(error_phase::resolve, "resolve " + url.host + ": " + resolve_error.message());
  }

  const bool https = url.scheme == "https";
  if (https) {
    c.tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex, tls);
  } else {
    c.plain = std::make_unique<beast::tcp_stream>(ex);
  }
  beast::tcp_stream& lowest = https ? beast::get_lowest_layer(*c.tls) : *c.plain;
  lowest.expires_after(opts.connect_timeout);
  auto [connect_error, endpoint] = co_await lowest.async_connect(endpoints, tuple_awaitable);
  (void)endpoint;
  const std::string where = url.host + ":" + std::to_string(url.port);
  if (connect_error == beast::error::timeout) {
    co_return failure(error_phase::timeout,
                      "connect: " + where + " did not accept within " + ms(opts.connect_timeout));
  }
  if (connect_error) {
    co_return failure(error_phase::connect, "connect to " + where + ": " + connect_error.message());
  }
  beast::error_code ignored;
  lowest.socket().set_option(tcp::no_delay(true), ignored);
  if (!https) co_return outcome{};

  if (!is_ip_literal(url.host)) SSL_set_tlsext_host_name(c.tls->native_handle(), url.host.c_str());
  if (opts.verify_tls) c.tls->set_verify_callback(asio::ssl::host_name_verification(url.host));
  lowest.expires_after(opts.tls_timeout);
  auto [handshake_error] =
      co_await c.tls->async_handshake(asio::ssl::stream_base::client, tuple_awaitable);
  if (handshake_error == beast::error::timeout) {
    co_return failure(error_phase::timeout,
                      "tls: handshake with " + where + " not done within " + ms(opts.tls_timeout));
  }
  if (handshake_error) {
    co_return failure(error_phase::tls,
                      "tls: handshake with " + where + ": " +
                          tls_failure_reason(handshake_error, c.tls->native_handle()));
  }
  lowest.expires_never();
  co_return outcome{};
}

awaitable<exchange_result> exchange(connection& c, const parsed_url& url, const client_request& req,
                                    const client_options& opts, std::chrono::milliseconds timeout) {
  if (c.tls) {
    co_return co_await exchange_on(*c.tls, beast::get_lowest_layer(*c.tls), c, url, req, opts,
                                   timeout);
  }
  co_return co_await exchange_on(*c.plain, *c.plain, c, url, req, opts, timeout);
}

}  // namespace cxh::http::detail
