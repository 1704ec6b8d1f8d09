#include "synthesize.hpp"

namespace cxh::emulator::detail {

using nlohmann::json;

namespace {

json string_for(const json& s) {
  std::string format = s.value("format", "");
  if (format == "date-time") return "2026-01-01T00:00:00Z";
  if (format == "date") return "2026-01-01";
  if (format == "uuid") return "00000000-0000-4000-8000-000000000000";
  if (format == "uri" || format == "uri-reference") return "http://127.0.0.1/api/v2/resource/1";
  if (format == "email") return "agent1@example.com";
  std::string v = "x";
  if (auto min = s.find("minLength"); min != s.end() && min->is_number_unsigned())
    v = std::string(std::max<std::size_t>(1, min->get<std::size_t>()), 'x');
  return v;
}

void merge_into(json& target, const json& part) {
  if (target.is_object() && part.is_object()) {
    for (auto& [k, v] : part.items()) target[k] = v;
  } else if (!part.is_null()) {
    target = part;
  }
}

}  // namespace

json synthesize(const openapi::spec_set& spec, const json& s, const std::string& base, int depth,
                const json* outer_props) {
  if (depth > 16 || !s.is_object()) return json::object();
  if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
    auto [target, target_base] = spec.resolve(base, ref->get<std::string>());
    json resolved =
        target ? synthesize(spec, *target, target_base, depth + 1, nullptr) : json::object();
    // Siblings of $ref (2020-12) add to it.
    json rest = s;
    rest.erase("$ref");
    if (rest.contains("required") || rest.contains("properties"))
      merge_into(resolved, synthesize(spec, rest, base, depth + 1, outer_props));
    return resolved;
  }
  for (const char* k : {"const", "default"})
    if (auto v = s.find(k); v != s.end()) return *v;
  if (auto v = s.find("examples"); v != s.end() && v->is_array() && !v->empty()) return (*v)[0];
  if (auto v = s.find("enum"); v != s.end() && v->is_array() && !v->empty()) return (*v)[0];
  json out;
  // Branches that only say `required` take the member schemas from the enclosing object.
  const json* own_props = s.contains("properties") ? &s["properties"] : outer_props;
  if (auto all = s.find("allOf"); all != s.end() && all->is_array()) {
    out = json::object();
    for (const auto& part : *all)
      merge_into(out, synthesize(spec, part, base, depth + 1, own_props));
  }
  for (const char* k : {"oneOf", "anyOf"}) {
    if (auto v = s.find(k); v != s.end() && v->is_array() && !v->empty()) {
      json first = synthesize(spec, (*v)[0], base, depth + 1, own_props);
      if (out.is_null())
        out = first;
      else
        merge_into(out, first);
    }
  }
  std::string type;
  if (auto t = s.find("type"); t != s.end()) {
    if (t->is_string())
      type = t->get<std::string>();
    else if (t->is_array() && !t->empty() && (*t)[0].is_string())
      type = (*t)[0].get<std::string>();
  } else if (s.contains("properties") || s.contains("required")) {
    type = "object";
  }
  if (type == "object") {
    if (!out.is_object()) out = json::object();
    const json* props = own_props;
    if (auto req = s.find("required"); req != s.end() && req->is_array()) {
      for (const auto& name : *req) {
        if (!name.is_string() || out.contains(name.get<std::string>())) continue;
        const std::string n = name.get<std::string>();
        out[n] = props && props->contains(n)
                     ? synthesize(spec, (*props)[n], base, depth + 1, nullptr)
                     : json("x");
      }
    }
    return out;
  }
  if (!out.is_null()) return out;
  if (type == "array") {
    json arr = json::array();
    std::size_t n = s.value("minItems", 0);
    for (std::size_t i = 0; i < n && i < 8; ++i)
      arr.push_back(s.contains("items") ? synthesize(spec, s["items"], base, depth + 1, nullptr)
                                        : json("x"));
    return arr;
  }
  if (type == "string") return string_for(s);
  if (type == "integer") return s.value("minimum", 0);
  if (type == "number") return s.value("minimum", 0.0);
  if (type == "boolean") return true;
  if (type == "null") return nullptr;
  return json::object();
}

}  // namespace cxh::emulator::detail
