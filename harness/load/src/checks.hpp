#pragma once
// Checks under load: status documented, family envelope, schema (on a sample), captures.

#include <cxh/openapi/spec.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cxh::load::detail {

// Empty when the response passes; else what failed, for the first-failure note.
std::string check_status_documented(const openapi::operation* op, int status);
// Engage APIs (/nexus/...): a 2xx body carries status.code in {0, 1, 2}.
std::string check_envelope(const openapi::operation* op, int status, const nlohmann::json* body);
std::string check_schema(const openapi::operation* op, int status, const std::string& content_type,
                         const nlohmann::json* body);
// Adds each captured variable to vars; an error names the pointer that matched nothing.
std::string capture(const std::vector<std::pair<std::string, std::string>>& rules,
                    const nlohmann::json* body,
                    std::vector<std::pair<std::string, std::string>>& vars);

}  // namespace cxh::load::detail
