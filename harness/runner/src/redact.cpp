#include "redact.hpp"

#include <algorithm>
#include <cxh/core/bounded_dump.hpp>
#include <cxh/http/signing.hpp>

#include "secret_matcher.hpp"

namespace cxh::runner::detail {

namespace {

// Above this many known forms, the matcher would grow past ~100 MB: texts are withheld
// instead (fail closed) rather than shown unredacted.
constexpr std::size_t max_patterns = 50'000;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Names of JSON members and form fields whose values are credentials.
constexpr std::string_view credential_fields[] = {
    "access_token", "refresh_token", "id_token",       "password",     "client_secret",
    "newPassword",  "oldPassword",   "new_password",   "old_password", "api_key",
    "apiKey",       "secret",        "channel_secret", "x-api-key"};
// Query and form parameters that carry one too (an OAuth code, a token in a URL).
constexpr std::string_view credential_parameters[] = {"code", "token"};

bool is_credential_parameter(std::string_view name) {
  if (is_credential_field(name)) return true;
  for (auto p : credential_parameters) {
    if (iequals(name, p)) return true;
  }
  return false;
}

std::string percent_encode(std::string_view s, bool lower, bool plus_for_space) {
  const char* hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ' && plus_for_space) {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string json_escaped(std::string_view s, bool ascii) {
  std::string quoted =
      nlohmann::json(std::string(s)).dump(-1, ' ', ascii, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

// Where a value that starts at `from` ends in a query string, form body or header.
std::size_t parameter_end(std::string_view text, std::size_t from) {
  constexpr std::string_view stops = "&#;\"' \t\r\n\\<>,";
  while (from < text.size() && stops.find(text[from]) == std::string_view::npos) ++from;
  return from;
}

// Calls found(value_begin, value_end) for each `name=value` whose name is a credential
// parameter: names start the text or follow ? & # ; , space or a quote.
template <typename F>
void each_credential_parameter(std::string_view text, F&& found) {
  constexpr std::string_view starts = "?&#;, \t\"'\n";
  for (std::size_t eq = text.find('='); eq != std::string_view::npos; eq = text.find('=', eq + 1)) {
    std::size_t name = eq;
    while (name > 0 &&
           (std::isalnum(static_cast<unsigned char>(text[name - 1])) || text[name - 1] == '_' ||
            text[name - 1] == '-') &&
           eq - name < 32)
      --name;
    if (name == eq || (name > 0 && starts.find(text[name - 1]) == std::string_view::npos)) continue;
    if (!is_credential_parameter(text.substr(name, eq - name))) continue;
    std::size_t end = parameter_end(text, eq + 1);
    if (end > eq + 1) found(eq + 1, end);
  }
}

using range = std::pair<std::size_t, std::size_t>;

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

std::size_t skip_spaces(std::string_view t, std::size_t i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
  return i;
}

// The end of a JSON string's content starting at `i`: the next quote after an even number of
// backslashes; with `escaped` (JSON text inside a JSON string, where \" opens and closes and an
// inner quote is \\\") the next quote after 1, 5, 9... backslashes, returning where they start.
std::size_t json_string_end(std::string_view t, std::size_t i, bool escaped) {
  std::size_t backslashes = 0;
  for (; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++backslashes;
      continue;
    }
    if (t[i] == '"' && (escaped ? backslashes % 4 == 1 : backslashes % 2 == 0))
      return escaped ? i - 1 : i;
    backslashes = 0;
  }
  return t.size();
}

// "name": "value" members whose name is a credential, also as \"name\":\"value\" (JSON that
// was put inside a JSON string). One left-to-right pass.
void hide_json_members(std::string_view t, std::vector<range>& hide) {
  std::size_t i = 0;
  while ((i = t.find('"', i)) != std::string_view::npos) {
    const bool escaped = i > 0 && t[i - 1] == '\\';
    std::size_t name_end = i + 1;
    while (name_end < t.size() && name_char(t[name_end]) && name_end - i < 40) ++name_end;
    std::size_t close = escaped ? name_end + 1 : name_end;
    if (close >= t.size() || t[close] != '"' || (escaped && t[name_end] != '\\') ||
        !is_credential_field(t.substr(i + 1, name_end - i - 1))) {
      ++i;
      continue;
    }
    std::size_t j = skip_spaces(t, close + 1);
    if (j >= t.size() || t[j] != ':') {
      i = close + 1;
      continue;
    }
    j = skip_spaces(t, j + 1);
    if (escaped && j + 1 < t.size() && t[j] == '\\' && t[j + 1] == '"') {
      std::size_t end = json_string_end(t, j + 2, true);
      hide.emplace_back(j + 2, end);
      i = end + 1;
    } else if (!escaped && j < t.size() && t[j] == '"') {
      std::size_t end = json_string_end(t, j + 1, false);
      hide.emplace_back(j + 1, end);
      i = end + 1;
    } else {
      i = j;
    }
  }
}

// scheme://user:password@host: the password.
void hide_userinfo(std::string_view t, std::vector<range>& hide) {
  constexpr std::string_view stops = "/?#@ \t\r\n\"'<>\\";
  for (auto at = t.find("://"); at != std::string_view::npos; at = t.find("://", at + 1)) {
    std::size_t end = at + 3, colon = std::string_view::npos;
    while (end < t.size() && stops.find(t[end]) == std::string_view::npos) {
      if (t[end] == ':' && colon == std::string_view::npos) colon = end;
      ++end;
    }
    if (end < t.size() && t[end] == '@' && colon != std::string_view::npos)
      hide.emplace_back(colon + 1, end);
    at = end > at + 3 ? end - 1 : at;
  }
}

std::string replace_ranges(std::string_view text, std::vector<range>& hide) {
  std::sort(hide.begin(), hide.end());
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (auto [begin, end] : hide) {
    if (end <= begin || end <= at) continue;
    if (begin > at) {
      out.append(text.substr(at, begin - at));
    } else if (at > 0 && begin < at) {
      at = std::max(at, end);  // overlaps the range just replaced: already hidden
      continue;
    }
    out += redacted_text;
    at = end;
  }
  out.append(text.substr(std::min(at, text.size())));
  return out;
}

}  // namespace

bool is_credential_field(std::string_view name) {
  for (auto f : credential_fields) {
    if (iequals(name, f)) return true;
  }
  return false;
}

struct redactor::automaton {
  explicit automaton(const std::set<std::string, std::less<>>& patterns)
      : matcher(std::vector<std::string_view>(patterns.begin(), patterns.end())) {}
  secret_matcher matcher;
};

redactor::redactor() = default;
redactor::~redactor() = default;

const redactor::automaton& redactor::matcher() const {
  if (!matcher_) matcher_ = std::make_unique<automaton>(patterns_);
  return *matcher_;
}

void redactor::add(std::string_view secret) {
  if (secret.empty() || over_budget_) return;
  // Raw, JSON-escaped (once, and twice for JSON echoed inside a JSON string), percent-encoded.
  for (auto form : {std::string(secret), json_escaped(secret, false), json_escaped(secret, true),
                    json_escaped(json_escaped(secret, false), false),
                    percent_encode(secret, false, false), percent_encode(secret, true, false),
                    percent_encode(secret, false, true), percent_encode(secret, true, true)}) {
    if (patterns_.insert(std::move(form)).second) matcher_.reset();
  }
  over_budget_ = patterns_.size() > max_patterns;
}

void redactor::add_all(const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) add(s);
}

namespace {

// String values of credential members anywhere in `root` (iterative; the caller bounded the
// depth of what it parsed).
std::vector<std::string> credential_values(const nlohmann::json& root) {
  std::vector<std::string> found;
  std::vector<const nlohmann::json*> todo{&root};
  while (!todo.empty()) {
    const auto* v = todo.back();
    todo.pop_back();
    if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (it->is_string() && is_credential_field(it.key()))
          found.push_back(it->get<std::string>());
        if (it->is_structured()) todo.push_back(&*it);
      }
    } else if (v->is_array()) {
      for (const auto& e : *v) {
        if (e.is_structured()) todo.push_back(&e);
      }
    }
  }
  return found;
}

// name=value parameters of `text` naming credentials: their values, as sent and decoded.
std::vector<std::string> credential_parameters_of(std::string_view text) {
  std::vector<std::string> found;
  each_credential_parameter(text, [&](std::size_t b, std::size_t e) {
    found.emplace_back(text.substr(b, e - b));
    found.push_back(percent_decode(text.substr(b, e - b)));
  });
  return found;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The values of cookies: "a=1; Path=/" (Set-Cookie: the first pair) or "a=1; b=2" (Cookie).
std::vector<std::string> cookie_values(std::string_view header, bool only_first) {
  std::vector<std::string> found;
  while (!header.empty()) {
    auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && !trim(pair.substr(eq + 1)).empty())
      found.emplace_back(trim(pair.substr(eq + 1)));
    if (only_first || semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return found;
}

// A JSON Web Token (header.payload.signature, base64url): X-GWS-User and similar headers carry
// signed user tokens that are credentials too.
bool looks_like_jwt(std::string_view v) {
  if (v.size() < 20 || v.substr(0, 3) != "eyJ") return false;
  int dots = 0;
  for (char c : v) {
    if (c == '.') {
      ++dots;
    } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '=') {
      return false;
    }
  }
  return dots == 2;
}

}  // namespace

void redactor::learn_response(const http::client_response& res, const nlohmann::json* body) {
  if (body) {
    for (const auto& v : credential_values(*body)) add(v);
  }
  for (const auto& [name, value] : res.fields.fields()) {
    if (http::iequals(name, "set-cookie")) {
      for (const auto& v : cookie_values(value, true)) add(v);
    }
    if (looks_like_jwt(trim(value))) add(trim(value));
    if (http::iequals(name, "location") || http::iequals(name, "content-location")) {
      for (const auto& v : credential_parameters_of(value)) add(v);
    }
  }
}

void redactor::learn_variable(const std::string& name, const nlohmann::json& value) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool secret = false;
  for (std::string_view word : {"password", "secret", "token", "api_key", "apikey", "passwd"})
    secret = secret || lower.find(word) != std::string::npos;
  if (!secret) return;
  if (value.is_string()) {
    add(value.get_ref<const std::string&>());
  } else if (value.is_primitive() && !value.is_null()) {
    add(value.dump());
  }
}

std::string redactor::apply(std::string_view text) const {
  if (over_budget_) return "<withheld: the run learned more secrets than the redactor holds>";
  std::vector<range> hide;
  hide_json_members(text, hide);
  each_credential_parameter(text, [&](std::size_t b, std::size_t e) { hide.emplace_back(b, e); });
  hide_userinfo(text, hide);
  if (!patterns_.empty()) {
    auto known = matcher().matcher.find(text);
    hide.insert(hide.end(), known.begin(), known.end());
  }
  if (hide.empty()) return std::string(text);
  return replace_ranges(text, hide);
}

void redactor::apply(check_result& c) const {
  for (auto* s : {&c.title, &c.expected, &c.actual, &c.detail, &c.source}) *s = apply(*s);
}

void redactor::apply(exchange& e) const {
  e.url = apply(e.url);
  for (auto& h : e.request_headers) h.second = apply(h.second);
  for (auto& h : e.response_headers) h.second = apply(h.second);
  e.request_body = apply(e.request_body);
  e.response_body = apply(e.response_body);
}

void redactor::apply(case_result& c) const {
  for (auto* s : {&c.suite, &c.name, &c.file, &c.error}) *s = apply(*s);
  for (auto& t : c.tags) t = apply(t);
  for (auto& r : c.requirements) r.text = apply(r.text);
  for (auto& step : c.steps) {
    step.name = apply(step.name);
    step.error = apply(step.error);
    for (auto& check : step.checks) apply(check);
    if (step.http) apply(*step.http);
  }
}

}  // namespace cxh::runner::detail
