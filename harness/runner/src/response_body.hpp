#pragma once
// A target's response body as JSON, with its nesting bounded before nlohmann builds it:
// building, copying and destroying a value recurse once per level, so a hostile body of
// 100,000 '[' would overflow the stack. Deeper bodies are not parsed; the step fails with
// a check that says so.
#include <cstddef>
#include <cxh/runner/result.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace cxh::runner::detail {

inline constexpr std::size_t max_body_depth = 256;

struct parsed_body {
  nlohmann::json value;
  bool json = false;      // non-empty and valid JSON
  bool too_deep = false;  // nested deeper than max_body_depth: not parsed
};

parsed_body parse_body(const std::string& text);

// The failed check a too-deep body gets.
check_result too_deep_check(const std::string& source);

}  // namespace cxh::runner::detail
