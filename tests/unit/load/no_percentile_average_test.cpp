// The lint the issue asks for: percentiles are never averaged. It fails when a source file of
// harness/load, its reports or the CLI command adds up or divides percentile values, instead
// of merging histograms.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

TEST(LoadLint, NoPercentileIsAveraged) {
  // value_at_percentile(...) or a p50/p99 field, then + or / within the same expression, or
  // a sum/mean/average over such values.
  std::regex averaging(R"((value_at_percentile\([^;]*\)\s*[+]|[+]\s*[a-z_.>-]*value_at_percentile|)"
                       R"((p50|p90|p99|p99_9)(_us|_ms)?\s*\+\s*[a-z_.>-]*(p50|p90|p99|p99_9)|)"
                       R"((average|mean|avg)[a-z_]*\s*\([^;]*(percentile|p99|p50)))",
                       std::regex::icase);
  std::vector<std::filesystem::path> roots{CXH_SOURCE_DIR "/harness/load",
                                           CXH_SOURCE_DIR "/harness/cli/load_command.cpp"};
  int files = 0;
  for (const auto& root : roots) {
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(root)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.path().extension() == ".cpp" || e.path().extension() == ".hpp")
          paths.push_back(e.path());
    } else {
      paths.push_back(root);
    }
    for (const auto& p : paths) {
      std::ifstream in(p);
      std::string line;
      int n = 0;
      ++files;
      while (std::getline(in, line)) {
        ++n;
        EXPECT_FALSE(std::regex_search(line, averaging)) << p.string() << ":" << n << ": " << line;
      }
    }
  }
  EXPECT_GT(files, 10);
  // The lint itself catches the pattern it is for.
  EXPECT_TRUE(std::regex_search(
      "double m = (a.value_at_percentile(99) + b.value_at_percentile(99)) / 2;", averaging));
  EXPECT_TRUE(std::regex_search("x = t.p99_us + u.p99_us", averaging));
}
