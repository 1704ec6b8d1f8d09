// The scenario half of `cxharness lint`: suites (YAML) checked against their schema and against
// the specification (operationIds, path parameters), and their requirements' citations (a
// case states one, a MUST cites its page line: scenario::check_citations).

#include <cxh/openapi/spec.hpp>
#include <cxh/runner/runner.hpp>
#include <cxh/scenario/parse.hpp>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "profile_files.hpp"

namespace cxh::cli {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_suites();

std::size_t lint_suites(const std::vector<std::string>& paths, bool embedded) {
  scenario::loaded_suites loaded;
  if (embedded) {
    for (const auto& [name, text] : embedded_suites()) {
      auto r = scenario::parse_suite(text, std::string(name));
      if (auto* d = std::get_if<diagnostics>(&r)) {
        loaded.problems.insert(loaded.problems.end(), d->begin(), d->end());
      } else {
        loaded.suites.push_back(std::get<scenario::suite>(std::move(r)));
      }
    }
  } else {
    // Only YAML files and folders: the JSON documents are the other half's.
    std::vector<std::string> yaml;
    for (const auto& p : paths) {
      auto ext = std::filesystem::path(p).extension();
      std::error_code ec;
      if (std::filesystem::is_directory(p) &&
          std::filesystem::weakly_canonical(p, ec).filename() == "load")
        continue;  // load profiles: lint_profiles.cpp
      if (std::filesystem::is_directory(p) ||
          ((ext == ".yaml" || ext == ".yml") && !is_load_profile(p)))
        yaml.push_back(p);
    }
    if (yaml.empty()) return 0;
    loaded = scenario::load_suites(yaml);
  }
  auto cites = scenario::check_citations(loaded.suites);
  loaded.problems.insert(loaded.problems.end(), cites.begin(), cites.end());
  auto spec = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  if (auto* s = std::get_if<openapi::spec_set>(&spec)) {
    auto more = cxh::runner::check_suites(loaded.suites, *s);
    loaded.problems.insert(loaded.problems.end(), more.begin(), more.end());
  }
  for (const auto& p : loaded.problems) std::cout << to_string(p) << "\n";
  std::size_t cases = 0;
  for (const auto& s : loaded.suites) cases += s.cases.size();
  std::cout << "lint: " << loaded.suites.size() << " suites, " << cases << " cases, "
            << loaded.problems.size() << " problem(s)\n";
  return loaded.problems.size();
}

}  // namespace cxh::cli
