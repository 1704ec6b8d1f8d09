#include <gtest/gtest.h>

#include <cxh/load/threshold.hpp>

using namespace cxh::load;

namespace {

threshold parse(const std::string& s) {
  auto r = parse_threshold(s, "*");
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return {};
  }
  return std::get<threshold>(r);
}

}  // namespace

TEST(LoadThreshold, Parses) {
  auto t = parse("p(99)<250ms");
  EXPECT_EQ(t.what, threshold::metric::corrected);
  EXPECT_EQ(t.cmp, threshold::op::lt);
  EXPECT_DOUBLE_EQ(t.percentile, 99);
  EXPECT_DOUBLE_EQ(t.bound, 250000);
  t = parse("p(99.9) < 1s");
  EXPECT_DOUBLE_EQ(t.percentile, 99.9);
  EXPECT_DOUBLE_EQ(t.bound, 1e6);
  t = parse("p50<=20");  // bare numbers are milliseconds
  EXPECT_EQ(t.cmp, threshold::op::le);
  EXPECT_DOUBLE_EQ(t.bound, 20000);
  t = parse("lag_p99<1ms");
  EXPECT_EQ(t.what, threshold::metric::lag);
  t = parse("service_p(90)<5ms");
  EXPECT_EQ(t.what, threshold::metric::service);
  t = parse("error_rate<0.1%");
  EXPECT_EQ(t.what, threshold::metric::error_rate);
  EXPECT_DOUBLE_EQ(t.bound, 0.001);
  t = parse("achieved_rate>0.99*planned");
  EXPECT_TRUE(t.of_planned);
  EXPECT_DOUBLE_EQ(t.bound, 0.99);
  EXPECT_EQ(t.cmp, threshold::op::gt);
  t = parse("achieved_rate>=95");
  EXPECT_FALSE(t.of_planned);
  EXPECT_EQ(t.cmp, threshold::op::ge);
}

TEST(LoadThreshold, RejectsWithAReason) {
  for (const char* bad : {"p(99)", "p(101)<1s", "p(99)<10x", "latency<1s", "error_rate<abc",
                          "achieved_rate>0.9*wanted", "p(99)<"}) {
    auto r = parse_threshold(bad, "*");
    ASSERT_TRUE(std::holds_alternative<std::string>(r)) << bad;
    EXPECT_FALSE(std::get<std::string>(r).empty());
  }
}

TEST(LoadThreshold, Evaluates) {
  latency_set s;
  for (int i = 1; i <= 1000; ++i) s.corrected.record(i * 1000);  // 1..1000 ms
  for (int i = 1; i <= 1000; ++i) s.lag.record(i);               // 1..1000 us
  threshold_input in{&s, 0.002, 99.5, 100};
  EXPECT_TRUE(evaluate(parse("p(50)<=501ms"), in).pass);
  EXPECT_FALSE(evaluate(parse("p(99)<900ms"), in).pass);
  EXPECT_TRUE(evaluate(parse("p(99)<1s"), in).pass);
  EXPECT_FALSE(evaluate(parse("error_rate<0.1%"), in).pass);
  EXPECT_TRUE(evaluate(parse("error_rate<0.5%"), in).pass);
  EXPECT_TRUE(evaluate(parse("achieved_rate>0.99*planned"), in).pass);
  EXPECT_FALSE(evaluate(parse("achieved_rate>=planned"), in).pass);
  EXPECT_TRUE(evaluate(parse("lag_p99<1ms"), in).pass);
  EXPECT_FALSE(evaluate(parse("lag_p99<900us"), in).pass);
  auto r = evaluate(parse("p(99)<1s"), in);
  EXPECT_NEAR(r.actual, 990000, 990);  // within the histogram's 3 digits
  // Nothing measured proves nothing: a latency bound without samples fails.
  threshold_input empty{};
  EXPECT_FALSE(evaluate(parse("p(99)<1s"), empty).pass);
  // Closed model: no planned rate to compare with.
  threshold_input closed{&s, 0, 50, 0};
  EXPECT_FALSE(evaluate(parse("achieved_rate>0.99*planned"), closed).pass);
}
