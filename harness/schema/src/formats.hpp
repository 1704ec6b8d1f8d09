#pragma once

#include <string_view>

namespace cxh::schema::detail {

// Whether a string is valid for a format (2020-12 validation §7.3). Unknown formats pass.
// Known: date-time, date, time, duration, email, hostname, ipv4, ipv6, uri, uri-reference,
// uuid, regex, json-pointer.
bool check_format(std::string_view format, std::string_view value);

bool is_known_format(std::string_view format);

}  // namespace cxh::schema::detail
