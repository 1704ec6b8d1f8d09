#pragma once

// The one gate every response header passes on its way to the wire (server.cpp's to_beast), so
// no handler can split a response: names must be RFC 9110 tokens, values lose their control
// characters, and a field too large to serialise is reported instead of thrown.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxh::http::detail {

// Beast stores a field's name and value lengths in 16 bits (with 2 bytes of framing): larger
// fields cannot be sent at all.
inline constexpr std::size_t max_response_field_bytes = 65533;

// A field name is a token (RFC 9110 section 5.1 and 5.6.2): no space, colon, control or delimiter.
bool is_field_name(std::string_view name);

// The value with CR, LF, NUL and every other control character but HTAB (RFC 9110 section 5.5)
// replaced by a space: a stored or echoed value can never end the header line it is in.
std::string safe_field_value(std::string_view value);

}  // namespace cxh::http::detail
