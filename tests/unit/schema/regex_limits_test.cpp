// `pattern` runs Boost.Regex (non-recursive) over response strings: a catastrophic pattern on a
// long string ends with Boost's complexity error, reported as a clear validation error.
#include <gtest/gtest.h>

#include <cxh/schema/validator.hpp>

namespace {

using nlohmann::json;
namespace cs = cxh::schema;

TEST(RegexLimits, CatastrophicBacktrackingIsAClearErrorNotAHangOrCrash) {
  auto compiled = cs::compile(json{{"type", "string"}, {"pattern", "^(a+)+$"}});
  ASSERT_TRUE(std::holds_alternative<cs::schema>(compiled));
  const auto& s = std::get<cs::schema>(compiled);
  auto errors = s.validate(json(std::string(2000, 'a') + "!"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("could not be evaluated"), std::string::npos)
      << errors[0].message;
  // The same pattern still decides ordinary strings.
  EXPECT_TRUE(s.validate(json("aaaa")).empty());
  auto plain = s.validate(json("aab"));
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_NE(plain[0].message.find("does not match"), std::string::npos) << plain[0].message;
}

}  // namespace
