#include "ecma_regex.hpp"

#include <boost/regex.hpp>
#include <locale>
#include <optional>
#include <stdexcept>

namespace cxh::schema::detail {

// Character classes ([:alpha:], \\p{Letter}) must know non-ASCII letters: C.UTF-8 is built into
// glibc; fall back to the classic locale where it is missing.
static const std::locale& utf8_locale() {
  static const std::locale loc = [] {
    try {
      return std::locale("C.UTF-8");
    } catch (const std::exception&) {
      return std::locale::classic();
    }
  }();
  return loc;
}

struct ecma_regex::impl {
  boost::wregex re;
  // ASCII patterns also get a narrow regex: ASCII subjects (most API fields) then match with
  // no conversion to code points.
  std::optional<boost::regex> narrow;
};

static bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c > 127) return false;
  return true;
}

static std::string narrow_copy(const std::wstring& w) {
  std::string out;
  out.reserve(w.size());
  for (wchar_t c : w) out.push_back(static_cast<char>(c));
  return out;
}

std::wstring utf8_to_wide(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
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

// The Unicode properties that have a POSIX class under a UTF-8 locale; empty when unknown.
static std::wstring property_class(const std::wstring& name) {
  if (name == L"L" || name == L"Letter" || name == L"Alphabetic") return L"[:alpha:]";
  if (name == L"Lu" || name == L"Uppercase_Letter") return L"[:upper:]";
  if (name == L"Ll" || name == L"Lowercase_Letter") return L"[:lower:]";
  if (name == L"Nd" || name == L"digit" || name == L"Decimal_Number") return L"[:digit:]";
  if (name == L"White_Space" || name == L"space") return L"[:space:]";
  if (name == L"P" || name == L"Punctuation") return L"[:punct:]";
  return L"";
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
      if (n == L'd')
        out += in_class ? L"0-9" : L"[0-9]";
      else if (n == L'D')
        out += in_class ? L"\\D" : L"[^0-9]";
      else if (n == L'w')
        out += in_class ? L"a-zA-Z0-9_" : L"[a-zA-Z0-9_]";
      else if (n == L'W')
        out += in_class ? L"\\W" : L"[^a-zA-Z0-9_]";
      else if (n == L'Z' || n == L'A' || n == L'z')
        out += n;  // identity escapes in ECMA
      else if ((n == L'p' || n == L'P') && i + 2 < p.size() && p[i + 2] == L'{') {
        auto close = p.find(L'}', i + 3);
        std::wstring cls =
            close == std::wstring::npos ? L"" : property_class(p.substr(i + 3, close - i - 3));
        if (cls.empty()) throw std::runtime_error("unsupported Unicode property escape");
        std::wstring body = (n == L'P' ? L"^" : L"") + cls;
        if (in_class && n == L'p')
          out += cls;
        else
          out += L"[" + body + L"]";
        i = close;
        continue;
      } else {
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
    i->re.imbue(utf8_locale());
    std::wstring translated = translate(utf8_to_wide(pattern));
    i->re.assign(translated, boost::regex::ECMAScript | boost::regex::no_mod_s);
    // \p{..} classes need the UTF-8 locale of the wide regex.
    bool ascii_classes = translated.find(L"[:") == std::wstring::npos;
    if (is_ascii(pattern) && ascii_classes) {
      try {
        i->narrow.emplace(narrow_copy(translated),
                          boost::regex::ECMAScript | boost::regex::no_mod_s);
      } catch (const std::exception&) {
        i->narrow.reset();  // the wide regex still serves
      }
    }
    ecma_regex r;
    r.impl_ = std::move(i);
    return r;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

bool ecma_regex::search(std::string_view utf8) const {
  return test(utf8) == result::match;
}

ecma_regex::result ecma_regex::test(std::string_view utf8, std::string* why) const {
  try {
    bool found = false;
    if (impl_->narrow && is_ascii(utf8)) {
      found = boost::regex_search(utf8.begin(), utf8.end(), *impl_->narrow);
    } else {
      std::wstring w = utf8_to_wide(utf8);
      found = boost::regex_search(w, impl_->re);
    }
    return found ? result::match : result::no_match;
  } catch (const std::exception& e) {
    if (why) *why = e.what();
    return result::gave_up;
  }
}

}  // namespace cxh::schema::detail
