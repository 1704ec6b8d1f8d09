#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cxh/core/json_pointer.hpp>
#include <cxh/core/yaml_budget.hpp>
#include <cxh/scenario/yaml_json.hpp>

namespace cxh::scenario {

std::string position::str() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

position yaml_document::at(std::string pointer) const {
  while (true) {
    auto it = positions.find(pointer);
    if (it != positions.end()) return it->second;
    if (pointer.empty()) return {};
    pointer.erase(pointer.rfind('/'));
  }
}

namespace {

constexpr int max_depth = 200;  // deeper YAML is refused, not recursed into

// Linear scanners (no backtracking regex over a user's scalars, which may be 50,000 digits).
std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i;
}

std::size_t skip_sign(std::string_view s, std::size_t i) {
  return i < s.size() && (s[i] == '-' || s[i] == '+') ? i + 1 : i;
}

// [-+]?[0-9]+
bool is_integer(std::string_view s) {
  std::size_t start = skip_sign(s, 0), end = skip_digits(s, start);
  return end > start && end == s.size();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_number(std::string_view s) {
  std::size_t i = skip_sign(s, 0);
  std::size_t int_end = skip_digits(s, i);
  bool whole = int_end > i;
  i = int_end;
  if (i < s.size() && s[i] == '.') {
    std::size_t frac_end = skip_digits(s, i + 1);
    if (!whole && frac_end == i + 1) return false;
    i = frac_end;
  } else if (!whole) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t exp_start = skip_sign(s, i + 1), exp_end = skip_digits(s, exp_start);
    if (exp_end == exp_start) return false;
    i = exp_end;
  }
  return i == s.size();
}

nlohmann::json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (is_integer(s)) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data() + (s[0] == '+'), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  if (is_number(s)) {
    try {
      return std::stod(s);
    } catch (const std::exception&) {
    }
  }
  return s;
}

struct converter {
  const std::string& file;
  yaml_document& doc;
  std::string error;

  position pos(const YAML::Node& n) const {
    auto m = n.Mark();
    return {file, m.line + 1, m.column + 1};
  }

  bool convert(const YAML::Node& n, nlohmann::json& out, const std::string& pointer, int depth) {
    if (depth > max_depth) {
      error = pos(n).str() + ": nested deeper than " + std::to_string(max_depth) + " levels";
      return false;
    }
    doc.positions[pointer] = pos(n);
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out = nullptr;
        return true;
      case YAML::NodeType::Scalar:
        out = n.Tag() == "!" ? nlohmann::json(n.Scalar()) : plain_scalar(n.Scalar());
        return true;
      case YAML::NodeType::Sequence: {
        out = nlohmann::json::array();
        std::size_t i = 0;
        for (const auto& item : n) {
          nlohmann::json v;
          if (!convert(item, v, pointer + "/" + std::to_string(i++), depth + 1)) return false;
          out.push_back(std::move(v));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out = nlohmann::json::object();
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) {
            error = pos(kv.first).str() + ": a key must be a plain string";
            return false;
          }
          std::string key = kv.first.Scalar();
          if (out.contains(key)) {
            error = pos(kv.first).str() + ": key '" + key + "' appears twice";
            return false;
          }
          nlohmann::json v;
          std::string child = pointer + "/" + escape_pointer_token(key);
          if (!convert(kv.second, v, child, depth + 1)) return false;
          doc.positions[child] = pos(kv.first);  // errors about a member point at its key
          out[key] = std::move(v);
        }
        return true;
      }
    }
    return true;
  }
};

}  // namespace

yaml_result yaml_to_json(std::string_view text, const std::string& file) {
  yaml_result r;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (auto over = check_yaml_budget(root, file)) {
      r.error = to_string(*over);
      r.refused = std::move(over);
      return r;
    }
    converter c{file, r.doc, {}};
    if (!c.convert(root, r.doc.value, "", 0)) r.error = c.error;
  } catch (const YAML::Exception& e) {
    r.error = file + ":" + std::to_string(e.mark.line + 1) + ":" +
              std::to_string(e.mark.column + 1) + ": YAML syntax: " + e.msg;
  }
  return r;
}

}  // namespace cxh::scenario
