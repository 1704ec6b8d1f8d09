// Builds a spec_set: parses documents, registers them with one schema compiler, walks paths and
// webhooks into operations, compiles every request and response schema once.

#include <algorithm>
#include <cxh/core/json_pointer.hpp>
#include <cxh/openapi/spec.hpp>

#include "spec_data.hpp"

namespace cxh::openapi {

namespace {

using nlohmann::json;

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A JSON position inside one of the loaded documents.
struct place {
  std::size_t doc = 0;
  const json* value = nullptr;
  std::string pointer;
};

struct builder {
  std::vector<document_source> sources;
  std::deque<json>& docs;
  schema::compiler compiler;
  cxh::diagnostics problems;

  std::string display(std::string where) const {
    for (const auto& s : sources) {
      if (where.rfind(s.uri, 0) == 0) return s.display + where.substr(s.uri.size());
    }
    return where;
  }
  void problem(const place& at, std::string what) {
    problems.push_back({sources[at.doc].display + "#" + at.pointer, std::move(what), ""});
  }

  // Follows an OpenAPI Reference Object ({"$ref": "#/components/..."} or "other.json#/...").
  place deref(place at, int hops = 0) {
    if (!at.value || !at.value->is_object() || !at.value->contains("$ref") || hops > 16) return at;
    const auto& ref = (*at.value)["$ref"];
    if (!ref.is_string()) return at;
    std::string r = ref.get<std::string>();
    auto hash = r.find('#');
    std::string file = r.substr(0, hash),
                frag = hash == std::string::npos ? "" : r.substr(hash + 1);
    std::size_t target = at.doc;
    if (!file.empty()) {
      std::string base = sources[at.doc].uri;
      std::string uri = base.substr(0, base.rfind('/') + 1) + file;
      auto it = std::find_if(sources.begin(), sources.end(), [&](auto& s) { return s.uri == uri; });
      if (it == sources.end()) {
        problem(at, "reference '" + r + "' names a document outside the set");
        return {at.doc, nullptr, at.pointer};
      }
      target = static_cast<std::size_t>(it - sources.begin());
    }
    const json* cur = &docs[target];
    try {
      cur = &cur->at(json::json_pointer(frag));
    } catch (const std::exception&) {
      problem(at, "reference '" + r + "' does not resolve");
      return {at.doc, nullptr, at.pointer};
    }
    return deref({target, cur, frag}, hops + 1);
  }

  std::optional<schema::schema> compile(const place& at) {
    auto r = compiler.compile(sources[at.doc].uri + "#" + at.pointer);
    if (auto* p = std::get_if<cxh::diagnostics>(&r)) {
      for (auto& d : *p) problems.push_back({display(d.where), d.what, d.hint});
      return std::nullopt;
    }
    return std::get<schema::schema>(r);
  }

  std::vector<media> content_of(const place& owner) {
    std::vector<media> out;
    auto c = owner.value->find("content");
    if (c == owner.value->end() || !c->is_object()) return out;
    for (auto& [type, m] : c->items()) {
      media md;
      md.content_type = type;
      std::string mp = owner.pointer + "/content/" + cxh::escape_pointer_token(type);
      if (m.is_object()) {
        if (auto ex = m.find("examples"); ex != m.end() && ex->is_object()) {
          for (auto& [name, e] : ex->items()) {
            (void)name;
            place ep = deref({owner.doc, &e, mp + "/examples/" + cxh::escape_pointer_token(name)});
            if (ep.value && ep.value->is_object() && ep.value->contains("value"))
              md.examples.push_back((*ep.value)["value"]);
          }
        }
        if (auto ex = m.find("example"); ex != m.end()) md.examples.push_back(*ex);
      }
      if (m.is_object() && m.contains("schema")) {
        place sp{owner.doc, &m["schema"], mp + "/schema"};
        md.pointer = sources[owner.doc].display + "#" + sp.pointer;
        md.schema_json = sp.value;
        md.base_uri = sources[owner.doc].uri;
        md.body = compile(sp);
      }
      out.push_back(std::move(md));
    }
    return out;
  }

  std::vector<response> responses_of(const place& owner) {
    std::vector<response> out;
    if (!owner.value || !owner.value->is_object()) return out;
    for (auto& [status, raw] : owner.value->items()) {
      place rp = deref({owner.doc, &raw, owner.pointer + "/" + cxh::escape_pointer_token(status)});
      if (!rp.value || !rp.value->is_object()) continue;
      response r;
      r.status = status;
      r.description = rp.value->value("description", "");
      r.content = content_of(rp);
      if (auto h = rp.value->find("headers"); h != rp.value->end() && h->is_object()) {
        for (auto& [name, hv] : h->items()) {
          place hp =
              deref({rp.doc, &hv, rp.pointer + "/headers/" + cxh::escape_pointer_token(name)});
          if (hp.value && hp.value->is_object() && hp.value->value("required", false))
            r.required_headers.push_back(name);
        }
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
      for (auto& s : *it)
        if (s.is_string()) out.push_back(s.get<std::string>());
    return out;
  }

  void add_operations(std::size_t d, const std::string& server, const std::string& section,
                      std::vector<operation>& out) {
    const json& doc = docs[d];
    auto items = doc.find(section);
    if (items == doc.end() || !items->is_object()) return;
    static const char* methods[] = {"get",   "put",  "post",    "delete",
                                    "patch", "head", "options", "trace"};
    for (auto& [path, item_raw] : items->items()) {
      place item = deref({d, &item_raw, "/" + section + "/" + cxh::escape_pointer_token(path)});
      if (!item.value || !item.value->is_object()) continue;
      auto aliases = strings(*item.value, "x-path-aliases");
      for (const char* m : methods) {
        auto o = item.value->find(m);
        if (o == item.value->end() || !o->is_object()) continue;
        place op_place{item.doc, &*o, item.pointer + "/" + m};
        operation op;
        op.document = sources[d].display;
        op.document_uri = sources[d].uri;
        op.pointer = op_place.pointer;
        op.method = upper(m);
        op.server = section == "paths" ? server : "";
        op.path_template = path;
        op.webhook = section == "webhooks";
        op.operation_id = o->value("operationId", "");
        op.summary = o->value("summary", "");
        op.deprecated = o->value("deprecated", false);
        op.catalog_ids = strings(*o, "x-catalog-ids");
        op.path_aliases = aliases;
        op.definition = &*o;
        if (auto a = o->find("x-async"); a != o->end()) op.x_async = &*a;
        if (auto sec = o->find("security"); sec != o->end())
          op.security = &*sec;
        else if (auto top = doc.find("security"); top != doc.end())
          op.security = &*top;
        if (auto comps = doc.find("components"); comps != doc.end() && comps->is_object()) {
          if (auto ss = comps->find("securitySchemes"); ss != comps->end())
            op.security_schemes = &*ss;
        }
        if (auto rb = o->find("requestBody"); rb != o->end()) {
          place rbp = deref({item.doc, &*rb, op_place.pointer + "/requestBody"});
          if (rbp.value && rbp.value->is_object()) op.request = content_of(rbp);
        }
        if (auto rs = o->find("responses"); rs != o->end())
          op.responses = responses_of({item.doc, &*rs, op_place.pointer + "/responses"});
        auto subs = o->find("x-operations");
        bool has_subs = subs != o->end() && subs->is_array() && !subs->empty();
        if (has_subs) {
          for (std::size_t i = 0; i < subs->size(); ++i) {
            const json& e = (*subs)[i];
            if (!e.is_object()) continue;
            operation sub = op;
            sub.pointer = op_place.pointer + "/x-operations/" + std::to_string(i);
            sub.operation_name = e.value("operationName", "");
            sub.operation_id = e.value("operationId", op.operation_id);
            sub.summary = e.value("summary", op.summary);
            sub.catalog_ids = strings(e, "x-catalog-ids");
            sub.definition = &e;
            if (auto a = e.find("x-async"); a != e.end()) sub.x_async = &*a;
            if (auto rs = e.find("requestSchema"); rs != e.end()) {
              media md;
              md.content_type =
                  op.request.empty() ? "application/json" : op.request.front().content_type;
              place sp{item.doc, &*rs, sub.pointer + "/requestSchema"};
              md.pointer = sources[d].display + "#" + sp.pointer;
              md.schema_json = sp.value;
              md.base_uri = sources[d].uri;
              md.body = compile(sp);
              sub.request = {std::move(md)};
            }
            if (auto rs = e.find("responses"); rs != e.end() && rs->is_object()) {
              auto own = responses_of({item.doc, &*rs, sub.pointer + "/responses"});
              // An entry's responses replace the operation's for the statuses it names.
              for (auto& r : own) {
                auto same = std::find_if(sub.responses.begin(), sub.responses.end(),
                                         [&](auto& x) { return x.status == r.status; });
                if (same != sub.responses.end())
                  *same = std::move(r);
                else
                  sub.responses.push_back(std::move(r));
              }
            }
            out.push_back(std::move(sub));
          }
        }
        // The operation itself answers requests that no x-operations entry names, when it
        // defines catalogue operations of its own (POST /users/{id} without operationName).
        if (!has_subs || !op.catalog_ids.empty()) out.push_back(std::move(op));
      }
    }
  }
};

std::string server_path(const json& doc) {
  auto s = doc.find("servers");
  if (s == doc.end() || !s->is_array() || s->empty() || !(*s)[0].is_object()) return "";
  std::string url = (*s)[0].value("url", "");
  auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string::npos ? "" : url.substr(slash);
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::variant<spec_set, cxh::diagnostics> spec_set::load(const std::vector<document_source>& sources,
                                                        schema::loader load) {
  auto d = std::make_shared<data>();
  schema::options opts;
  opts.check_against_metaschema = false;  // OpenAPI documents are not schemas; lint checks them
  opts.load = std::move(load);
  builder b{sources, d->documents, schema::compiler(opts), {}};
  for (const auto& s : sources) {
    d->uris.push_back(s.uri);
    json parsed = json::parse(s.text, nullptr, false);
    if (parsed.is_discarded()) {
      b.problems.push_back({s.display, "not valid JSON", "run `cxharness lint` for the position"});
      d->documents.emplace_back();
      continue;
    }
    for (auto& p : b.compiler.add_document(s.uri, parsed))
      b.problems.push_back({b.display(p.where), p.what, p.hint});
    d->documents.push_back(std::move(parsed));
  }
  if (!b.problems.empty()) return b.problems;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const json& doc = d->documents[i];
    if (!doc.is_object() || !doc.contains("openapi")) continue;  // a plain JSON Schema document
    std::string server = server_path(doc);
    b.add_operations(i, server, "paths", d->operations);
    b.add_operations(i, server, "webhooks", d->operations);
  }
  if (!b.problems.empty()) return b.problems;
  for (std::size_t i = 0; i < d->operations.size(); ++i) {
    const auto& op = d->operations[i];
    if (op.webhook) continue;
    std::string full = op.full_path();
    auto it =
        std::find_if(d->paths.begin(), d->paths.end(), [&](auto& p) { return p.full == full; });
    if (it == d->paths.end()) {
      d->paths.push_back({detail::path_template(full), full, {}});
      it = d->paths.end() - 1;
    }
    it->members.push_back(i);
  }
  spec_set out;
  out.data_ = std::move(d);
  return out;
}

const std::vector<operation>& spec_set::operations() const {
  return data_->operations;
}

const operation* spec_set::by_operation_id(std::string_view id) const {
  for (const auto& op : data_->operations)
    if (op.operation_id == id) return &op;
  return nullptr;
}

}  // namespace cxh::openapi

namespace cxh::openapi {

std::pair<const nlohmann::json*, std::string> spec_set::resolve(const std::string& base_uri,
                                                                const std::string& ref) const {
  using nlohmann::json;
  auto hash = ref.find('#');
  std::string file = ref.substr(0, hash),
              frag = hash == std::string::npos ? "" : ref.substr(hash + 1);
  std::string uri = base_uri;
  if (!file.empty()) {
    uri = file.find("://") != std::string::npos
              ? file
              : base_uri.substr(0, base_uri.rfind('/') + 1) + file;
    // Collapse "dir/../": documents refer to siblings (../events/x.json).
    for (auto pos = uri.find("/../"); pos != std::string::npos; pos = uri.find("/../")) {
      auto prev = uri.rfind('/', pos - 1);
      if (prev == std::string::npos) break;
      uri.erase(prev, pos + 3 - prev);
    }
  }
  for (std::size_t i = 0; i < data_->uris.size(); ++i) {
    const json& doc = data_->documents[i];
    bool same = data_->uris[i] == uri || (doc.is_object() && doc.contains("$id") &&
                                          doc["$id"].is_string() && doc["$id"] == uri);
    if (!same) continue;
    try {
      return {&doc.at(json::json_pointer(frag)), data_->uris[i]};
    } catch (const std::exception&) {
      return {nullptr, ""};
    }
  }
  return {nullptr, ""};
}

}  // namespace cxh::openapi
