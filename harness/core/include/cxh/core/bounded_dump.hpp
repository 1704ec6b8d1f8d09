#pragma once
// JSON of outside data (target responses, events, suites) as text for reports and messages,
// without recursion: nesting deeper than max_depth prints as "[...]" / "{...}", and the text
// stops at max_bytes with "...". Every string (keys too) passes through `scrub` before it is
// escaped, so a secret inside a long value is removed before the cut could keep a prefix of it.
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cxh {

struct dump_limits {
  std::size_t max_depth = 64;
  std::size_t max_bytes = 4096;
};

using string_scrub = std::function<std::string(std::string_view)>;

std::string bounded_dump(const nlohmann::json& value, dump_limits limits = {},
                         const string_scrub& scrub = {});

// Cuts `text` to at most max_bytes (never inside a UTF-8 sequence) and appends "..." when cut.
std::string cut_text(std::string text, std::size_t max_bytes);

// The deepest nesting of arrays and objects in JSON text, found by a linear scan that honours
// strings; stops counting once past `stop_after` (then returns stop_after + 1). Lets callers
// refuse deep documents before nlohmann builds (and recursively destroys) them.
std::size_t json_nesting_depth(std::string_view text, std::size_t stop_after);

}  // namespace cxh
