// cxharness: conformance and load testing for the Genesys Multicloud CX / Engage web APIs.

#include <cxh/core/exit_code.hpp>
#include <cxh/core/version.hpp>
#include <iostream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "cxharness: conformance and load testing for the Genesys Multicloud CX / Engage web APIs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cxharness ") + cxh::version());

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "cxharness " << cxh::version() << "\n"; });
  auto* help = app.add_subcommand("help", "Show help for cxharness or one of its subcommands");
  std::string topic;
  help->add_option("subcommand", topic, "The subcommand to explain");

  // Subcommand name -> what runs it. Commands of optional modules register when built
  // (their <name>_command.cmake defines CXH_WITH_<NAME>_COMMAND).
  std::vector<std::pair<std::string, cxh::cli::runner>> commands{
      {"validate", cxh::cli::add_validate_command(app)},
      {"lint", cxh::cli::add_lint_command(app)},
      {"emulate", cxh::cli::add_emulate_command(app)},
  };
#ifdef CXH_WITH_RUN_COMMAND
  commands.emplace_back("run", cxh::cli::add_run_command(app));
#endif
#ifdef CXH_WITH_LOAD_COMMAND
  commands.emplace_back("load", cxh::cli::add_load_command(app));
#endif
#ifdef CXH_WITH_WEBHOOK_COMMAND
  commands.emplace_back("webhook", cxh::cli::add_webhook_command(app));
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cxh::to_int(cxh::exit_code::usage_error);
  }
  try {
    if (help->parsed()) {
      if (topic.empty()) {
        std::cout << app.help();
      } else {
        CLI::App* sub = nullptr;
        try {
          sub = app.get_subcommand(topic);
        } catch (const CLI::OptionNotFound&) {
        }
        if (!sub) {
          std::cerr << "cxharness help: no subcommand '" << topic << "'\n";
          return cxh::to_int(cxh::exit_code::usage_error);
        }
        std::cout << sub->help();
      }
      return 0;
    }
    for (const auto& [name, run] : commands) {
      if (app.got_subcommand(name)) return run();
    }
    return 0;
  } catch (const std::bad_alloc&) {
    // Never an abort: an input too large for this machine is an error with a message.
    std::cerr << "cxharness: out of memory (an input, a response or a run larger than this "
                 "machine can hold)\n";
    return cxh::to_int(cxh::exit_code::harness_error);
  } catch (const std::exception& e) {
    std::cerr << "cxharness: internal error: " << e.what() << "\n";
    return cxh::to_int(cxh::exit_code::harness_error);
  }
}
