// Evaluation of a node: its keywords in order, the dynamic scope, errors and annotations.

#include <algorithm>

#include "builder.hpp"
#include "engine.hpp"
#include "uri.hpp"

namespace cxh::schema::detail {

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

void annotations::merge(const annotations& o) {
  all_props = all_props || o.all_props;
  if (!all_props) props.insert(props.end(), o.props.begin(), o.props.end());
  all_items = all_items || o.all_items;
  item_prefix = std::max(item_prefix, o.item_prefix);
  contained.insert(contained.end(), o.contained.begin(), o.contained.end());
}

bool annotations::has_prop(std::string_view name) const {
  return all_props || std::find(props.begin(), props.end(), name) != props.end();
}

bool annotations::has_item(std::size_t i) const {
  return all_items || i < item_prefix ||
         std::find(contained.begin(), contained.end(), i) != contained.end();
}

void eval_ctx::fail(const std::string& absolute_location, std::string message) {
  if (!full || !errors) return;
  error e;
  for (auto& t : instance_path) {
    e.instance_location += '/';
    e.instance_location += t.is_index ? std::to_string(t.index) : escape_pointer_token(t.key);
  }
  for (auto& k : keyword_path) {
    e.keyword_location += '/';
    e.keyword_location += escape_pointer_token(k);
  }
  e.absolute_keyword_location = absolute_location;
  e.message = std::move(message);
  errors->push_back(std::move(e));
}

bool eval_node(const node& n, const json& instance, eval_ctx& c, annotations* ann) {
  if (n.constant >= 0) {
    if (n.constant == 0) c.fail(n.absolute_location, "no value is allowed here (false schema)");
    return n.constant == 1;
  }
  if (c.depth >= c.max_depth) {
    c.fail(n.absolute_location, "evaluation nested deeper than " + std::to_string(c.max_depth) +
                                    " levels; the instance or the schema is too deep");
    return false;
  }
  ++c.depth;
  bool entered =
      c.eng->has_dynamic_refs && (c.dynamic_scope.empty() || c.dynamic_scope.back() != n.resource);
  if (entered) c.dynamic_scope.push_back(n.resource);

  bool ok = true;
  if (!n.needs_annotations) {
    for (const auto& k : n.keywords) {
      if (!k->eval(instance, c, ann)) {
        ok = false;
        if (!c.full) break;
      }
    }
  } else {
    // unevaluated* see only this object's keywords and their subschemas, so such a node
    // collects into a fresh set and hands it up only when it is valid.
    annotations local;
    for (const auto& k : n.keywords) {
      if (!k->eval(instance, c, &local)) {
        ok = false;
        if (!c.full) break;
      }
    }
    if (ok && ann) ann->merge(local);
  }

  if (entered) c.dynamic_scope.pop_back();
  --c.depth;
  return ok;
}

}  // namespace cxh::schema::detail
