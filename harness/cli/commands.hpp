#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace cxh::cli {

// Each subcommand registers its options and returns the function that runs it (exit code).
using runner = std::function<int()>;

runner add_validate_command(CLI::App& app);
runner add_lint_command(CLI::App& app);
runner add_emulate_command(CLI::App& app);
runner add_run_command(CLI::App& app);      // run_command.cpp (conformance runner)
runner add_load_command(CLI::App& app);     // load_command.cpp (load generator)
runner add_webhook_command(CLI::App& app);  // webhook_command.cpp (webhook certification)

// lint_suites.cpp: prints the problems of YAML suites (paths, or the embedded ones); their count.
std::size_t lint_suites(const std::vector<std::string>& paths, bool embedded);
// lint_profiles.cpp: prints the problems of the load profiles among paths; their count.
std::size_t lint_profiles(const std::vector<std::string>& paths);

}  // namespace cxh::cli
