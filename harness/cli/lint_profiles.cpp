// The load-profile part of `cxharness lint`: each profile parsed (file:line:col and a hint) and
// checked against the specification (operations, path parameters, thresholds) as
// `cxharness load --check` does, without running anything.

#include <cstdlib>
#include <cxh/core/file.hpp>
#include <cxh/load/engine.hpp>
#include <cxh/load/profile.hpp>
#include <cxh/openapi/spec.hpp>
#include <iostream>
#include <string_view>

#include "commands.hpp"
#include "profile_files.hpp"

namespace cxh::cli {

namespace {

bool env_name_char(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (!first && c >= '0' && c <= '9');
}

// The NAMEs of ${env:NAME} in `text`, by a linear scan (no regex over a user's file).
std::vector<std::string> env_references(std::string_view text) {
  std::vector<std::string> names;
  constexpr std::string_view open = "${env:";
  for (auto at = text.find(open); at != std::string_view::npos; at = text.find(open, at + 1)) {
    std::size_t end = at + open.size();
    while (end < text.size() && env_name_char(text[end], end == at + open.size())) ++end;
    if (end > at + open.size() && end < text.size() && text[end] == '}')
      names.emplace_back(text.substr(at + open.size(), end - at - open.size()));
  }
  return names;
}

}  // namespace

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
    auto text = cxh::read_file(f, 4u << 20);  // load_profile's limit; it reports the excess
    auto* content = std::get_if<std::string>(&text);
    for (const auto& name : content ? env_references(*content) : std::vector<std::string>{}) {
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
