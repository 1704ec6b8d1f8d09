// unevaluatedProperties and unevaluatedItems (2020-12 core §11): applied to what the adjacent
// keywords, and the subschemas they evaluated successfully, left unevaluated.

#include "builder.hpp"

namespace cxh::schema::detail {

namespace {

struct unevaluated_properties final : keyword {
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_object()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (auto it = inst.begin(); it != inst.end(); ++it) {
      if (ann->has_prop(it.key())) continue;
      instance_step in(c, it.key());
      bool valid;
      if (sub->constant == 0) {
        c.fail(absolute_location,
               "property \"" + it.key() + "\" is not allowed here (unevaluated)");
        valid = false;
      } else {
        valid = eval_node(*sub, *it, c, nullptr);
      }
      if (!valid) {
        ok = false;
        if (!c.full) return false;
      }
    }
    if (ok) ann->all_props = true;
    return ok;
  }
};

struct unevaluated_items final : keyword {
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    if (!inst.is_array()) return true;
    keyword_step step(c, name);
    bool ok = true;
    for (std::size_t i = 0; i < inst.size(); ++i) {
      if (ann->has_item(i)) continue;
      instance_step in(c, i);
      bool valid;
      if (sub->constant == 0) {
        c.fail(absolute_location,
               "item " + std::to_string(i) + " is not allowed here (unevaluated)");
        valid = false;
      } else {
        valid = eval_node(*sub, inst[i], c, nullptr);
      }
      if (!valid) {
        ok = false;
        if (!c.full) return false;
      }
    }
    if (ok) ann->all_items = true;
    return ok;
  }
};

}  // namespace

void add_unevaluated_keywords(builder& b) {
  if (auto v = b.get("unevaluatedProperties")) {
    b.add("unevaluatedProperties", std::make_unique<unevaluated_properties>()).sub = b.child(*v);
    b.self.needs_annotations = true;
  }
  if (auto v = b.get("unevaluatedItems")) {
    b.add("unevaluatedItems", std::make_unique<unevaluated_items>()).sub = b.child(*v);
    b.self.needs_annotations = true;
  }
}

}  // namespace cxh::schema::detail
