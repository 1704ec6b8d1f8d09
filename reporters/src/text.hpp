#pragma once
// Text from a target may be any bytes: these make it safe for each output format.
#include <string>
#include <string_view>

namespace cxh::reporters::detail {

// Invalid UTF-8 sequences become U+FFFD; valid text is unchanged.
std::string valid_utf8(std::string_view in);
// XML 1.0 character data / attribute value: escaped, forbidden control characters dropped.
std::string xml_escape(std::string_view in);

}  // namespace cxh::reporters::detail
