// cxharness lint: every problem of a set of documents, each with file and JSON pointer.

#include <cxh/core/json_pointer.hpp>
#include <cxh/openapi/lint.hpp>
#include <map>
#include <set>

namespace cxh::openapi {

namespace {

using nlohmann::json;

constexpr const char* kOpenApiSchema = "https://spec.openapis.org/oas/3.1/schema-base/2022-10-07";

// nlohmann reports a byte offset; people want line:column.
std::string position(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

const schema::schema& openapi_validator() {
  static const schema::schema s = [] {
    auto r = schema::compile(json{{"$ref", kOpenApiSchema}});
    return std::get<schema::schema>(r);
  }();
  return s;
}

}  // namespace

lint_report lint(const std::vector<document_source>& docs, schema::loader load) {
  lint_report report;
  auto& out = report.problems;
  std::vector<json> parsed(docs.size());
  bool all_parsed = true;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    try {
      parsed[i] = json::parse(docs[i].text);
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      auto colon = what.find(": ");
      out.push_back(
          {docs[i].display + ":" + position(docs[i].text, e.byte),
           "not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)), ""});
      all_parsed = false;
    }
  }
  if (!all_parsed) return report;

  // $refs among the set are served from the set itself, by retrieval URI or by $id (the events
  // carry https://cxharness.dev/... ids whether they are read from disk or embedded).
  std::map<std::string, const std::string*> by_uri;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    by_uri.emplace(docs[i].uri, &docs[i].text);
    if (parsed[i].is_object() && parsed[i].contains("$id") && parsed[i]["$id"].is_string())
      by_uri.emplace(parsed[i]["$id"].get<std::string>(), &docs[i].text);
  }
  schema::loader from_set = [by_uri, load](const std::string& uri) -> std::optional<std::string> {
    if (auto it = by_uri.find(uri); it != by_uri.end()) return *it->second;
    return load ? load(uri) : std::nullopt;
  };

  std::map<std::string, std::string> operation_ids, catalog_ids;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const json& doc = parsed[i];
    const std::string& name = docs[i].display;
    if (doc.is_object() && doc.contains("openapi")) {
      ++report.openapi_documents;
      for (auto& e : openapi_validator().validate(doc))
        out.push_back({name + "#" + e.instance_location, "OpenAPI 3.1: " + e.message, ""});
      // Every named schema compiles, also those no operation uses.
      schema::options opts;
      opts.check_against_metaschema = false;
      opts.load = from_set;
      schema::compiler c(opts);
      for (auto& p : c.add_document(docs[i].uri, doc)) out.push_back(p);
      if (auto comps = doc.find("components"); comps != doc.end() && comps->contains("schemas")) {
        for (auto& [key, value] : (*comps)["schemas"].items()) {
          (void)value;
          ++report.schemas;
          auto r =
              c.compile(docs[i].uri + "#/components/schemas/" + cxh::escape_pointer_token(key));
          if (auto* p = std::get_if<cxh::diagnostics>(&r))
            for (auto& d : *p) out.push_back({d.where, d.what, d.hint});
        }
      }
    } else {
      ++report.schema_documents;
      schema::options opts;
      opts.load = from_set;
      auto r = schema::compile(doc, opts, docs[i].uri);
      ++report.schemas;
      if (auto* p = std::get_if<cxh::diagnostics>(&r))
        for (auto& d : *p) out.push_back({d.where, d.what, d.hint});
    }
  }

  auto loaded = spec_set::load(docs, load);
  if (auto* p = std::get_if<cxh::diagnostics>(&loaded)) {
    out.insert(out.end(), p->begin(), p->end());
  } else {
    const auto& set = std::get<spec_set>(loaded);
    report.operations = set.operations().size();
    for (const auto& op : set.operations()) {
      std::string where = op.document + "#" + op.pointer;
      if (!op.operation_id.empty()) {
        auto [it, fresh] = operation_ids.emplace(op.operation_id, where);
        if (!fresh && it->second != where)
          out.push_back(
              {where, "operationId '" + op.operation_id + "' is also used at " + it->second, ""});
      }
      for (const auto& id : op.catalog_ids) {
        auto [it, fresh] = catalog_ids.emplace(id, where);
        if (!fresh)
          out.push_back({where, "x-catalog-ids '" + id + "' is also defined at " + it->second, ""});
      }
    }
  }
  // Diagnostics name documents by URI; show the names people gave.
  for (auto& p : out) {
    for (const auto& d : docs) {
      if (p.where.rfind(d.uri, 0) == 0) {
        p.where = d.display + p.where.substr(d.uri.size());
        break;
      }
    }
  }
  return report;
}

}  // namespace cxh::openapi
