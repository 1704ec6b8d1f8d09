#pragma once

#include <string>
#include <string_view>

#include "engine.hpp"
#include "uri.hpp"

namespace cxh::schema::detail {

// What a keyword factory sees while one schema object is compiled.
struct builder {
  engine& eng;
  const json& obj;
  const location& loc;
  node& self;

  bool is_2020() const { return loc.dialect_ == dialect::draft2020_12; }
  bool has(unsigned vocab) const { return (loc.vocabs & vocab) != 0; }
  const json* get(std::string_view kw) const {
    auto it = obj.find(kw);
    return it == obj.end() ? nullptr : &*it;
  }
  std::string abs(std::string_view kw) const {
    return *loc.base + "#" + loc.pointer + "/" + escape_pointer_token(kw);
  }
  const node* child(const json& j) { return eng.compile_node(j); }
  void problem(std::string_view kw, std::string what, std::string hint = "") {
    eng.problems.push_back({abs(kw), std::move(what), std::move(hint)});
  }
  // Takes ownership of a keyword and fills in its name and location.
  template <class K>
  K& add(std::string_view kw, std::unique_ptr<K> k) {
    k->name = std::string(kw);
    k->absolute_location = abs(kw);
    K& ref = *k;
    self.keywords.push_back(std::move(k));
    return ref;
  }
};

// Keyword factories, one per vocabulary; each adds the keywords of obj it knows.
void add_core_keywords(builder& b);         // $ref, $dynamicRef
void add_applicator_keywords(builder& b);   // allOf anyOf oneOf not if/then/else dependentSchemas
void add_object_keywords(builder& b);       // properties, required, propertyNames, ...
void add_array_keywords(builder& b);        // prefixItems, items, contains, uniqueItems, ...
void add_scalar_keywords(builder& b);       // type, enum, const, numbers, strings, format
void add_unevaluated_keywords(builder& b);  // unevaluatedItems, unevaluatedProperties (last)

// Short JSON type name of an instance, as JSON Schema names them.
const char* type_name(const json& j);

// A JSON number that is a non-negative integer (5 or 5.0); false otherwise.
bool parse_non_negative(const json& v, std::size_t& out);

}  // namespace cxh::schema::detail
