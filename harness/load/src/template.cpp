// Template compilation and rendering (template.hpp).

#include <cctype>
#include <cstdlib>
#include <cxh/load/template.hpp>

namespace cxh::load {
namespace {

bool identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string t(s);
  char* end = nullptr;
  out = std::strtoll(t.c_str(), &end, 10);
  return !t.empty() && *end == '\0';
}

void append_hex(std::string& out, std::uint64_t v, int digits) {
  static const char* hex = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(hex[(v >> (i * 4)) & 15]);
}

}  // namespace

std::variant<text_template, std::string> text_template::compile(std::string_view text) {
  text_template t;
  auto add_literal = [&](std::string_view s) {
    if (s.empty()) return;
    if (!t.parts_.empty() && t.parts_.back().k == literal)
      t.parts_.back().text += s;
    else
      t.parts_.push_back(part{literal, std::string(s), 0, 0});
  };
  std::size_t i = 0;
  while (i < text.size()) {
    auto at = text.find("${", i);
    if (at == std::string_view::npos) {
      add_literal(text.substr(i));
      break;
    }
    if (at > i && text[at - 1] == '$') {  // "$${" -> "${"
      add_literal(text.substr(i, at - 1 - i));
      add_literal("${");
      i = at + 2;
      continue;
    }
    add_literal(text.substr(i, at - i));
    auto close = text.find('}', at);
    if (close == std::string_view::npos)
      return "unclosed placeholder at offset " + std::to_string(at) + ": '" +
             std::string(text.substr(at, 20)) + "'";
    auto inner = text.substr(at + 2, close - at - 2);
    if (inner == "uuid") {
      t.parts_.push_back(part{uuid, {}, 0, 0});
    } else if (inner == "seq") {
      t.parts_.push_back(part{seq, {}, 0, 0});
    } else if (inner == "vu") {
      t.parts_.push_back(part{vu, {}, 0, 0});
    } else if (inner.substr(0, 4) == "env:") {
      std::string name(inner.substr(4));
      const char* v = std::getenv(name.c_str());
      if (!identifier(name))
        return "bad environment variable name in '${" + std::string(inner) + "}'";
      if (!v) return "environment variable " + name + " is not set (used as ${env:" + name + "})";
      add_literal(v);
    } else if (inner.substr(0, 11) == "random_int(" && inner.back() == ')') {
      auto args = inner.substr(11, inner.size() - 12);
      auto comma = args.find(',');
      part p{random_int, {}, 0, 0};
      if (comma == std::string_view::npos || !parse_int(args.substr(0, comma), p.lo) ||
          !parse_int(args.substr(comma + 1), p.hi) || p.lo > p.hi)
        return "bad '${" + std::string(inner) + "}': random_int(A,B) needs integers A <= B";
      t.parts_.push_back(p);
    } else if (identifier(inner)) {
      t.parts_.push_back(part{variable, std::string(inner), 0, 0});
    } else {
      return "unknown placeholder '${" + std::string(inner) + "}'";
    }
    i = close + 1;
  }
  return t;
}

void text_template::render(std::string& out, const render_context& ctx,
                           std::string* missing) const {
  for (const auto& p : parts_) {
    switch (p.k) {
      case literal:
        out += p.text;
        break;
      case seq:
        out += std::to_string(ctx.seq);
        break;
      case vu:
        out += std::to_string(ctx.vu);
        break;
      case uuid: {
        // RFC 4122 version 4 from the connection's generator: unique and reproducible per seed.
        std::uint64_t a = (*ctx.rng)(), b = (*ctx.rng)();
        a = (a & ~0xF000ull) | 0x4000ull;
        b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
        append_hex(out, a >> 32, 8);
        out += '-';
        append_hex(out, (a >> 16) & 0xFFFF, 4);
        out += '-';
        append_hex(out, a & 0xFFFF, 4);
        out += '-';
        append_hex(out, b >> 48, 4);
        out += '-';
        append_hex(out, b & 0xFFFFFFFFFFFFull, 12);
        break;
      }
      case random_int: {
        std::uniform_int_distribution<std::int64_t> d(p.lo, p.hi);
        out += std::to_string(d(*ctx.rng));
        break;
      }
      case variable: {
        bool found = false;
        if (ctx.vars)
          for (const auto& [k, v] : *ctx.vars)
            if (k == p.text) {
              out += v;
              found = true;
              break;
            }
        if (!found && missing) *missing = p.text;
        break;
      }
    }
  }
}

std::vector<std::string> text_template::variables() const {
  std::vector<std::string> v;
  for (const auto& p : parts_)
    if (p.k == variable) v.push_back(p.text);
  return v;
}

}  // namespace cxh::load
