#pragma once

// The one way JSON from outside enters the emulator: a linear pre-scan bounds the nesting depth
// before nlohmann::json builds anything, because its copy, compare and dump recurse per level
// (a 300 KB body of 150,000 brackets would overflow the stack in any of them).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cxh::emulator::detail {

// Deepest nesting of arrays and objects accepted in any JSON the emulator reads (README.md).
inline constexpr std::size_t max_json_depth = 64;

// The deepest nesting in `text`, counting '[' and '{' outside strings (escapes minded); stops
// counting once past `limit` (returns limit + 1). Iterative: no recursion on outside data.
std::size_t json_depth(std::string_view text, std::size_t limit = max_json_depth);

struct gated_json {
  enum class outcome { ok, invalid, too_deep } result = outcome::invalid;
  nlohmann::json value;  // set when ok
};

// Parses `text` when its nesting is within max_json_depth; never builds a deeper value.
gated_json parse_gated(std::string_view text);

// What a refused body is told: the limit, in words.
std::string too_deep_message();

}  // namespace cxh::emulator::detail
