// type, enum, const; numeric, string and format keywords (2020-12 validation §6, §7).

#include <charconv>
#include <cmath>
#include <optional>

#include "builder.hpp"
#include "ecma_regex.hpp"
#include "formats.hpp"

namespace cxh::schema::detail {

namespace {

enum type_bit : unsigned {
  t_null = 1,
  t_boolean = 2,
  t_object = 4,
  t_array = 8,
  t_number = 16,
  t_string = 32,
  t_integer = 64
};

unsigned type_of_name(std::string_view n) {
  if (n == "null") return t_null;
  if (n == "boolean") return t_boolean;
  if (n == "object") return t_object;
  if (n == "array") return t_array;
  if (n == "number") return t_number;
  if (n == "string") return t_string;
  if (n == "integer") return t_integer;
  return 0;
}

bool is_integral(const json& j) {
  if (j.is_number_integer()) return true;
  if (!j.is_number_float()) return false;
  double d = j.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

long double as_long_double(const json& j) {
  if (j.is_number_unsigned()) return static_cast<long double>(j.get<std::uint64_t>());
  if (j.is_number_integer()) return static_cast<long double>(j.get<std::int64_t>());
  return static_cast<long double>(j.get<double>());
}

struct type_keyword final : keyword {
  unsigned allowed = 0;
  std::string expected;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    unsigned have;
    switch (inst.type()) {
      case json::value_t::null:
        have = t_null;
        break;
      case json::value_t::boolean:
        have = t_boolean;
        break;
      case json::value_t::object:
        have = t_object;
        break;
      case json::value_t::array:
        have = t_array;
        break;
      case json::value_t::string:
        have = t_string;
        break;
      default:
        have = t_number | (is_integral(inst) ? t_integer : 0u);
    }
    if (have & allowed) return true;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    c.fail(absolute_location, "expected " + expected + ", found " + type_name(inst));
    return false;
  }
};

struct enum_keyword final : keyword {
  json values;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    for (auto& v : values)
      if (v == inst) return true;
    keyword_step step(c, name);
    if (!c.full) return false;  // messages are built only when collected
    std::string shown = values.dump();
    if (shown.size() > 200) shown = shown.substr(0, 200) + "...";
    c.fail(absolute_location, "must be one of " + shown);
    return false;
  }
};

struct const_keyword final : keyword {
  json value;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (value == inst) return true;
    keyword_step step(c, name);
    if (!c.full) return false;  // messages are built only when collected
    std::string shown = value.dump();
    if (shown.size() > 200) shown = shown.substr(0, 200) + "...";
    c.fail(absolute_location, "must equal " + shown);
    return false;
  }
};

struct bound final : keyword {
  json limit;
  bool is_max = false;
  bool exclusive = false;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_number()) return true;
    long double v = as_long_double(inst), l = as_long_double(limit);
    bool ok = is_max ? (exclusive ? v < l : v <= l) : (exclusive ? v > l : v >= l);
    if (ok) return true;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    c.fail(absolute_location, "must be " + std::string(is_max ? "<" : ">") +
                                  (exclusive ? " " : "= ") + limit.dump() + ", is " + inst.dump());
    return false;
  }
};

// A JSON number as mantissa x 10^exponent, read from its shortest decimal form: JSON numbers
// are decimal, so 0.07 is a multiple of 0.01 although no binary double says so.
__extension__ typedef unsigned __int128 u128;  // 20-digit mantissas times 10 need 128 bits

struct decimal {
  u128 mantissa = 0;
  int exponent = 0;
};

std::optional<decimal> to_decimal(const json& j) {
  char buf[64];
  std::to_chars_result r{};
  if (j.is_number_unsigned())
    r = std::to_chars(buf, buf + sizeof buf, j.get<std::uint64_t>());
  else if (j.is_number_integer())
    r = std::to_chars(buf, buf + sizeof buf, j.get<std::int64_t>());
  else
    r = std::to_chars(buf, buf + sizeof buf, j.get<double>());
  if (r.ec != std::errc()) return std::nullopt;
  decimal d;
  int fraction_digits = 0;
  bool in_fraction = false;
  const char* p = buf;
  if (*p == '-') ++p;
  for (; p < r.ptr && *p != 'e'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    d.mantissa = d.mantissa * 10 + static_cast<unsigned>(*p - '0');
    if (in_fraction) ++fraction_digits;
  }
  int exp = 0;
  if (p < r.ptr && *p == 'e') std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), r.ptr, exp);
  d.exponent = exp - fraction_digits;
  while (d.mantissa != 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    ++d.exponent;
  }
  return d;
}

// Whether x / m is an integer, exactly, in decimal.
bool decimal_multiple(const decimal& x, const decimal& m) {
  if (x.mantissa == 0) return true;
  if (m.mantissa == 0) return false;
  if (x.exponent >= m.exponent) {
    u128 r = x.mantissa % m.mantissa;
    for (int k = x.exponent - m.exponent; k > 0 && r != 0; --k) r = (r * 10) % m.mantissa;
    return r == 0;
  }
  u128 divisor = m.mantissa;
  for (int k = m.exponent - x.exponent; k > 0; --k) {
    if (divisor > x.mantissa) return false;
    divisor *= 10;
  }
  return x.mantissa % divisor == 0;
}

struct multiple_of final : keyword {
  json divisor;
  decimal divisor_decimal;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_number()) return true;
    auto x = to_decimal(inst);
    if (x && decimal_multiple(*x, divisor_decimal)) return true;
    if (!c.full) return false;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    c.fail(absolute_location, inst.dump() + " is not a multiple of " + divisor.dump());
    return false;
  }
};

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

struct length final : keyword {
  std::size_t limit = 0;
  bool is_max = false;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_string()) return true;
    const auto& str = inst.get_ref<const std::string&>();
    // Code points never outnumber bytes, nor are fewer than a quarter of them.
    if (is_max ? str.size() <= limit : str.size() / 4 >= limit) return true;
    std::size_t n = code_points(str);
    if (is_max ? n <= limit : n >= limit) return true;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    c.fail(absolute_location, "has " + std::to_string(n) + " characters, " +
                                  (is_max ? "at most " : "at least ") + std::to_string(limit) +
                                  " allowed");
    return false;
  }
};

struct pattern final : keyword {
  std::string source;
  ecma_regex re;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_string()) return true;
    std::string why;
    auto got = re.test(inst.get_ref<const std::string&>(), &why);
    if (got == ecma_regex::result::match) return true;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    if (got == ecma_regex::result::gave_up) {
      c.fail(absolute_location, "the pattern \"" + source +
                                    "\" could not be evaluated on this value (the regex engine "
                                    "gave up: " +
                                    why + ")");
    } else {
      c.fail(absolute_location, "does not match the pattern \"" + source + "\"");
    }
    return false;
  }
};

struct format final : keyword {
  std::string format_name;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_string() || check_format(format_name, inst.get_ref<const std::string&>()))
      return true;
    if (!c.full) return false;  // messages are built only when collected
    keyword_step step(c, name);
    c.fail(absolute_location, "is not a valid " + format_name);
    return false;
  }
};

}  // namespace

void add_scalar_keywords(builder& b) {
  if (b.has(v_validation)) {
    if (auto v = b.get("type")) {
      auto k = std::make_unique<type_keyword>();
      auto add_type = [&](const json& t) {
        unsigned bit = t.is_string() ? type_of_name(t.get<std::string>()) : 0u;
        if (!bit) {
          b.problem("type", "unknown type " + t.dump(),
                    "one of null, boolean, object, array, number, string, integer");
          return;
        }
        k->allowed |= bit == t_number ? (t_number | t_integer) : bit;
        k->expected += (k->expected.empty() ? "" : " or ") + t.get<std::string>();
      };
      if (v->is_array()) {
        for (auto& t : *v) add_type(t);
      } else {
        add_type(*v);
      }
      if (k->allowed) b.add("type", std::move(k));
    }
    if (auto v = b.get("enum")) {
      if (!v->is_array())
        b.problem("enum", "must be an array");
      else
        b.add("enum", std::make_unique<enum_keyword>()).values = *v;
    }
    if (auto v = b.get("const")) b.add("const", std::make_unique<const_keyword>()).value = *v;
    struct {
      const char* kw;
      bool is_max, exclusive;
    } bounds[] = {{"maximum", true, false},
                  {"exclusiveMaximum", true, true},
                  {"minimum", false, false},
                  {"exclusiveMinimum", false, true}};
    for (auto& bd : bounds) {
      auto v = b.get(bd.kw);
      if (!v) continue;
      if (!v->is_number()) {
        b.problem(bd.kw, "must be a number");
        continue;
      }
      auto& k = b.add(bd.kw, std::make_unique<bound>());
      k.limit = *v;
      k.is_max = bd.is_max;
      k.exclusive = bd.exclusive;
    }
    if (auto v = b.get("multipleOf")) {
      if (!v->is_number() || as_long_double(*v) <= 0)
        b.problem("multipleOf", "must be a number > 0");
      else {
        auto& k = b.add("multipleOf", std::make_unique<multiple_of>());
        k.divisor = *v;
        k.divisor_decimal = to_decimal(*v).value_or(decimal{1, 0});
      }
    }
    for (auto kw : {"minLength", "maxLength"}) {
      auto v = b.get(kw);
      if (!v) continue;
      auto k = std::make_unique<length>();
      if (!parse_non_negative(*v, k->limit)) {
        b.problem(kw, "must be a non-negative integer");
        continue;
      }
      k->is_max = std::string_view(kw) == "maxLength";
      b.add(kw, std::move(k));
    }
    if (auto v = b.get("pattern")) {
      std::string err;
      auto re = v->is_string() ? ecma_regex::compile(v->get<std::string>(), &err) : std::nullopt;
      if (!re) {
        b.problem("pattern",
                  "invalid regular expression " + v->dump() + (err.empty() ? "" : ": " + err));
      } else {
        auto& k = b.add("pattern", std::make_unique<pattern>());
        k.source = v->get<std::string>();
        k.re = *re;
      }
    }
  }
  if (auto v = b.get("format"); v && v->is_string() && b.has(v_format_assertion)) {
    b.add("format", std::make_unique<format>()).format_name = v->get<std::string>();
  }
}

}  // namespace cxh::schema::detail
