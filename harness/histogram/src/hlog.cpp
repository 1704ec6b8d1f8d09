// The HdrHistogram interval log (.hlog), as HistogramLogWriter writes and HistogramLogReader
// reads it: '#' header lines (format version, StartTime, BaseTime), a CSV legend, then one line
// per interval "[Tag=<tag>,]<start>,<length>,<max>,<base64 compressed histogram>".
#include <charconv>
#include <cmath>
#include <ctime>
#include <istream>
#include <ostream>
#include <stdexcept>

#include "cxh/histogram/hdr.hpp"
#include "decimal.hpp"

namespace cxh::histogram {
namespace {

constexpr std::string_view kStartTime = "#[StartTime: ";
constexpr std::string_view kBaseTime = "#[BaseTime: ";
constexpr std::string_view kLegend = "\"StartTimestamp\"";
constexpr std::string_view kTagPrefix = "Tag=";
// Readers take timestamps more than a year before StartTime to be relative when no BaseTime
// line says so.
constexpr double kYearSeconds = 365 * 24 * 3600.0;

void require_time(double t, const char* what) {
  if (!std::isfinite(t) || std::fabs(t) > 9e12) {
    throw std::invalid_argument(std::string("hlog: ") + what +
                                " must be a finite number of seconds");
  }
}

// Java's Date.toString() layout, in UTC: "Thu Jan 01 00:00:00 UTC 1970".
std::string java_date(double seconds) {
  const auto t = static_cast<std::time_t>(std::floor(seconds));
  std::tm utc{};
  if (gmtime_r(&t, &utc) == nullptr) return "?";
  char text[64];
  std::strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &utc);
  return text;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// The number that follows a "#[StartTime: " / "#[BaseTime: " prefix, up to the next space.
std::optional<double> header_number(std::string_view line, std::string_view prefix) {
  line.remove_prefix(prefix.size());
  const auto end = line.find_first_of(" ]");
  return parse_number(line.substr(0, end));
}

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40) out += "...";
  return out + "'";
}

}  // namespace

void hlog_writer::write_header(double start_time_s, std::string_view comment) {
  require_time(start_time_s, "the start time");
  while (!comment.empty()) {
    const auto end = comment.find('\n');
    out_ << '#' << comment.substr(0, end) << '\n';
    comment = end == std::string_view::npos ? std::string_view{} : comment.substr(end + 1);
  }
  out_ << "#[Histogram log format version 1.3]\n";
  out_ << kStartTime << detail::format_fixed(start_time_s, 3) << " (seconds since epoch), "
       << java_date(start_time_s) << "]\n";
  out_ << kBaseTime << detail::format_fixed(start_time_s, 3) << " (seconds since epoch)]\n";
  out_ << "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_"
          "Histogram\"\n";
}

void hlog_writer::write_interval(const hdr& h, double start_s, double length_s,
                                 double max_value_unit_ratio) {
  require_time(start_s, "an interval start");
  require_time(length_s, "an interval length");
  if (!(max_value_unit_ratio > 0) || !std::isfinite(max_value_unit_ratio)) {
    throw std::invalid_argument("hlog: the max value unit ratio must be a positive finite number");
  }
  for (unsigned char c : h.tag) {
    if (c == ',' || c <= 0x20 || c == 0x7f) {
      throw std::invalid_argument("hlog: tag " + quoted(h.tag) +
                                  " contains a comma, space or control character");
    }
  }
  if (!h.tag.empty()) out_ << kTagPrefix << h.tag << ',';
  out_ << detail::format_fixed(start_s, 3) << ',' << detail::format_fixed(length_s, 3) << ','
       << detail::format_fixed(static_cast<double>(h.max()) / max_value_unit_ratio, 3) << ','
       << to_base64(h) << '\n';
}

std::optional<hlog_file> read_hlog(std::istream& in, std::string* why) {
  hlog_file file;
  bool have_base_time = false;
  std::size_t line_number = 0;
  auto fail = [&](const std::string& what) -> std::optional<hlog_file> {
    if (why) *why = "hlog line " + std::to_string(line_number) + ": " + what;
    return std::nullopt;
  };
  std::string text;
  while (std::getline(in, text)) {
    ++line_number;
    std::string_view line = text;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    if (line.starts_with(kStartTime) || line.starts_with(kBaseTime)) {
      const bool start = line.starts_with(kStartTime);
      const auto value = header_number(line, start ? kStartTime : kBaseTime);
      if (!value) return fail(std::string(start ? "StartTime" : "BaseTime") + " is not a number");
      (start ? file.start_time_s : file.base_time_s) = *value;
      if (!start) have_base_time = true;
      continue;
    }
    if (line.starts_with('#') || line.starts_with(kLegend)) continue;

    hlog_interval interval;
    if (line.starts_with(kTagPrefix)) {
      const auto comma = line.find(',');
      if (comma == std::string_view::npos) return fail("a tag without an interval");
      interval.tag = std::string(line.substr(kTagPrefix.size(), comma - kTagPrefix.size()));
      line.remove_prefix(comma + 1);
    }
    std::string_view fields[4];
    std::size_t count = 0;
    for (std::size_t from = 0;;) {
      const auto comma = line.find(',', from);
      if (count < 4)
        fields[count] = line.substr(from, comma == std::string_view::npos ? comma : comma - from);
      ++count;
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
    if (count != 4) {
      return fail("expected [Tag=<tag>,]<start>,<length>,<max>,<histogram> but found " +
                  std::to_string(count) + " fields");
    }
    const char* names[3] = {"start timestamp", "interval length", "interval max"};
    double numbers[3] = {};
    for (int i = 0; i < 3; ++i) {
      const auto value = parse_number(fields[i]);
      if (!value) return fail(std::string(names[i]) + " " + quoted(fields[i]) + " is not a number");
      numbers[i] = *value;
    }
    interval.start_s = numbers[0];
    interval.length_s = numbers[1];
    interval.max = numbers[2];
    if (!have_base_time) {
      file.base_time_s =
          interval.start_s < file.start_time_s - kYearSeconds ? file.start_time_s : 0.0;
      have_base_time = true;
    }
    const double start_ms = (file.base_time_s + interval.start_s) * 1000;
    const double end_ms = start_ms + interval.length_s * 1000;
    if (std::fabs(start_ms) > 9e15 || std::fabs(end_ms) > 9e15) {
      return fail("the interval's timestamps are out of range");
    }
    std::string reason;
    auto histogram = from_base64(trim(fields[3]), &reason);
    if (!histogram) return fail(reason);
    histogram->start_time_ms = std::llround(start_ms);
    histogram->end_time_ms = std::llround(end_ms);
    histogram->tag = interval.tag;
    interval.histogram = std::move(*histogram);
    file.intervals.push_back(std::move(interval));
  }
  if (in.bad()) return fail("read error");
  return file;
}

}  // namespace cxh::histogram
