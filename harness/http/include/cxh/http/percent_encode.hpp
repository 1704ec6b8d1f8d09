#pragma once

// Percent-encoding (RFC 3986 section 2.1) for values a handler puts into a URL it sends back,
// above all a Location header: a decoded query parameter may hold CR, LF, spaces or '&', and
// copying it as is would split the header or change the URL's meaning.

#include <string>
#include <string_view>

namespace cxh::http {

// Every byte but the unreserved ones (ALPHA DIGIT - . _ ~) as %XX: for one query parameter
// value or one path segment.
std::string percent_encode_component(std::string_view s);

// A whole URI reference (a redirect target a client chose): keeps what may appear in one
// (unreserved, reserved gen-delims and sub-delims, and "%XX" escapes already present) and encodes
// every other byte (controls, space, '"', '<', '>', '\\', '^', '`', '{', '|', '}', non-ASCII, a
// '%' not followed by two hex digits).
std::string percent_encode_uri(std::string_view s);

}  // namespace cxh::http
