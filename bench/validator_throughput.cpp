// validator_throughput SCHEMA NDJSON [seconds] [--all-errors] [--formats]
//
// Reads a schema and the documents of an NDJSON file (one a line, kept as raw bytes), then runs
// for `seconds` each (default 2): (a) parse + validate per document from its raw bytes, and
// (b) validate on the pre-parsed documents. Prints one JSON line:
//   {"parse_validate_per_s":..,"validate_per_s":..,"docs":..,"valid":..,...}
// "valid" counts the documents valid in one pass; the loops count their valid results too, so
// that the work cannot be optimized away. The counterpart with ajv is validator_vs_ajv.js.
//
// --all-errors: validate() (every error) instead of is_valid() (stops at the first).
// --formats: format-assertion on (off by default, as the 2020-12 default and ajv's
//            validateFormats: false in the comparison).

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cxh/schema/validator.hpp>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "bench_data.hpp"

namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

struct arguments {
  std::string schema_path;
  std::string documents_path;
  double seconds = 2.0;
  bool all_errors = false;
  bool formats = false;
};

int usage(const std::string& problem) {
  std::cerr << "validator_throughput: " << problem << "\n"
            << "usage: validator_throughput SCHEMA NDJSON [seconds] [--all-errors] [--formats]\n";
  return 2;
}

bool parse_arguments(int argc, char** argv, arguments& a, std::string& problem) {
  std::vector<std::string_view> positional;
  for (int i = 1; i < argc; ++i) {
    std::string_view v = argv[i];
    if (v == "--all-errors")
      a.all_errors = true;
    else if (v == "--formats")
      a.formats = true;
    else if (v.size() > 1 && v.substr(0, 2) == "--")
      problem = "unknown option " + std::string(v);
    else
      positional.push_back(v);
  }
  if (!problem.empty()) return false;
  if (positional.size() < 2 || positional.size() > 3) {
    problem = "expected SCHEMA NDJSON [seconds]";
    return false;
  }
  a.schema_path = positional[0];
  a.documents_path = positional[1];
  if (positional.size() == 3) {
    char* end = nullptr;
    std::string s(positional[2]);
    a.seconds = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !(a.seconds > 0) || a.seconds > 3600) {
      problem = "seconds must be a number in (0, 3600]";
      return false;
    }
  }
  return true;
}

// The verdict either way the run asks for it.
struct checker {
  const cxh::schema::schema& s;
  bool all_errors;
  bool operator()(const json& doc) const {
    return all_errors ? s.validate(doc).empty() : s.is_valid(doc);
  }
};

struct loop_result {
  double per_s = 0;
  std::size_t runs = 0;
  std::size_t valid = 0;
};

// Runs step(i) over the documents, cyclically, until `seconds` have passed. The clock is read
// once per batch of documents so that reading it costs nothing measurable.
template <class Step>
loop_result run_for(double seconds, std::size_t docs, Step step) {
  constexpr std::size_t batch = 32;
  loop_result r;
  const auto start = clock_type::now();
  const auto stop = start + std::chrono::duration<double>(seconds);
  auto now = start;
  std::size_t i = 0;
  while (now < stop) {
    for (std::size_t k = 0; k < batch; ++k) {
      r.valid += step(i) ? 1 : 0;
      if (++i == docs) i = 0;
    }
    r.runs += batch;
    now = clock_type::now();
  }
  r.per_s = static_cast<double>(r.runs) / std::chrono::duration<double>(now - start).count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  arguments a;
  std::string problem;
  if (!parse_arguments(argc, argv, a, problem)) return usage(problem);

  auto schema_text = cxh::bench::read_file(a.schema_path);
  if (!schema_text) return usage("cannot read " + a.schema_path);
  json schema_document = json::parse(*schema_text, nullptr, false);
  if (schema_document.is_discarded()) return usage(a.schema_path + ": not valid JSON");
  cxh::schema::options opts;
  opts.assert_formats = a.formats;
  auto compiled = cxh::schema::compile(schema_document, opts);
  if (auto* found = std::get_if<cxh::diagnostics>(&compiled)) {
    for (const auto& d : *found) std::cerr << cxh::to_string(d) << "\n";
    return usage(a.schema_path + ": the schema does not compile");
  }
  const auto& schema = std::get<cxh::schema::schema>(compiled);

  auto documents_text = cxh::bench::read_file(a.documents_path);
  if (!documents_text) return usage("cannot read " + a.documents_path);
  const std::vector<std::string> raw = cxh::bench::split_lines(*documents_text);
  if (raw.empty()) return usage(a.documents_path + ": no documents");
  std::vector<json> parsed;
  parsed.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    parsed.push_back(json::parse(raw[i], nullptr, false));
    if (parsed.back().is_discarded())
      return usage(a.documents_path + ":" + std::to_string(i + 1) + ": not valid JSON");
  }

  const checker check{schema, a.all_errors};
  std::size_t valid = 0;
  for (const auto& doc : parsed) valid += check(doc) ? 1 : 0;

  auto parse_validate = [&](std::size_t i) {
    json doc = json::parse(raw[i], nullptr, false);
    return !doc.is_discarded() && check(doc);
  };
  auto validate_only = [&](std::size_t i) { return check(parsed[i]); };

  // A short warm-up for caches and the allocator; the ajv counterpart does the same for its JIT.
  const double warm_up = std::min(0.5, a.seconds / 5);
  run_for(warm_up, raw.size(), parse_validate);
  run_for(warm_up, raw.size(), validate_only);
  const loop_result pv = run_for(a.seconds, raw.size(), parse_validate);
  const loop_result vo = run_for(a.seconds, raw.size(), validate_only);

  const std::size_t bytes = cxh::bench::total_bytes(raw);
  const double mean_bytes = static_cast<double>(bytes) / static_cast<double>(raw.size());
  nlohmann::ordered_json out;
  out["impl"] = "cxh";
  out["parse_validate_per_s"] = static_cast<std::int64_t>(pv.per_s);
  out["validate_per_s"] = static_cast<std::int64_t>(vo.per_s);
  out["docs"] = raw.size();
  out["valid"] = valid;
  out["bytes"] = bytes;
  out["parse_validate_mb_per_s"] = pv.per_s * mean_bytes / 1e6;
  out["validate_mb_per_s"] = vo.per_s * mean_bytes / 1e6;
  out["loop_valid"] = pv.valid + vo.valid;
  out["all_errors"] = a.all_errors;
  out["formats"] = a.formats;
  std::cout << out.dump() << std::endl;
  return 0;
}
