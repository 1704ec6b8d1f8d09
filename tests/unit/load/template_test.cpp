#include <gtest/gtest.h>

#include <cstdlib>
#include <cxh/load/template.hpp>
#include <regex>
#include <set>

using namespace cxh::load;

namespace {

text_template compile(const std::string& s) {
  auto r = text_template::compile(s);
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return {};
  }
  return std::get<text_template>(r);
}

}  // namespace

TEST(LoadTemplate, Renders) {
  std::mt19937_64 rng(1);
  std::vector<std::pair<std::string, std::string>> vars{{"id", "abc"}};
  render_context ctx{41, 3, &rng, &vars};
  EXPECT_EQ(compile("/x/${id}/${seq}/${vu}").render(ctx), "/x/abc/41/3");
  EXPECT_TRUE(compile("static text").is_static());
  EXPECT_FALSE(compile("a${seq}").is_static());
  EXPECT_EQ(compile("cost $${notaplaceholder}").render(ctx), "cost ${notaplaceholder}");
}

TEST(LoadTemplate, UuidsAreV4AndUnique) {
  std::mt19937_64 rng(7);
  render_context ctx{0, 0, &rng, nullptr};
  auto t = compile("${uuid}");
  std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u = t.render(ctx);
    ASSERT_TRUE(std::regex_match(u, v4)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(LoadTemplate, RandomIntStaysInRange) {
  std::mt19937_64 rng(7);
  render_context ctx{0, 0, &rng, nullptr};
  auto t = compile("${random_int(1, 100)}");
  std::set<int> seen;
  for (int i = 0; i < 5000; ++i) {
    int v = std::stoi(t.render(ctx));
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 100);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(LoadTemplate, EnvironmentIsReadAtCompileTime) {
  setenv("CXH_TEMPLATE_TEST", "s3cret", 1);
  auto t = compile("key=${env:CXH_TEMPLATE_TEST}");
  EXPECT_TRUE(t.is_static());
  EXPECT_EQ(t.render({}), "key=s3cret");
}

TEST(LoadTemplate, MissingVariableIsNamed) {
  std::string missing;
  std::string out;
  compile("/x/${nope}").render(out, {}, &missing);
  EXPECT_EQ(missing, "nope");
  EXPECT_EQ(compile("${a}${b}").variables(), (std::vector<std::string>{"a", "b"}));
}

TEST(LoadTemplate, Errors) {
  for (const char* bad : {"${unclosed", "${random_int(5,1)}", "${random_int(a,b)}", "${no spaces}",
                          "${env:CXH_DEFINITELY_UNSET_123}"}) {
    auto r = text_template::compile(bad);
    EXPECT_TRUE(std::holds_alternative<std::string>(r)) << bad;
  }
}
