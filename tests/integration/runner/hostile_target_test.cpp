// A target that misbehaves at the socket level: each case ends within its timeouts as an error
// (errored, not failed), the run completes, nothing crashes.
#include "hostile_server.hpp"
#include "runner_support.hpp"

namespace {

using namespace cxh;
using cxh::testing::hostile;

const char* two_cases = R"(
suite: hostile
cases:
  - name: create
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect: {status: 200}
  - name: get
    steps:
      - call: statisticsPeekStatistics
        expect: {status: 200}
)";

class HostileTarget : public ::testing::TestWithParam<hostile> {};

TEST_P(HostileTarget, EveryCaseErrorsWithinItsTimeout) {
  cxh::testing::hostile_server server(GetParam());
  auto target = cxh::testing::target_for("http://127.0.0.1:" + std::to_string(server.port()));
  target.request_timeout = std::chrono::milliseconds(1500);
  runner::runner r(cxh::testing::spec(), target);
  auto started = std::chrono::steady_clock::now();
  auto result = r.run(cxh::testing::suites_from(two_cases), {});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(result.cases.size(), 2u);
  for (const auto& c : result.cases) {
    EXPECT_EQ(c.result, runner::outcome::errored) << c.name;
    EXPECT_FALSE(c.error.empty());
  }
  // Two cases, each at most one request timeout (plus a retry on a stale connection).
  EXPECT_LT(took, std::chrono::seconds(20));
}

INSTANTIATE_TEST_SUITE_P(Behaviours, HostileTarget,
                         ::testing::Values(hostile::reset, hostile::garbage,
                                           hostile::truncated_body, hostile::endless_body,
                                           hostile::huge_content_length, hostile::silent,
                                           hostile::endless_headers));

TEST(HostileTarget, UnreachableTargetErrorsEveryCase) {
  std::uint16_t port;
  {
    cxh::testing::hostile_server s(hostile::ok_json);
    port = s.port();
  }
  runner::runner r(cxh::testing::spec(),
                   cxh::testing::target_for("http://127.0.0.1:" + std::to_string(port)));
  auto result = r.run(cxh::testing::suites_from(two_cases), {});
  for (const auto& c : result.cases) {
    EXPECT_EQ(c.result, runner::outcome::errored);
    EXPECT_NE(c.error.find("connect"), std::string::npos) << c.error;
  }
}

}  // namespace
