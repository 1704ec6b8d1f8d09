// write_file_atomically: reports replace a symlink at their path instead of writing through it,
// and a failed write leaves the previous file and no temporary behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cxh/core/atomic_file.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("cxh-atomic-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
  }
  fs::path dir;
};

TEST_F(AtomicFile, WritesANewFile) {
  EXPECT_EQ(cxh::write_file_atomically((dir / "r.json").string(), "{}\n"), "");
  EXPECT_EQ(slurp(dir / "r.json"), "{}\n");
  EXPECT_EQ(entries(), 1u);  // no temporary left
}

TEST_F(AtomicFile, ReplacesASymlinkInsteadOfFollowingIt) {
  std::ofstream(dir / "victim") << "precious";
  fs::create_symlink(dir / "victim", dir / "report.html");
  EXPECT_EQ(cxh::write_file_atomically((dir / "report.html").string(), "<html>"), "");
  EXPECT_EQ(slurp(dir / "victim"), "precious");
  EXPECT_FALSE(fs::is_symlink(dir / "report.html"));
  EXPECT_EQ(slurp(dir / "report.html"), "<html>");
}

TEST_F(AtomicFile, ADirectoryAtThePathIsAnErrorAndNothingIsLeft) {
  fs::create_directories(dir / "out");
  EXPECT_NE(cxh::write_file_atomically((dir / "out").string(), "x"), "");
  EXPECT_TRUE(fs::is_directory(dir / "out"));
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, AMissingDirectoryIsAnError) {
  EXPECT_NE(cxh::write_file_atomically((dir / "no" / "such" / "r.xml").string(), "x"), "");
}

TEST_F(AtomicFile, OverwritesAnExistingFile) {
  std::ofstream(dir / "r.xml") << "old";
  EXPECT_EQ(cxh::write_file_atomically((dir / "r.xml").string(), "new"), "");
  EXPECT_EQ(slurp(dir / "r.xml"), "new");
}

}  // namespace
