// Runs the official JSON-Schema-Test-Suite against cxh::schema.
//
//   json_schema_suite --suite DIR --draft draft2020-12|draft7 [--optional] [--known FILE]
//
// Required tests: exits 1 when the pass rate is under 99%, when a case fails that FILE does not
// list, or when a listed case passes (the list must shrink as the validator improves).
// --optional runs tests/<draft>/optional (format tests with format assertion on) and only reports.

#include <cxh/core/file.hpp>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct args {
  fs::path suite;
  std::string draft = "draft2020-12";
  bool optional = false;
  fs::path known;
  bool verbose = false;
};

// "file :: case :: test" keys of the known failures; text after '#' is the reason.
std::set<std::string> read_known(const fs::path& path) {
  std::set<std::string> out;
  if (path.empty()) return out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find("  #");
    if (hash != std::string::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.insert(line);
  }
  return out;
}

cxh::schema::loader remote_loader(const fs::path& remotes) {
  return [remotes](const std::string& uri) -> std::optional<std::string> {
    const std::string prefix = "http://localhost:1234/";
    if (uri.rfind(prefix, 0) != 0) return std::nullopt;
    auto text = cxh::read_file((remotes / uri.substr(prefix.size())).string());
    if (auto* s = std::get_if<std::string>(&text)) return *s;
    return std::nullopt;
  };
}

}  // namespace

int main(int argc, char** argv) {
  args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--suite" && i + 1 < argc)
      a.suite = argv[++i];
    else if (s == "--draft" && i + 1 < argc)
      a.draft = argv[++i];
    else if (s == "--known" && i + 1 < argc)
      a.known = argv[++i];
    else if (s == "--optional")
      a.optional = true;
    else if (s == "--verbose")
      a.verbose = true;
    else {
      std::cerr
          << "usage: json_schema_suite --suite DIR --draft NAME [--optional] [--known FILE]\n";
      return 2;
    }
  }
  fs::path dir = a.suite / "tests" / a.draft;
  if (a.optional) dir /= "optional";
  if (!fs::is_directory(dir)) {
    std::cerr << "json_schema_suite: no such folder " << dir << "\n";
    return 2;
  }
  auto known = read_known(a.known);
  std::set<std::string> seen_known;
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") {
      if (!a.optional && e.path().parent_path() != dir) continue;  // required: top level only
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());

  std::size_t passed = 0, failed = 0;
  std::vector<std::string> unexpected_failures, unexpected_passes;
  for (const auto& file : files) {
    std::string rel = fs::relative(file, a.suite / "tests").string();
    bool formats = a.optional && rel.find("/format/") != std::string::npos;
    auto text = cxh::read_file(file.string());
    json cases = json::parse(std::get<std::string>(text));
    std::size_t file_pass = 0, file_total = 0;
    for (const auto& c : cases) {
      cxh::schema::options opts;
      opts.default_dialect =
          a.draft == "draft7" ? cxh::schema::dialect::draft7 : cxh::schema::dialect::draft2020_12;
      opts.assert_formats = formats;
      opts.load = remote_loader(a.suite / "remotes");
      auto compiled = cxh::schema::compile(c["schema"], opts, "urn:cxharness:suite-case");
      for (const auto& t : c["tests"]) {
        std::string key = rel + " :: " + c["description"].get<std::string>() +
                          " :: " + t["description"].get<std::string>();
        bool expected = t["valid"].get<bool>();
        bool ok;
        std::string detail;
        if (auto* problems = std::get_if<cxh::diagnostics>(&compiled)) {
          ok = false;
          detail = "schema rejected: " + cxh::to_string(problems->front());
        } else {
          const auto& s = std::get<cxh::schema::schema>(compiled);
          bool fast = s.is_valid(t["data"]);
          bool full = s.validate(t["data"]).empty();
          ok = fast == expected && full == expected;
          if (!ok) {
            detail = "expected " + std::string(expected ? "valid" : "invalid") +
                     ", is_valid=" + (fast ? "true" : "false") +
                     ", validate=" + (full ? "valid" : "invalid");
          }
        }
        ++file_total;
        bool listed = known.count(key) > 0;
        if (listed) seen_known.insert(key);
        if (ok) {
          ++passed;
          ++file_pass;
          if (listed) unexpected_passes.push_back(key);
        } else {
          ++failed;
          if (!listed)
            unexpected_failures.push_back(key + "\n      " + detail);
          else if (a.verbose)
            std::cout << "known failure: " << key << "\n";
        }
      }
    }
    if (a.verbose || file_pass != file_total)
      std::cout << rel << ": " << file_pass << "/" << file_total << "\n";
  }
  double rate = passed + failed == 0
                    ? 0.0
                    : 100.0 * static_cast<double>(passed) / static_cast<double>(passed + failed);
  std::cout << a.draft << (a.optional ? " optional" : "") << ": " << passed << "/"
            << (passed + failed) << " passed (" << rate << "%)\n";
  for (auto& k : known)
    if (!seen_known.count(k) && k.rfind(a.draft + (a.optional ? "/optional" : ""), 0) == 0 &&
        (a.optional || k.find("/optional/") == std::string::npos))
      std::cout << "listed but not found in the suite: " << k << "\n";
  if (a.optional) {
    // Informational: the optional tests are reported, never gating.
    for (auto& f : unexpected_failures) std::cout << "optional failure: " << f << "\n";
    return 0;
  }
  for (auto& f : unexpected_failures) std::cout << "UNEXPECTED FAILURE: " << f << "\n";
  for (auto& p : unexpected_passes)
    std::cout << "NOW PASSING (remove from the known list): " << p << "\n";
  bool ok = rate >= 99.0 && unexpected_failures.empty() && unexpected_passes.empty();
  std::cout << (ok ? "suite conformance: OK" : "suite conformance: FAILED") << "\n";
  return ok ? 0 : 1;
}
