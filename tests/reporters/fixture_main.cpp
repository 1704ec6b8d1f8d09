// reporters_fixture DIR: writes report.{xml,json,html,txt} of the hostile synthetic run.
#include <cxh/reporters/reporters.hpp>
#include <iostream>

#include "nasty_run.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: reporters_fixture DIR\n";
    return 2;
  }
  using namespace cxh::reporters;
  std::string dir = argv[1];
  auto run = cxh::testing::nasty_run();
  for (auto [kind, name] : {std::pair{format::junit, "report.xml"},
                            {format::json, "report.json"},
                            {format::html, "report.html"},
                            {format::console, "report.txt"}}) {
    if (auto why = write_report({kind, dir + "/" + name}, run); !why.empty()) {
      std::cerr << why << "\n";
      return 1;
    }
  }
  return 0;
}
