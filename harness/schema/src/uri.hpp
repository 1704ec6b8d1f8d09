#pragma once

#include <cxh/core/json_pointer.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxh::schema::detail {

// RFC 3986 §5.2 resolution of ref against an absolute base; nullopt when either is malformed.
std::optional<std::string> resolve_uri(std::string_view base, std::string_view ref);

// "doc#frag" -> {"doc", "frag"}; the fragment is returned raw (still percent-encoded).
std::pair<std::string, std::string> split_fragment(std::string_view uri);

std::string percent_decode(std::string_view s);

// Decodes a JSON pointer ("/a/b~1c") into tokens; nullopt when malformed.
std::optional<std::vector<std::string>> parse_pointer(std::string_view pointer);

using cxh::escape_pointer_token;

}  // namespace cxh::schema::detail
