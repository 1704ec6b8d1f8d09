// Object keywords: properties, patternProperties, additionalProperties, propertyNames, required,
// dependentRequired, dependentSchemas, min/maxProperties; draft 7 dependencies.

#include <algorithm>

#include "builder.hpp"
#include "ecma_regex.hpp"

namespace cxh::schema::detail {

namespace {

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

struct properties final : keyword {
  std::vector<std::pair<std::string, const node*>> props;  // sorted by name
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    // Both sides are sorted by name (nlohmann objects are std::map): one merge walk instead of
    // a map lookup per declared property.
    auto it = inst.begin();
    auto p = props.begin();
    while (it != inst.end() && p != props.end()) {
      int cmp = it.key().compare(p->first);
      if (cmp < 0) {
        ++it;
        continue;
      }
      if (cmp > 0) {
        ++p;
        continue;
      }
      const node* sub = p->second;
      keyword_step at(c, p->first);
      instance_step in(c, it.key());
      if (!eval_node(*sub, *it, c, nullptr)) {
        ok = false;
        if (!c.full) return false;
      }
      if (ann) ann->props.push_back(it.key());
      ++it;
      ++p;
    }
    return ok;
  }
};

struct pattern_entry {
  std::string source;
  ecma_regex re;
  const node* sub;
};

struct pattern_properties final : keyword {
  std::vector<pattern_entry> patterns;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (auto it = inst.begin(); it != inst.end(); ++it) {
      for (const auto& p : patterns) {
        if (!p.re.search(it.key())) continue;
        keyword_step at(c, p.source);
        instance_step in(c, it.key());
        if (!eval_node(*p.sub, *it, c, nullptr)) {
          ok = false;
          if (!c.full) return false;
        }
        if (ann) ann->props.push_back(it.key());
      }
    }
    return ok;
  }
};

// Applies to members that neither properties nor patternProperties name.
struct additional_properties final : keyword {
  std::vector<std::string> named;  // sorted
  std::vector<ecma_regex> patterns;
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (auto it = inst.begin(); it != inst.end(); ++it) {
      const std::string& key = it.key();
      if (std::binary_search(named.begin(), named.end(), key)) continue;
      if (std::any_of(patterns.begin(), patterns.end(), [&](auto& r) { return r.search(key); }))
        continue;
      instance_step in(c, key);
      bool valid;
      if (sub->constant == 0) {
        c.fail(absolute_location, "property " + quote(key) + " is not allowed here");
        valid = false;
      } else {
        valid = eval_node(*sub, *it, c, nullptr);
      }
      if (!valid) {
        ok = false;
        if (!c.full) return false;
      }
      if (ann) ann->props.push_back(key);
    }
    return ok;
  }
};

struct property_names final : keyword {
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (auto it = inst.begin(); it != inst.end(); ++it) {
      json key(it.key());
      instance_step in(c, it.key());
      if (!eval_node(*sub, key, c, nullptr)) {
        ok = false;
        if (!c.full) return false;
      }
    }
    return ok;
  }
};

struct required final : keyword {
  std::vector<std::string> names;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_object()) return true;
    bool ok = true;
    for (const auto& n : names) {
      if (inst.contains(n)) continue;
      if (!c.full) return false;  // messages are built only when collected
      keyword_step step(c, name);
      c.fail(absolute_location, "missing required property " + quote(n));
      ok = false;
      if (!c.full) return false;
    }
    return ok;
  }
};

struct dependent_required final : keyword {
  std::vector<std::pair<std::string, std::vector<std::string>>> deps;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (const auto& [if_present, needs] : deps) {
      if (!inst.contains(if_present)) continue;
      for (const auto& n : needs) {
        if (inst.contains(n)) continue;
        c.fail(absolute_location,
               "property " + quote(n) + " is required when " + quote(if_present) + " is present");
        ok = false;
        if (!c.full) return false;
      }
    }
    return ok;
  }
};

struct dependent_schemas final : keyword {
  std::vector<std::pair<std::string, const node*>> deps;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (const auto& [if_present, sub] : deps) {
      if (!inst.contains(if_present)) continue;
      keyword_step at(c, if_present);
      if (!eval_node(*sub, inst, c, ann)) {
        ok = false;
        if (!c.full) return false;
      }
    }
    return ok;
  }
  void in_place(std::vector<const node*>& out) const override {
    for (auto& d : deps) out.push_back(d.second);
  }
};

struct property_count final : keyword {
  std::size_t limit = 0;
  bool is_max = false;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_object()) return true;
    bool ok = is_max ? inst.size() <= limit : inst.size() >= limit;
    if (!ok) {
      if (!c.full) return false;  // messages are built only when collected
      keyword_step step(c, name);
      c.fail(absolute_location, "has " + std::to_string(inst.size()) + " properties, " +
                                    (is_max ? "at most " : "at least ") + std::to_string(limit) +
                                    " allowed");
    }
    return ok;
  }
};

bool string_array(const json& v, std::vector<std::string>& out) {
  if (!v.is_array()) return false;
  for (auto& s : v) {
    if (!s.is_string()) return false;
    out.push_back(s.get<std::string>());
  }
  return true;
}

bool non_negative(const json& v, std::size_t& out) {
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    out = v.get<std::size_t>();
    return true;
  }
  if (v.is_number_float() && v.get<double>() >= 0 &&
      v.get<double>() == static_cast<double>(static_cast<std::uint64_t>(v.get<double>()))) {
    out = static_cast<std::size_t>(v.get<double>());
    return true;
  }
  return false;
}

}  // namespace

bool parse_non_negative(const json& v, std::size_t& out) {
  return non_negative(v, out);
}

void add_object_keywords(builder& b) {
  bool applicators = b.has(v_applicator);
  std::vector<std::string> named;
  std::vector<ecma_regex> regexes;
  if (applicators) {
    if (auto v = b.get("properties")) {
      if (!v->is_object()) {
        b.problem("properties", "must be an object of schemas");
      } else {
        auto k = std::make_unique<properties>();
        for (auto& [key, sub] : v->items()) {  // schema objects iterate in sorted order too
          k->props.emplace_back(key, b.child(sub));
          named.push_back(key);
        }
        b.add("properties", std::move(k));
      }
    }
    if (auto v = b.get("patternProperties")) {
      if (!v->is_object()) {
        b.problem("patternProperties", "must be an object of schemas");
      } else {
        auto k = std::make_unique<pattern_properties>();
        for (auto& [source, sub] : v->items()) {
          std::string err;
          auto re = ecma_regex::compile(source, &err);
          if (!re) {
            b.problem("patternProperties",
                      "invalid regular expression " + quote(source) + ": " + err);
            continue;
          }
          regexes.push_back(*re);
          k->patterns.push_back({source, *re, b.child(sub)});
        }
        b.add("patternProperties", std::move(k));
      }
    }
    if (auto v = b.get("additionalProperties")) {
      auto k = std::make_unique<additional_properties>();
      std::sort(named.begin(), named.end());
      k->named = named;
      k->patterns = regexes;
      k->sub = b.child(*v);
      b.add("additionalProperties", std::move(k));
    }
    if (auto v = b.get("propertyNames"))
      b.add("propertyNames", std::make_unique<property_names>()).sub = b.child(*v);
    if (auto v = b.get(b.is_2020() ? "dependentSchemas" : "dependencies"); v && v->is_object()) {
      auto k = std::make_unique<dependent_schemas>();
      for (auto& [key, sub] : v->items())
        if (!sub.is_array()) k->deps.emplace_back(key, b.child(sub));
      if (!k->deps.empty()) b.add(b.is_2020() ? "dependentSchemas" : "dependencies", std::move(k));
    }
  }
  if (!b.has(v_validation)) return;
  if (auto v = b.get("required")) {
    auto k = std::make_unique<required>();
    if (!string_array(*v, k->names))
      b.problem("required", "must be an array of strings");
    else if (!k->names.empty())
      b.add("required", std::move(k));
  }
  if (auto v = b.get(b.is_2020() ? "dependentRequired" : "dependencies"); v && v->is_object()) {
    auto k = std::make_unique<dependent_required>();
    for (auto& [key, needs] : v->items()) {
      std::vector<std::string> list;
      if (needs.is_array() && string_array(needs, list))
        k->deps.emplace_back(key, list);
      else if (b.is_2020())
        b.problem("dependentRequired", "values must be arrays of strings");
    }
    if (!k->deps.empty()) b.add(b.is_2020() ? "dependentRequired" : "dependencies", std::move(k));
  }
  for (auto kw : {"minProperties", "maxProperties"}) {
    auto v = b.get(kw);
    if (!v) continue;
    auto k = std::make_unique<property_count>();
    if (!non_negative(*v, k->limit)) {
      b.problem(kw, "must be a non-negative integer");
      continue;
    }
    k->is_max = std::string_view(kw) == "maxProperties";
    b.add(kw, std::move(k));
  }
}

}  // namespace cxh::schema::detail
