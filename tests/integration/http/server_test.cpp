// cxh::http::server over real loopback sockets: keep-alive, pipelining in order, limits, bad
// requests, idle timeout, connection cap, graceful stop.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cxh/http/server.hpp>
#include <string>
#include <thread>

namespace ch = cxh::http;

namespace {

// A blocking loopback client: raw bytes in, raw bytes out, so tests control the wire exactly.
class raw_client {
 public:
  explicit raw_client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~raw_client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& bytes) { ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // Reads until `count` responses have arrived (by counting status lines) or the peer closes.
  std::string read_responses(int count) {
    std::string got;
    char buf[4096];
    while (occurrences(got, "HTTP/1.1 ") < count || !complete(got, count)) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
  bool closed_by_peer() {
    char c;
    auto n = ::recv(fd_, &c, 1, 0);
    return n == 0;
  }

 private:
  static int occurrences(const std::string& s, const std::string& what) {
    int n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
  }
  // The last response's body is complete (Content-Length honoured).
  static bool complete(const std::string& s, int) {
    auto last = s.rfind("HTTP/1.1 ");
    auto head_end = s.find("\r\n\r\n", last);
    if (head_end == std::string::npos) return false;
    auto cl = s.find("Content-Length: ", last);
    if (cl == std::string::npos || cl > head_end) return true;
    auto len = std::stoul(s.substr(cl + 16, s.find("\r\n", cl) - cl - 16));
    return s.size() >= head_end + 4 + len;
  }
  int fd_;
  bool connected_ = false;
};

struct echo_server {
  ch::server srv;
  explicit echo_server(ch::server_options o = {})
      : srv(o, [](const ch::request& r) {
          ch::response res =
              ch::response::json(200, "{\"path\":\"" + std::string(r.path()) +
                                          "\",\"len\":" + std::to_string(r.body.size()) + "}");
          if (r.path() == "/slow") res.delay = std::chrono::milliseconds(300);
          if (r.path() == "/reset") res.fault = ch::connection_fault::reset_before_response;
          return res;
        }) {
    EXPECT_EQ(srv.start(), "");
  }
};

}  // namespace

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  echo_server s;
  raw_client c(s.srv.port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 5; ++i) {
    c.send("GET /a" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto got = c.read_responses(1);
    EXPECT_NE(got.find("\"path\":\"/a" + std::to_string(i) + "\""), std::string::npos) << got;
  }
  EXPECT_EQ(s.srv.requests_served(), 5u);
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  echo_server s;
  raw_client c(s.srv.port());
  std::string batch;
  for (int i = 0; i < 10; ++i)
    batch += "GET /p" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  c.send(batch);
  auto got = c.read_responses(10);
  std::size_t pos = 0;
  for (int i = 0; i < 10; ++i) {
    auto at = got.find("/p" + std::to_string(i) + "\"", pos);
    ASSERT_NE(at, std::string::npos) << "response " << i << " missing or out of order";
    pos = at;
  }
}

TEST(HttpServer, OversizedBodyGets413AndClose) {
  ch::server_options o;
  o.body_limit = 1024;
  echo_server s(o);
  raw_client c(s.srv.port());
  c.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a'));
  auto got = c.read_responses(1);
  EXPECT_NE(got.find("HTTP/1.1 413"), std::string::npos) << got;
}

TEST(HttpServer, OversizedHeadersGet431) {
  ch::server_options o;
  o.header_limit = 512;
  echo_server s(o);
  raw_client c(s.srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'b') + "\r\n\r\n");
  EXPECT_NE(c.read_responses(1).find("HTTP/1.1 431"), std::string::npos);
}

TEST(HttpServer, GarbageGets400AndTheServerLivesOn) {
  echo_server s;
  {
    raw_client c(s.srv.port());
    c.send("\x01\x02 not http at all\r\n\r\n");
    EXPECT_NE(c.read_responses(1).find("HTTP/1.1 400"), std::string::npos);
  }
  raw_client ok(s.srv.port());
  ok.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(ok.read_responses(1).find("/after"), std::string::npos);
}

TEST(HttpServer, IdleConnectionsAreClosed) {
  ch::server_options o;
  o.idle_timeout = std::chrono::milliseconds(200);
  echo_server s(o);
  raw_client c(s.srv.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, ConnectionCapRefusesTheExtraConnection) {
  ch::server_options o;
  o.max_connections = 2;
  echo_server s(o);
  raw_client a(s.srv.port()), b(s.srv.port());
  a.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
  b.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  a.read_responses(1);
  b.read_responses(1);
  raw_client extra(s.srv.port());
  extra.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(extra.read_responses(1).find("HTTP/1.1 200"), std::string::npos);
}

TEST(HttpServer, ResetFaultDropsTheConnection) {
  echo_server s;
  raw_client c(s.srv.port());
  c.send("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_responses(1), "");
}

TEST(HttpServer, StopLetsARequestInFlightFinish) {
  echo_server s;
  raw_client c(s.srv.port());
  c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::thread stopper([&] { s.srv.stop(std::chrono::milliseconds(2000)); });
  auto got = c.read_responses(1);
  stopper.join();
  EXPECT_NE(got.find("/slow"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
}

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

TEST(HttpServer, ServesHttpsWithASelfSignedCertificate) {
  ch::server_options o;
  o.tls.enabled = true;
  o.tls.self_signed = true;
  echo_server s(o);
  EXPECT_EQ(s.srv.certificate_fingerprint().size(), 32u * 3 - 1);  // SHA-256 as aa:bb:...
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_verify_mode(asio::ssl::verify_none);  // self-signed: clients pin the fingerprint instead
  asio::ssl::stream<asio::ip::tcp::socket> tls(ioc, ctx);
  tls.next_layer().connect({asio::ip::make_address("127.0.0.1"), s.srv.port()});
  tls.handshake(asio::ssl::stream_base::client);
  std::string req = "GET /secure HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  asio::write(tls, asio::buffer(req));
  std::string got;
  boost::system::error_code ec;
  char buf[1024];
  for (;;) {
    auto n = tls.read_some(asio::buffer(buf), ec);
    got.append(buf, n);
    if (ec) break;
  }
  EXPECT_NE(got.find("\"path\":\"/secure\""), std::string::npos) << got;

  // Plain HTTP to the HTTPS port fails its handshake quietly; the server keeps serving.
  raw_client plain(s.srv.port());
  plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  plain.read_responses(1);
  EXPECT_EQ(s.srv.connections(), 0u);
}

TEST(HttpServer, MissingCertificateIsAStartError) {
  ch::server_options o;
  o.tls.enabled = true;
  o.tls.cert_file = "/nonexistent/cert.pem";
  o.tls.key_file = "/nonexistent/key.pem";
  ch::server srv(o, [](const ch::request&) { return ch::response{}; });
  EXPECT_NE(srv.start().find("cannot load the certificate"), std::string::npos);
}
