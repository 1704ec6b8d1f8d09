// The per-connection request driver (connection.hpp).

#include "connection.hpp"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>

#include "checks.hpp"

namespace cxh::load::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

std::int64_t micros(clock::duration d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return std::clamp<std::int64_t>(us, 0, 3'600'000'000);
}

double ms(clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// RFC 9110 9.2.2: the methods a client may send again after a connection failure.
bool idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS" || method == "TRACE";
}

// The peer ended the connection (orderly or not) rather than sending something else.
bool is_close(const boost::system::error_code& ec) {
  namespace bhttp = beast::http;
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == asio::ssl::error::stream_truncated || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor;
}

// Up to 100 printable characters of the first line of `bytes`.
std::string first_line_of(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 100)) {
    if (c == '\r' || c == '\n') break;
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", u);
      out += b;
    }
  }
  return out;
}

}  // namespace

connection::connection(worker& w, unsigned vu) : w_(w), vu_(vu) {}

void connection::close() {
  if (!open_ && !plain_ && !tls_) return;
  boost::system::error_code ignored;
  if (tls_) tls_->lowest_layer().close(ignored);
  if (plain_) plain_->close(ignored);
  open_ = false;
}

void connection::abort_timeout() {
  timed_out_ = true;
  boost::system::error_code ignored;
  if (tls_) tls_->lowest_layer().close(ignored);
  if (plain_) plain_->close(ignored);
}

void connection::connect_then(std::function<void()> next) {
  const auto& sh = w_.shared();
  buf_.clear();
  tcp::socket* sock;
  if (sh.tls) {
    plain_.reset();
    tls_.emplace(w_.io(), *sh.tls);
    sock = &tls_->next_layer();
  } else {
    plain_.emplace(w_.io());
    sock = &*plain_;
  }
  asio::async_connect(
      *sock, sh.endpoints, [this, sock, next](boost::system::error_code ec, const tcp::endpoint&) {
        if (ec) return fail(timed_out_ ? error_phase::timeout : error_phase::connect, ec);
        boost::system::error_code ignored;
        sock->set_option(tcp::no_delay(true), ignored);
        if (!tls_) {
          mark_open();
          return next();
        }
        const auto& host = w_.shared().host;
        SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
        tls_->set_verify_callback(asio::ssl::host_name_verification(host));
        tls_->async_handshake(
            asio::ssl::stream_base::client, [this, next](boost::system::error_code hec) {
              if (hec) return fail(timed_out_ ? error_phase::timeout : error_phase::tls, hec);
              mark_open();
              next();
            });
      });
}

void connection::open(std::function<void(bool)> done) {
  // Used before the start only: failures are not statistics, just a count.
  const auto& sh = w_.shared();
  buf_.clear();
  tcp::socket* sock;
  if (sh.tls) {
    tls_.emplace(w_.io(), *sh.tls);
    sock = &tls_->next_layer();
  } else {
    plain_.emplace(w_.io());
    sock = &*plain_;
  }
  asio::async_connect(*sock, sh.endpoints,
                      [this, sock, done](boost::system::error_code ec, const tcp::endpoint&) {
                        if (ec) {
                          close();
                          return done(false);
                        }
                        boost::system::error_code ignored;
                        sock->set_option(tcp::no_delay(true), ignored);
                        if (!tls_) {
                          mark_open();
                          return done(true);
                        }
                        const auto& host = w_.shared().host;
                        SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
                        tls_->set_verify_callback(asio::ssl::host_name_verification(host));
                        tls_->async_handshake(asio::ssl::stream_base::client,
                                              [this, done](boost::system::error_code h) {
                                                if (h) {
                                                  close();
                                                  return done(false);
                                                }
                                                mark_open();
                                                done(true);
                                              });
                      });
}

void connection::mark_open() {
  open_ = true;
  opened_at_ = last_done_ = clock::now();
  answered_ = 0;
}

// A keep-alive connection the peer closed while it sat idle (its FIN or reset is already
// queued), found without blocking before the connection is reused. Bytes waiting on an idle
// plain connection cannot belong to the next request either; on TLS they may be session
// tickets, so only a close counts there.
bool connection::peer_closed_while_idle() {
  auto fd = tls_ ? tls_->lowest_layer().native_handle() : plain_->native_handle();
  char c;
  auto n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
  return n == 0 || !tls_;
}

void connection::start_flow(clock::time_point intended, const prepared_flow& f, std::uint64_t seq) {
  busy_ = true;
  flow_ = &f;
  step_ = 0;
  intended_ = intended;
  seq_ = seq;
  vars_.clear();
  begin_step();
}

void connection::begin_step() {
  const auto& s = flow_->steps[step_];
  sent_ = clock::now();
  timed_out_ = false;
  w_.stats().ops[s.index].sent++;
  if (!s.static_bytes.empty()) {
    wire_ = &s.static_bytes;
  } else {
    render_context ctx{seq_, vu_, &w_.rng(), &vars_};
    std::string missing;
    render_request(*w_.shared().pl, s, ctx, out_, &missing);
    if (!missing.empty()) {
      // A variable an earlier step should have captured: a check failure, nothing is sent. The
      // hand-back is posted so that a burst of such failures cannot recurse.
      record(status_class::error, sent_);
      auto& op = w_.stats().ops[s.index];
      op.errors[static_cast<std::size_t>(error_phase::check)]++;
      op.failed++;
      busy_ = false;
      asio::post(w_.io(), [this] { w_.on_free(this); });
      return;
    }
    wire_ = &out_;
  }
  retrying_ = false;
  answered_before_ = 0;  // until written (a failed connect has no history)
  idle_before_ = {};
  last_bytes_ = 0;
  parser_.reset();
  if (open_ && peer_closed_while_idle()) {
    close();
    w_.stats().closed_idle++;
  }
  if (open_)
    write();
  else
    connect_then([this] { write(); });
}

void connection::write() {
  answered_before_ = answered_;
  idle_before_ = std::max<clock::duration>(sent_ - last_done_, clock::duration::zero());
  last_bytes_ = 0;
  parser_.reset();
  with_stream([this](auto& stream) {
    asio::async_write(stream, asio::buffer(*wire_),
                      [this](boost::system::error_code ec, std::size_t) {
                        if (timed_out_) return fail(error_phase::timeout, ec);
                        if (ec && !retry_on_fresh_connection(error_phase::write))
                          return fail(error_phase::write, ec);
                        if (!ec) read();
                      });
  });
}

void connection::read() {
  const auto& s = flow_->steps[step_];
  parser_.emplace();
  parser_->header_limit(64 * 1024);
  parser_->body_limit(64ull << 20);
  body_.clear();
  parser_->keep = s.needs_body ? &body_ : nullptr;
  with_stream([this](auto& stream) {
    beast::http::async_read(stream, buf_, *parser_,
                            [this](boost::system::error_code ec, std::size_t n) {
                              last_bytes_ = n;
                              if (ec) return on_read_error(ec);
                              on_response();
                            });
  });
}

void connection::on_read_error(boost::system::error_code ec) {
  if (timed_out_) return fail(error_phase::timeout, ec);
  last_bytes_ += buf_.size();
  bool any_byte = parser_->got_some() || buf_.size() > 0;
  if (!is_close(ec)) return fail(error_phase::parse, ec);
  if (any_byte) return fail(error_phase::closed_mid_response, ec);
  if (retry_on_fresh_connection(error_phase::closed_before_response)) return;
  fail(error_phase::closed_before_response, ec);
}

// The peer closed a reused connection before any byte of the answer: the request may not have
// been seen, and an idempotent one is sent again once, on a new connection. The latency keeps
// counting from the first attempt.
bool connection::retry_on_fresh_connection(error_phase phase) {
  const auto& s = flow_->steps[step_];
  bool reused = answered_before_ > 0;
  if (retrying_ || !reused || !idempotent(s.method) ||
      (phase != error_phase::closed_before_response && phase != error_phase::write))
    return false;
  retrying_ = true;
  w_.stats().ops[s.index].retried++;
  close();
  connect_then([this] { write(); });
  return true;
}

void connection::on_response() {
  auto done = clock::now();
  const auto& s = flow_->steps[step_];
  const auto& prof = *w_.shared().prof;
  int status = parser_->status;
  bool keep_alive = parser_->keep_alive();
  auto& op = w_.stats().ops[s.index];
  op.completed++;
  std::optional<error_phase> phase;
  bool ok_status = s.expect.empty()
                       ? status < 400
                       : std::find(s.expect.begin(), s.expect.end(), status) != s.expect.end();
  if (!ok_status) phase = error_phase::status;
  if (!phase && (s.needs_body || prof.checks.status)) {
    std::string problem;
    if (prof.checks.status) problem = check_status_documented(s.op, status);
    nlohmann::json doc;
    const nlohmann::json* body = nullptr;
    if (problem.empty() && s.needs_body && !body_.empty()) {
      doc = nlohmann::json::parse(body_, nullptr, false);
      if (!doc.is_discarded()) body = &doc;
    }
    if (problem.empty() && prof.checks.envelope) problem = check_envelope(s.op, status, body);
    if (problem.empty() && prof.checks.schema_sample > 0 &&
        std::uniform_real_distribution<double>(0, 1)(w_.rng()) < prof.checks.schema_sample)
      problem = check_schema(s.op, status, parser_->content_type, body);
    if (problem.empty() && !s.capture.empty()) problem = capture(s.capture, body, vars_);
    if (!problem.empty()) phase = error_phase::check;
  }
  record(class_of(status), done);
  ++answered_;
  last_done_ = done;
  if (!keep_alive) close();
  if (phase) {
    op.errors[static_cast<std::size_t>(*phase)]++;
    op.failed++;
    return finish();
  }
  if (++step_ < flow_->steps.size()) {
    intended_ = done;  // the next step depends on this answer: it is due now
    return begin_step();
  }
  finish();
}

void connection::record(status_class cls, clock::time_point done) {
  auto& set = w_.stats().ops[flow_->steps[step_].index].at(cls);
  set.corrected.record(micros(done - intended_));
  set.service.record(micros(done - sent_));
  set.lag.record(micros(sent_ - intended_));
}

void connection::fail(error_phase phase, const boost::system::error_code& ec) {
  take_sample(phase, ec);
  close();
  record(status_class::error, clock::now());
  auto& op = w_.stats().ops[flow_->steps[step_].index];
  op.errors[static_cast<std::size_t>(phase)]++;
  op.failed++;
  finish();
}

void connection::take_sample(error_phase phase, const boost::system::error_code& ec) {
  error_sample e;
  auto now = clock::now();
  e.at_s = std::chrono::duration<double>(now - w_.shared().start).count();
  e.step = w_.shared().pl->steps[flow_->steps[step_].index].name;
  e.phase = to_string(phase);
  e.error = ec ? ec.message() : "";
  e.requests_before = answered_before_;
  e.idle_ms = ms(idle_before_);
  e.connection_age_ms = open_ ? ms(now - opened_at_) : 0;
  e.retry = retrying_;
  e.bytes_read = last_bytes_;
  if (parser_ && parser_->status)
    e.first_line = "HTTP status " + std::to_string(parser_->status);
  else
    e.first_line = first_line_of({static_cast<const char*>(buf_.data().data()), buf_.size()});
  w_.take_sample(std::move(e));
}

void connection::finish() {
  busy_ = false;
  w_.on_free(this);
}

}  // namespace cxh::load::detail
