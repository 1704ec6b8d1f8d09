#include "uri.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace cxh::schema::detail {

std::optional<std::string> resolve_uri(std::string_view base, std::string_view ref) {
  auto r = boost::urls::parse_uri_reference(ref);
  if (!r) return std::nullopt;
  if (r->has_scheme()) {
    boost::urls::url u(*r);
    u.normalize_path();
    return std::string(u.buffer());
  }
  auto b = boost::urls::parse_uri(base);
  if (!b) return std::nullopt;
  boost::urls::url out;
  if (!boost::urls::resolve(*b, *r, out)) return std::nullopt;
  return std::string(out.buffer());
}

std::pair<std::string, std::string> split_fragment(std::string_view uri) {
  auto hash = uri.find('#');
  if (hash == std::string_view::npos) return {std::string(uri), ""};
  return {std::string(uri.substr(0, hash)), std::string(uri.substr(hash + 1))};
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::optional<std::vector<std::string>> parse_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  std::size_t pos = 1;
  while (true) {
    auto next = pointer.find('/', pos);
    auto raw =
        pointer.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token.push_back(raw[i]);
        continue;
      }
      if (i + 1 >= raw.size()) return std::nullopt;
      if (raw[i + 1] == '0')
        token.push_back('~');
      else if (raw[i + 1] == '1')
        token.push_back('/');
      else
        return std::nullopt;
      ++i;
    }
    tokens.push_back(std::move(token));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return tokens;
}

}  // namespace cxh::schema::detail
