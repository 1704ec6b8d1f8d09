// The per-connection request driver (connection.hpp).

#include "connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

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
        if (ec) return fail(timed_out_ ? error_phase::timeout : error_phase::connect);
        boost::system::error_code ignored;
        sock->set_option(tcp::no_delay(true), ignored);
        if (!tls_) {
          open_ = true;
          return next();
        }
        const auto& host = w_.shared().host;
        SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
        tls_->set_verify_callback(asio::ssl::host_name_verification(host));
        tls_->async_handshake(asio::ssl::stream_base::client,
                              [this, next](boost::system::error_code hec) {
                                if (hec)
                                  return fail(timed_out_ ? error_phase::timeout : error_phase::tls);
                                open_ = true;
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
                          open_ = true;
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
                                                open_ = true;
                                                done(true);
                                              });
                      });
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
  if (open_)
    write();
  else
    connect_then([this] { write(); });
}

void connection::write() {
  with_stream([this](auto& stream) {
    asio::async_write(stream, asio::buffer(*wire_),
                      [this](boost::system::error_code ec, std::size_t) {
                        if (ec) return fail(timed_out_ ? error_phase::timeout : error_phase::write);
                        read();
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
                            [this](boost::system::error_code ec, std::size_t) {
                              if (ec)
                                return fail(timed_out_ ? error_phase::timeout : error_phase::read);
                              on_response();
                            });
  });
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

void connection::fail(error_phase phase) {
  close();
  record(status_class::error, clock::now());
  auto& op = w_.stats().ops[flow_->steps[step_].index];
  op.errors[static_cast<std::size_t>(phase)]++;
  op.failed++;
  finish();
}

void connection::finish() {
  busy_ = false;
  w_.on_free(this);
}

}  // namespace cxh::load::detail
