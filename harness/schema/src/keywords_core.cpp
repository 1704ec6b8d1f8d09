// Core vocabulary: $ref and $dynamicRef (2020-12 core §8.2.3; draft-07 core §8.3).

#include "builder.hpp"

namespace cxh::schema::detail {

namespace {

struct ref_keyword final : keyword {
  const node* target = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    keyword_step step(c, name);
    return eval_node(*target, inst, c, ann);
  }
  void in_place(std::vector<const node*>& out) const override { out.push_back(target); }
};

// $dynamicRef: resolved like $ref, unless its target carries a $dynamicAnchor of the same name;
// then the outermost resource of the dynamic scope that defines that anchor wins.
struct dynamic_ref_keyword final : keyword {
  const node* target = nullptr;
  std::string anchor;  // empty: behaves as $ref
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    keyword_step step(c, name);
    const node* chosen = target;
    if (!anchor.empty()) {
      for (const std::string* r : c.dynamic_scope) {
        if (const node* n = c.eng->lookup_dynamic(r, anchor)) {
          chosen = n;
          break;
        }
      }
    }
    return eval_node(*chosen, inst, c, ann);
  }
  void in_place(std::vector<const node*>& out) const override { out.push_back(target); }
};

const node* resolve(builder& b, std::string_view kw, const std::string& ref,
                    std::string* fragment) {
  auto absolute = resolve_uri(*b.loc.base, ref);
  if (!absolute) {
    b.problem(kw, "'" + ref + "' is not a valid URI reference");
    return nullptr;
  }
  const json* target = b.eng.locate(*absolute, b.abs(kw));
  if (!target) {
    b.problem(kw, "cannot resolve '" + ref + "' (resolved to " + *absolute + ")",
              "define the target, or give the document to the loader");
    return nullptr;
  }
  if (fragment) *fragment = split_fragment(*absolute).second;
  return b.child(*target);
}

}  // namespace

void add_core_keywords(builder& b) {
  if (auto ref = b.get("$ref")) {
    if (!ref->is_string()) {
      b.problem("$ref", "must be a string");
    } else if (const node* t = resolve(b, "$ref", ref->get<std::string>(), nullptr)) {
      b.add("$ref", std::make_unique<ref_keyword>()).target = t;
    }
  }
  if (!b.is_2020()) return;
  if (auto ref = b.get("$dynamicRef")) {
    if (!ref->is_string()) {
      b.problem("$dynamicRef", "must be a string");
      return;
    }
    std::string fragment;
    const node* t = resolve(b, "$dynamicRef", ref->get<std::string>(), &fragment);
    if (!t) return;
    auto& k = b.add("$dynamicRef", std::make_unique<dynamic_ref_keyword>());
    k.target = t;
    std::string name = percent_decode(fragment);
    if (!name.empty() && name[0] != '/') {
      // Bookending: only a target that itself declares the anchor makes the reference dynamic.
      for (auto& [res, names] : b.eng.dynamic_anchors) {
        auto f = names.find(name);
        if (f != names.end() && b.eng.compile_node(*f->second) == t) {
          k.anchor = name;
          b.eng.has_dynamic_refs = true;
        }
      }
    }
  }
}

}  // namespace cxh::schema::detail
