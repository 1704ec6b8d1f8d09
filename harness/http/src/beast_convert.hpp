#pragma once

// Between Beast's message types and ours; shared by the server and the standalone parser.

#include <boost/beast/http.hpp>
#include <cxh/http/message.hpp>

namespace cxh::http::detail {

inline request from_beast(const boost::beast::http::request<boost::beast::http::string_body>& in) {
  request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (const auto& f : in) r.fields.add(std::string(f.name_string()), std::string(f.value()));
  r.body = in.body();
  return r;
}

}  // namespace cxh::http::detail
