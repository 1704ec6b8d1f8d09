#include <algorithm>
#include <cxh/runner/generate.hpp>
#include <cxh/runner/runner.hpp>
#include <set>

#include "auth.hpp"

namespace cxh::runner {

namespace {

using nlohmann::json;
namespace sc = cxh::scenario;

// The documented statuses of an operation as numbers ("4XX" stands for each of 400..499).
std::vector<int> documented(const openapi::operation& op, int low, int high) {
  std::set<int> out;
  for (const auto& r : op.responses) {
    const std::string& s = r.status;
    if (s.size() == 3 && std::isdigit(static_cast<unsigned char>(s[0])) && s[1] == 'X') {
      int base = (s[0] - '0') * 100;
      for (int c = base; c < base + 100; ++c)
        if (c >= low && c <= high) out.insert(c);
    } else if (!s.empty() && std::all_of(s.begin(), s.end(), ::isdigit)) {
      int c = std::stoi(s);
      if (c >= low && c <= high) out.insert(c);
    }
  }
  return {out.begin(), out.end()};
}

std::vector<int> without(std::vector<int> codes, std::initializer_list<int> drop) {
  codes.erase(
      std::remove_if(codes.begin(), codes.end(),
                     [&](int c) { return std::find(drop.begin(), drop.end(), c) != drop.end(); }),
      codes.end());
  return codes;
}

std::vector<int> only(const std::vector<int>& codes, std::initializer_list<int> keep) {
  std::vector<int> out;
  for (int c : codes)
    if (std::find(keep.begin(), keep.end(), c) != keep.end()) out.push_back(c);
  return out;
}

bool every_alternative_has(const std::vector<std::vector<std::string>>& alts, const char* scheme) {
  return !alts.empty() && std::all_of(alts.begin(), alts.end(), [&](const auto& a) {
    return std::find(a.begin(), a.end(), scheme) != a.end();
  });
}

// The properties and required names of an object schema, $refs followed and allOf members
// merged (empty when the schema is not plainly an object).
struct object_shape {
  json properties = json::object();
  std::vector<std::string> required;
};

const json* follow(const openapi::spec_set& spec, const json* s, std::string& base) {
  for (int hops = 0; s && s->is_object() && s->contains("$ref") && hops < 8; ++hops) {
    const auto& ref = (*s)["$ref"];
    if (!ref.is_string()) return nullptr;
    auto [target, uri] = spec.resolve(base, ref.get<std::string>());
    s = target;
    base = uri;
  }
  return s;
}

void collect(const openapi::spec_set& spec, const json* s, std::string base, object_shape& out,
             int depth) {
  s = follow(spec, s, base);
  if (!s || !s->is_object() || depth > 4) return;
  if (auto p = s->find("properties"); p != s->end() && p->is_object())
    for (const auto& [name, sub] : p->items()) {
      std::string b = base;
      const json* resolved = follow(spec, &sub, b);
      if (resolved && !out.properties.contains(name)) out.properties[name] = *resolved;
    }
  if (auto r = s->find("required"); r != s->end() && r->is_array())
    for (const auto& n : *r)
      if (n.is_string()) out.required.push_back(n.get<std::string>());
  if (auto a = s->find("allOf"); a != s->end() && a->is_array())
    for (const auto& member : *a) collect(spec, &member, base, out, depth + 1);
}

// A value of another JSON type than the property's schema allows; null when unsure.
json wrong_type_for(const json& property) {
  auto t = property.find("type");
  if (t == property.end() || !t->is_string()) {
    if (property.contains("enum")) return "cxh-not-in-the-enum";
    return nullptr;
  }
  const std::string type = *t;
  if (type == "string") return 12345;
  if (type == "integer" || type == "number") return "not-a-number";
  if (type == "boolean") return "not-a-boolean";
  if (type == "object") return json::array({1, 2});
  if (type == "array") return "not-an-array";
  return nullptr;
}

// A value a schema accepts, built from its example, default, enum or type; null when unsure.
json sample(const openapi::spec_set& spec, const json* s, std::string base, int depth) {
  s = follow(spec, s, base);
  if (!s || !s->is_object() || depth > 6) return nullptr;
  for (const char* k : {"example", "default", "const"})
    if (s->contains(k)) return (*s)[k];
  if (auto e = s->find("examples"); e != s->end() && e->is_array() && !e->empty())
    return e->front();
  if (auto e = s->find("enum"); e != s->end() && e->is_array() && !e->empty()) return e->front();
  for (const char* k : {"oneOf", "anyOf"})
    if (auto a = s->find(k); a != s->end() && a->is_array() && !a->empty())
      return sample(spec, &a->front(), base, depth + 1);
  std::string type;
  if (auto t = s->find("type"); t != s->end()) {
    if (t->is_string()) type = *t;
    if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string() && x != "null") {
          type = x;
          break;
        }
  }
  object_shape shape;
  collect(spec, s, base, shape, 0);
  if (type.empty() && (!shape.properties.empty() || !shape.required.empty())) type = "object";
  if (type == "object") {
    json out = json::object();
    for (const auto& name : shape.required) {
      if (!shape.properties.contains(name)) return nullptr;
      json v = sample(spec, &shape.properties[name], base, depth + 1);
      if (v.is_null()) return nullptr;
      out[name] = v;
    }
    return out;
  }
  if (type == "array") {
    json out = json::array();
    if (s->value("minItems", 0) > 0 && s->contains("items")) {
      json v = sample(spec, &(*s)["items"], base, depth + 1);
      if (v.is_null()) return nullptr;
      out.push_back(v);
    }
    return out;
  }
  if (type == "string") {
    std::string format = s->value("format", "");
    if (format == "uuid") return "00000000-0000-4000-8000-000000000000";
    if (format == "date-time") return "2026-01-01T00:00:00Z";
    if (format == "date") return "2026-01-01";
    if (format == "email") return "someone@example.com";
    if (format == "uri") return "https://example.com/";
    if (s->contains("pattern")) return nullptr;
    return std::string(std::max<std::size_t>(s->value("minLength", 1), 1), 'x');
  }
  if (type == "integer" || type == "number") return s->value("minimum", 1);
  if (type == "boolean") return false;
  return nullptr;
}

// Names a path parameter that carries an identifier the target issues.
bool names_an_id(const std::string& name) {
  if (name.size() < 2) return false;
  std::string tail = name.substr(name.size() - 2);
  return tail == "id" || tail == "Id" || tail == "ID";
}

struct parameter {
  std::string name, in;
  bool required = false;
  json schema;  // resolved
  json example;
};

// The operation's parameters, and those of its path item it does not override.
std::vector<parameter> parameters_of(const openapi::spec_set& spec, const openapi::operation& op) {
  std::vector<parameter> out;
  auto add_from = [&](const json* list, const std::string& base_uri) {
    if (!list || !list->is_array()) return;
    for (const auto& p : *list) {
      std::string base = base_uri;
      const json* param = follow(spec, &p, base);
      if (!param || !param->is_object()) continue;
      parameter x;
      x.name = param->value("name", "");
      x.in = param->value("in", "");
      if (std::any_of(out.begin(), out.end(),
                      [&](const auto& y) { return y.name == x.name && y.in == x.in; }))
        continue;
      x.required = param->value("required", false) || x.in == "path";
      std::string sbase = base;
      if (auto sc = param->find("schema"); sc != param->end()) {
        const json* resolved = follow(spec, &*sc, sbase);
        if (resolved) x.schema = *resolved;
      }
      if (param->contains("example")) x.example = (*param)["example"];
      if (x.example.is_null() && x.schema.is_object())
        x.example = sample(spec, &x.schema, sbase, 0);
      out.push_back(std::move(x));
    }
  };
  if (op.definition)
    add_from(op.definition->contains("parameters") ? &(*op.definition)["parameters"] : nullptr,
             op.document_uri);
  // The path item: the pointer less its method (and less an x-operations entry).
  std::string item_pointer = op.pointer.substr(0, op.pointer.find("/x-operations/"));
  auto slash = item_pointer.rfind('/');
  if (slash != std::string::npos) {
    auto [item, uri] = spec.resolve(op.document_uri, "#" + item_pointer.substr(0, slash));
    if (item && item->is_object() && item->contains("parameters"))
      add_from(&(*item)["parameters"], uri);
  }
  return out;
}

bool is_credential(const std::string& name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return n == "x-api-key" || n == "authorization" || n == "x-hub-signature" || n == "cookie";
}

// The generator's switches in a schema document: `x-cxh-generate: {positive: false, why: ...}`
// on an operation whose documented request cannot be sent as is (the why is the page's doing).
bool allowed(const openapi::operation& op, const char* kind) {
  if (!op.definition) return true;
  auto g = op.definition->find("x-cxh-generate");
  if (g == op.definition->end() || !g->is_object()) return true;
  return g->value(kind, true);
}

struct maker {
  const openapi::spec_set& spec;
  sc::suite& out;

  // One case of one step for `op`, expecting one of `codes`.
  sc::step& add(const openapi::operation& op, const std::string& what, const char* kind,
                const char* requirement_id, std::vector<int> codes,
                const std::string& requirement) {
    sc::test_case c;
    c.name = op.operation_id + ": " + what;
    c.tags = {"generated", kind, family_of(op)};
    sc::requirement r;
    r.id = requirement_id;
    r.level = "MUST";
    r.text = requirement + " (" + source_of(op) + ")";
    c.requirements.push_back(r);
    sc::step s;
    s.name = what;
    s.call = op.operation_id;
    s.expect_status = std::move(codes);
    s.at.file = out.file;
    c.at = s.at;
    c.steps.push_back(std::move(s));
    out.cases.push_back(std::move(c));
    return out.cases.back().steps.back();
  }

  // A request the operation documents as valid, but for ids no target has issued: required
  // parameters from their examples or schemas, the body from its example or schema. `complete`
  // is false when some required part could not be built (its refusal is then expected too).
  struct base_request {
    std::map<std::string, json> path, query, headers;
    std::optional<json> body;
    bool complete = true;
    bool has_ids = false;
    bool invented_query = false;  // a required query parameter got a made-up value
  };

  base_request base_for(const openapi::operation& op) const {
    base_request b;
    for (const auto& p : parameters_of(spec, op)) {
      if (!p.required || is_credential(p.name)) continue;
      if (p.in == "path" && names_an_id(p.name)) {
        b.has_ids = true;
        std::string type = p.schema.is_object() ? p.schema.value("type", "") : "";
        std::string format = p.schema.is_object() ? p.schema.value("format", "") : "";
        // Digits: string ids are often numbers in disguise (a job id), and a target may well
        // refuse what cannot be one of its ids with a 400 before it looks the id up.
        if (format == "uuid")
          b.path[p.name] = "${uuid}";
        else if (type == "integer" || type == "number")
          b.path[p.name] = 2147000001;
        else
          b.path[p.name] = "2147000001";
        continue;
      }
      json v = p.example;
      if (v.is_null()) {
        b.complete = false;
        v = "cxh-generated";
      }
      if (p.in == "path") b.path[p.name] = v;
      if (p.in == "query") {
        b.query[p.name] = v;
        b.invented_query = true;
      }
      if (p.in == "header") b.headers[p.name] = v;
    }
    // Path parameters no parameter object describes (the template is the authority).
    const std::string& t = op.path_template;
    for (auto open = t.find('{'); open != std::string::npos; open = t.find('{', open + 1)) {
      auto close = t.find('}', open);
      if (close == std::string::npos) break;
      std::string name = t.substr(open + 1, close - open - 1);
      if (b.path.count(name)) continue;
      if (names_an_id(name)) {
        b.has_ids = true;
        b.path[name] = "2147000001";
      } else {
        b.path[name] = "cxh-generated";
        b.complete = false;
      }
    }
    const auto* m = json_request(op);
    bool body_required = op.definition && op.definition->contains("requestBody") &&
                         (*op.definition)["requestBody"].is_object() &&
                         (*op.definition)["requestBody"].value("required", false);
    if (m && !m->examples.empty()) {
      b.body = m->examples.front();
    } else if (m && m->schema_json) {
      json v = sample(spec, m->schema_json, m->base_uri, 0);
      if (!v.is_null() && (!m->body || m->body->validate(v).empty())) b.body = v;
    }
    if (body_required && !b.body) b.complete = false;
    return b;
  }

  static void apply(const base_request& b, sc::step& s) {
    s.path_params = b.path;
    s.query = b.query;
    s.headers = b.headers;
    if (b.body) s.body = *b.body;
  }

  const openapi::media* json_request(const openapi::operation& op) const {
    for (const auto& m : op.request)
      if (m.content_type == "application/json" || m.content_type.ends_with("+json")) return &m;
    return nullptr;
  }

  void negatives(const openapi::operation& op, std::set<std::string>& malformed_done) {
    const auto client_errors = documented(op, 400, 499);
    if (client_errors.empty()) return;  // nothing documented to expect
    const auto refusals = only(client_errors, {401, 403});
    const auto request_errors = without(client_errors, {401, 403});
    auto alts = detail::security_alternatives(op);
    bool secured = !alts.empty() &&
                   std::none_of(alts.begin(), alts.end(), [](const auto& a) { return a.empty(); });
    const base_request base = base_for(op);
    const auto& body = base.body;
    auto prepare = [&](sc::step& s) { apply(base, s); };
    if (secured && !refusals.empty()) {
      auto& s = add(op, "no credentials", "negative", "GEN-NO-CREDENTIALS", refusals,
                    "A request without credentials is refused with a documented 401/403");
      prepare(s);
      s.auth.none = true;
      if (every_alternative_has(alts, "apiKey")) {
        auto& k = add(op, "wrong x-api-key", "negative", "GEN-WRONG-API-KEY", refusals,
                      "A request with an unknown API key is refused with a documented 401/403");
        prepare(k);
        k.auth.api_key = "cxh-generated-wrong-api-key";
      }
      if (every_alternative_has(alts, "basic")) {
        auto& b = add(
            op, "wrong Basic credentials", "negative", "GEN-WRONG-BASIC", refusals,
            "A request with a wrong user name or password is refused with a documented 401/403");
        prepare(b);
        b.auth.basic = std::make_pair(std::string("cxh-generated-user"),
                                      std::string("cxh-generated-wrong-password"));
      }
      if (every_alternative_has(alts, "hubSignature")) {
        auto& h = add(op, "bad X-Hub-Signature", "negative", "GEN-BAD-SIGNATURE", refusals,
                      "A request whose X-Hub-Signature does not match its body is refused with a "
                      "documented 401/403");
        prepare(h);
        h.auth.signature = "bad";
      }
    }
    if (request_errors.empty()) return;
    if (base.has_ids) {
      // 404 is the answer for an unknown id; when the request could not be made complete
      // otherwise, whichever defect the target sees first may be the one it names.
      auto codes = only(request_errors, {404});
      if (codes.empty() || !base.complete) codes = request_errors;
      auto& s = add(op, "unknown id", "negative", "GEN-UNKNOWN-ID", codes,
                    "A request naming an id the target never issued is refused with a documented "
                    "4xx");
      prepare(s);
    }
    const auto* media = json_request(op);
    if (!media) return;
    // Operations told apart by their body's operationName share one malformed-JSON case.
    if (malformed_done.insert(op.method + " " + op.full_path()).second) {
      auto& s = add(op, "malformed JSON body", "negative", "GEN-MALFORMED-JSON", request_errors,
                    "A request whose JSON body does not parse is refused with a documented 4xx");
      prepare(s);
      s.body.reset();
      s.raw_body = R"({"cxh": "truncated JSON)";
      s.content_type = "application/json";
    }
    if (!body || !body->is_object() || !media->schema_json) return;
    object_shape shape;
    collect(spec, media->schema_json, media->base_uri, shape, 0);
    for (const auto& name : shape.required) {
      if (name == "operationName" || !body->contains(name)) continue;
      auto& s = add(op, "required field '" + name + "' missing", "negative", "GEN-MISSING-FIELD",
                    request_errors,
                    "A request body without a required field is refused with a documented 4xx");
      prepare(s);
      s.body->erase(name);
      break;
    }
    for (const auto& name : shape.required) {
      if (name == "operationName" || !body->contains(name) || !shape.properties.contains(name))
        continue;
      json wrong = wrong_type_for(shape.properties[name]);
      if (wrong.is_null()) continue;
      auto& s = add(op, "field '" + name + "' of the wrong type", "negative", "GEN-WRONG-TYPE",
                    request_errors,
                    "A request body with a field of the wrong type is refused with a documented "
                    "4xx");
      prepare(s);
      (*s.body)[name] = wrong;
      break;
    }
  }

  // A GET with no path parameter whose required parameters could all be filled.
  void positive(const openapi::operation& op) {
    if (op.method != "GET" || op.path_template.find('{') != std::string::npos) return;
    if (!allowed(op, "positive")) return;
    auto codes = documented(op, 200, 299);
    if (codes.empty()) return;
    const base_request base = base_for(op);
    // A made-up query value (a client_id, an address) names nothing the target knows.
    if (!base.complete || base.invented_query) return;
    auto& s = add(op, "documented GET", "positive", "GEN-DOCUMENTED-GET", codes,
                  "A valid request succeeds with a documented 2xx whose body matches its schema");
    apply(base, s);
  }
};

}  // namespace

scenario::suite generate_cases(const openapi::spec_set& spec, const generate_options& opts) {
  sc::suite out;
  out.name = "generated";
  out.file = "(generated from schemas/)";
  out.description =
      "Cases generated from the specification: refusals of bad requests with a documented 4xx, "
      "documented GETs that succeed";
  out.tags = {"generated"};
  maker m{spec, out};
  std::set<std::string> malformed_done;
  for (const auto& op : spec.operations()) {
    if (op.webhook || op.operation_id.empty()) continue;
    if (opts.negatives) m.negatives(op, malformed_done);
    if (opts.positives) m.positive(op);
  }
  return out;
}

}  // namespace cxh::runner
