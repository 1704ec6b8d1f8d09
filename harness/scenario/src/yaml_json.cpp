#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cxh/core/json_pointer.hpp>
#include <cxh/scenario/yaml_json.hpp>
#include <regex>

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

nlohmann::json plain_scalar(const std::string& s) {
  static const std::regex integer(R"([-+]?[0-9]+)");
  static const std::regex number(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (std::regex_match(s, integer)) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data() + (s[0] == '+'), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  if (std::regex_match(s, number)) {
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
    converter c{file, r.doc, {}};
    if (!c.convert(root, r.doc.value, "", 0)) r.error = c.error;
  } catch (const YAML::Exception& e) {
    r.error = file + ":" + std::to_string(e.mark.line + 1) + ":" +
              std::to_string(e.mark.column + 1) + ": YAML syntax: " + e.msg;
  }
  return r;
}

}  // namespace cxh::scenario
