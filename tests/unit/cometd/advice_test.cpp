// A Bayeux server's advice is outside data: huge, negative, fractional or non-numeric values
// and unknown reconnect words neither crash the client (no float-to-integer overflow) nor park
// it (intervals clamped, pauses interruptible).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cxh/cometd/client.hpp>
#include <cxh/http/server.hpp>
#include <thread>

namespace {

using cxh::cometd::advice;
using cxh::cometd::follow_advice;
using nlohmann::json;
using std::chrono::milliseconds;

TEST(CometdAdvice, NumbersAreClampedToTheirBounds) {
  advice a = follow_advice({{"timeout", 1e300}, {"interval", 1e18}}, {});
  EXPECT_EQ(a.timeout, advice::max_timeout);
  EXPECT_EQ(a.interval, advice::max_interval);
  a = follow_advice({{"timeout", -1e308}, {"interval", -5}}, {});
  EXPECT_EQ(a.timeout, milliseconds(0));
  EXPECT_EQ(a.interval, milliseconds(0));
  a = follow_advice({{"timeout", 18446744073709551615ull}, {"interval", 1500.7}}, {});
  EXPECT_EQ(a.timeout, advice::max_timeout);
  EXPECT_EQ(a.interval, milliseconds(1500));
}

TEST(CometdAdvice, NonsenseIsIgnored) {
  advice before;
  before.timeout = milliseconds(1234);
  before.interval = milliseconds(56);
  advice a = follow_advice(
      {{"timeout", "soon"}, {"interval", json::array({1})}, {"reconnect", "sideways"}}, before);
  EXPECT_EQ(a.timeout, milliseconds(1234));
  EXPECT_EQ(a.interval, milliseconds(56));
  EXPECT_EQ(a.reconnect, "retry");
  a = follow_advice({{"timeout", std::nan("")}, {"interval", INFINITY}}, before);
  EXPECT_EQ(a.timeout, milliseconds(1234));
  EXPECT_EQ(a.interval, milliseconds(56));
  EXPECT_EQ(follow_advice({{"reconnect", 7}}, before).reconnect, "retry");
  EXPECT_EQ(follow_advice({{"reconnect", "handshake"}}, before).reconnect, "handshake");
  EXPECT_EQ(follow_advice("not an object", before).timeout, milliseconds(1234));
}

// A Bayeux server whose every answer carries hostile advice; the third connect reply advises
// a pause of 10^18 ms.
class hostile_bayeux {
 public:
  hostile_bayeux() : server_({}, [this](const cxh::http::request& r) { return answer(r); }) {
    EXPECT_EQ(server_.start(), "");
  }
  ~hostile_bayeux() { server_.stop(milliseconds(100)); }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/cometd";
  }
  int connects() const { return connects_; }

 private:
  cxh::http::response answer(const cxh::http::request& r) {
    json batch = json::parse(r.body, nullptr, false);
    json out = json::array();
    for (const auto& m : batch.is_array() ? batch : json::array()) {
      std::string ch = m.value("channel", "");
      json reply{{"channel", ch}, {"successful", true}, {"id", m.value("id", json())}};
      if (ch == "/meta/handshake") {
        reply["clientId"] = "c1";
        reply["version"] = "1.0";
        reply["supportedConnectionTypes"] = {"long-polling"};
        reply["advice"] = {{"timeout", 1e300}, {"interval", -5}, {"reconnect", "sideways"}};
      } else if (ch == "/meta/connect") {
        int n = ++connects_;
        reply["advice"] = n < 3 ? json{{"timeout", -1e308}, {"interval", "soon"}}
                                : json{{"interval", 1e18}, {"reconnect", 42}};
      }
      out.push_back(reply);
    }
    return cxh::http::response::json(200, out.dump());
  }
  std::atomic<int> connects_{0};
  cxh::http::server server_;
};

TEST(CometdAdvice, AHostileServerNeitherCrashesNorParksTheClient) {
  hostile_bayeux server;
  {
    cxh::cometd::options o;
    o.url = server.url();
    cxh::cometd::client c(o);
    ASSERT_TRUE(c.handshake()) << c.last_error();
    for (int i = 0; i < 200 && server.connects() < 3; ++i)
      std::this_thread::sleep_for(milliseconds(50));
    EXPECT_GE(server.connects(), 3) << c.last_error();
    EXPECT_TRUE(c.connected());
  }  // the destructor interrupts the advised (clamped) pause: the test ends
}

}  // namespace
