// Micro-benchmarks of the JSON Schema validator (cxh::schema): compile times, validation of
// pre-parsed documents (fast path and every error), parse + validate from raw bytes, and loading
// the OpenAPI documents of schemas/. Figures are meant to be compared within one run.
//
// Documents: bench/data/samples/<schema>.ndjson (valid) and <schema>.invalid.ndjson, or the
// same names in $CXH_BENCH_DATA when set (bench/data/generate.js writes them).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_data.hpp"

#ifndef CXH_SOURCE_DIR
#error "CXH_SOURCE_DIR must name the repository root"
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const bench_schema_names[] = {"engage-interactions", "wsv2-result",
                                          "cometd-notifications"};

const fs::path source_dir{CXH_SOURCE_DIR};

std::string diagnostics_text(const cxh::diagnostics& found) {
  std::string out;
  for (const auto& d : found) out += cxh::to_string(d) + "\n";
  return out;
}

cxh::schema::schema compile_or_throw(const json& document, const cxh::schema::options& opts) {
  auto r = cxh::schema::compile(document, opts);
  if (auto* found = std::get_if<cxh::diagnostics>(&r)) {
    throw std::runtime_error("schema does not compile:\n" + diagnostics_text(*found));
  }
  return std::get<cxh::schema::schema>(r);
}

// A set of documents: raw bytes and their parsed form.
struct documents {
  std::vector<std::string> raw;
  std::vector<json> parsed;
  std::size_t bytes = 0;
};

documents load_documents(const fs::path& file) {
  documents d;
  auto text = cxh::bench::read_file(file.string());
  if (!text) return d;
  d.raw = cxh::bench::split_lines(*text);
  d.bytes = cxh::bench::total_bytes(d.raw);
  for (const auto& line : d.raw) d.parsed.push_back(json::parse(line));
  return d;
}

// Everything one bench schema needs; shared by its benchmarks.
struct schema_case {
  std::string name;
  json schema_document;
  documents valid;
  documents invalid;
};

std::shared_ptr<const schema_case> load_case(const std::string& name) {
  auto c = std::make_shared<schema_case>();
  c->name = name;
  fs::path schema_file = source_dir / "bench" / "data" / "schemas" / (name + ".json");
  auto text = cxh::bench::read_file(schema_file.string());
  if (!text) throw std::runtime_error("cannot read " + schema_file.string());
  c->schema_document = json::parse(*text);
  fs::path dir = source_dir / "bench" / "data" / "samples";
  if (const char* env = std::getenv("CXH_BENCH_DATA"); env && *env) dir = env;
  c->valid = load_documents(dir / (name + ".ndjson"));
  c->invalid = load_documents(dir / (name + ".invalid.ndjson"));
  if (c->valid.raw.empty()) throw std::runtime_error("no documents in " + dir.string());
  return c;
}

void set_throughput(benchmark::State& state, const documents& d) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.raw.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(d.bytes));
}

// Every document must get the verdict its file promises, or the figures mean nothing.
bool verdicts_hold(benchmark::State& state, const cxh::schema::schema& s, const documents& d,
                   bool expect_valid) {
  for (const auto& doc : d.parsed) {
    if (s.is_valid(doc) != expect_valid || s.validate(doc).empty() != expect_valid) {
      state.SkipWithError(expect_valid ? "a sample document is not valid"
                                       : "an invalid sample document is valid");
      return false;
    }
  }
  return true;
}

void bm_compile(benchmark::State& state, std::shared_ptr<const schema_case> c, bool checked) {
  cxh::schema::options opts;
  opts.check_against_metaschema = checked;
  for (auto _ : state) {
    auto r = cxh::schema::compile(c->schema_document, opts);
    if (r.index() != 0) {
      state.SkipWithError("the schema does not compile");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void bm_compile_metaschema(benchmark::State& state) {
  const json document = {{"$ref", "https://json-schema.org/draft/2020-12/schema"}};
  for (auto _ : state) {
    auto r = cxh::schema::compile(document);
    if (r.index() != 0) {
      state.SkipWithError("the 2020-12 meta-schema does not compile");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void bm_validate_fast(benchmark::State& state, std::shared_ptr<const schema_case> c,
                      bool valid_set) {
  const auto s = compile_or_throw(c->schema_document, {});
  const documents& d = valid_set ? c->valid : c->invalid;
  if (d.parsed.empty()) return state.SkipWithError("no documents");
  if (!verdicts_hold(state, s, d, valid_set)) return;
  std::size_t valid = 0;
  for (auto _ : state) {
    for (const auto& doc : d.parsed) valid += s.is_valid(doc) ? 1 : 0;
    benchmark::DoNotOptimize(valid);
  }
  set_throughput(state, d);
}

void bm_validate_full(benchmark::State& state, std::shared_ptr<const schema_case> c,
                      bool valid_set) {
  const auto s = compile_or_throw(c->schema_document, {});
  const documents& d = valid_set ? c->valid : c->invalid;
  if (d.parsed.empty()) return state.SkipWithError("no documents");
  if (!verdicts_hold(state, s, d, valid_set)) return;
  std::size_t errors = 0;
  for (auto _ : state) {
    for (const auto& doc : d.parsed) errors += s.validate(doc).size();
    benchmark::DoNotOptimize(errors);
  }
  set_throughput(state, d);
  state.counters["errors_per_doc"] =
      static_cast<double>(errors) /
      static_cast<double>(std::max<std::int64_t>(1, state.iterations()) * d.parsed.size());
}

// nlohmann parsing alone, to read the parse+validate figure against.
void bm_parse(benchmark::State& state, std::shared_ptr<const schema_case> c) {
  for (auto _ : state) {
    for (const auto& raw : c->valid.raw) {
      json doc = json::parse(raw, nullptr, false);
      benchmark::DoNotOptimize(doc);
    }
  }
  set_throughput(state, c->valid);
}

void bm_parse_and_validate(benchmark::State& state, std::shared_ptr<const schema_case> c) {
  const auto s = compile_or_throw(c->schema_document, {});
  if (!verdicts_hold(state, s, c->valid, true)) return;
  std::size_t valid = 0;
  for (auto _ : state) {
    for (const auto& raw : c->valid.raw) {
      json doc = json::parse(raw, nullptr, false);
      valid += !doc.is_discarded() && s.is_valid(doc) ? 1 : 0;
    }
    benchmark::DoNotOptimize(valid);
  }
  set_throughput(state, c->valid);
}

// ------------------------------------------------------------------ the OpenAPI documents

struct openapi_set {
  std::vector<std::string> uris;
  std::vector<std::string> texts;
  std::size_t bytes = 0;
};

// schemas/*.json with common/ and events/, under the URIs the embedded set uses, so that the
// documents' relative $refs between each other resolve inside the set.
std::shared_ptr<const openapi_set> load_openapi_set(const fs::path& root) {
  auto set = std::make_shared<openapi_set>();
  std::vector<fs::path> files;
  for (const char* sub : {"", "common", "events"}) {
    fs::path dir = root / sub;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json")
        files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = cxh::bench::read_file(f.string());
    if (!text) continue;
    set->uris.push_back("https://cxharness.dev/schemas/" + fs::relative(f, root).generic_string());
    set->bytes += text->size();
    set->texts.push_back(std::move(*text));
  }
  return set;
}

cxh::schema::options openapi_options() {
  cxh::schema::options opts;
  opts.check_against_metaschema = false;  // OpenAPI documents, not JSON Schemas
  return opts;
}

// Parse every document and register it with one compiler.
void bm_load_openapi_documents(benchmark::State& state, std::shared_ptr<const openapi_set> set) {
  std::size_t problems = 0;
  for (auto _ : state) {
    cxh::schema::compiler compiler(openapi_options());
    for (std::size_t i = 0; i < set->texts.size(); ++i) {
      problems += compiler.add_document(set->uris[i], json::parse(set->texts[i])).size();
    }
    benchmark::DoNotOptimize(compiler);
  }
  if (problems) state.SkipWithError("add_document reported problems");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(set->texts.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(set->bytes));
  state.counters["documents"] = static_cast<double>(set->texts.size());
}

// The schemas worth compiling in a document: components/schemas/* and $defs/* entries, and the
// root of a document that is a plain JSON Schema (no "openapi" member).
std::vector<std::string> schema_pointers(const json& doc) {
  std::vector<std::string> out;
  if (!doc.is_object()) return out;
  if (!doc.contains("openapi")) out.push_back("");
  auto add_members = [&](const json& parent, const json::json_pointer& prefix) {
    if (!parent.is_object()) return;
    for (auto it = parent.begin(); it != parent.end(); ++it)
      out.push_back((prefix / it.key()).to_string());
  };
  if (auto c = doc.find("components"); c != doc.end() && c->is_object()) {
    if (auto s = c->find("schemas"); s != c->end())
      add_members(*s, json::json_pointer("/components/schemas"));
  }
  if (auto d = doc.find("$defs"); d != doc.end() && doc.contains("openapi")) {
    add_members(*d, json::json_pointer("/$defs"));
  }
  return out;
}

// Load, then compile every component schema; what the OpenAPI loader does at start-up, minus
// the walk of paths (most operation schemas $ref the components).
void bm_load_and_compile_openapi(benchmark::State& state, std::shared_ptr<const openapi_set> set) {
  std::vector<std::vector<std::string>> pointers;
  for (const auto& t : set->texts) pointers.push_back(schema_pointers(json::parse(t)));
  std::size_t compiled = 0, failed = 0;
  for (auto _ : state) {
    compiled = failed = 0;
    cxh::schema::compiler compiler(openapi_options());
    for (std::size_t i = 0; i < set->texts.size(); ++i)
      compiler.add_document(set->uris[i], json::parse(set->texts[i]));
    for (std::size_t i = 0; i < set->texts.size(); ++i) {
      for (const auto& p : pointers[i]) {
        auto r = compiler.compile(set->uris[i] + "#" + p);
        ++(r.index() == 0 ? compiled : failed);
      }
    }
    benchmark::DoNotOptimize(compiler);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(set->texts.size()));
  state.counters["schemas"] = static_cast<double>(compiled);
  state.counters["failed"] = static_cast<double>(failed);
}

void register_all() {
  for (const char* name : bench_schema_names) {
    std::shared_ptr<const schema_case> c;
    try {
      c = load_case(name);
    } catch (const std::exception& e) {
      std::cerr << "validator_bench: " << name << ": " << e.what() << "\n";
      continue;
    }
    const std::string n = name;
    benchmark::RegisterBenchmark(("BM_compile/" + n).c_str(), bm_compile, c, true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_compile_unchecked/" + n).c_str(), bm_compile, c, false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_validate_fast/" + n).c_str(), bm_validate_fast, c, true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_validate_full/" + n).c_str(), bm_validate_full, c, true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_validate_fast_invalid/" + n).c_str(), bm_validate_fast, c,
                                 false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_validate_full_invalid/" + n).c_str(), bm_validate_full, c,
                                 false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_parse/" + n).c_str(), bm_parse, c)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_parse_and_validate/" + n).c_str(), bm_parse_and_validate, c)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_compile_metaschema", bm_compile_metaschema)
      ->Unit(benchmark::kMillisecond);

  const fs::path schemas_dir = source_dir / "schemas";
  std::error_code ec;
  if (fs::is_directory(schemas_dir, ec)) {
    auto set = load_openapi_set(schemas_dir);
    if (!set->texts.empty()) {
      benchmark::RegisterBenchmark("BM_load_openapi_documents", bm_load_openapi_documents, set)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark("BM_load_and_compile_openapi", bm_load_and_compile_openapi, set)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
