// Issue 3's bar: every operation of ../shared/catalog/endpoints.json maps to an operation of
// schemas/ through the index (method, base path + path, operationName), and every documented
// example validates against its schema.

#include <gtest/gtest.h>

#include <cxh/core/file.hpp>
#include <cxh/openapi/spec.hpp>
#include <map>
#include <regex>

using nlohmann::json;
namespace co = cxh::openapi;

namespace {

const co::spec_set& spec() {
  static const co::spec_set s =
      std::get<co::spec_set>(co::spec_set::load(co::spec_set::embedded_documents()));
  return s;
}

json catalog() {
  auto text = cxh::read_file(CXH_SHARED_DIR "/catalog/endpoints.json");
  if (auto* d = std::get_if<cxh::diagnostic>(&text)) {
    ADD_FAILURE() << cxh::to_string(*d);
    return json::array();
  }
  return json::parse(std::get<std::string>(text));
}

bool carries(const co::operation& op, const std::string& id) {
  return std::find(op.catalog_ids.begin(), op.catalog_ids.end(), id) != op.catalog_ids.end();
}

}  // namespace

TEST(CatalogCoverage, EveryCatalogOperationMapsToADefinedOperation) {
  json entries = catalog();
  ASSERT_EQ(entries.size(), 235u);
  std::vector<std::string> missing;
  std::size_t by_index = 0, by_variant = 0, by_alias = 0, undocumented_uri = 0, webhooks = 0;
  for (const auto& e : entries) {
    std::string id = e["id"];
    // The operation that claims the id.
    const co::operation* owner = nullptr;
    for (const auto& op : spec().operations())
      if (carries(op, id)) owner = &op;
    if (!owner) {
      missing.push_back(id + " (no operation carries it)");
      continue;
    }
    if (owner->method != e["method"].get<std::string>()) {
      missing.push_back(id + " (method " + owner->method + ")");
      continue;
    }
    if (e["direction"] == "outbound-webhook") {
      webhooks += owner->webhook;
      if (!owner->webhook) missing.push_back(id + " (not a webhook)");
      continue;
    }
    if (e["path"].is_null()) {
      ++undocumented_uri;  // the page gives no URI; the schema chose one (x-decision)
      continue;
    }
    std::string path = e["path"];
    if (path.front() != '/') path = "/" + path;
    std::string concrete = e["base_path"].get<std::string>() +
                           std::regex_replace(path, std::regex("\\{[^}]*\\}"), "p1");
    json body = json::object();
    std::string name =
        e["operation_name"].is_string() ? e["operation_name"].get<std::string>() : "";
    if (!name.empty()) body["operationName"] = name.front() == '{' ? "OutToLunch" : name;
    auto m = spec().find(owner->method, concrete, name.empty() ? nullptr : &body);
    bool hit = std::any_of(m.operations.begin(), m.operations.end(),
                           [&](auto* op) { return carries(*op, id); });
    // Variants of one wire operation (Accept for voice, e-mail and chat) are told apart by
    // their request bodies; a bare {"operationName"} body reaches the family, not the variant.
    bool family = std::any_of(m.operations.begin(), m.operations.end(), [&](auto* op) {
      return op->full_path() == owner->full_path() && op->operation_name == owner->operation_name;
    });
    if (hit) {
      ++by_index;
    } else if (family && !owner->operation_name.empty()) {
      ++by_variant;
    } else if (std::find(owner->path_aliases.begin(), owner->path_aliases.end(), e["path"]) !=
               owner->path_aliases.end()) {
      ++by_alias;  // a misspelt URI of the page, recorded on the canonical path
    } else {
      missing.push_back(id + " (" + co::to_string(m.kind) + ": " + m.detail + ")");
    }
  }
  for (const auto& m : missing) ADD_FAILURE() << "not covered: " << m;
  std::cout << "catalog coverage: " << (entries.size() - missing.size()) << "/" << entries.size()
            << " (by index " << by_index << ", by request-body variant " << by_variant
            << ", by documented alias " << by_alias << ", undocumented URI " << undocumented_uri
            << ", webhooks " << webhooks << ")\n";
}

namespace {

struct example_check {
  std::size_t checked = 0;
  std::vector<std::string> failures;
};

// Media type objects (and parameters) with a schema and examples; JSON Schemas with `examples`.
void check_examples(const json& node, const std::string& pointer, const co::document_source& doc,
                    cxh::schema::compiler& compiler, example_check& out) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_examples(node[i], pointer + "/" + std::to_string(i), doc, compiler, out);
    return;
  }
  if (!node.is_object()) return;
  auto validate = [&](const std::string& schema_pointer, const json& value,
                      const std::string& where) {
    auto r = compiler.compile(doc.uri + "#" + schema_pointer);
    if (auto* p = std::get_if<cxh::diagnostics>(&r)) {
      out.failures.push_back(where + ": schema does not compile: " + cxh::to_string(p->front()));
      return;
    }
    ++out.checked;
    auto errors = std::get<cxh::schema::schema>(r).validate(value);
    if (!errors.empty())
      out.failures.push_back(where + ": " + errors.front().instance_location + " " +
                             errors.front().message);
  };
  auto escape = [](std::string s) {
    std::string o;
    for (char c : s)
      o += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return o;
  };
  if (node.contains("schema") && node["schema"].is_object()) {
    if (auto ex = node.find("examples"); ex != node.end() && ex->is_object()) {
      for (auto& [name, example] : ex->items())
        if (example.is_object() && example.contains("value"))
          validate(pointer + "/schema", example["value"],
                   doc.display + "#" + pointer + "/examples/" + escape(name));
    }
    if (auto ex = node.find("example"); ex != node.end())
      validate(pointer + "/schema", *ex, doc.display + "#" + pointer + "/example");
  }
  for (auto& [key, value] : node.items()) {
    if (key == "examples" || key == "example") continue;
    check_examples(value, pointer + "/" + escape(key), doc, compiler, out);
  }
}

}  // namespace

TEST(CatalogCoverage, EveryDocumentedExampleValidatesAgainstItsSchema) {
  auto docs = co::spec_set::embedded_documents();
  cxh::schema::options opts;
  opts.check_against_metaschema = false;
  cxh::schema::compiler compiler(opts);
  for (const auto& d : docs) ASSERT_TRUE(compiler.add_document(d.uri, json::parse(d.text)).empty());
  example_check out;
  for (const auto& d : docs) {
    json doc = json::parse(d.text);
    check_examples(doc, "", d, compiler, out);
    // JSON Schema documents (events/, common/): their top-level `examples` keyword.
    if (!doc.contains("openapi") && doc.contains("examples") && doc["examples"].is_array()) {
      for (std::size_t i = 0; i < doc["examples"].size(); ++i) {
        auto r = compiler.compile(d.uri);
        ASSERT_TRUE(std::holds_alternative<cxh::schema::schema>(r)) << d.display;
        ++out.checked;
        auto errors = std::get<cxh::schema::schema>(r).validate(doc["examples"][i]);
        if (!errors.empty())
          out.failures.push_back(d.display + "#/examples/" + std::to_string(i) + ": " +
                                 errors.front().instance_location + " " + errors.front().message);
      }
    }
  }
  for (const auto& f : out.failures) ADD_FAILURE() << f;
  EXPECT_GT(out.checked, 300u);
  std::cout << "examples validated: " << out.checked << ", failures: " << out.failures.size()
            << "\n";
}

namespace {

std::size_t line_count(const std::string& seed) {
  auto text = cxh::read_file(CXH_SHARED_DIR "/spec/" + seed);
  if (!std::holds_alternative<std::string>(text)) return 0;
  const auto& s = std::get<std::string>(text);
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
}

// Every x-source value: {seed, line} or a list of them, each citing a real line of a real page.
void check_sources(const json& node, const std::string& where,
                   std::map<std::string, std::size_t>& lines, std::vector<std::string>& bad,
                   std::size_t& seen) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_sources(node[i], where + "/" + std::to_string(i), lines, bad, seen);
    return;
  }
  if (!node.is_object()) return;
  if (auto src = node.find("x-source"); src != node.end()) {
    json list = src->is_array() ? *src : json::array({*src});
    for (const auto& s : list) {
      ++seen;
      if (!s.is_object() || !s.contains("seed") || !s["seed"].is_string()) {
        bad.push_back(where + "/x-source: no seed");
        continue;
      }
      std::string seed = s["seed"];
      if (!lines.count(seed)) lines[seed] = line_count(seed);
      auto cited = s.value("line", json()).is_number_integer() ? s["line"].get<std::size_t>() : 0;
      if (lines[seed] == 0)
        bad.push_back(where + "/x-source: unknown page " + seed);
      else if (cited == 0 || cited > lines[seed])
        bad.push_back(where + "/x-source: line " + std::to_string(cited) + " is not in " + seed);
    }
  }
  for (auto& [k, v] : node.items()) check_sources(v, where + "/" + k, lines, bad, seen);
}

}  // namespace

TEST(CatalogCoverage, EveryOperationAndNamedSchemaCitesItsPage) {
  std::vector<std::string> bad;
  for (const auto& op : spec().operations()) {
    if (!op.definition->contains("x-source"))
      bad.push_back(op.document + "#" + op.pointer + ": no x-source");
  }
  std::map<std::string, std::size_t> lines;
  std::size_t seen = 0;
  for (const auto& d : co::spec_set::embedded_documents()) {
    json doc = json::parse(d.text);
    if (doc.contains("components") && doc["components"].contains("schemas")) {
      for (auto& [name, s] : doc["components"]["schemas"].items())
        if (!s.contains("x-source"))
          bad.push_back(d.display + ": schema " + name + " has no x-source");
    }
    check_sources(doc, d.display + "#", lines, bad, seen);
  }
  for (const auto& b : bad) ADD_FAILURE() << b;
  EXPECT_GT(seen, 500u);
}
