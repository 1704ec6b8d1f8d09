#include "ecma_regex.hpp"

#include <boost/regex.hpp>

namespace cxh::schema::detail {

struct ecma_regex::impl {
  boost::wregex re;
};

std::wstring utf8_to_wide(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(L'\uFFFD');
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? static_cast<wchar_t>(cp) : L'\uFFFD');
    i += ok ? len : 1;
  }
  return out;
}

// ECMA-262 differs from Perl syntax in a few escapes; rewrite those Boost would read otherwise.
static std::wstring translate(const std::wstring& p) {
  std::wstring out;
  out.reserve(p.size());
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    wchar_t ch = p[i];
    if (ch == L'\\' && i + 1 < p.size()) {
      wchar_t n = p[i + 1];
      if (n == L'd') out += in_class ? L"0-9" : L"[0-9]";
      else if (n == L'D') out += in_class ? L"\\D" : L"[^0-9]";
      else if (n == L'w') out += in_class ? L"a-zA-Z0-9_" : L"[a-zA-Z0-9_]";
      else if (n == L'W') out += in_class ? L"\\W" : L"[^a-zA-Z0-9_]";
      else if (n == L'Z' || n == L'A' || n == L'z') out += n;  // identity escapes in ECMA
      else {
        out += ch;
        out += n;
      }
      ++i;
      continue;
    }
    // Without the m flag, ECMA ^ and $ anchor at the input's ends only (not at line breaks,
    // not before a final newline as Perl's $ does).
    if (!in_class && ch == L'^') {
      out += L"\\A";
      continue;
    }
    if (!in_class && ch == L'$') {
      out += L"\\z";
      continue;
    }
    if (ch == L'[' && !in_class) {
      in_class = true;
      out += ch;
      if (i + 1 < p.size() && p[i + 1] == L'^') out += p[++i];
      continue;
    }
    if (ch == L']') in_class = false;
    out += ch;
  }
  return out;
}

std::optional<ecma_regex> ecma_regex::compile(std::string_view pattern, std::string* error) {
  try {
    auto i = std::make_shared<impl>();
    i->re.assign(translate(utf8_to_wide(pattern)), boost::regex::ECMAScript | boost::regex::no_mod_s);
    ecma_regex r;
    r.impl_ = std::move(i);
    return r;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

bool ecma_regex::search(std::string_view utf8) const {
  try {
    std::wstring w = utf8_to_wide(utf8);
    return boost::regex_search(w, impl_->re);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace cxh::schema::detail
