// cxharness lint [PATH...]: checks OpenAPI and JSON Schema documents (default: the embedded
// schemas/); exit 1 when any problem is found.

#include <cxh/core/exit_code.hpp>
#include <cxh/core/file.hpp>
#include <cxh/openapi/lint.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"

namespace cxh::cli {

namespace {

namespace fs = std::filesystem;

struct lint_args {
  std::vector<std::string> paths;
  bool quiet = false;
};

std::string file_uri(const fs::path& p) {
  std::error_code ec;
  return "file://" + fs::absolute(p, ec).lexically_normal().string();
}

// Files as given, and every *.json below a folder (meta-schemas excepted: they are data).
std::vector<std::string> expand(const std::vector<std::string>& paths,
                                std::vector<std::string>& missing) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_directory() && it->path().filename() == "meta") {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".json")
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      auto ext = fs::path(p).extension();
      if (ext != ".yaml" && ext != ".yml") out.push_back(p);  // suites: lint_suites.cpp
    } else {
      missing.push_back(p);
    }
  }
  return out;
}

int run(const lint_args& a) {
  std::vector<openapi::document_source> docs;
  if (a.paths.empty()) {
    docs = openapi::spec_set::embedded_documents();
  } else {
    std::vector<std::string> missing;
    for (const auto& f : expand(a.paths, missing)) {
      auto text = read_file(f);
      if (auto* d = std::get_if<diagnostic>(&text)) {
        std::cerr << to_string(*d) << "\n";
        return to_int(exit_code::usage_error);
      }
      docs.push_back({file_uri(f), f, std::get<std::string>(text)});
    }
    for (const auto& m : missing) {
      std::cerr << m << ": no such file or folder\n";
      return to_int(exit_code::usage_error);
    }
  }
  // $refs to files outside the set are read from disk.
  schema::loader from_disk = [](const std::string& uri) -> std::optional<std::string> {
    if (uri.rfind("file://", 0) != 0) return std::nullopt;
    auto text = read_file(uri.substr(7));
    if (auto* s = std::get_if<std::string>(&text)) return *s;
    return std::nullopt;
  };
  std::size_t problems = 0;
  if (a.paths.empty() || !docs.empty()) {
    auto report = openapi::lint(docs, from_disk);
    for (const auto& p : report.problems) std::cout << to_string(p) << "\n";
    std::cout << "lint: " << report.openapi_documents << " OpenAPI documents, "
              << report.schema_documents << " schema documents, " << report.operations
              << " operations, " << report.problems.size() << " problem(s)\n";
    problems += report.problems.size();
  }
#ifdef CXH_WITH_LOAD_COMMAND
  problems += lint_profiles(a.paths);
#endif
#ifdef CXH_WITH_RUN_COMMAND
  problems += lint_suites(a.paths, a.paths.empty());
#endif
  return to_int(problems == 0 ? exit_code::ok : exit_code::check_failed);
}

}  // namespace

runner add_lint_command(CLI::App& app) {
  auto args = std::make_shared<lint_args>();
  auto* cmd = app.add_subcommand(
      "lint", "Check OpenAPI 3.1 and JSON Schema documents and conformance suites");
  cmd->add_option(
      "paths", args->paths,
      "Files or folders (*.json documents, *.yaml suites; meta/ and load/ skipped); default: "
      "the embedded schemas/ and suites");
  cmd->footer(
      "Exit codes: 0 no problem, 1 problems found (each with file and JSON pointer), 2 usage "
      "error.");
  return [args] { return run(*args); };
}

}  // namespace cxh::cli
