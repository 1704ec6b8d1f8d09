// Held (deferred) answers over loopback sockets: completed from another thread, timed out by
// their cap, abandoned when the client closes or the server stops, and the connection stays
// usable afterwards.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cxh/http/deferred.hpp>
#include <cxh/http/server.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ch = cxh::http;
using namespace std::chrono_literals;

namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Reads one response whose body ends with '}' (the bodies here are small JSON objects).
std::string read_reply(int fd) {
  std::string got;
  char buf[1024];
  while (got.empty() || got.back() != '}') {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

void send_get(int fd, const std::string& path) {
  std::string r = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, r.data(), r.size(), MSG_NOSIGNAL);
}

template <class F>
bool eventually(F&& condition, std::chrono::milliseconds within = 20s) {
  auto end = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

// /hold answers later: the deferred is kept for the test to complete (or not).
struct holding_server {
  std::mutex m;
  std::vector<std::shared_ptr<ch::deferred>> held;
  ch::server srv;
  explicit holding_server(std::chrono::milliseconds max_wait, ch::server_options o = {})
      : srv(o, [this, max_wait](const ch::request& r) {
          if (r.path() != "/hold") return ch::response::json(200, R"({"now":true})");
          ch::response res;
          res.later = std::make_shared<ch::deferred>(
              max_wait, ch::response::json(200, R"({"timed_out":true})"));
          std::lock_guard lock(m);
          held.push_back(res.later);
          return res;
        }) {
    EXPECT_EQ(srv.start(), "");
  }
  std::shared_ptr<ch::deferred> wait_held(std::size_t n) {
    std::shared_ptr<ch::deferred> d;
    eventually([&] {
      std::lock_guard lock(m);
      if (held.size() >= n) d = held[n - 1];
      return d != nullptr;
    });
    return d;
  }
};

}  // namespace

TEST(HttpDeferred, CompletedFromAnotherThreadThenConnectionReused) {
  holding_server s(30s);
  int fd = connect_to(s.srv.port());
  ASSERT_GE(fd, 0);
  send_get(fd, "/hold");
  auto d = s.wait_held(1);
  ASSERT_TRUE(d);
  std::thread t([d] { EXPECT_TRUE(d->complete(ch::response::json(200, R"({"late":1})"))); });
  auto got = read_reply(fd);
  t.join();
  EXPECT_NE(got.find(R"({"late":1})"), std::string::npos) << got;
  EXPECT_FALSE(d->complete(ch::response::json(200, "{}"))) << "a second answer is refused";
  send_get(fd, "/other");
  EXPECT_NE(read_reply(fd).find(R"({"now":true})"), std::string::npos);
  ::close(fd);
}

TEST(HttpDeferred, CapSendsTheTimeoutResponse) {
  holding_server s(200ms);
  int fd = connect_to(s.srv.port());
  send_get(fd, "/hold");
  auto got = read_reply(fd);
  EXPECT_NE(got.find(R"({"timed_out":true})"), std::string::npos) << got;
  auto d = s.wait_held(1);
  EXPECT_EQ(d->current(), ch::deferred::state::timed_out);
  EXPECT_FALSE(d->complete(ch::response::json(200, "{}")));
  ::close(fd);
}

TEST(HttpDeferred, ServerCapBoundsTheHandlersWait) {
  ch::server_options o;
  o.max_deferred_wait = 150ms;
  holding_server s(1h, o);
  int fd = connect_to(s.srv.port());
  send_get(fd, "/hold");
  EXPECT_NE(read_reply(fd).find("timed_out"), std::string::npos);
  ::close(fd);
}

TEST(HttpDeferred, ClientGoneAbandonsTheAnswer) {
  holding_server s(60s);
  int fd = connect_to(s.srv.port());
  send_get(fd, "/hold");
  auto d = s.wait_held(1);
  ASSERT_TRUE(d);
  ::close(fd);
  EXPECT_TRUE(eventually([&] { return d->current() == ch::deferred::state::abandoned; }));
  EXPECT_TRUE(eventually([&] { return s.srv.connections() == 0; }));
}

TEST(HttpDeferred, PipelinedRequestWaitsForTheHeldOne) {
  holding_server s(60s);
  int fd = connect_to(s.srv.port());
  std::string two = "GET /hold HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, two.data(), two.size(), MSG_NOSIGNAL);
  auto d = s.wait_held(1);
  ASSERT_TRUE(d);
  std::this_thread::sleep_for(50ms);  // let the pipelined bytes arrive while held
  EXPECT_EQ(d->current(), ch::deferred::state::pending);
  d->complete(ch::response::json(200, R"({"first":1})"));
  // Both answers may come in one read: collect until the second is there (or the peer stops).
  std::string both = read_reply(fd);
  while (both.find(R"({"now":true})") == std::string::npos) {
    auto more = read_reply(fd);
    if (more.empty()) break;
    both += more;
  }
  auto first = both.find(R"({"first":1})"), second = both.find(R"({"now":true})");
  ASSERT_NE(first, std::string::npos) << both;
  ASSERT_NE(second, std::string::npos) << both;
  EXPECT_LT(first, second) << "answers in request order";
  ::close(fd);
}

TEST(HttpDeferred, StopEndsHeldAnswersWithoutWaitingForTheGrace) {
  auto s = std::make_unique<holding_server>(60s);
  int fd = connect_to(s->srv.port());
  send_get(fd, "/hold");
  auto d = s->wait_held(1);
  ASSERT_TRUE(d);
  auto t0 = std::chrono::steady_clock::now();
  s->srv.stop(10s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 8s);
  EXPECT_EQ(d->current(), ch::deferred::state::abandoned);
  ::close(fd);
}
