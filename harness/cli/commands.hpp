#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace cxh::cli {

// Each subcommand registers its options and returns the function that runs it (exit code).
using runner = std::function<int()>;

runner add_validate_command(CLI::App& app);
runner add_lint_command(CLI::App& app);
runner add_emulate_command(CLI::App& app);

}  // namespace cxh::cli
