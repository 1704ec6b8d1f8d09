// The engine against the emulator and against hostile peers, over loopback.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <cxh/emulator/emulator.hpp>
#include <cxh/load/engine.hpp>
#include <cxh/load/report.hpp>
#include <filesystem>
#include <thread>

using namespace cxh;
using namespace cxh::load;

namespace {

profile open_profile(double rate, double seconds, unsigned connections) {
  profile p;
  p.name = "test";
  p.file = "(test)";
  p.executor = executor_kind::constant_arrival_rate;
  p.rate = rate;
  p.duration_s = seconds;
  p.connections = connections;
  p.timeout_s = 2;
  flow f;
  f.name = "me";
  step s;
  s.name = "me";
  s.method = "GET";
  s.path = "/api/v2/me";
  s.where = "(test)";
  f.steps.push_back(s);
  p.mix.push_back(f);
  return p;
}

const std::pair<std::string, std::string> basic{"Authorization",
                                                "Basic YWdlbnQxOmFnZW50MS1wYXNzd29yZA=="};

run_result must_run(const run_options& o) {
  auto r = run(o);
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return {};
  }
  return std::get<run_result>(std::move(r));
}

// A TCP peer that answers every connection with `reply` and closes (or says nothing, or with
// close_silently closes without a word once the request arrived).
class raw_peer {
 public:
  explicit raw_peer(std::string reply, bool close_silently = false)
      : reply_(std::move(reply)),
        close_silently_(close_silently),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~raw_peer() {
    ioc_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
      if (ec) return;
      auto sock = std::make_shared<boost::asio::ip::tcp::socket>(std::move(s));
      auto buf = std::make_shared<std::array<char, 4096>>();
      sock->async_read_some(
          boost::asio::buffer(*buf), [this, sock, buf](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            if (close_silently_) {
              sock->close(ignored);
              return;
            }
            if (reply_.empty()) return;  // silent: keep the socket until the client gives up
            boost::asio::async_write(*sock, boost::asio::buffer(reply_),
                                     [sock](boost::system::error_code, std::size_t) {
                                       boost::system::error_code ignored2;
                                       sock->close(ignored2);
                                     });
          });
      held_.push_back(sock);
      accept();
    });
  }
  std::string reply_;
  bool close_silently_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> held_;
  std::thread thread_;
};

// A keep-alive peer that answers the first request of each connection and closes the
// connection without a word when the next one arrives: the idle-close race, every time.
class one_answer_peer {
 public:
  one_answer_peer() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~one_answer_peer() {
    ioc_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
      if (ec) return;
      auto sock = std::make_shared<boost::asio::ip::tcp::socket>(std::move(s));
      auto buf = std::make_shared<std::array<char, 4096>>();
      sock->async_read_some(
          boost::asio::buffer(*buf), [this, sock, buf](boost::system::error_code rec, std::size_t) {
            if (rec) return;
            static const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
            boost::asio::async_write(*sock, boost::asio::buffer(ok),
                                     [sock, buf](boost::system::error_code, std::size_t) {
                                       sock->async_read_some(
                                           boost::asio::buffer(*buf),
                                           [sock, buf](boost::system::error_code, std::size_t) {
                                             boost::system::error_code ignored;
                                             sock->close(ignored);
                                           });
                                     });
          });
      held_.push_back(sock);
      accept();
    });
  }
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> held_;
  std::thread thread_;
};

}  // namespace

// The emulator's own processing time is not the generator's error: it is measured first
// (no fault) and taken off. Without sanitizers it is small enough to check p50 directly too.
TEST(LoadEngine, FixedLatencyMedianWithinTwoPercent) {
  auto median_ms = [](double latency_ms) {
    emulator::config cfg;
    if (latency_ms > 0) {
      emulator::fault_rule rule;
      rule.latency = emulator::fault_rule::latency_kind::fixed;
      rule.latency_a_ms = latency_ms;
      cfg.faults.rules.push_back(rule);
    }
    http::server_options so;
    so.threads = 2;
    auto emu = std::get<0>(emulator::running_emulator::start(cfg, so));
    run_options o;
    o.prof = open_profile(100, 4, 16);
    o.target = emu->base_url();
    o.secret_headers.push_back(basic);
    auto r = must_run(o);
    auto m = r.totals.ops.at(0).merged();
    EXPECT_EQ(r.totals.ops[0].failed, 0u);
    EXPECT_EQ(r.totals.unsent, 0u);
    EXPECT_EQ(m.corrected.total_count(), 400);
    // Service time never exceeds the corrected time.
    EXPECT_LE(m.service.value_at_percentile(99), m.corrected.value_at_percentile(99));
    return static_cast<double>(m.corrected.value_at_percentile(50)) / 1000;
  };
  double base = median_ms(0);
  double p50 = median_ms(20);
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_NEAR(p50 - base, 20.0, 0.4) << "p50 " << p50 << "ms, emulator alone " << base << "ms";
  EXPECT_NEAR(p50, 20.0, 0.4) << "p50 " << p50 << "ms";
#else
  // Under ASan in CI, other tests share the cores: the injected 20 ms must all be there (never
  // less: the corrected histogram counts from the intended send), and the scheduling noise on
  // top is bounded loosely. The 2% precision is for unsanitized builds and bench/.
  EXPECT_GE(p50 - base, 19.6) << "p50 " << p50 << "ms, emulator alone " << base << "ms";
  EXPECT_LT(p50 - base, 30.0) << "p50 " << p50 << "ms, emulator alone " << base << "ms";
#endif
}

TEST(LoadEngine, CapturesChainAndTemplates) {
  http::server_options so;
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  auto p = open_profile(50, 1, 4);
  p.mix.clear();
  flow f;
  f.name = "om";
  auto mk = [](std::string name, std::string method, std::string path, std::string body) {
    step s;
    s.name = name;
    s.method = method;
    s.path = path;
    s.body = body;
    s.where = "(test)";
    return s;
  };
  f.steps.push_back(mk("om.create", "POST", "/nexus/v3/openmedia/t/interactions",
                       R"({"data":{"externalId":"t-${seq}-${uuid}"}})"));
  f.steps[0].capture.emplace_back("id", "/data/id");
  f.steps.push_back(mk("om.get", "GET", "/nexus/v3/openmedia/t/interactions/${id}", ""));
  f.steps.push_back(mk("om.stop", "POST", "/nexus/v3/openmedia/t/interactions/${id}/stop",
                       R"({"data":{"reasonSystemName":"Done"}})"));
  p.mix.push_back(f);
  p.checks.envelope = true;
  p.checks.status = true;
  p.checks.schema_sample = 1;
  auto spec =
      std::get<openapi::spec_set>(openapi::spec_set::load(openapi::spec_set::embedded_documents()));
  run_options o;
  o.prof = p;
  o.target = emu->base_url();
  o.spec = &spec;
  o.secret_headers.emplace_back("x-api-key", "demo-api-key");
  auto r = must_run(o);
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[1].operation, "openmediaGetInteraction");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.totals.ops[i].sent, 50u) << r.steps[i].name;
    EXPECT_EQ(r.totals.ops[i].failed, 0u) << r.steps[i].name;
  }
}

TEST(LoadEngine, UnreachableTargetGivesConnectErrors) {
  unsigned short port;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  run_options o;
  o.prof = open_profile(50, 1, 4);
  o.target = "http://127.0.0.1:" + std::to_string(port);
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.sent, 50u);
  EXPECT_EQ(op.failed, 50u);
  EXPECT_EQ(op.errors[static_cast<int>(error_phase::connect)], 50u);
  EXPECT_FALSE(r.notes.empty());  // the connections could not be opened before the start
}

TEST(LoadEngine, GarbageAnswersAreParseErrors) {
  raw_peer peer("this is not HTTP\r\n\r\n");
  run_options o;
  o.prof = open_profile(40, 1, 4);
  o.target = peer.url();
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.sent, 40u);
  EXPECT_EQ(op.failed, 40u);
  EXPECT_EQ(op.errors[static_cast<int>(error_phase::parse)], 40u);
  ASSERT_FALSE(r.totals.samples.empty());
  EXPECT_EQ(r.totals.samples[0].phase, "parse");
  EXPECT_EQ(r.totals.samples[0].first_line, "this is not HTTP");
}

TEST(LoadEngine, CloseInTheMiddleOfAnAnswerIsClosedMidResponse) {
  raw_peer peer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
  run_options o;
  o.prof = open_profile(20, 1, 2);
  o.target = peer.url();
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.failed, 20u);
  EXPECT_EQ(op.errors[static_cast<int>(error_phase::closed_mid_response)], 20u);
  EXPECT_EQ(op.retried, 0u);
}

// A fresh connection closed before any byte: the target's failure (never retried).
TEST(LoadEngine, CloseBeforeAnyByteOnAFreshConnectionIsTheTargets) {
  raw_peer peer("", true);
  run_options o;
  o.prof = open_profile(20, 1, 2);
  o.target = peer.url();
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.failed, 20u);
  EXPECT_EQ(op.errors[static_cast<int>(error_phase::closed_before_response)], 20u);
  EXPECT_EQ(op.retried, 0u);
  ASSERT_FALSE(r.totals.samples.empty());
  EXPECT_EQ(r.totals.samples[0].requests_before, 0u);
  EXPECT_EQ(r.totals.samples[0].bytes_read, 0u);
}

// The emulator closes keep-alive connections idle longer than its idle timeout; requests
// arriving with gaps longer than that find their connection closed. Those connections are
// reopened before use: no request fails, and the closes are counted.
TEST(LoadEngine, IdleConnectionsTheTargetClosedAreReopenedNotFailed) {
  http::server_options so;
  so.idle_timeout = std::chrono::milliseconds(100);
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  run_options o;
  o.prof = open_profile(8, 2, 1);  // one connection, ~125 ms between requests
  o.prof.arrivals = arrival_kind::uniform;
  o.target = emu->base_url();
  o.secret_headers.push_back(basic);
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.sent, 16u);
  EXPECT_EQ(op.failed, 0u);
  EXPECT_GE(r.totals.closed_idle, 10u);
}

// A reused connection closed before any byte once the request went out: an idempotent request
// is sent once more on a fresh connection (counted, not failed); a POST is not, and fails as
// closed_before_response with its connection's history in the error log.
TEST(LoadEngine, IdempotentRequestsAreRetriedOnceOnAFreshConnection) {
  one_answer_peer peer;
  run_options o;
  o.prof = open_profile(10, 1, 1);
  o.target = peer.url();
  auto r = must_run(o);
  const auto& get = r.totals.ops.at(0);
  EXPECT_EQ(get.sent, 10u);
  EXPECT_EQ(get.failed, 0u);
  EXPECT_EQ(get.retried, 9u);  // every request but the first finds its connection closing

  o.prof.mix[0].steps[0].method = "POST";
  auto posted = must_run(o);
  const auto& post = posted.totals.ops.at(0);
  EXPECT_EQ(post.retried, 0u);
  EXPECT_GT(post.failed, 0u);
  EXPECT_EQ(post.errors[static_cast<int>(error_phase::closed_before_response)], post.failed);
  ASSERT_FALSE(posted.totals.samples.empty());
  const auto& e = posted.totals.samples[0];
  EXPECT_EQ(e.phase, "closed_before_response");
  EXPECT_EQ(e.requests_before, 1u);
  EXPECT_GT(e.idle_ms, 0.0);
  EXPECT_EQ(e.bytes_read, 0u);
}

TEST(LoadEngine, SilentPeerTimesOut) {
  raw_peer peer("");
  run_options o;
  o.prof = open_profile(10, 1, 10);
  o.prof.timeout_s = 0.3;
  o.target = peer.url();
  auto r = must_run(o);
  const auto& op = r.totals.ops.at(0);
  EXPECT_EQ(op.sent, 10u);
  EXPECT_EQ(op.errors[static_cast<int>(error_phase::timeout)], 10u);
}

TEST(LoadEngine, FallingBehindIsCountedAndInvalid) {
  http::server_options so;
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  run_options o;
  o.prof = open_profile(200000, 1, 1);  // far more than one connection can carry
  o.target = emu->base_url();
  o.secret_headers.push_back(basic);
  auto r = must_run(o);
  EXPECT_GT(r.totals.unsent, 0u);
  EXPECT_EQ(r.totals.started + r.totals.unsent, 200000u);
  auto v = judge(o.prof, r);
  EXPECT_TRUE(v.invalid);
}

TEST(LoadEngine, ClosedModelKeepsEveryConnectionBusy) {
  http::server_options so;
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  run_options o;
  o.prof = open_profile(1, 1, 4);
  o.prof.executor = executor_kind::constant_concurrency;
  o.target = emu->base_url();
  o.secret_headers.push_back(basic);
  auto r = must_run(o);
  EXPECT_GT(r.totals.ops[0].completed, 40u);
  EXPECT_EQ(r.totals.ops[0].failed, 0u);
  auto j = summary_json(o.prof, r, judge(o.prof, r), o.target);
  EXPECT_EQ(j["plan"]["model"], "closed model");
}

TEST(LoadEngine, TlsVerifiesUnlessInsecure) {
  http::server_options so;
  so.tls.enabled = true;
  so.tls.self_signed = true;
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  std::string url = emu->base_url();
  if (url.rfind("https://", 0) != 0) url = "https://" + url.substr(url.find("://") + 3);
  run_options o;
  o.prof = open_profile(20, 1, 2);
  o.target = url;
  o.secret_headers.push_back(basic);
  auto verified = must_run(o);
  // A self-signed certificate fails verification: TLS errors, nothing answered.
  EXPECT_EQ(verified.totals.ops.at(0).completed, 0u);
  EXPECT_EQ(verified.totals.ops[0].errors[static_cast<int>(error_phase::tls)], 20u);
  o.prof.insecure = true;
  auto insecure = must_run(o);
  EXPECT_EQ(insecure.totals.ops.at(0).completed, 20u);
  EXPECT_EQ(insecure.totals.ops[0].failed, 0u);
}

// --ca: the run's connections trust a PEM file of authorities; an unreadable one stops the run.
TEST(LoadEngine, TlsTrustsTheCaFile) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("cxh-load-ca-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl command not available";
  http::server_options so;
  so.tls.enabled = true;
  so.tls.cert_file = cert;
  so.tls.key_file = key;
  auto emu = std::get<0>(emulator::running_emulator::start(emulator::config{}, so));
  std::string url = emu->base_url();
  if (url.rfind("https://", 0) != 0) url = "https://" + url.substr(url.find("://") + 3);
  run_options o;
  o.prof = open_profile(20, 1, 2);
  o.target = url;
  o.secret_headers.push_back(basic);
  auto untrusted = must_run(o);
  EXPECT_EQ(untrusted.totals.ops.at(0).errors[static_cast<int>(error_phase::tls)], 20u);
  o.prof.ca_file = cert;
  auto trusted = must_run(o);
  EXPECT_EQ(trusted.totals.ops.at(0).completed, 20u);
  EXPECT_EQ(trusted.totals.ops[0].failed, 0u);
  o.prof.ca_file = (dir / "absent.pem").string();
  auto missing = run(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(missing));
  EXPECT_NE(std::get<std::string>(missing).find("absent.pem"), std::string::npos);
  fs::remove_all(dir);
}
