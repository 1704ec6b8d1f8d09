#pragma once

#include <cxh/core/diagnostic.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace cxh::cli {

// Reads and parses a JSON file; errors say file:line:col and what the parser expected.
std::variant<nlohmann::json, diagnostic> read_json_file(const std::string& path);

// Parses JSON text; `where` names it in errors.
std::variant<nlohmann::json, diagnostic> parse_json(const std::string& text,
                                                    const std::string& where);

}  // namespace cxh::cli
