// cxharness: conformance and load testing for the Genesys Multicloud CX / Engage web APIs.

#include <cxh/core/exit_code.hpp>
#include <cxh/core/version.hpp>
#include <iostream>

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

  cxh::cli::runner run_validate = cxh::cli::add_validate_command(app);
  cxh::cli::runner run_lint = cxh::cli::add_lint_command(app);
  cxh::cli::runner run_emulate = cxh::cli::add_emulate_command(app);

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
    if (app.got_subcommand("validate")) return run_validate();
    if (app.got_subcommand("lint")) return run_lint();
    if (app.got_subcommand("emulate")) return run_emulate();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cxharness: internal error: " << e.what() << "\n";
    return cxh::to_int(cxh::exit_code::harness_error);
  }
}
