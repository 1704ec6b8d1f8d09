#pragma once
#include <cxh/core/diagnostic.hpp>
#include <cxh/scenario/model.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxh::scenario {

// One suite from YAML text; every problem found (YAML syntax, schema, semantics) comes back with
// file:line:column and a hint.
std::variant<suite, diagnostics> parse_suite(std::string_view text, const std::string& file);

// Every *.yaml / *.yml file under each path (files taken as given; folders searched recursively,
// sorted; a folder named `load` is skipped: load profiles are not suites).
struct loaded_suites {
  std::vector<suite> suites;
  diagnostics problems;
};
loaded_suites load_suites(const std::vector<std::string>& paths);

// What `cxharness lint` asks of a suite's requirements beyond their schema: a case states at
// least one requirement (without any it is MUST and cites nothing), a MUST requirement cites the
// page lines that state it, and every citation names a page of /work/shared/spec (000..004).
diagnostics check_citations(const std::vector<suite>& suites);

// "250ms", "5s", "1.5s", "2m" -> milliseconds; nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The embedded JSON Schema of suites (schemas/tooling/scenario.schema.json).
const std::string& suite_schema_text();

}  // namespace cxh::scenario
