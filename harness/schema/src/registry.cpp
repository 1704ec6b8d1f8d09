// Documents, resources and anchors: the URI side of the engine (2020-12 core §8.2, §9).

#include <cxh/schema/validator.hpp>

#include "embedded.hpp"
#include "engine.hpp"
#include "uri.hpp"

namespace cxh::schema::detail {

namespace {

constexpr std::string_view k2020 = "https://json-schema.org/draft/2020-12/schema";
constexpr std::string_view kDraft7 = "http://json-schema.org/draft-07/schema";

std::string strip_empty_fragment(std::string uri) {
  if (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri;
}

// Keywords whose value is a subschema, a map of subschemas or an array of them, per dialect.
struct subschema_keywords {
  std::vector<std::string_view> single, map, array;
};

const subschema_keywords& keywords_of(dialect d) {
  static const subschema_keywords k2020_kw{
      {"additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
       "unevaluatedItems", "unevaluatedProperties", "contentSchema"},
      {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"},
      {"allOf", "anyOf", "oneOf", "prefixItems"}};
  static const subschema_keywords k7_kw{
      {"additionalItems", "additionalProperties", "propertyNames", "contains", "not", "if", "then",
       "else", "items"},
      {"properties", "patternProperties", "definitions", "dependencies"},
      {"allOf", "anyOf", "oneOf", "items"}};
  return d == dialect::draft7 ? k7_kw : k2020_kw;
}

struct walker {
  engine& eng;
  cxh::diagnostics& out;
  std::string doc_uri;
  bool too_deep = false;
  static constexpr std::size_t kMaxSchemaDepth = 500;

  void problem(const std::string& base, const std::string& pointer, std::string what) {
    out.push_back({base + "#" + pointer, std::move(what), ""});
  }

  // Works out the dialect and vocabularies that a $schema URI selects.
  bool dialect_of(const std::string& raw, dialect& d, unsigned& vocabs, const std::string& where) {
    std::string uri = strip_empty_fragment(raw);
    unsigned formats = eng.opts.assert_formats ? v_format_assertion : 0u;
    if (uri == k2020) {
      d = dialect::draft2020_12;
      vocabs = v_all_2020 | formats;
      return true;
    }
    if (uri == kDraft7) {
      d = dialect::draft7;
      vocabs = v_all_2020 | formats;
      return true;
    }
    const json* meta = eng.locate(uri, where);
    if (!meta || !meta->is_object()) {
      out.push_back({where, "unknown $schema '" + raw + "'",
                     "use " + std::string(k2020) + " or " + std::string(kDraft7)});
      return false;
    }
    d = eng.location_of(*meta).dialect_;
    auto voc = meta->find("$vocabulary");
    if (voc == meta->end() || !voc->is_object()) {
      vocabs = eng.location_of(*meta).vocabs;
      return true;
    }
    static const std::pair<std::string_view, unsigned> known[] = {
        {"https://json-schema.org/draft/2020-12/vocab/core", v_core},
        {"https://json-schema.org/draft/2020-12/vocab/applicator", v_applicator},
        {"https://json-schema.org/draft/2020-12/vocab/unevaluated", v_unevaluated},
        {"https://json-schema.org/draft/2020-12/vocab/validation", v_validation},
        {"https://json-schema.org/draft/2020-12/vocab/meta-data", 0u},
        {"https://json-schema.org/draft/2020-12/vocab/format-annotation", 0u},
        {"https://json-schema.org/draft/2020-12/vocab/format-assertion", v_format_assertion},
        {"https://json-schema.org/draft/2020-12/vocab/content", v_content},
    };
    vocabs = v_core | formats;
    for (auto& [name, required] : voc->items()) {
      bool found = false;
      for (auto& [k, bit] : known) {
        if (k == name) {
          vocabs |= bit;
          found = true;
        }
      }
      if (!found && required.is_boolean() && required.get<bool>()) {
        out.push_back({where,
                       "meta-schema '" + raw + "' requires vocabulary '" + name +
                           "', which cxharness does not support",
                       ""});
        return false;
      }
    }
    return true;
  }

  void walk(const json& j, std::string base, std::string pointer, dialect d, unsigned vocabs,
            bool resource_root, std::size_t depth = 0) {
    if (depth > kMaxSchemaDepth) {
      if (!too_deep)
        problem(base, pointer,
                "schema nested deeper than " + std::to_string(kMaxSchemaDepth) + " levels");
      too_deep = true;
      return;
    }
    if (!j.is_object()) {
      eng.locations.emplace(&j, location{eng.intern(base), pointer, d, vocabs});
      return;
    }
    bool draft7_ref = d == dialect::draft7 && j.contains("$ref");
    auto id = j.find("$id");
    bool has_id = id != j.end() && id->is_string() && !draft7_ref;
    if (has_id || resource_root) {
      auto sch = j.find("$schema");
      if (sch != j.end() && sch->is_string()) {
        dialect_of(sch->get<std::string>(), d, vocabs, base + "#" + pointer + "/$schema");
      }
    }
    if (has_id) {
      std::string raw = id->get<std::string>();
      if (d == dialect::draft7 && !raw.empty() && raw[0] == '#') {
        eng.anchors.emplace(base + raw, &j);  // draft 7 location-independent identifier
      } else if (auto resolved = resolve_uri(base, raw)) {
        auto [doc, frag] = split_fragment(*resolved);
        if (!frag.empty() && d != dialect::draft7) {
          problem(base, pointer + "/$id", "$id '" + raw + "' must not contain a fragment");
        }
        base = doc;
        pointer.clear();
        eng.resources.emplace(base, &j);
        if (!frag.empty() && d == dialect::draft7) eng.anchors.emplace(base + "#" + frag, &j);
      } else {
        problem(base, pointer + "/$id", "$id '" + raw + "' is not a valid URI reference");
      }
    }
    if (d != dialect::draft7 && (vocabs & v_core)) {
      for (auto kw : {"$anchor", "$dynamicAnchor"}) {
        auto a = j.find(kw);
        if (a == j.end() || !a->is_string()) continue;
        std::string name = a->get<std::string>();
        eng.anchors.emplace(base + "#" + name, &j);
        if (std::string_view(kw) == "$dynamicAnchor") eng.dynamic_anchors[base][name] = &j;
      }
    }
    eng.locations.insert_or_assign(&j, location{eng.intern(base), pointer, d, vocabs});
    const auto& kws = keywords_of(d);
    for (auto& [key, value] : j.items()) {
      std::string child = pointer + "/" + escape_pointer_token(key);
      const std::string& name = key;  // structured bindings cannot be captured in C++20
      auto is = [&](const std::vector<std::string_view>& list) {
        return std::find(list.begin(), list.end(), name) != list.end();
      };
      if (value.is_array() && is(kws.array)) {
        for (std::size_t i = 0; i < value.size(); ++i)
          walk(value[i], base, child + "/" + std::to_string(i), d, vocabs, false, depth + 1);
      } else if (value.is_object() && is(kws.map)) {
        for (auto& [k, v] : value.items())
          walk(v, base, child + "/" + escape_pointer_token(k), d, vocabs, false, depth + 1);
      } else if (is(kws.single)) {
        walk(value, base, child, d, vocabs, false, depth + 1);
      }
    }
  }
};

// The standard meta-schemas, compiled once per process and shared by every compiler.
const schema* standard_metaschema(const std::string& uri) {
  static const std::vector<std::pair<std::string, schema>> table = [] {
    std::vector<std::pair<std::string, schema>> t;
    for (auto u : {k2020, kDraft7}) {
      options o;
      o.check_against_metaschema = false;
      compiler c(o);
      t.emplace_back(std::string(u), std::get<schema>(c.compile(std::string(u))));
    }
    return t;
  }();
  for (const auto& [u, s] : table)
    if (u == uri) return &s;
  return nullptr;
}

}  // namespace

const std::string* engine::intern(const std::string& s) {
  auto it = interned_index.find(s);
  if (it != interned_index.end()) return it->second;
  interned.push_back(s);
  const std::string* p = &interned.back();
  interned_index.emplace(s, p);
  return p;
}

const location& engine::location_of(const json& schema) {
  auto it = locations.find(&schema);
  if (it != locations.end()) return it->second;
  static const location unknown{};
  return unknown;
}

cxh::diagnostics engine::add_document(const std::string& raw_uri, json document, bool trusted) {
  cxh::diagnostics out;
  std::string uri = strip_empty_fragment(raw_uri);
  if (resources.count(uri)) {
    out.push_back({uri, "a document with this URI is already registered", ""});
    return out;
  }
  documents.push_back(std::move(document));
  const json& root = documents.back();
  resources.emplace(uri, &root);
  walker w{*this, out, uri};
  unsigned formats = opts.assert_formats ? v_format_assertion : 0u;
  w.walk(root, uri, "", opts.default_dialect, v_all_2020 | formats, true);
  if (!trusted && opts.check_against_metaschema && out.empty()) {
    std::string meta(opts.default_dialect == dialect::draft7 ? kDraft7 : k2020);
    if (root.is_object()) {
      auto sch = root.find("$schema");
      if (sch != root.end() && sch->is_string())
        meta = strip_empty_fragment(sch->get<std::string>());
    }
    std::vector<error> errors;
    if (const schema* standard = standard_metaschema(meta)) {
      errors = standard->validate(root);
    } else if (const json* m = locate(meta, uri + "#/$schema")) {
      if (const node* mn = compile_node(*m)) {  // a custom meta-schema, compiled here
        compile_dynamic_anchors();
        eval_ctx c;
        c.full = true;
        c.errors = &errors;
        c.eng = this;
        c.max_depth = opts.max_depth;
        eval_node(*mn, root, c, nullptr);
      }
    }
    for (auto& e : errors) {
      out.push_back({uri + "#" + e.instance_location,
                     "not a valid schema: " + e.message + " (meta-schema keyword " +
                         e.absolute_keyword_location + ")",
                     ""});
    }
  }
  return out;
}

const json* engine::locate(const std::string& absolute_uri, const std::string& where) {
  auto [doc, frag] = split_fragment(absolute_uri);
  auto it = resources.find(doc);
  if (it == resources.end()) {
    if (auto text = embedded_document(doc)) {
      add_document(doc, json::parse(*text), true);
    } else if (opts.load) {
      if (auto loaded = opts.load(doc)) {
        json parsed = json::parse(*loaded, nullptr, false);
        if (parsed.is_discarded()) {
          problems.push_back({doc, "the document that " + where + " refers to is not JSON", ""});
          return nullptr;
        }
        if (json_depth(parsed) > 512) {
          problems.push_back(
              {doc, "the document that " + where + " refers to is nested too deeply", ""});
          return nullptr;
        }
        auto found = add_document(doc, std::move(parsed), false);
        problems.insert(problems.end(), found.begin(), found.end());
      }
    }
    it = resources.find(doc);
    if (it == resources.end()) return nullptr;
  }
  const json* root = it->second;
  if (frag.empty()) return root;
  std::string decoded = percent_decode(frag);
  if (decoded[0] != '/') {
    auto a = anchors.find(doc + "#" + decoded);
    return a == anchors.end() ? nullptr : a->second;
  }
  auto tokens = parse_pointer(decoded);
  if (!tokens) return nullptr;
  const json* cur = root;
  for (auto& t : *tokens) {
    if (cur->is_object()) {
      auto f = cur->find(t);
      if (f == cur->end()) return nullptr;
      cur = &*f;
    } else if (cur->is_array()) {
      if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos)
        return nullptr;
      std::size_t i = std::stoul(t);
      if (i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
    } else {
      return nullptr;
    }
  }
  if (!locations.count(cur)) {
    // A pointer into a place the walk did not visit (an unknown keyword): it is still a
    // schema, based at its resource.
    const location& rl = location_of(*root);
    cxh::diagnostics ignored;
    walker w{*this, ignored, doc};
    w.walk(*cur, rl.base ? *rl.base : doc, decoded, rl.dialect_, rl.vocabs, false);
  }
  return cur;
}

}  // namespace cxh::schema::detail
