#pragma once

// Internal structures shared by the compiler and the keyword implementations.

#include <cxh/schema/validator.hpp>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cxh::schema::detail {

using json = nlohmann::json;

// Vocabularies in force for a schema resource (2020-12 §8.1.2; draft 7 has them all).
enum vocab : unsigned {
  v_core = 1u << 0,
  v_applicator = 1u << 1,
  v_unevaluated = 1u << 2,
  v_validation = 1u << 3,
  v_format_assertion = 1u << 4,
  v_content = 1u << 5,
  v_all_2020 = v_core | v_applicator | v_unevaluated | v_validation | v_content,
};

// Where a schema object sits: the base URI of its resource and its pointer from that resource.
struct location {
  const std::string* base = nullptr;  // interned
  std::string pointer;                // escaped JSON pointer from the resource root
  dialect dialect_ = dialect::draft2020_12;
  unsigned vocabs = v_all_2020;
};

// What adjacent keywords evaluated, for unevaluatedProperties / unevaluatedItems.
struct annotations {
  bool all_props = false;
  std::vector<std::string_view> props;
  bool all_items = false;
  std::size_t item_prefix = 0;         // items [0, item_prefix) were evaluated
  std::vector<std::size_t> contained;  // indexes that matched contains
  void merge(const annotations& o);
  bool has_prop(std::string_view name) const;
  bool has_item(std::size_t i) const;
};

struct path_token {
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
};

struct node;

struct eval_ctx {
  bool full = false;  // collect every error (else stop at the first)
  std::vector<error>* errors = nullptr;
  std::vector<path_token> instance_path;
  std::vector<std::string_view> keyword_path;
  std::vector<const std::string*> dynamic_scope;  // resources entered, outermost first
  std::size_t depth = 0;
  std::size_t max_depth = 1000;
  const struct engine* eng = nullptr;

  // Records a failure at the current instance and keyword path (full mode only).
  void fail(const std::string& absolute_location, std::string message);
};

// RAII: a keyword-path token, pushed only when errors are collected.
class keyword_step {
 public:
  keyword_step(eval_ctx& c, std::string_view token) : c_(c), on_(c.full) {
    if (on_) c_.keyword_path.push_back(token);
  }
  ~keyword_step() {
    if (on_) c_.keyword_path.pop_back();
  }
  keyword_step(const keyword_step&) = delete;
  keyword_step& operator=(const keyword_step&) = delete;

 private:
  eval_ctx& c_;
  bool on_;
};

// RAII: an instance-path token (object member or array index).
class instance_step {
 public:
  instance_step(eval_ctx& c, std::string_view key) : c_(c), on_(c.full) {
    if (on_) c_.instance_path.push_back({key, 0, false});
  }
  instance_step(eval_ctx& c, std::size_t index) : c_(c), on_(c.full) {
    if (on_) c_.instance_path.push_back({{}, index, true});
  }
  ~instance_step() {
    if (on_) c_.instance_path.pop_back();
  }
  instance_step(const instance_step&) = delete;
  instance_step& operator=(const instance_step&) = delete;

 private:
  eval_ctx& c_;
  bool on_;
};

// RAII: evaluate without collecting errors (for if, not, contains: only the verdict matters).
class quiet {
 public:
  explicit quiet(eval_ctx& c) : c_(c), was_(c.full) { c_.full = false; }
  ~quiet() { c_.full = was_; }
  quiet(const quiet&) = delete;
  quiet& operator=(const quiet&) = delete;

 private:
  eval_ctx& c_;
  bool was_;
};

struct keyword {
  std::string name;               // the keyword as written
  std::string absolute_location;  // base#pointer/name
  virtual ~keyword() = default;
  // ann: where this schema object's annotations go; null when nobody needs them.
  virtual bool eval(const json& instance, eval_ctx& c, annotations* ann) const = 0;
  // Subschemas applied to the same instance location ($ref, allOf...): for cycle detection.
  virtual void in_place(std::vector<const node*>& out) const { (void)out; }
};

struct node {
  const std::string* resource = nullptr;  // base URI of the enclosing resource
  std::string absolute_location;          // base#pointer
  int constant = -1;                      // boolean schema: 0 or 1; -1 for objects
  bool needs_annotations = false;         // has unevaluatedProperties / unevaluatedItems
  std::vector<std::unique_ptr<keyword>> keywords;
};

bool eval_node(const node& n, const json& instance, eval_ctx& c, annotations* ann);

// Evaluates a subschema whose annotations count only when it is valid.
inline bool eval_branch(const node& n, const json& instance, eval_ctx& c, annotations* ann) {
  if (!ann) return eval_node(n, instance, c, nullptr);
  annotations tmp;
  bool ok = eval_node(n, instance, c, &tmp);
  if (ok) ann->merge(tmp);
  return ok;
}

struct engine {
  options opts;
  std::deque<json> documents;  // owned; stable addresses
  std::deque<std::string> interned;
  std::unordered_map<std::string, const std::string*> interned_index;
  std::unordered_map<std::string, const json*> resources;  // absolute URI (no fragment)
  std::unordered_map<std::string, const json*> anchors;    // "uri#name" ($anchor, $dynamicAnchor)
  std::unordered_map<std::string, std::unordered_map<std::string, const json*>> dynamic_anchors;
  std::unordered_map<const json*, location> locations;  // every schema object walked
  std::unordered_map<const json*, std::unique_ptr<node>> nodes;
  // resource -> $dynamicAnchor name -> compiled node; filled at the end of each compile.
  std::unordered_map<const std::string*, std::unordered_map<std::string, const node*>>
      dynamic_nodes;
  cxh::diagnostics problems;  // of the compile in progress
  std::size_t compile_depth = 0;
  bool has_dynamic_refs = false;  // evaluation tracks the dynamic scope only when needed

  const std::string* intern(const std::string& s);
  cxh::diagnostics add_document(const std::string& uri, json document, bool trusted);
  // Finds the schema object a URI names, loading its document when needed; null if none.
  const json* locate(const std::string& absolute_uri, const std::string& where);
  const node* compile_node(const json& schema);
  const location& location_of(const json& schema);
  void compile_dynamic_anchors();
  bool check_cycles(const node* root);
  const node* lookup_dynamic(const std::string* resource, const std::string& name) const;
};

}  // namespace cxh::schema::detail
