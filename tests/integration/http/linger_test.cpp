// The server's closing of a connection it ends itself (an answer with "Connection: close", 413,
// 431, 400): it half-closes and drains what the client still sends, so the client reads the
// answer instead of a reset (RFC 9112 9.6). The client here writes its whole request before
// reading, as the load generator and most clients do.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cxh/http/server.hpp>
#include <string>

namespace ch = cxh::http;

namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// Writes everything (false when the peer reset or closed the connection first).
bool send_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_all(int fd) {
  std::string got;
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace

// A body far larger than the socket buffers: without the drain the server's close resets the
// connection while the client is still writing, and the 413 is never read.
TEST(HttpServerLinger, ClientWritingAnOversizedBodyStillReads413) {
  ch::server_options o;
  o.body_limit = 1024;
  ch::server srv(o, [](const ch::request&) { return ch::response::json(200, "{}"); });
  ASSERT_EQ(srv.start(), "");
  int fd = connect_to(srv.port());
  ASSERT_GE(fd, 0);
  std::size_t size = 32u << 20;
  std::string req = "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) +
                    "\r\n\r\n" + std::string(size, 'a');
  EXPECT_TRUE(send_all(fd, req)) << "the server reset the connection during the body";
  auto got = read_all(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 413", 0), 0u) << got.substr(0, 200);
  ::close(fd);
  srv.stop(std::chrono::milliseconds(500));
}

// Pipelined requests after a malformed one: the 400 is read, not lost to a reset.
TEST(HttpServerLinger, BadRequestAnswerSurvivesTheRestOfAPipelinedBurst) {
  ch::server srv({}, [](const ch::request&) { return ch::response::json(200, "{}"); });
  ASSERT_EQ(srv.start(), "");
  int fd = connect_to(srv.port());
  ASSERT_GE(fd, 0);
  std::string burst = "BAD\x01 / HTTP/1.1\r\n\r\n";
  for (int i = 0; i < 2000; ++i) burst += "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_TRUE(send_all(fd, burst));
  ::shutdown(fd, SHUT_WR);
  auto got = read_all(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got.substr(0, 200);
  ::close(fd);
  srv.stop(std::chrono::milliseconds(500));
}
