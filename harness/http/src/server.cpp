#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <cxh/http/deferred.hpp>
#include <cxh/http/server.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "beast_convert.hpp"
#include "connection_limits.hpp"
#include "response_fields.hpp"
#include "tls_context.hpp"

namespace cxh::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

struct server::impl {
  // The lingering close lasts at most this long (a client still sending a refused body gets
  // it drained at loopback speed; a slow one is cut at the limit).
  static constexpr std::chrono::milliseconds linger_limit{2000};

  server_options opts;
  handler handle;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> active{0};
  std::atomic<std::uint64_t> served{0};
  std::atomic<bool> stopping{false};
  std::mutex sockets_mutex;
  std::set<beast::tcp_stream*> streams;  // open connections, closed on stop
  std::uint16_t bound = 0;
  std::unique_ptr<asio::ssl::context> tls;  // set when serving HTTPS
  std::string fingerprint;
  detail::peer_counts peers;     // open connections per client address
  std::size_t per_peer_cap = 1;  // set by start()

  // A held (deferred) answer: the timer wakes the connection's coroutine on completion, on its
  // cap, when the socket turns readable (the client closed, or pipelined) or when stopping.
  struct long_wait {
    explicit long_wait(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    bool readable = false;
  };
  std::map<long_wait*, std::weak_ptr<long_wait>> waits;  // under sockets_mutex

  // Declared last, so destroyed first: coroutine frames still pending when the server goes (a
  // connection inside an injected delay when stop() gave up waiting) are destroyed with the
  // io_context, and their guards touch the members above.
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};

  impl(server_options o, handler h) : opts(std::move(o)), handle(std::move(h)) {}

  static beast::tcp_stream& lowest(beast::tcp_stream& s) { return s; }
  static beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& s) {
    return beast::get_lowest_layer(s);
  }

  // The only way a response reaches the wire: every header passes response_fields' checks, and
  // one that cannot be sent (a bad name, a field over Beast's 64 KB) makes the answer a 500
  // rather than an exception that would drop the connection without a word.
  static bhttp::response<bhttp::string_body> to_beast(const response& in, unsigned version,
                                                      bool keep_alive) {
    if (auto out = sendable(in, version, keep_alive)) return std::move(*out);
    auto fallback = response::json(
        500,
        "{\"message\":\"the response had a header that cannot be sent (bad name, or over "
        "64 KB)\"}");
    return std::move(*sendable(fallback, version, keep_alive));
  }

  static std::optional<bhttp::response<bhttp::string_body>> sendable(const response& in,
                                                                     unsigned version,
                                                                     bool keep_alive) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
    for (const auto& [name, value] : in.fields.fields()) {
      if (!detail::is_field_name(name) || name.size() > detail::max_response_field_bytes ||
          value.size() > detail::max_response_field_bytes)
        return std::nullopt;
      try {
        out.insert(name, detail::safe_field_value(value));
      } catch (const std::length_error&) {
        return std::nullopt;
      }
    }
    if (!out.count(bhttp::field::server)) out.set(bhttp::field::server, "cxharness-emulator");
    out.body() = in.body;
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
  }

  template <class Stream>
  awaitable<void> write_error(Stream& stream, int status, std::string_view message) {
    response r =
        response::json(status, std::string(R"({"message":")") + std::string(message) + "\"}");
    auto out = to_beast(r, 11, false);
    co_await bhttp::async_write(stream, out, asio::as_tuple(use_awaitable));
  }

  // Sends the body a few bytes at a time (slow-body fault).
  template <class Stream>
  awaitable<void> write_paced(Stream& stream, bhttp::response<bhttp::string_body>& out,
                              std::chrono::milliseconds pace) {
    bhttp::response_serializer<bhttp::string_body> sr{out};
    auto [ec, n] = co_await bhttp::async_write_header(stream, sr, asio::as_tuple(use_awaitable));
    if (ec) co_return;
    const std::string& body = out.body();
    asio::steady_timer timer(lowest(stream).get_executor());
    for (std::size_t i = 0; i < body.size(); i += 16) {
      auto chunk = asio::buffer(body.data() + i, std::min<std::size_t>(16, body.size() - i));
      auto [wec, wn] = co_await asio::async_write(stream, chunk, asio::as_tuple(use_awaitable));
      if (wec) co_return;
      timer.expires_after(pace);
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
    }
  }

  // `slot` holds the connection's place in the per-peer count for as long as the connection lives.
  awaitable<void> session(tcp::socket socket, detail::peer_slot slot) {
    (void)slot;
    if (!tls) {
      beast::tcp_stream stream(std::move(socket));
      co_await serve(stream);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    lowest(stream).expires_after(first_header_deadline());
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(use_awaitable));
    if (ec) {
      --active;  // a failed handshake (plain HTTP to an HTTPS port, a scanner) ends quietly
      co_return;
    }
    co_await serve(stream);
  }

  template <class Stream>
  awaitable<void> serve(Stream& stream) {
    {
      std::lock_guard lock(sockets_mutex);
      streams.insert(&lowest(stream));
    }
    struct untrack {
      impl& self;
      beast::tcp_stream& s;
      bool counted = true;  // a lingering close no longer counts as an active connection
      ~untrack() {
        std::lock_guard lock(self.sockets_mutex);
        self.streams.erase(&s);
        if (counted) --self.active;
      }
    } guard{*this, lowest(stream)};

    beast::flat_buffer buffer;
    asio::steady_timer timer(lowest(stream).get_executor());
    bool first_request = true;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
      parser.body_limit(opts.body_limit);
      auto [ec, n] = co_await read_request(stream, buffer, parser, first_request);
      first_request = false;
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) break;
      if (ec == bhttp::error::body_limit) {
        co_await write_error(stream, 413, "request body too large");
        break;
      }
      if (ec == bhttp::error::header_limit) {
        co_await write_error(stream, 431, "request header fields too large");
        break;
      }
      if (ec) {
        // A parse error gets an answer; a dropped or timed-out connection does not.
        if (ec.category() == make_error_code(bhttp::error::bad_method).category() ||
            ec == bhttp::error::partial_message)
          co_await write_error(stream, 400, "malformed HTTP request");
        break;
      }
      auto& in = parser.get();
      bool keep_alive = in.keep_alive();
      request req = detail::from_beast(in);
      req.remote = remote_of(lowest(stream));
      response res;
      try {
        res = handle(req);
      } catch (const std::exception&) {
        res = response::json(500, R"({"message":"internal emulator error"})");
      }
      if (res.later) {
        auto later = std::move(res.later);
        auto held = co_await await_deferred(lowest(stream), std::move(later));
        if (!held) break;
        res = std::move(*held);
        res.later.reset();
      }
      ++served;
      if (res.delay.count() > 0) {
        timer.expires_after(res.delay);
        co_await timer.async_wait(asio::as_tuple(use_awaitable));
      }
      if (res.fault == connection_fault::reset_before_response) {
        beast::error_code ignored;
        lowest(stream).socket().set_option(asio::socket_base::linger(true, 0), ignored);
        lowest(stream).socket().close(ignored);
        co_return;
      }
      if (res.fault == connection_fault::stall_forever) {
        lowest(stream).expires_never();
        timer.expires_after(std::chrono::hours(24));
        co_await timer.async_wait(asio::as_tuple(use_awaitable));
        co_return;
      }
      if (res.fault == connection_fault::close_after_response) keep_alive = false;
      auto out = to_beast(res, in.version(), keep_alive && !stopping);
      lowest(stream).expires_after(opts.idle_timeout);
      if (res.body_pace.count() > 0) {
        co_await write_paced(stream, out, res.body_pace);
      } else {
        auto [wec, wn] = co_await bhttp::async_write(stream, out, asio::as_tuple(use_awaitable));
        if (wec) break;
      }
      if (!out.keep_alive()) break;
    }
    guard.counted = false;
    --active;
    co_await linger_close(lowest(stream));
  }

  // RFC 9112 9.6: close in two steps. After our FIN, read (and drop) what the client still
  // sends, until it closes too or for a moment: a close with unread bytes in the socket sends a
  // reset, and a reset can destroy our last answer at the client before it reads it (a 413
  // after a body we did not read, a 400 before the rest of a pipelined burst).
  awaitable<void> linger_close(beast::tcp_stream& s) {
    beast::error_code ignored;
    s.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (!s.socket().is_open() || stopping) co_return;
    s.expires_after(std::min<std::chrono::milliseconds>(opts.idle_timeout, linger_limit));
    std::array<char, 16384> sink;
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
      if (ec) break;
    }
  }

  std::chrono::milliseconds first_header_deadline() const {
    return std::min(opts.header_timeout, opts.idle_timeout);
  }

  // Reads one request as bhttp::async_read would, with the header timeout on top: a new
  // connection has first_header_deadline() for its whole header; a keep-alive connection waits up
  // to idle_timeout for the next request's first byte, then has header_timeout for the header.
  // The body then has idle_timeout.
  template <class Stream>
  awaitable<std::tuple<beast::error_code, std::size_t>> read_request(
      Stream& stream, beast::flat_buffer& buffer, bhttp::request_parser<bhttp::string_body>& parser,
      bool first) {
    if (!first && buffer.size() == 0) {
      lowest(stream).expires_after(opts.idle_timeout);
      auto [ec, n] =
          co_await stream.async_read_some(buffer.prepare(4096), asio::as_tuple(use_awaitable));
      if (ec) co_return std::tuple{ec, n};  // eof here: the client ended the keep-alive
      buffer.commit(n);
    }
    lowest(stream).expires_after(first ? first_header_deadline() : opts.header_timeout);
    auto [hec, hn] =
        co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(use_awaitable));
    if (hec) co_return std::tuple{hec, hn};
    lowest(stream).expires_after(opts.idle_timeout);
    auto [bec, bn] =
        co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
    co_return std::tuple{bec, hn + bn};
  }

  // Waits for a deferred answer; nullopt when it was abandoned (client gone, server stopping).
  awaitable<std::optional<response>> await_deferred(beast::tcp_stream& s,
                                                    std::shared_ptr<deferred> d) {
    auto ex = s.get_executor();
    auto w = std::make_shared<long_wait>(ex);
    w->timer.expires_after(std::min(d->max_wait(), opts.max_deferred_wait));
    {
      std::lock_guard lock(sockets_mutex);
      waits[w.get()] = w;
    }
    // However this frame ends (even destroyed unresumed when the io_context goes), the
    // deferred no longer points at this connection's executor.
    struct release {
      std::shared_ptr<deferred> d;
      ~release() {
        d->clear_wake();
        d->abandon();
      }
    } released{d};
    d->on_resolved([w, ex] { asio::post(ex, [w] { w->timer.cancel(); }); });
    auto watch = [&] {
      s.socket().async_wait(tcp::socket::wait_read, [w](beast::error_code ec) {
        if (ec) return;
        w->readable = true;
        w->timer.cancel();
      });
    };
    watch();
    bool watching = true;
    std::optional<response> result;
    for (;;) {
      auto [ec] = co_await w->timer.async_wait(asio::as_tuple(use_awaitable));
      if (d->current() == deferred::state::completed) {
        result = d->take();
        break;
      }
      if (stopping) {
        d->abandon();
        break;
      }
      if (w->readable && watching) {
        w->readable = false;
        // Never blocking: a readiness report can be spurious, and a blocked peek would hold
        // this thread (and every connection it serves). Asio's own receive() is no good here:
        // on a socket it drives asynchronously it turns EWOULDBLOCK into a poll() that waits.
        char c;
        auto n = ::recv(s.socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
          watch();  // spurious: keep watching for the client leaving
          continue;
        }
        watching = false;
        if (n <= 0) {  // the client went away (or the socket failed): nobody to answer
          d->abandon();
          break;
        }
        continue;  // a pipelined request: it waits its turn
      }
      if (!ec) {
        result = d->time_out();
        break;
      }
    }
    if (watching) {
      beast::error_code ignored;
      s.socket().cancel(ignored);
    }
    std::lock_guard lock(sockets_mutex);
    waits.erase(w.get());
    co_return result;
  }

  static std::string remote_of(beast::tcp_stream& s) {
    beast::error_code ec;
    auto ep = s.socket().remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  awaitable<void> accept_loop() {
    asio::steady_timer backoff(acceptor.get_executor());
    std::chrono::milliseconds pause{0};
    while (!stopping) {
      auto [ec, socket] =
          co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        // EMFILE, ENFILE, ENOBUFS, ENOMEM...: the listening socket stays readable, so retrying
        // at once would spin. Wait (5 ms doubling to 500 ms), serving the connections we have.
        pause = std::clamp(pause * 2, std::chrono::milliseconds(5), std::chrono::milliseconds(500));
        backoff.expires_after(pause);
        co_await backoff.async_wait(asio::as_tuple(use_awaitable));
        continue;
      }
      pause = std::chrono::milliseconds(0);
      admit(std::move(socket));
    }
  }

  // A new connection is served, or closed at once when the server or its peer's share is full.
  void admit(tcp::socket socket) {
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    std::string key = ec ? std::string() : detail::peer_key(peer.address());
    if (ec || active >= opts.max_connections || !peers.try_acquire(key, per_peer_cap)) {
      beast::error_code ignored;
      socket.close(ignored);
      return;
    }
    detail::peer_slot slot(peers, std::move(key));
    ++active;
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket), std::move(slot)), asio::detached);
  }
};

server::server(server_options opts, handler h)
    : impl_(std::make_unique<impl>(std::move(opts), std::move(h))) {}

server::~server() {
  stop(std::chrono::milliseconds(0));
}

std::string server::start() {
  auto& i = *impl_;
  if (i.opts.tls.enabled) {
    i.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    if (auto err = detail::make_server_context(i.opts.tls, *i.tls, i.fingerprint); !err.empty())
      return err;
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(i.opts.address, ec);
  if (ec) return "invalid listen address '" + i.opts.address + "'";
  tcp::endpoint ep{address, i.opts.port};
  i.acceptor.open(ep.protocol(), ec);
  if (!ec) i.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(ep, ec);
  if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " + i.opts.address + ":" + std::to_string(i.opts.port) + ": " +
           ec.message();
  i.bound = i.acceptor.local_endpoint().port();
  i.opts.max_connections = detail::clamp_to_descriptor_limit(i.opts.max_connections);
  i.per_peer_cap =
      detail::effective_per_peer_cap(i.opts.max_connections_per_peer, i.opts.max_connections);
  asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
  unsigned n = std::max(1u, i.opts.threads);
  for (unsigned t = 0; t < n; ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
  return "";
}

void server::stop(std::chrono::milliseconds grace) {
  auto& i = *impl_;
  if (i.threads.empty()) return;
  i.stopping = true;
  asio::post(i.ioc, [&i] {
    beast::error_code ignored;
    i.acceptor.close(ignored);
  });
  {
    // Held answers end now: they would otherwise keep their connections for the whole grace.
    std::lock_guard lock(i.sockets_mutex);
    for (auto& [raw, weak] : i.waits) {
      if (auto w = weak.lock()) asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
    }
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (i.active > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    std::lock_guard lock(i.sockets_mutex);
    for (auto* s : i.streams) {
      // The stream may end before this runs; it is closed only if it is still open.
      asio::post(s->get_executor(), [&i, s] {
        std::lock_guard inner(i.sockets_mutex);
        if (!i.streams.count(s)) return;
        beast::error_code ignored;
        s->socket().close(ignored);
      });
    }
  }
  auto drain = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (i.active > 0 && std::chrono::steady_clock::now() < drain)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  i.ioc.stop();
  for (auto& t : i.threads) t.join();
  i.threads.clear();
}

std::uint16_t server::port() const {
  return impl_->bound;
}
std::size_t server::connections() const {
  return impl_->active;
}
std::size_t server::max_connections() const {
  return impl_->opts.max_connections;
}
std::size_t server::max_connections_per_peer() const {
  return impl_->per_peer_cap;
}
std::uint64_t server::requests_served() const {
  return impl_->served;
}
std::string server::certificate_fingerprint() const {
  return impl_->fingerprint;
}

}  // namespace cxh::http
