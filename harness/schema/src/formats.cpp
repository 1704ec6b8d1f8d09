// Format checks for format-assertion (2020-12 validation §7.3), after the RFCs each names.

#include "formats.hpp"

#include <arpa/inet.h>

#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <regex>
#include <string>

#include "ecma_regex.hpp"

namespace cxh::schema::detail {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// RFC 3339 full-date.
bool date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

// RFC 3339 full-time, with the leap-second rule: :60 only at 23:59 UTC.
bool time(std::string_view s) {
  int h, m, sec;
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  if (!digits(s, 0, 2, h) || !digits(s, 3, 2, m) || !digits(s, 6, 2, sec)) return false;
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int offset = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (s.size() != i + 6 || s[i + 3] != ':' || !digits(s, i + 1, 2, oh) ||
        !digits(s, i + 4, 2, om))
      return false;
    if (oh > 23 || om > 59) return false;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  if (sec == 60) {
    int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return date(s.substr(0, 10)) && time(s.substr(11));
}

bool ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c > 127) return false;
  return true;
}

bool duration(std::string_view s) {
  static const std::regex re(
      "^P(?:[0-9]+W|(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)"
      "(?:T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?"
      "|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))$");
  return s.size() < 256 && ascii(s) && std::regex_match(s.begin(), s.end(), re);
}

// RFC 1123 host name: labels of letters, digits and hyphens, 1-63 long, 253 in all.
bool hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (unsigned char c : label)
      if (!std::isalnum(c) && c != '-') return false;
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-' &&
        !(std::tolower(label[0]) == 'x' && std::tolower(label[1]) == 'n'))
      return false;  // RFC 5891 §4.2.3.1: "--" in positions 3-4 is reserved for A-labels
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) v = v * 10 + (s[i++] - '0');
    std::size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (parts == 4) break;
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
  }
  return i == s.size();
}

bool ipv6(std::string_view s) {
  if (s.size() > 45 || !ascii(s)) return false;
  std::string str(s);
  unsigned char buf[16];
  return inet_pton(AF_INET6, str.c_str(), buf) == 1;
}

bool email(std::string_view s) {
  auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.size() > 64) return false;
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return false;
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) return false;
    static const std::string_view allowed = "!#$%&'*+-/=?^_`{|}~.";
    for (unsigned char c : local)
      if (!std::isalnum(c) && allowed.find(static_cast<char>(c)) == allowed.npos) return false;
  }
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view lit = domain.substr(1, domain.size() - 2);
    if (lit.substr(0, 5) == "IPv6:") return ipv6(lit.substr(5));
    return ipv4(lit);
  }
  return hostname(domain);
}

bool uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  return true;
}

bool uri(std::string_view s) {
  return ascii(s) && boost::urls::parse_uri(s).has_value();
}

bool uri_reference(std::string_view s) {
  return ascii(s) && boost::urls::parse_uri_reference(s).has_value();
}

bool regex(std::string_view s) {
  return ecma_regex::compile(s, nullptr).has_value();
}

struct format_entry {
  std::string_view name;
  bool (*check)(std::string_view);
};

constexpr format_entry table[] = {
    {"date-time", date_time},
    {"date", date},
    {"time", time},
    {"duration", duration},
    {"email", email},
    {"hostname", hostname},
    {"ipv4", ipv4},
    {"ipv6", ipv6},
    {"uri", uri},
    {"uri-reference", uri_reference},
    {"uuid", uuid},
    {"regex", regex},
    {"json-pointer", json_pointer},
};

}  // namespace

bool check_format(std::string_view format, std::string_view value) {
  for (auto& e : table)
    if (e.name == format) return e.check(value);
  return true;
}

bool is_known_format(std::string_view format) {
  for (auto& e : table)
    if (e.name == format) return true;
  return false;
}

}  // namespace cxh::schema::detail
