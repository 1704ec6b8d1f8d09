// The load-profile part of `cxharness lint`: each profile parsed (file:line:col and a hint) and
// checked against the specification (operations, path parameters, thresholds) as
// `cxharness load --check` does, without running anything.

#include <cstdlib>
#include <cxh/load/engine.hpp>
#include <cxh/load/profile.hpp>
#include <cxh/openapi/spec.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>

#include "commands.hpp"
#include "profile_files.hpp"

namespace cxh::cli {

std::size_t lint_profiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  auto yaml = [](const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; };
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file() && yaml(it->path()) && is_load_profile(it->path()))
          files.push_back(it->path().string());
      }
    } else if (yaml(p) && is_load_profile(p)) {
      files.push_back(p);
    }
  }
  if (files.empty()) return 0;
  std::sort(files.begin(), files.end());
  auto spec = openapi::spec_set::load(openapi::spec_set::embedded_documents());
  const auto* s = std::get_if<openapi::spec_set>(&spec);
  std::size_t problems = 0;
  for (const auto& f : files) {
    // ${env:NAME} is read when a profile is compiled; lint checks the profile, not this shell,
    // so an unset variable gets a stand-in (and a note) instead of failing the lint.
    std::ifstream in(f);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    static const std::regex env_ref(R"(\$\{env:([A-Za-z_][A-Za-z0-9_]*)\})");
    for (std::sregex_iterator it(text.begin(), text.end(), env_ref), end; it != end; ++it) {
      std::string name = (*it)[1];
      if (std::getenv(name.c_str())) continue;
      ::setenv(name.c_str(), "cxh-lint-stand-in", 0);
      std::cout << f << ": note: needs the environment variable " << name << " at run time\n";
    }
    auto parsed = load::load_profile(f);
    cxh::diagnostics found;
    if (auto* d = std::get_if<cxh::diagnostics>(&parsed))
      found = *d;
    else
      found = load::check_plan(std::get<load::profile>(parsed), s);
    for (const auto& d : found) std::cout << to_string(d) << "\n";
    problems += found.size();
  }
  std::cout << "lint: " << files.size() << " load profiles, " << problems << " problem(s)\n";
  return problems;
}

}  // namespace cxh::cli
