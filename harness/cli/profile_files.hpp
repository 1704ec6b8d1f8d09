#pragma once
// Which YAML files are load profiles rather than conformance suites: those in a folder named
// `load` (as scenarios/load/), or whose top level names an `executor:`.
#include <filesystem>
#include <fstream>
#include <string>

namespace cxh::cli {

inline bool is_load_profile(const std::filesystem::path& file) {
  if (file.parent_path().filename() == "load") return true;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("executor:", 0) == 0) return true;
  return false;
}

}  // namespace cxh::cli
