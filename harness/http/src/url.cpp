#include <boost/url/parse.hpp>
#include <cxh/http/client.hpp>

namespace cxh::http {

std::string parsed_url::origin() const {
  return scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

std::optional<parsed_url> parse_url(std::string_view url, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<parsed_url> {
    if (why) *why = "URL '" + std::string(url) + "': " + message;
    return std::nullopt;
  };
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return fail("not an absolute URL (" + parsed.error().message() + ")");
  const auto& u = *parsed;
  parsed_url out;
  out.scheme = std::string(u.scheme());
  for (auto& ch : out.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (out.scheme != "http" && out.scheme != "https") {
    return fail("scheme '" + out.scheme + "' is not http or https");
  }
  if (u.has_userinfo())
    return fail("credentials in the URL are not supported; use the auth settings");
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6:
      out.host = u.host_ipv6_address().to_string();
      break;
    case boost::urls::host_type::ipv4:
      out.host = u.host_ipv4_address().to_string();
      break;
    case boost::urls::host_type::name:
      out.host = u.host_name();
      break;
    default:
      return fail("no host");
  }
  if (out.host.empty()) return fail("no host");
  if (u.has_port()) {
    if (u.port_number() == 0) return fail("port '" + std::string(u.port()) + "' is not 1..65535");
    out.port = u.port_number();
  } else {
    out.port = out.scheme == "https" ? 443 : 80;
  }
  out.target = std::string(u.encoded_path());
  if (out.target.empty()) out.target = "/";
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

}  // namespace cxh::http
