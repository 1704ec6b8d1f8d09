#pragma once

#include <cxh/core/diagnostic.hpp>
#include <string>
#include <variant>

namespace cxh {

// Reads a whole file; a missing or unreadable file is a diagnostic, never an exception.
// Files larger than max_bytes are refused, so a hostile path (/dev/zero) cannot exhaust memory.
std::variant<std::string, diagnostic> read_file(const std::string& path,
                                                std::size_t max_bytes = 256u << 20);

}  // namespace cxh
