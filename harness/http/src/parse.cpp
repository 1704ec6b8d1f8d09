#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cxh/http/parse.hpp>

#include "beast_convert.hpp"

namespace cxh::http {

std::variant<request, int> parse_request(std::string_view raw, std::size_t header_limit,
                                         std::size_t body_limit) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(header_limit, UINT32_MAX)));
  parser.body_limit(body_limit);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
  if (!ec && !parser.is_done() && used == raw.size()) parser.put_eof(ec);
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  if (ec || !parser.is_done()) return 400;
  return detail::from_beast(parser.get());
}

}  // namespace cxh::http
