#pragma once
// One keep-alive connection: runs a flow's steps one after another, records each request's
// three latencies, and reconnects after an error or a "Connection: close". A keep-alive connection
// the peer closed while idle is found before reuse and reopened; a request on a reused connection
// that got no byte back is sent once more on a fresh one when its method is idempotent (RFC 9110
// 9.2.2), as browsers do: the peer may close an idle connection just as the request leaves.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lean_parser.hpp"
#include "worker.hpp"

namespace cxh::load::detail {

class connection {
 public:
  connection(worker& w, unsigned vu);
  // Connects (and handshakes) without sending; `done(ok)` on completion.
  void open(std::function<void(bool)> done);
  void start_flow(clock::time_point intended, const prepared_flow& f, std::uint64_t seq);
  // The request outlived the timeout: the socket closes, the pending operation fails as `timeout`.
  void abort_timeout();
  void close();
  bool busy() const { return busy_; }
  clock::time_point sent_at() const { return sent_; }

 private:
  template <class F>
  void with_stream(F&& f) {
    if (tls_)
      f(*tls_);
    else
      f(*plain_);
  }
  void begin_step();
  void connect_then(std::function<void()> next);
  void write();
  void read();
  void on_response();
  bool peer_closed_while_idle();
  void mark_open();
  void on_read_error(boost::system::error_code ec);
  bool retry_on_fresh_connection(error_phase phase);
  void fail(error_phase phase, const boost::system::error_code& ec = {});
  void take_sample(error_phase phase, const boost::system::error_code& ec);
  void record(status_class cls, clock::time_point done);
  void finish();

  worker& w_;
  unsigned vu_;
  std::optional<boost::asio::ip::tcp::socket> plain_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  bool open_ = false;
  boost::beast::flat_buffer buf_;
  std::optional<lean_parser> parser_;
  std::string out_, body_;
  const std::string* wire_ = nullptr;
  const prepared_flow* flow_ = nullptr;
  std::size_t step_ = 0;
  clock::time_point intended_, sent_;
  std::uint64_t seq_ = 0;
  std::vector<std::pair<std::string, std::string>> vars_;
  bool busy_ = false, timed_out_ = false;
  // The connection's history, for the reuse decisions and the error log.
  clock::time_point opened_at_, last_done_;
  std::uint64_t answered_ = 0;                          // responses read on this connection
  std::uint64_t answered_before_ = 0, last_bytes_ = 0;  // at this request's start; its bytes
  clock::duration idle_before_{};
  bool retrying_ = false;
};

}  // namespace cxh::load::detail
