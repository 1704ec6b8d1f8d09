// Turns schema objects into nodes of keyword evaluators, once per schema object.

#include "builder.hpp"
#include "engine.hpp"

namespace cxh::schema::detail {

const node* engine::compile_node(const json& schema) {
  auto it = nodes.find(&schema);
  if (it != nodes.end()) return it->second.get();
  auto owned = std::make_unique<node>();
  node* n = owned.get();
  nodes.emplace(&schema, std::move(owned));

  auto loc_it = locations.find(&schema);
  if (loc_it == locations.end()) {
    // Reached through a path the walk could not see; give it a location of its own.
    loc_it = locations
                 .emplace(&schema, location{intern("urn:cxharness:unknown"), "",
                                            opts.default_dialect, v_all_2020})
                 .first;
  }
  const location& loc = loc_it->second;
  n->resource = loc.base;
  n->absolute_location = *loc.base + "#" + loc.pointer;
  if (schema.is_boolean()) {
    n->constant = schema.get<bool>() ? 1 : 0;
    return n;
  }
  if (!schema.is_object()) {
    problems.push_back(
        {n->absolute_location,
         std::string("a schema must be an object or a boolean, found ") + type_name(schema), ""});
    n->constant = 1;
    return n;
  }
  if (compile_depth >= 600) {
    problems.push_back({n->absolute_location, "schema nested too deeply to compile", ""});
    n->constant = 1;
    return n;
  }
  struct depth_guard {
    std::size_t& d;
    explicit depth_guard(std::size_t& x) : d(++x) {}
    ~depth_guard() { --d; }
  } guard(compile_depth);
  builder b{*this, schema, loc, *n};
  add_core_keywords(b);
  // Draft 7: $ref replaces every sibling keyword (draft-07 core §8.3).
  if (loc.dialect_ == dialect::draft7 && schema.contains("$ref")) return n;
  if (b.has(v_applicator)) add_applicator_keywords(b);
  add_object_keywords(b);
  add_array_keywords(b);
  add_scalar_keywords(b);
  if (loc.dialect_ == dialect::draft2020_12 && b.has(v_unevaluated)) add_unevaluated_keywords(b);
  return n;
}

void engine::compile_dynamic_anchors() {
  for (auto& [resource, names] : dynamic_anchors) {
    const std::string* r = intern(resource);
    for (auto& [name, j] : names) {
      if (const node* n = compile_node(*j)) dynamic_nodes[r][name] = n;
    }
  }
}

const node* engine::lookup_dynamic(const std::string* resource, const std::string& name) const {
  auto r = dynamic_nodes.find(resource);
  if (r == dynamic_nodes.end()) return nullptr;
  auto n = r->second.find(name);
  return n == r->second.end() ? nullptr : n->second;
}

// A cycle of subschemas applied to the same instance location ({"$ref": "#"}) never ends;
// report it at compile time instead of hanging or overflowing at validation time.
bool engine::check_cycles(const node* root) {
  enum class mark { none, active, done };
  std::unordered_map<const node*, mark> marks;
  std::vector<const node*> path;
  bool ok = true;
  auto visit = [&](auto&& self, const node* n) -> void {
    auto& m = marks[n];
    if (m == mark::done) return;
    if (m == mark::active) {
      std::string chain;
      auto start = std::find(path.begin(), path.end(), n);
      for (auto p = start; p != path.end(); ++p) chain += (*p)->absolute_location + " -> ";
      chain += n->absolute_location;
      problems.push_back({n->absolute_location, "reference cycle: " + chain,
                          "a schema that refers to itself must descend into the instance"});
      ok = false;
      return;
    }
    m = mark::active;
    path.push_back(n);
    std::vector<const node*> next;
    for (auto& k : n->keywords) k->in_place(next);
    for (const node* c : next) self(self, c);
    path.pop_back();
    marks[n] = mark::done;
  };
  visit(visit, root);
  for (auto& [r, names] : dynamic_nodes)
    for (auto& [name, n] : names) visit(visit, n);
  return ok;
}

}  // namespace cxh::schema::detail
