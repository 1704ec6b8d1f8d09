#pragma once
// The automatic checks of every response (scenarios/README.md, "Automatic checks") and the
// scenario's own assertions. Each returns check_results citing the rule's page and line.
#include <chrono>
#include <cxh/core/json_match.hpp>
#include <cxh/http/client.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/result.hpp>
#include <cxh/scenario/model.hpp>
#include <vector>

#include "redact.hpp"

namespace cxh::runner::detail {

struct response_view {
  const http::client_response& res;
  std::chrono::nanoseconds elapsed;
  const nlohmann::json* body;  // parsed JSON body, null when not JSON or empty
  // Hides secrets in the values checks quote, before they are cut (null: nothing to hide).
  const redactor* secrets = nullptr;
};

void automatic_checks(const openapi::operation& op, const response_view& r,
                      const std::vector<int>& expected_status, std::chrono::milliseconds budget,
                      std::vector<check_result>& out);

void scenario_assertions(const scenario::step& step, const response_view& r, level strength,
                         std::vector<check_result>& out);

using cxh::json_contains;  // cxh/core/json_match.hpp

}  // namespace cxh::runner::detail
