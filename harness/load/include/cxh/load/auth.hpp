#pragma once
// Credentials for a run, resolved once at the start: an API key header, Basic, or an OAuth
// token (password or client_credentials grant) fetched from the token endpoint. The values are
// secrets: they go on the wire only, never in logs or reports.

#include <cxh/load/profile.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cxh::load {

using header_list = std::vector<std::pair<std::string, std::string>>;

// target: the run's base URL. An error says what failed without quoting any secret.
std::variant<header_list, std::string> resolve_auth(const profile& p, const std::string& target,
                                                    bool insecure);

}  // namespace cxh::load
