// The C++ side of the hdr-histogram-js differential test (hdr_oracle.js drives it):
//   hdr_oracle_tool record <samples.txt> <out.hlog> <out.json>  record samples, write our .hlog
//   hdr_oracle_tool read <in.hlog> <out.json>                    read a .hlog (JS-written)
// Both write, per histogram, a JSON summary: counts per bucket, statistics, percentiles and the
// .hgrm text at several scalings, which the script compares with what JS computes.
#include <charconv>
#include <cxh/histogram/hdr.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using cxh::histogram::hdr;

// Kept in step with PERCENTILES and HGRM_SETTINGS in hdr_oracle.js.
const double kPercentiles[] = {0,  0.1, 1,  5,  10,   25,   33.333, 50,     66.6,
                               75, 90,  95, 99, 99.5, 99.9, 99.99,  99.999, 100};
const std::pair<int, double> kHgrmSettings[] = {{5, 1.0}, {3, 1000.0}, {10, 1e6}, {1, 1.0}};

std::string number(double v) {
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string summary(const hdr& h) {
  std::ostringstream o;
  o << "{\"tag\":" << quote(h.tag) << ",\"lowest\":" << h.lowest_discernible()
    << ",\"highest\":" << h.highest_trackable() << ",\"digits\":" << h.significant_digits()
    << ",\"total\":" << h.total_count() << ",\"min\":" << h.min() << ",\"max\":" << h.max()
    << ",\"mean\":" << number(h.mean()) << ",\"stddev\":" << number(h.stddev())
    << ",\"start_ms\":" << h.start_time_ms << ",\"end_ms\":" << h.end_time_ms
    << ",\"percentiles\":[";
  const char* sep = "";
  for (double p : kPercentiles) {
    o << sep << "[" << number(p) << "," << h.value_at_percentile(p) << "]";
    sep = ",";
  }
  o << "],\"buckets\":[";
  sep = "";
  h.for_each_recorded([&](std::int64_t value, std::int64_t count) {
    o << sep << "[" << value << "," << count << "]";
    sep = ",";
  });
  o << "],\"hgrm\":[";
  sep = "";
  for (const auto& [ticks, scaling] : kHgrmSettings) {
    o << sep << quote(cxh::histogram::to_hgrm(h, scaling, ticks));
    sep = ",";
  }
  o << "]}";
  return o.str();
}

bool write_summaries(const std::vector<const hdr*>& all, const std::string& path) {
  std::ofstream out(path);
  out << "[\n";
  for (std::size_t i = 0; i < all.size(); ++i) out << (i ? ",\n" : "") << summary(*all[i]);
  out << "\n]\n";
  return static_cast<bool>(out);
}

// samples.txt: "histogram <lowest> <highest> <digits> <tag|->", then "<value> <count>" lines,
// then "end"; repeated.
bool read_samples(const std::string& path, std::vector<hdr>& out, std::string& why) {
  std::ifstream in(path);
  if (!in) {
    why = "cannot open " + path;
    return false;
  }
  std::string word;
  while (in >> word) {
    if (word != "histogram") {
      why = "expected 'histogram', found '" + word + "'";
      return false;
    }
    std::int64_t lowest = 0, highest = 0;
    int digits = 0;
    std::string tag;
    in >> lowest >> highest >> digits >> tag;
    out.emplace_back(lowest, highest, digits);
    out.back().tag = tag == "-" ? "" : tag;
    while (in >> word && word != "end") {
      std::int64_t count = 0;
      in >> count;
      const std::int64_t value = std::stoll(word);
      if (!out.back().record(value, count)) {
        why = "value " + word + " out of range";
        return false;
      }
    }
  }
  return true;
}

int record(const std::string& samples, const std::string& hlog, const std::string& json) {
  std::vector<hdr> all;
  std::string why;
  if (!read_samples(samples, all, why)) {
    std::cerr << "hdr_oracle_tool: " << samples << ": " << why << "\n";
    return 2;
  }
  std::ofstream out(hlog);
  cxh::histogram::hlog_writer writer(out);
  const double start_time_s = 1'700'000'000.125;
  writer.write_header(start_time_s, "written by cxharness hdr_oracle_tool");
  std::vector<const hdr*> pointers;
  for (std::size_t i = 0; i < all.size(); ++i) {
    writer.write_interval(all[i], static_cast<double>(i) * 2.0, 1.5, 1.0);
    pointers.push_back(&all[i]);
  }
  out.close();
  return write_summaries(pointers, json) && out ? 0 : 1;
}

int read(const std::string& hlog, const std::string& json) {
  std::ifstream in(hlog);
  std::string why;
  const auto file = cxh::histogram::read_hlog(in, &why);
  if (!file) {
    std::cerr << "hdr_oracle_tool: " << hlog << ": " << why << "\n";
    return 1;
  }
  std::vector<const hdr*> pointers;
  for (const auto& interval : file->intervals) pointers.push_back(&interval.histogram);
  return write_summaries(pointers, json) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "record") return record(args[1], args[2], args[3]);
  if (args.size() == 3 && args[0] == "read") return read(args[1], args[2]);
  std::cerr << "usage: hdr_oracle_tool record <samples.txt> <out.hlog> <out.json>\n"
               "       hdr_oracle_tool read <in.hlog> <out.json>\n";
  return 2;
}
