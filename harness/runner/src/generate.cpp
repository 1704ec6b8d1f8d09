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

// Whether a documented example refers to something a target must have issued before (a key
// like messageId, interactionId): such a request is refused by any faithful target.
bool refers_to_issued(const json& v, int depth = 0) {
  if (depth > 16) return false;
  if (v.is_object()) {
    for (const auto& [k, x] : v.items())
      if ((k.size() > 2 && names_an_id(k)) || refers_to_issued(x, depth + 1)) return true;
  } else if (v.is_array()) {
    for (const auto& x : v)
      if (refers_to_issued(x, depth + 1)) return true;
  }
  return false;
}

// The first example that refers to nothing issued (the SMS message rather than its receipt),
// else the first.
const json& example_naming_nothing_issued(const std::vector<json>& examples) {
  for (const auto& e : examples)
    if (!refers_to_issued(e)) return e;
  return examples.front();
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

// "spec/002_b62a95316013058d.txt:802" -> "002:802" (the citation form of requirements).
std::string cite_of(const openapi::operation& op) {
  std::string src = source_of(op);
  if (src.rfind("spec/", 0) != 0 || src.size() < 9) return "";
  auto colon = src.rfind(':');
  std::string page = src.substr(5, 3);
  if (colon == std::string::npos ||
      !std::all_of(page.begin(), page.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "";
  return page + src.substr(colon);
}

// A JSON string written with every character escaped where JSON allows it: the first letter
// as \u00XX, '/' as \/, anything outside ASCII as \uXXXX (UTF-16). Same value, other bytes.
std::string escaped_string(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  auto u = [](unsigned code) {
    std::string out = "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(code >> shift) & 15];
    return out;
  };
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (i == 0 && c >= 0x20 && c < 0x80) {
      out += u(c);
    } else if (c == '/') {
      out += "\\/";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += u(c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      // A UTF-8 sequence (the example is valid UTF-8: nlohmann checked it) -> code point(s).
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      unsigned cp = c & (0x3f >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        out += u(0xd800 + (cp >> 10)) + u(0xdc00 + (cp & 0x3ff));
      } else {
        out += u(cp);
      }
    }
  }
  return out + "\"";
}

// The value as bytes no serializer would choose: newlines and spaces around every token, the
// keys of each object in reverse order, strings escaped (escaped_string). Depth-bounded (the
// value is a schema's example, but nothing here recurses without a bound).
void write_noncanonical(const json& v, int depth, std::string& out) {
  const std::string pad = "\n" + std::string(static_cast<std::size_t>(2 * (depth + 1)), ' ');
  if (depth > 32) {
    out += v.dump();
  } else if (v.is_object()) {
    std::vector<std::string> keys;
    for (const auto& [k, x] : v.items()) keys.push_back(k);
    out += "{";
    for (auto k = keys.rbegin(); k != keys.rend(); ++k) {
      out += (k == keys.rbegin() ? "" : " ,") + pad + escaped_string(*k) + " :  ";
      write_noncanonical(v[*k], depth + 1, out);
    }
    out += "\n" + std::string(static_cast<std::size_t>(2 * depth), ' ') + "}";
  } else if (v.is_array()) {
    out += "[ ";
    for (std::size_t i = 0; i < v.size(); ++i) {
      out += (i == 0 ? "" : " , ") + pad;
      write_noncanonical(v[i], depth + 1, out);
    }
    out += " ]";
  } else if (v.is_string()) {
    out += escaped_string(v.get<std::string>());
  } else {
    out += v.dump();
  }
}

std::string noncanonical_json(const json& v) {
  std::string out = "  ";
  write_noncanonical(v, 0, out);
  return out + " \n";
}

struct maker {
  const openapi::spec_set& spec;
  sc::suite& out;
  const std::map<std::string, json>& known;  // values the run has for parameters, by name

  // The run's value for a parameter, noted in the suite's variables (--list shows them).
  const json* known_value(const std::string& name) {
    auto it = known.find(name);
    if (it == known.end()) return nullptr;
    out.variables[name] = it->second;
    return &it->second;
  }

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
    if (auto cite = cite_of(op); !cite.empty()) r.cite.push_back(cite);
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

  // An id no target has issued, of the parameter's type.
  static json invented_id(const parameter& p) {
    std::string type = p.schema.is_object() ? p.schema.value("type", "") : "";
    std::string format = p.schema.is_object() ? p.schema.value("format", "") : "";
    // Digits: string ids are often numbers in disguise (a job id), and a target may well
    // refuse what cannot be one of its ids with a 400 before it looks the id up.
    if (format == "uuid") return "${uuid}";
    if (type == "integer" || type == "number") return 2147000001;
    return "2147000001";
  }

  // `use_known_ids`: path ids the run names (--var channelId=...) are used; otherwise every id
  // is invented (the unknown-id case). Other parameters take the run's value when it has one.
  base_request base_for(const openapi::operation& op, bool use_known_ids = true) {
    base_request b;
    for (const auto& p : parameters_of(spec, op)) {
      if (!p.required || is_credential(p.name)) continue;
      if (p.in == "path" && names_an_id(p.name)) {
        const json* k = use_known_ids ? known_value(p.name) : nullptr;
        b.has_ids = b.has_ids || !k;
        b.path[p.name] = k ? *k : invented_id(p);
        continue;
      }
      const json* k = known_value(p.name);
      json v = k ? *k : p.example;
      if (v.is_null()) {
        b.complete = false;
        v = "cxh-generated";
      }
      if (p.in == "path") b.path[p.name] = v;
      if (p.in == "query") {
        b.query[p.name] = v;
        b.invented_query = b.invented_query || !k;
      }
      if (p.in == "header") b.headers[p.name] = v;
    }
    fill_template_parameters(op, use_known_ids, b);
    fill_body(op, b);
    return b;
  }

  // Path parameters no parameter object describes (the template is the authority).
  void fill_template_parameters(const openapi::operation& op, bool use_known_ids, base_request& b) {
    const std::string& t = op.path_template;
    for (auto open = t.find('{'); open != std::string::npos; open = t.find('{', open + 1)) {
      auto close = t.find('}', open);
      if (close == std::string::npos) break;
      std::string name = t.substr(open + 1, close - open - 1);
      if (b.path.count(name)) continue;
      bool id = names_an_id(name);
      const json* k = id && !use_known_ids ? nullptr : known_value(name);
      if (k) {
        b.path[name] = *k;
      } else if (id) {
        b.has_ids = true;
        b.path[name] = "2147000001";
      } else {
        b.path[name] = "cxh-generated";
        b.complete = false;
      }
    }
  }

  void fill_body(const openapi::operation& op, base_request& b) const {
    const auto* m = json_request(op);
    bool body_required = op.definition && op.definition->contains("requestBody") &&
                         (*op.definition)["requestBody"].is_object() &&
                         (*op.definition)["requestBody"].value("required", false);
    if (m && !m->examples.empty()) {
      b.body = example_naming_nothing_issued(m->examples);
    } else if (m && m->schema_json) {
      json v = sample(spec, m->schema_json, m->base_uri, 0);
      if (!v.is_null() && (!m->body || m->body->validate(v).empty())) b.body = v;
    }
    if (body_required && !b.body) b.complete = false;
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

  // Wrong or missing credentials. Which statuses pass: a documented 401/403 (the refusal) when
  // the request is otherwise one the target knows; when it names an invented id (or could not
  // be completed), ANY documented 4xx: a server may look the resource up before it checks the
  // credentials and answer 404, and the pages define no order between the two checks. A 2xx
  // always fails.
  void credential_negatives(const openapi::operation& op, const std::vector<int>& client_errors) {
    const auto refusals = only(client_errors, {401, 403});
    auto alts = detail::security_alternatives(op);
    bool secured = !alts.empty() &&
                   std::none_of(alts.begin(), alts.end(), [](const auto& a) { return a.empty(); });
    if (!secured || refusals.empty()) return;
    const base_request base = base_for(op);
    const bool exact = !base.has_ids && base.complete;
    const auto codes = exact ? refusals : client_errors;
    const std::string any = exact ? " with a documented 401/403"
                                  : " with a documented 4xx (the request names an id the target "
                                    "never issued, which it may look up first)";
    auto case_for = [&](const char* what, const char* id, const std::string& text) -> sc::step& {
      auto& s = add(op, what, "negative", id, codes, text + any);
      apply(base, s);
      return s;
    };
    case_for("no credentials", "GEN-NO-CREDENTIALS", "A request without credentials is refused")
        .auth.none = true;
    if (every_alternative_has(alts, "apiKey"))
      case_for("wrong x-api-key", "GEN-WRONG-API-KEY",
               "A request with an unknown API key is refused")
          .auth.api_key = "cxh-generated-wrong-api-key";
    if (every_alternative_has(alts, "basic"))
      case_for("wrong Basic credentials", "GEN-WRONG-BASIC",
               "A request with a wrong user name or password is refused")
          .auth.basic = std::make_pair(std::string("cxh-generated-user"),
                                       std::string("cxh-generated-wrong-password"));
    if (every_alternative_has(alts, "hubSignature"))
      case_for("bad X-Hub-Signature", "GEN-BAD-SIGNATURE",
               "A request whose X-Hub-Signature does not match its body is refused")
          .auth.signature = "bad";
  }

  // An unknown id: 404 where the operation documents it (the status for a resource that does
  // not exist); when the request could not be made complete otherwise, or 404 is not
  // documented, any documented 4xx other than 401/403 (whichever defect the target sees first
  // may be the one it names).
  void unknown_id(const openapi::operation& op, const std::vector<int>& request_errors) {
    const base_request base = base_for(op, false);
    if (!base.has_ids) return;
    auto codes = only(request_errors, {404});
    if (codes.empty() || !base.complete) codes = request_errors;
    auto& s = add(op, "unknown id", "negative", "GEN-UNKNOWN-ID", codes,
                  "A request naming an id the target never issued is refused with a documented "
                  "4xx");
    apply(base, s);
  }

  // A required header that is not a credential (x-ccid of Third-Party Messaging, 001:268),
  // left out: any documented 4xx other than 401/403 passes (the pages name no status for it;
  // the credentials are right).
  void missing_headers(const openapi::operation& op, const std::vector<int>& request_errors) {
    const base_request base = base_for(op);
    for (const auto& [name, value] : base.headers) {
      auto& s = add(
          op, "required header '" + name + "' missing", "negative", "GEN-MISSING-HEADER",
          request_errors,
          "A request without the required header " + name + " is refused with a documented 4xx");
      apply(base, s);
      s.headers.erase(name);
    }
  }

  // Bodies that break the schema: any documented 4xx other than 401/403 passes (400 is usual,
  // 422 or 415 are documented by some operations; the pages do not single one out).
  void body_negatives(const openapi::operation& op, const std::vector<int>& request_errors,
                      std::set<std::string>& malformed_done) {
    const auto* media = json_request(op);
    if (!media) return;
    const base_request base = base_for(op);
    // Operations told apart by their body's operationName share one malformed-JSON case.
    if (malformed_done.insert(op.method + " " + op.full_path()).second) {
      auto& s = add(op, "malformed JSON body", "negative", "GEN-MALFORMED-JSON", request_errors,
                    "A request whose JSON body does not parse is refused with a documented 4xx");
      apply(base, s);
      s.body.reset();
      s.raw_body = R"({"cxh": "truncated JSON)";
      s.content_type = "application/json";
    }
    if (!base.body || !base.body->is_object() || !media->schema_json) return;
    object_shape shape;
    collect(spec, media->schema_json, media->base_uri, shape, 0);
    broken_field(op, base, shape, request_errors, false);
    broken_field(op, base, shape, request_errors, true);
  }

  // The first required field of the body left out, or given a value of the wrong type.
  void broken_field(const openapi::operation& op, const base_request& base, object_shape& shape,
                    const std::vector<int>& request_errors, bool wrong_type) {
    for (const auto& name : shape.required) {
      if (name == "operationName" || !base.body->contains(name)) continue;
      if (!wrong_type) {
        auto& s = add(op, "required field '" + name + "' missing", "negative", "GEN-MISSING-FIELD",
                      request_errors,
                      "A request body without a required field is refused with a documented 4xx");
        apply(base, s);
        s.body->erase(name);
        return;
      }
      if (!shape.properties.contains(name)) continue;
      json wrong = wrong_type_for(shape.properties[name]);
      if (wrong.is_null()) continue;
      auto& s = add(op, "field '" + name + "' of the wrong type", "negative", "GEN-WRONG-TYPE",
                    request_errors,
                    "A request body with a field of the wrong type is refused with a documented "
                    "4xx");
      apply(base, s);
      (*s.body)[name] = wrong;
      return;
    }
  }

  void negatives(const openapi::operation& op, std::set<std::string>& malformed_done) {
    const auto client_errors = documented(op, 400, 499);
    if (client_errors.empty()) return;  // nothing documented to expect
    credential_negatives(op, client_errors);
    const auto request_errors = without(client_errors, {401, 403});
    if (request_errors.empty()) return;
    unknown_id(op, request_errors);
    missing_headers(op, request_errors);
    body_negatives(op, request_errors, malformed_done);
  }

  // A signed request (X-Hub-Signature) whose JSON body is sent as bytes no serializer would
  // produce (spaces and newlines, keys out of order, escaped characters) and signed over those
  // exact bytes: "the hash is built using the body of the message" (001:267), so the target must
  // verify the bytes it received; one that re-serializes the JSON first refuses it (401/403).
  // Needs the run's ids for the path (a real channel): without them no case is made.
  void signed_raw_bytes(const openapi::operation& op) {
    auto alts = detail::security_alternatives(op);
    if (!every_alternative_has(alts, "hubSignature") || !json_request(op)) return;
    auto codes = documented(op, 200, 299);
    if (codes.empty()) return;
    const base_request base = base_for(op);
    if (base.has_ids || !base.complete || !base.body || !base.body->is_object()) return;
    auto& s = add(op, "signed non-canonical JSON body", "positive", "GEN-SIGNED-RAW-BYTES", codes,
                  "A body signed over its exact bytes is accepted whatever their JSON formatting");
    out.cases.back().requirements.back().cite = {"001:267"};
    apply(base, s);
    s.raw_body = noncanonical_json(*base.body);
    s.body.reset();
    s.content_type = "application/json";
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
  maker m{spec, out, opts.known};
  std::set<std::string> malformed_done;
  for (const auto& op : spec.operations()) {
    if (op.webhook || op.operation_id.empty()) continue;
    if (opts.negatives) m.negatives(op, malformed_done);
    if (opts.positives) {
      m.positive(op);
      m.signed_raw_bytes(op);
    }
  }
  return out;
}

}  // namespace cxh::runner
