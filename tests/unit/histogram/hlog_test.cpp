// The interval log: exact text of what hlog_writer writes, reading it back, reading a log that
// hdr-histogram-js 3.0.1 wrote, and errors that name the line.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "cxh/histogram/hdr.hpp"

namespace cxh::histogram {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(HistogramLog, WritesTheJavaLayout) {
  std::ostringstream out;
  hlog_writer writer(out);
  writer.write_header(1700000000.123, "Logged by cxharness\nsecond line");
  hdr h;
  for (int i = 1; i <= 10000; ++i) h.record(i * 1000);
  h.tag = "GET_/users";
  writer.write_interval(h, 0.5, 1.0);
  h.tag.clear();
  writer.write_interval(h, 1.5, 1.25, 1000);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0], "#Logged by cxharness");
  EXPECT_EQ(lines[1], "#second line");
  EXPECT_EQ(lines[2], "#[Histogram log format version 1.3]");
  EXPECT_EQ(lines[3],
            "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]");
  EXPECT_EQ(lines[4], "#[BaseTime: 1700000000.123 (seconds since epoch)]");
  EXPECT_EQ(lines[5],
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
            "\"Interval_Compressed_Histogram\"");
  // max() is 10002431 (highest equivalent of 10^7), divided by the default ratio 1e6.
  EXPECT_EQ(lines[6], "Tag=GET_/users,0.500,1.000,10.002," + to_base64(h));
  EXPECT_EQ(lines[7], "1.500,1.250,10002.431," + to_base64(h));
}

TEST(HistogramLog, ReadsBackWhatItWrites) {
  std::ostringstream out;
  hlog_writer writer(out);
  writer.write_header(1700000000.5);
  hdr a(1000, 60'000'000'000, 2), b;
  a.record(1'500'000);
  a.record(2'500'000, 3);
  a.tag = "POST";
  for (int i = 0; i < 500; ++i) b.record(i * 37);
  writer.write_interval(a, 0, 1);
  writer.write_interval(b, 1, 0.75);
  std::istringstream in(out.str());
  std::string why;
  const auto log = read_hlog(in, &why);
  ASSERT_TRUE(log) << why;
  EXPECT_DOUBLE_EQ(log->start_time_s, 1700000000.5);
  EXPECT_DOUBLE_EQ(log->base_time_s, 1700000000.5);
  ASSERT_EQ(log->intervals.size(), 2u);
  const auto& first = log->intervals[0];
  EXPECT_EQ(first.tag, "POST");
  EXPECT_EQ(first.histogram.tag, "POST");
  EXPECT_DOUBLE_EQ(first.start_s, 0);
  EXPECT_DOUBLE_EQ(first.length_s, 1);
  // The max column is max() (the highest equivalent of 2500000) / 1e6 with 3 decimals.
  EXPECT_DOUBLE_EQ(first.max, std::round(static_cast<double>(a.max()) / 1000) / 1000);
  EXPECT_GT(first.max, 2.5);
  EXPECT_TRUE(first.histogram.same_counts(a));
  EXPECT_EQ(first.histogram.start_time_ms, 1700000000500);
  EXPECT_EQ(first.histogram.end_time_ms, 1700000001500);
  const auto& second = log->intervals[1];
  EXPECT_EQ(second.tag, "");
  EXPECT_TRUE(second.histogram.same_counts(b));
  EXPECT_EQ(second.histogram.start_time_ms, 1700000001500);
  EXPECT_EQ(second.histogram.end_time_ms, 1700000002250);
}

// Written by hdr-histogram-js 3.0.1's HistogramLogWriter: no BaseTime line, a blank line after
// StartTime, the JS Date layout, relative timestamps, its raw max in the max column.
constexpr const char* kJsLog =
    "#[Histogram log format version 1.3]\n"
    "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 2023 22:13:20 GMT+0000 "
    "(Coordinated Universal Time)]\n"
    "\n"
    "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
    "Tag=GET,0.000,1.000,2500.511,HISTFAAAAC14nJNpmSzMwMDAxsDAwMjAwMDEAAbMLxgYGHh/"
    "uEcwQAHjWy6m/YxMAHP4BZs=\n"
    "1.000,1.500,0.042,HISTFAAAACV4nJNpmSzMwMDAxMDAwMjAwMDMAAEgNsO1yUsYYPxgJgBQEgOx\n";

TEST(HistogramLog, ReadsWhatHdrHistogramJsWrites) {
  std::istringstream in(kJsLog);
  std::string why;
  const auto log = read_hlog(in, &why);
  ASSERT_TRUE(log) << why;
  // Timestamps over a year before StartTime are relative: the base is the start time.
  EXPECT_DOUBLE_EQ(log->base_time_s, 1700000000.123);
  ASSERT_EQ(log->intervals.size(), 2u);
  hdr get(1000, 60'000'000'000, 2);
  get.record(1'500'000);
  get.record(2'500'000);
  EXPECT_EQ(log->intervals[0].tag, "GET");
  EXPECT_TRUE(log->intervals[0].histogram.same_counts(get));
  EXPECT_EQ(log->intervals[0].histogram.start_time_ms, 1700000000123);
  EXPECT_EQ(log->intervals[0].histogram.end_time_ms, 1700000001123);
  hdr other(1, 3'600'000'000, 3);
  other.record(42);
  EXPECT_TRUE(log->intervals[1].histogram.same_counts(other));
  EXPECT_DOUBLE_EQ(log->intervals[1].length_s, 1.5);
  EXPECT_EQ(log->intervals[1].histogram.end_time_ms, 1700000002623);
}

TEST(HistogramLog, AbsoluteTimestampsAndCrLf) {
  hdr h;
  h.record(9);
  const std::string text =
      "#[StartTime: 1700000000.000 (seconds since epoch), x]\r\n"
      "1700000005.250,1.000,0.000," +
      to_base64(h) + "\r\n";
  std::istringstream in(text);
  std::string why;
  const auto log = read_hlog(in, &why);
  ASSERT_TRUE(log) << why;
  EXPECT_DOUBLE_EQ(log->base_time_s, 0);
  ASSERT_EQ(log->intervals.size(), 1u);
  EXPECT_EQ(log->intervals[0].histogram.start_time_ms, 1700000005250);
  EXPECT_TRUE(log->intervals[0].histogram.same_counts(h));
}

std::string read_error(const std::string& text) {
  std::istringstream in(text);
  std::string why;
  const auto log = read_hlog(in, &why);
  EXPECT_FALSE(log);
  return why;
}

TEST(HistogramLog, ErrorsNameTheLine) {
  hdr h;
  h.record(1);
  const std::string b64 = to_base64(h);
  const std::string head = "#[Histogram log format version 1.3]\n\"StartTimestamp\",\"x\"\n";
  EXPECT_EQ(read_error(head + "0.0,1.0," + b64 + "\n"),
            "hlog line 3: expected [Tag=<tag>,]<start>,<length>,<max>,<histogram> but found 3 "
            "fields");
  EXPECT_EQ(read_error(head + "0.0,1.0,2.0,3.0," + b64 + "\n").substr(0, 12), "hlog line 3:");
  EXPECT_EQ(read_error(head + "\n0.0,abc,2.0," + b64 + "\n"),
            "hlog line 4: interval length 'abc' is not a number");
  EXPECT_EQ(read_error("#[StartTime: soon (seconds since epoch)]\n"),
            "hlog line 1: StartTime is not a number");
  EXPECT_EQ(read_error("#[BaseTime: ]\n"), "hlog line 1: BaseTime is not a number");
  EXPECT_EQ(read_error("Tag=lonely\n"), "hlog line 1: a tag without an interval");
  const std::string bad_b64 = read_error(head + "0.0,1.0,2.0,HISTF@AA\n");
  EXPECT_NE(bad_b64.find("hlog line 3: base64 character 6"), std::string::npos) << bad_b64;
  const std::string truncated = read_error(head + "0.0,1.0,2.0," + b64.substr(0, 20) + "\n");
  EXPECT_NE(truncated.find("hlog line 3: compressed histogram"), std::string::npos) << truncated;
  EXPECT_NE(read_error("1e300,1.0,2.0," + b64 + "\n").find("out of range"), std::string::npos);
}

TEST(HistogramLog, EmptyAndCommentOnlyLogsHaveNoIntervals) {
  for (const char* text : {"", "\n\n", "#just a comment\n", "#[BaseTime: 12.5 (x)]\n"}) {
    std::istringstream in(text);
    const auto log = read_hlog(in);
    ASSERT_TRUE(log);
    EXPECT_TRUE(log->intervals.empty());
  }
}

TEST(HistogramLog, WriterRejectsWhatReadersCouldNotParse) {
  std::ostringstream out;
  hlog_writer writer(out);
  hdr h;
  h.tag = "a,b";
  EXPECT_THROW(writer.write_interval(h, 0, 1), std::invalid_argument);
  h.tag = "a b";
  EXPECT_THROW(writer.write_interval(h, 0, 1), std::invalid_argument);
  h.tag.clear();
  EXPECT_THROW(writer.write_interval(h, std::nan(""), 1), std::invalid_argument);
  EXPECT_THROW(writer.write_interval(h, 0, 1, 0), std::invalid_argument);
  EXPECT_THROW(writer.write_header(INFINITY), std::invalid_argument);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace cxh::histogram
