// The .hgrm percentile distribution and the reference-compatible decimal formatting.
#include <gtest/gtest.h>

#include <cxh/histogram/hdr.hpp>
#include <sstream>
#include <stdexcept>

#include "decimal.hpp"

namespace {

using cxh::histogram::hdr;
using cxh::histogram::to_hgrm;
using cxh::histogram::detail::format_fixed;

TEST(Decimal, RoundsTheShortestDigitsHalfUp) {
  // Intl.NumberFormat (the JS port) and Java's Formatter print these so; printf does not.
  EXPECT_EQ(format_fixed(1.0005, 3), "1.001");
  EXPECT_EQ(format_fixed(0.125, 2), "0.13");
  EXPECT_EQ(format_fixed(1.005, 2), "1.01");
  EXPECT_EQ(format_fixed(0.145, 2), "0.15");
  EXPECT_EQ(format_fixed(9223372036854775807.0, 3), "9223372036854776000.000");
  EXPECT_EQ(format_fixed(0.1, 12), "0.100000000000");
}

TEST(Decimal, CarriesPadsAndHandlesTinyValues) {
  EXPECT_EQ(format_fixed(9.9996, 3), "10.000");
  EXPECT_EQ(format_fixed(999.5, 0), "1000");
  EXPECT_EQ(format_fixed(0.0, 3), "0.000");
  EXPECT_EQ(format_fixed(1e-7, 3), "0.000");
  EXPECT_EQ(format_fixed(0.0006, 3), "0.001");
  EXPECT_EQ(format_fixed(0.0004, 3), "0.000");
  EXPECT_EQ(format_fixed(12345678.9, 2), "12345678.90");
  EXPECT_EQ(format_fixed(1e21, 1), "1000000000000000000000.0");
  EXPECT_EQ(format_fixed(-2.5, 0), "-3");
  EXPECT_EQ(format_fixed(-0.0001, 2), "0.00");
  EXPECT_EQ(format_fixed(1.0 / 0.0, 2), "Infinity");
}

TEST(Hgrm, DistributionOfFourValues) {
  hdr h;
  for (std::int64_t v : {1, 2, 3, 4}) h.record(v);
  // Worked by hand from the PercentileIterator rules: 10% steps up to 50%, 5% up to 75%,
  // 2.5% from there; each reported at the first bucket reaching it; a last line at 100%.
  EXPECT_EQ(to_hgrm(h),
            "       Value     Percentile TotalCount 1/(1-Percentile)\n"
            "\n"
            "       1.000 0.000000000000          1           1.00\n"
            "       1.000 0.100000000000          1           1.11\n"
            "       1.000 0.200000000000          1           1.25\n"
            "       2.000 0.300000000000          2           1.43\n"
            "       2.000 0.400000000000          2           1.67\n"
            "       2.000 0.500000000000          2           2.00\n"
            "       3.000 0.550000000000          3           2.22\n"
            "       3.000 0.600000000000          3           2.50\n"
            "       3.000 0.650000000000          3           2.86\n"
            "       3.000 0.700000000000          3           3.33\n"
            "       3.000 0.750000000000          3           4.00\n"
            "       4.000 0.775000000000          4           4.44\n"
            "       4.000 1.000000000000          4\n"
            "#[Mean    =        2.500, StdDeviation   =        1.118]\n"
            "#[Max     =        4.000, Total count    =            4]\n"
            "#[Buckets =           32, SubBuckets     =         2048]\n");
}

TEST(Hgrm, ScalingTicksAndDigits) {
  hdr h(1, 10'000'000, 2);
  h.record(1500, 3);
  h.record(250'000);
  // One tick per half distance: levels 0, 50, 75 reach the 1500 bucket (75%), then 87.5 the top.
  const std::string text = to_hgrm(h, 1000.0, 1);
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 2u + 5u + 3u);
  EXPECT_EQ(rows[2], "        1.50 0.000000000000          3           1.00");
  EXPECT_EQ(rows[3], "        1.50 0.500000000000          3           2.00");
  EXPECT_EQ(rows[4], "        1.50 0.750000000000          3           4.00");
  // 250000 with 2 digits lives in a bucket of width 1024: its highest equivalent, in thousands.
  EXPECT_EQ(rows[5], "      250.88 0.875000000000          4           8.00");
  EXPECT_EQ(rows[6], "      250.88 1.000000000000          4");
  EXPECT_EQ(rows[8], "#[Max     =       250.88, Total count    =            4]");
  EXPECT_EQ(h.highest_equivalent(250'000), 250'879);  // [249856, 250880): width 1024
}

TEST(Hgrm, EmptyHistogramHasOnlyHeaderAndFooter) {
  EXPECT_EQ(to_hgrm(hdr(1, 1000, 1)),
            "       Value     Percentile TotalCount 1/(1-Percentile)\n"
            "\n"
            "#[Mean    =          0.0, StdDeviation   =          0.0]\n"
            "#[Max     =          0.0, Total count    =            0]\n"
            "#[Buckets =            6, SubBuckets     =           32]\n");
}

TEST(Hgrm, RejectsBadArguments) {
  hdr h;
  EXPECT_THROW(to_hgrm(h, 0.0), std::invalid_argument);
  EXPECT_THROW(to_hgrm(h, -1.0), std::invalid_argument);
  EXPECT_THROW(to_hgrm(h, 1.0, 0), std::invalid_argument);
}

TEST(Hgrm, EveryCountIsReportedAndLevelsAscend) {
  hdr h(1, 1'000'000'000, 3);
  for (std::int64_t v = 1; v < 200'000; v = v * 11 / 10 + 1) h.record(v, v % 7 + 1);
  const std::string text = to_hgrm(h, 1.0, 5);
  std::istringstream lines(text);
  std::string line;
  double last_level = -1;
  std::int64_t last_total = 0;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.find("Value") != std::string::npos) continue;
    std::istringstream fields(line);
    double value = 0, level = 0;
    std::int64_t total = 0;
    fields >> value >> level >> total;
    EXPECT_GT(level, last_level) << line;
    EXPECT_GE(total, last_total) << line;
    last_level = level;
    last_total = total;
    ++rows;
  }
  EXPECT_EQ(last_level, 1.0);
  EXPECT_EQ(last_total, h.total_count());
  EXPECT_GT(rows, 25);  // ~5 rows per halving of the remaining distance
}

}  // namespace
