#pragma once

#include <cxh/http/message.hpp>
#include <string_view>
#include <variant>

namespace cxh::http {

// Parses one HTTP/1.1 request from raw bytes with the server's rules and limits (Beast's
// parser, as the server uses it). On failure: the status the server would answer (400, 413, 431).
std::variant<request, int> parse_request(std::string_view raw, std::size_t header_limit = 16 * 1024,
                                         std::size_t body_limit = 8 * 1024 * 1024);

}  // namespace cxh::http
