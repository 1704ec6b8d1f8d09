#pragma once
// A raw TCP server for tests that misbehaves on purpose: each accepted connection reads what
// the client sends, then plays one scripted behaviour. Shared by the client and runner tests.
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <string>
#include <thread>

namespace cxh::testing {

enum class hostile {
  reset,                // accept, read the request, reset the connection
  garbage,              // answer bytes that are not HTTP
  truncated_body,       // Content-Length 1000, 10 bytes, close
  endless_body,         // chunked body that never ends, a chunk every 10 ms
  huge_content_length,  // Content-Length: 10^15 and a few bytes
  silent,               // accept, read, never answer (keeps the socket open)
  endless_headers,      // header lines forever
  ok_json,              // a correct small JSON answer (control)
};

class hostile_server {
 public:
  explicit hostile_server(hostile behaviour) : behaviour_(behaviour) {
    acceptor_.open(boost::asio::ip::tcp::v4());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~hostile_server() {
    stop_ = true;
    // A blocking accept() does not return when the acceptor closes on another thread: wake it.
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(ioc_);
    wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (thread_.joinable()) thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void serve() {
    while (!stop_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket s(ioc_);
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      play(s);
    }
  }

  void play(boost::asio::ip::tcp::socket& s) {
    namespace asio = boost::asio;
    boost::system::error_code ec;
    char buf[4096];
    s.read_some(asio::buffer(buf), ec);  // the request head (good enough for small requests)
    auto send = [&](const std::string& bytes) { asio::write(s, asio::buffer(bytes), ec); };
    switch (behaviour_) {
      case hostile::reset:
        s.set_option(asio::socket_base::linger(true, 0), ec);
        s.close(ec);
        return;
      case hostile::garbage:
        send(std::string("\x16\x03\x01 this is not HTTP at all\r\n\r\n\xff\xfe", 34));
        break;
      case hostile::truncated_body:
        send(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            "1000\r\n\r\n{\"a\":1234");
        break;
      case hostile::endless_body:
        send(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: "
            "chunked\r\n\r\n");
        while (!stop_ && !ec) {
          send("400\r\n" + std::string(1024, 'x') + "\r\n");
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        break;
      case hostile::huge_content_length:
        send("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n{\"a\":");
        break;
      case hostile::silent:
        while (!stop_) {
          s.non_blocking(true, ec);
          s.read_some(asio::buffer(buf), ec);
          if (ec && ec != asio::error::would_block) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        break;
      case hostile::endless_headers:
        send("HTTP/1.1 200 OK\r\n");
        while (!stop_ && !ec) send("X-Filler: " + std::string(200, 'y') + "\r\n");
        break;
      case hostile::ok_json:
        send(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: "
            "close\r\n\r\n{}");
        break;
    }
    s.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    s.close(ec);
  }

  hostile behaviour_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cxh::testing
