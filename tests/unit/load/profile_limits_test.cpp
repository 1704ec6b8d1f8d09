// Load profiles pass the same YAML budget as suites and target configs: an alias bomb in a
// request body is refused with its position before anything expands it.
#include <gtest/gtest.h>

#include <cxh/load/profile.hpp>

namespace {

std::string bomb_profile() {
  std::string y = "executor: constant-arrival-rate\nrate: 1\nduration: 1s\nx:\n";
  y += "  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i <= 8; ++i) {
    y += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) y += (k ? ", *l" : "*l") + std::to_string(i - 1);
    y += "]\n";
  }
  return y + "mix:\n  - request: POST /x\n    body: *l8\n";
}

TEST(LoadProfileLimits, AnAliasBombIsRefusedWithItsPosition) {
  auto text = bomb_profile();
  ASSERT_LT(text.size(), 800u);
  auto r = cxh::load::parse_profile(text, "bomb.yaml");
  ASSERT_TRUE(std::holds_alternative<cxh::diagnostics>(r));
  const auto& d = std::get<cxh::diagnostics>(r).front();
  EXPECT_EQ(d.where.rfind("bomb.yaml:", 0), 0u) << d.where;
  EXPECT_NE(d.what.find("expands to more than"), std::string::npos) << d.what;
}

TEST(LoadProfileLimits, AnchorsForOrdinaryReuseStillWork) {
  auto r = cxh::load::parse_profile(
      "executor: constant-arrival-rate\nrate: 1\nduration: 1s\nmix:\n"
      "  - request: POST /x\n    body: &b {a: 1}\n  - request: POST /y\n    body: *b\n",
      "ok.yaml");
  ASSERT_TRUE(std::holds_alternative<cxh::load::profile>(r));
}

}  // namespace
