#include "response_body.hpp"

#include <cxh/core/bounded_dump.hpp>

namespace cxh::runner::detail {

parsed_body parse_body(const std::string& text) {
  parsed_body out;
  if (text.empty()) return out;
  if (cxh::json_nesting_depth(text, max_body_depth) > max_body_depth) {
    out.too_deep = true;
    return out;
  }
  out.value = nlohmann::json::parse(text, nullptr, false);
  out.json = !out.value.is_discarded();
  return out;
}

check_result too_deep_check(const std::string& source) {
  check_result c;
  c.rule = "body.depth";
  c.title = "the body nests at most " + std::to_string(max_body_depth) +
            " levels of arrays and objects (the harness reads no deeper)";
  c.passed = false;
  c.expected = "<= " + std::to_string(max_body_depth) + " levels";
  c.actual = "deeper; the body was not parsed, so no check of its content ran";
  c.source = source;
  return c;
}

}  // namespace cxh::runner::detail
