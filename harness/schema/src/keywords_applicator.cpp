// Applicators on the same instance: allOf, anyOf, oneOf, not, if/then/else (2020-12 core §10.2).

#include <algorithm>

#include "builder.hpp"

namespace cxh::schema::detail {

namespace {

struct branches {
  std::vector<const node*> nodes;
  std::vector<std::string> indexes;  // "0", "1", ... for keyword locations
};

// Records a failure ahead of the branch errors collected since mark, so the summary reads first.
void fail_before(eval_ctx& c, std::size_t mark, const std::string& where, std::string message) {
  if (!c.full || !c.errors) return;
  c.fail(where, std::move(message));
  std::rotate(c.errors->begin() + static_cast<std::ptrdiff_t>(mark), c.errors->end() - 1,
              c.errors->end());
}

struct all_of final : keyword {
  branches b;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    keyword_step step(c, name);
    bool ok = true;
    for (std::size_t i = 0; i < b.nodes.size(); ++i) {
      keyword_step at(c, b.indexes[i]);
      // A failing branch fails this schema, which drops its annotations anyway.
      if (!eval_node(*b.nodes[i], inst, c, ann)) {
        ok = false;
        if (!c.full) return false;
      }
    }
    return ok;
  }
  void in_place(std::vector<const node*>& out) const override {
    out.insert(out.end(), b.nodes.begin(), b.nodes.end());
  }
};

struct any_of final : keyword {
  branches b;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    keyword_step step(c, name);
    std::size_t mark = c.errors ? c.errors->size() : 0;
    bool any = false;
    for (std::size_t i = 0; i < b.nodes.size(); ++i) {
      keyword_step at(c, b.indexes[i]);
      if (eval_branch(*b.nodes[i], inst, c, ann)) {
        any = true;
        if (!ann) break;  // annotations need every valid branch
      }
    }
    if (any) {
      if (c.errors && c.full) c.errors->resize(mark);
      return true;
    }
    fail_before(c, mark, absolute_location,
                "does not match any of the " + std::to_string(b.nodes.size()) +
                    " schemas of anyOf (the errors of each follow)");
    return false;
  }
  void in_place(std::vector<const node*>& out) const override {
    out.insert(out.end(), b.nodes.begin(), b.nodes.end());
  }
};

struct one_of final : keyword {
  branches b;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    keyword_step step(c, name);
    std::size_t mark = c.errors ? c.errors->size() : 0;
    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < b.nodes.size(); ++i) {
      keyword_step at(c, b.indexes[i]);
      annotations tmp;
      if (eval_node(*b.nodes[i], inst, c, ann ? &tmp : nullptr)) {
        matched.push_back(i);
        if (ann && matched.size() == 1) ann->merge(tmp);
        if (matched.size() > 1 && !c.full) return false;
      }
    }
    if (matched.size() == 1) {
      if (c.errors && c.full) c.errors->resize(mark);
      return true;
    }
    if (matched.empty()) {
      fail_before(c, mark, absolute_location,
                  "does not match any of the " + std::to_string(b.nodes.size()) +
                      " schemas of oneOf (the errors of each follow)");
    } else {
      if (c.errors && c.full) c.errors->resize(mark);
      std::string which;
      for (auto m : matched) which += (which.empty() ? "" : ", ") + std::to_string(m);
      c.fail(absolute_location, "matches more than one schema of oneOf (" + which + ")");
    }
    return false;
  }
  void in_place(std::vector<const node*>& out) const override {
    out.insert(out.end(), b.nodes.begin(), b.nodes.end());
  }
};

struct not_keyword final : keyword {
  const node* sub = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations*) const override {
    keyword_step step(c, name);
    bool matched;
    {
      quiet q(c);
      matched = eval_node(*sub, inst, c, nullptr);
    }
    if (matched) c.fail(absolute_location, "must not match the schema of 'not'");
    return !matched;
  }
  void in_place(std::vector<const node*>& out) const override { out.push_back(sub); }
};

struct if_then_else final : keyword {
  const node* if_ = nullptr;
  const node* then_ = nullptr;
  const node* else_ = nullptr;
  bool eval(const json& inst, eval_ctx& c, annotations* ann) const override {
    bool cond;
    {
      keyword_step step(c, "if");
      quiet q(c);
      cond = eval_branch(*if_, inst, c, ann);
    }
    const node* next = cond ? then_ : else_;
    if (!next) return true;
    keyword_step step(c, cond ? "then" : "else");
    return eval_node(*next, inst, c, ann);
  }
  void in_place(std::vector<const node*>& out) const override {
    for (auto n : {if_, then_, else_})
      if (n) out.push_back(n);
  }
};

template <class K>
void add_branches(builder& b, std::string_view kw) {
  auto v = b.get(kw);
  if (!v) return;
  if (!v->is_array() || v->empty()) {
    b.problem(kw, "must be a non-empty array of schemas");
    return;
  }
  auto k = std::make_unique<K>();
  for (std::size_t i = 0; i < v->size(); ++i) {
    k->b.nodes.push_back(b.child((*v)[i]));
    k->b.indexes.push_back(std::to_string(i));
  }
  b.add(kw, std::move(k));
}

}  // namespace

void add_applicator_keywords(builder& b) {
  add_branches<all_of>(b, "allOf");
  add_branches<any_of>(b, "anyOf");
  add_branches<one_of>(b, "oneOf");
  if (auto v = b.get("not")) b.add("not", std::make_unique<not_keyword>()).sub = b.child(*v);
  if (auto v = b.get("if")) {
    auto k = std::make_unique<if_then_else>();
    k->if_ = b.child(*v);
    if (auto t = b.get("then")) k->then_ = b.child(*t);
    if (auto e = b.get("else")) k->else_ = b.child(*e);
    b.add("if", std::move(k));
  }
}

}  // namespace cxh::schema::detail
