#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cxh/http/server.hpp>
#include <string>

namespace cxh::http::detail {

// A TLS server context from PEM files, or with a fresh self-signed certificate (EC P-256, one
// day, CN and SAN for localhost and 127.0.0.1). Error: what went wrong; fingerprint: SHA-256.
std::string make_server_context(const tls_options& opts, boost::asio::ssl::context& ctx,
                                std::string& fingerprint);

}  // namespace cxh::http::detail
