// cxh::http::server under hostile clients and careless handlers (issue 12): response headers
// that would split the response, a header too large to send, one client holding every
// connection, clients that send nothing or dribble their header, and accept() running out of
// descriptors. Also the percent-encoding helpers used to build Location headers.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cxh/http/percent_encode.hpp>
#include <cxh/http/server.hpp>
#include <string>
#include <thread>
#include <vector>

namespace ch = cxh::http;
using namespace std::chrono_literals;

namespace {

// A blocking TCP client to 127.0.0.1:port, from `source` (another loopback address stands for
// another client).
int connect_from(const char* source, std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &local.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return -1;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

// One response, header and Content-Length body, read byte by byte so nothing of the next one is
// consumed (or what came before a close or a 5 s silence).
std::string read_head(int fd) {
  std::string got;
  char c;
  while (got.find("\r\n\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1) got += c;
  auto cl = got.find("Content-Length: ");
  if (cl == std::string::npos) return got;
  auto length = std::stoul(got.substr(cl + 16, got.find("\r\n", cl) - cl - 16));
  std::string body(length, '\0');
  std::size_t have = 0;
  while (have < length) {
    auto n = ::recv(fd, body.data() + have, length - have, 0);
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
  }
  return got + body.substr(0, have);
}

// Whether the peer closes within `bound` (reads and drops anything it sends first).
bool closed_within(int fd, std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  char buf[1024];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
  }
  return false;
}

ch::response ok(const ch::request& r) {
  return ch::response::json(200, "{\"path\":\"" + std::string(r.path()) + "\"}");
}

// The lines of a response's header section after the status line.
std::vector<std::string> header_lines(const std::string& head) {
  std::vector<std::string> lines;
  auto end = head.find("\r\n\r\n");
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    auto next = head.find("\r\n", pos + 2);
    lines.push_back(head.substr(pos + 2, next - pos - 2));
    pos = next;
  }
  return lines;
}

}  // namespace

TEST(HttpHardening, ControlCharactersInResponseHeaderValuesNeverSplitTheResponse) {
  ch::server srv({}, [](const ch::request&) {
    ch::response r = ch::response::json(200, "{}");
    r.fields.set("Location", "https://a.example/?state=x\r\nInjected-Crlf: 1");
    r.fields.set("Content-Type", std::string("image/png\nInjected-Lf: 1"));
    r.fields.set("X-Nul", std::string("a\0b\rInjected-Cr: 1", 18));
    return r;
  });
  ASSERT_EQ(srv.start(), "");
  int fd = connect_from("127.0.0.1", srv.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = read_head(fd);
  ::close(fd);
  ASSERT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_EQ(head.find('\0'), std::string::npos);
  for (const auto& line : header_lines(head)) {
    EXPECT_NE(line.rfind("Injected", 0), 0u) << "a handler's value started a header line: " << head;
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << head;
  }
  EXPECT_NE(head.find("Location: https://a.example/?state=x  Injected-Crlf: 1\r\n"),
            std::string::npos)
      << head;
}

TEST(HttpHardening, ResponseHeaderNameThatIsNotATokenGets500) {
  ch::server srv({}, [](const ch::request&) {
    ch::response r = ch::response::json(200, "{}");
    r.fields.set("X-Name\r\nInjected", "1");
    return r;
  });
  ASSERT_EQ(srv.start(), "");
  int fd = connect_from("127.0.0.1", srv.port());
  send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = read_head(fd);
  ::close(fd);
  EXPECT_EQ(head.rfind("HTTP/1.1 500", 0), 0u) << head;
  EXPECT_EQ(head.find("Injected"), std::string::npos) << head;
}

TEST(HttpHardening, ResponseHeaderOver64KbGets500NotASilentClose) {
  ch::server srv({}, [](const ch::request& req) {
    ch::response r = ch::response::json(200, "{}");
    if (req.path() == "/big") r.fields.set("X-Big", std::string(70 * 1024, 'v'));
    return r;
  });
  ASSERT_EQ(srv.start(), "");
  int fd = connect_from("127.0.0.1", srv.port());
  send_all(fd, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = read_head(fd);
  EXPECT_EQ(head.rfind("HTTP/1.1 500", 0), 0u) << head.substr(0, 200);
  EXPECT_LT(head.size(), 1024u);
  // The connection still works: the 500 is an answer like any other.
  send_all(fd, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string rest = read_head(fd);
  ::close(fd);
  EXPECT_EQ(rest.rfind("HTTP/1.1 200", 0), 0u) << rest;
}

TEST(HttpHardening, OneClientCannotTakeEveryConnection) {
  ch::server_options o;
  o.max_connections = 8;
  o.max_connections_per_peer = 4;
  ch::server srv(o, ok);
  ASSERT_EQ(srv.start(), "");
  EXPECT_EQ(srv.max_connections_per_peer(), 4u);
  // The first client opens every connection the server has and sends nothing.
  std::vector<int> hog;
  for (int i = 0; i < 8; ++i) hog.push_back(connect_from("127.0.0.1", srv.port()));
  for (auto start = std::chrono::steady_clock::now();
       srv.connections() < 4 && std::chrono::steady_clock::now() - start < 5s;)
    std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(100ms);  // let the accept loop see the rest too
  EXPECT_EQ(srv.connections(), 4u);
  // Another client (another address) is still answered.
  int other = connect_from("127.0.0.2", srv.port());
  ASSERT_GE(other, 0) << "cannot bind 127.0.0.2";
  send_all(other, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = read_head(other);
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  ::close(other);
  for (int fd : hog) ::close(fd);
}

TEST(HttpHardening, DefaultPerPeerCapIsNineTenthsOfTheConnections) {
  ch::server_options o;
  o.max_connections = 2000;
  ch::server srv(o, ok);
  ASSERT_EQ(srv.start(), "");
  // The descriptor limit may lower max_connections; the share follows it.
  EXPECT_LE(srv.max_connections(), 2000u);
  EXPECT_EQ(srv.max_connections_per_peer(), srv.max_connections() - srv.max_connections() / 10);
}

TEST(HttpHardening, ConnectionThatSendsNothingIsClosedByTheHeaderTimeout) {
  ch::server_options o;
  o.idle_timeout = 60s;
  o.header_timeout = 200ms;
  ch::server srv(o, ok);
  ASSERT_EQ(srv.start(), "");
  int fd = connect_from("127.0.0.1", srv.port());
  EXPECT_TRUE(closed_within(fd, 10s));
  ::close(fd);
}

TEST(HttpHardening, DribbledHeaderIsClosedByTheHeaderTimeout) {
  ch::server_options o;
  o.idle_timeout = 60s;
  o.header_timeout = 300ms;
  ch::server srv(o, ok);
  ASSERT_EQ(srv.start(), "");
  for (bool after_a_request : {false, true}) {
    int fd = connect_from("127.0.0.1", srv.port());
    if (after_a_request) {
      send_all(fd, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      ASSERT_EQ(read_head(fd).rfind("HTTP/1.1 200", 0), 0u);
    }
    send_all(fd, "GET /slow HTTP/1.1\r\n");
    bool closed = false;
    for (int i = 0; i < 200 && !closed; ++i) {  // a header line every 50 ms, for up to 10 s
      send_all(fd, "X-Drip: " + std::to_string(i) + "\r\n");
      closed = closed_within(fd, 50ms);
    }
    EXPECT_TRUE(closed) << (after_a_request ? "on a keep-alive connection" : "on a new one");
    ::close(fd);
  }
}

TEST(HttpHardening, KeepAliveWaitBetweenRequestsStillUsesTheIdleTimeout) {
  ch::server_options o;
  o.idle_timeout = 20s;
  o.header_timeout = 100ms;
  ch::server srv(o, ok);
  ASSERT_EQ(srv.start(), "");
  int fd = connect_from("127.0.0.1", srv.port());
  send_all(fd, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(read_head(fd).rfind("HTTP/1.1 200", 0), 0u);
  std::this_thread::sleep_for(500ms);  // well past header_timeout, well inside idle_timeout
  send_all(fd, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = read_head(fd);
  ::close(fd);
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
}

namespace {

// What the child process of the descriptor-exhaustion test saw.
struct emfile_report {
  bool started = false;
  std::size_t max_connections = 0;
  bool answered_while_full = false;
  double cpu_seconds_while_full = -1;
  bool answered_after = false;
};

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

bool answered(int fd, const std::string& path) {
  send_all(fd, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  return read_head(fd).rfind("HTTP/1.1 200", 0) == 0;
}

// Runs in a child with RLIMIT_NOFILE at 128: a server, one connection served, then every
// descriptor used up while a second client waits in the backlog.
emfile_report exhaust_descriptors() {
  emfile_report r;
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = 128;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return r;
  ch::server_options o;
  o.threads = 1;
  ch::server srv(o, ok);
  if (!srv.start().empty()) return r;
  r.started = true;
  r.max_connections = srv.max_connections();
  int a = connect_from("127.0.0.1", srv.port());
  if (a < 0 || !answered(a, "/before")) return r;
  int b = ::socket(AF_INET, SOCK_STREAM, 0);
  std::vector<int> filler;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) filler.push_back(fd);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(srv.port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::connect(b, reinterpret_cast<sockaddr*>(&to), sizeof to);  // completes in the backlog
  timeval tv{5, 0};
  ::setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  send_all(b, "GET /waiting HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // the accept loop meets EMFILE
  double before = cpu_seconds();
  std::this_thread::sleep_for(1s);
  r.cpu_seconds_while_full = cpu_seconds() - before;
  r.answered_while_full = answered(a, "/during");
  for (int fd : filler) ::close(fd);
  r.answered_after = read_head(b).rfind("HTTP/1.1 200", 0) == 0;
  srv.stop(0ms);
  return r;
}

}  // namespace

TEST(HttpHardening, AcceptBacksOffWhenDescriptorsRunOut) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    emfile_report r = exhaust_descriptors();
    auto written = ::write(pipe_fds[1], &r, sizeof r);
    ::_exit(written == sizeof r ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  emfile_report r;
  pollfd p{pipe_fds[0], POLLIN, 0};
  bool reported = ::poll(&p, 1, 60000) == 1 && ::read(pipe_fds[0], &r, sizeof r) == sizeof r;
  if (!reported) ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(pipe_fds[0]);
  ASSERT_TRUE(reported) << "the child did not report within 60 s";
  ASSERT_TRUE(r.started);
  EXPECT_LT(r.max_connections, 128u) << "max_connections not clamped to RLIMIT_NOFILE";
  EXPECT_TRUE(r.answered_while_full);
  // A spinning accept loop burns about a second of CPU in that second; backing off, almost none.
  EXPECT_LT(r.cpu_seconds_while_full, 0.3);
  EXPECT_TRUE(r.answered_after) << "the waiting client was not served once descriptors came back";
}

TEST(HttpHardening, LoopbackAddressesAreRecognised) {
  EXPECT_TRUE(ch::is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(ch::is_loopback_address("127.1.2.3"));
  EXPECT_TRUE(ch::is_loopback_address("::1"));
  EXPECT_TRUE(ch::is_loopback_address("::ffff:127.0.0.1"));
  EXPECT_FALSE(ch::is_loopback_address("0.0.0.0"));
  EXPECT_FALSE(ch::is_loopback_address("::"));
  EXPECT_FALSE(ch::is_loopback_address("192.168.1.10"));
  EXPECT_FALSE(ch::is_loopback_address("localhost"));
}

TEST(PercentEncode, ComponentEncodesEverythingButUnreserved) {
  EXPECT_EQ(ch::percent_encode_component("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(ch::percent_encode_component("a b&c=d\r\n%"), "a%20b%26c%3Dd%0D%0A%25");
  EXPECT_EQ(ch::percent_encode_component(std::string("\0\xff", 2)), "%00%FF");
}

TEST(PercentEncode, UriKeepsItsStructureAndEncodesTheRest) {
  EXPECT_EQ(ch::percent_encode_uri("https://app.example:8443/cb?x=1&y=%2F#top"),
            "https://app.example:8443/cb?x=1&y=%2F#top");
  EXPECT_EQ(ch::percent_encode_uri("https://a.example/cb\r\nSet-Cookie: x=1"),
            "https://a.example/cb%0D%0ASet-Cookie:%20x=1");
  EXPECT_EQ(ch::percent_encode_uri("/a<b>\"c\" %zz %4"), "/a%3Cb%3E%22c%22%20%25zz%20%254");
}
