// Array keywords: prefixItems, items, contains (+ min/maxContains), min/maxItems, uniqueItems;
// draft 7: items as an array and additionalItems.

#include <unordered_map>

#include "builder.hpp"

namespace cxh::schema::detail {

namespace {

// prefixItems (2020-12) or the array form of items (draft 7).
struct prefix_items final : keyword {
  std::vector<const node*> subs;
  std::vector<std::string> indexes;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_array()) return true;
    keyword_step step(c, name);
    bool ok = true;
    std::size_t n = std::min(subs.size(), inst.size());
    for (std::size_t i = 0; i < n; ++i) {
      keyword_step at(c, indexes[i]);
      instance_step in(c, i);
      if (!eval_node(*subs[i], inst[i], c, nullptr)) {
        ok = false;
        if (!c.full) return false;
      }
    }
    if (ann) ann->item_prefix = std::max(ann->item_prefix, n);
    return ok;
  }
};

// items (2020-12, after prefixItems), items as one schema or additionalItems (draft 7).
struct rest_items final : keyword {
  std::size_t skip = 0;
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_array()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (std::size_t i = skip; i < inst.size(); ++i) {
      instance_step in(c, i);
      if (sub->constant == 0) {
        c.fail(absolute_location, "no item is allowed at index " + std::to_string(i) +
                                      " (the array allows " + std::to_string(skip) + ")");
        ok = false;
        break;
      }
      if (!eval_node(*sub, inst[i], c, nullptr)) {
        ok = false;
        if (!c.full) return false;
      }
    }
    if (ann && inst.size() > skip) ann->all_items = true;
    return ok;
  }
};

struct contains final : keyword {
  const node* sub = nullptr;
  std::size_t min = 1;
  std::size_t max = SIZE_MAX;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_array()) return true;
    keyword_step step(c, name);
    std::size_t count = 0;
    {
      quiet q(c);
      for (std::size_t i = 0; i < inst.size(); ++i) {
        if (!eval_node(*sub, inst[i], c, nullptr)) continue;
        ++count;
        if (ann)
          ann->contained.push_back(i);
        else if (count > max && min <= count)
          break;
      }
    }
    if (count < min) {
      c.fail(absolute_location, count == 0 && min == 1
                                    ? std::string("no item matches the 'contains' schema")
                                    : std::to_string(count) + " items match 'contains', at least " +
                                          std::to_string(min) + " required");
      return false;
    }
    if (count > max) {
      c.fail(absolute_location, std::to_string(count) + " items match 'contains', at most " +
                                    std::to_string(max) + " allowed");
      return false;
    }
    if (ann && count == inst.size()) ann->all_items = true;
    return true;
  }
};

struct item_count final : keyword {
  std::size_t limit = 0;
  bool is_max = false;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_array()) return true;
    bool ok = is_max ? inst.size() <= limit : inst.size() >= limit;
    if (!ok) {
      if (!c.full) return false;  // messages are built only when collected
      keyword_step step(c, name);
      c.fail(absolute_location, "has " + std::to_string(inst.size()) + " items, " +
                                    (is_max ? "at most " : "at least ") + std::to_string(limit) +
                                    " allowed");
    }
    return ok;
  }
};

// A hash that agrees with JSON equality: 1 and 1.0 hash alike.
std::size_t json_hash(const json& j) {
  switch (j.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return std::hash<double>{}(j.get<double>());
    case json::value_t::array: {
      std::size_t h = 0x9e3779b9;
      for (auto& e : j) h = h * 31 + json_hash(e);
      return h;
    }
    case json::value_t::object: {
      std::size_t h = 0x85ebca6b;
      for (auto it = j.begin(); it != j.end(); ++it)
        h ^= std::hash<std::string>{}(it.key()) * 7 + json_hash(*it);
      return h;
    }
    default:
      return std::hash<json>{}(j);
  }
}

struct unique_items final : keyword {
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    if (!inst.is_array() || inst.size() < 2) return true;
    std::unordered_multimap<std::size_t, std::size_t> seen;
    seen.reserve(inst.size());
    for (std::size_t i = 0; i < inst.size(); ++i) {
      std::size_t h = json_hash(inst[i]);
      auto [lo, hi] = seen.equal_range(h);
      for (auto it = lo; it != hi; ++it) {
        if (inst[it->second] == inst[i]) {
          if (!c.full) return false;  // messages are built only when collected
          keyword_step step(c, name);
          c.fail(absolute_location, "items " + std::to_string(it->second) + " and " +
                                        std::to_string(i) + " are equal; items must be unique");
          return false;
        }
      }
      seen.emplace(h, i);
    }
    return true;
  }
};

}  // namespace

void add_array_keywords(builder& b) {
  if (b.has(v_applicator)) {
    std::size_t prefix = 0;
    const json* tuple = b.is_2020() ? b.get("prefixItems") : nullptr;
    const json* items = b.get("items");
    if (!b.is_2020() && items && items->is_array()) tuple = items;
    if (tuple) {
      const char* kw = b.is_2020() ? "prefixItems" : "items";
      if (!tuple->is_array()) {
        b.problem(kw, "must be an array of schemas");
      } else {
        auto k = std::make_unique<prefix_items>();
        for (std::size_t i = 0; i < tuple->size(); ++i) {
          k->subs.push_back(b.child((*tuple)[i]));
          k->indexes.push_back(std::to_string(i));
        }
        prefix = tuple->size();
        b.add(kw, std::move(k));
      }
    }
    const char* rest_kw = nullptr;
    const json* rest = nullptr;
    if (b.is_2020() && items) rest_kw = "items", rest = items;
    if (!b.is_2020() && items && !items->is_array()) rest_kw = "items", rest = items, prefix = 0;
    if (!b.is_2020() && items && items->is_array() && b.get("additionalItems"))
      rest_kw = "additionalItems", rest = b.get("additionalItems");
    if (rest) {
      auto k = std::make_unique<rest_items>();
      k->skip = prefix;
      k->sub = b.child(*rest);
      b.add(rest_kw, std::move(k));
    }
    if (auto v = b.get("contains")) {
      auto k = std::make_unique<contains>();
      k->sub = b.child(*v);
      if (b.is_2020() && b.has(v_validation)) {
        if (auto m = b.get("minContains"); m && !parse_non_negative(*m, k->min))
          b.problem("minContains", "must be a non-negative integer");
        if (auto m = b.get("maxContains"); m && !parse_non_negative(*m, k->max))
          b.problem("maxContains", "must be a non-negative integer");
      }
      b.add("contains", std::move(k));
    }
  }
  if (!b.has(v_validation)) return;
  for (auto kw : {"minItems", "maxItems"}) {
    auto v = b.get(kw);
    if (!v) continue;
    auto k = std::make_unique<item_count>();
    if (!parse_non_negative(*v, k->limit)) {
      b.problem(kw, "must be a non-negative integer");
      continue;
    }
    k->is_max = std::string_view(kw) == "maxItems";
    b.add(kw, std::move(k));
  }
  if (auto v = b.get("uniqueItems"); v && v->is_boolean() && v->get<bool>())
    b.add("uniqueItems", std::make_unique<unique_items>());
}

}  // namespace cxh::schema::detail
