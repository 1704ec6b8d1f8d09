#include <algorithm>
#include <cxh/core/file.hpp>
#include <cxh/scenario/parse.hpp>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <mutex>

namespace cxh::scenario {

namespace detail {
const std::vector<std::pair<std::string_view, std::string_view>>& tooling_schemas();
}

namespace {

constexpr std::string_view suite_schema_id =
    "https://cxharness.dev/schemas/tooling/scenario.schema.json";

const schema::schema& suite_schema() {
  static const schema::schema compiled = [] {
    auto doc = nlohmann::json::parse(suite_schema_text());
    auto r = schema::compile(doc, {}, std::string(suite_schema_id));
    if (auto* d = std::get_if<cxh::diagnostics>(&r)) {
      throw std::logic_error("embedded scenario schema does not compile: " + to_string(d->front()));
    }
    return std::get<schema::schema>(std::move(r));
  }();
  return compiled;
}

std::string hint_for(const schema::error& e) {
  const auto& k = e.keyword_location;
  auto ends_with = [&](std::string_view s) {
    return k.size() >= s.size() && k.compare(k.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("additionalProperties"))
    return "the keys allowed here are listed in scenarios/README.md";
  if (k.find("/step/oneOf") != std::string::npos) {
    return "a step needs exactly one of `call: <operationId>` or `request: {method, path}`";
  }
  if (k.find("/event/oneOf") != std::string::npos) {
    return "an event expectation needs `cometd: /channel` or `webhook: name`";
  }
  if (k.find("duration") != std::string::npos) return "durations look like 250ms, 5s or 1m";
  if (k.find("bodyAssertion") != std::string::npos) {
    return "a body assertion is {pointer: /a/b, <op>: value} with one op: equals, not_equals, "
           "exists, matches, type, contains, length";
  }
  if (k.find("headerAssertion") != std::string::npos) {
    return "a header assertion is {name: X, equals|matches: value} or {name: X, absent: true}";
  }
  if (ends_with("required")) return "see scenarios/README.md for the keys this needs";
  return "";
}

// Schema errors, most specific first: the deepest instance locations, one per location.
diagnostics schema_problems(const yaml_document& doc) {
  auto errors = suite_schema().validate(doc.value);
  std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
    return a.instance_location.size() > b.instance_location.size();
  });
  diagnostics out;
  std::vector<std::string> seen;
  for (const auto& e : errors) {
    bool covered = std::any_of(seen.begin(), seen.end(), [&](const std::string& s) {
      return s.rfind(e.instance_location, 0) == 0;  // a deeper error already explains it
    });
    if (covered) continue;
    seen.push_back(e.instance_location);
    out.push_back(
        {doc.at(e.instance_location).str(),
         (e.instance_location.empty() ? "" : "at " + e.instance_location + ": ") + e.message,
         hint_for(e)});
    if (out.size() == 8) break;
  }
  return out;
}

struct builder {
  const yaml_document& doc;
  diagnostics& problems;

  static std::vector<std::string> strings(const nlohmann::json& j) {
    std::vector<std::string> out;
    for (const auto& v : j) out.push_back(v.get<std::string>());
    return out;
  }

  static std::map<std::string, nlohmann::json> map_of(const nlohmann::json& j) {
    std::map<std::string, nlohmann::json> out;
    for (const auto& [k, v] : j.items()) out[k] = v;
    return out;
  }

  std::chrono::milliseconds duration(const nlohmann::json& j, const std::string& ptr) {
    auto d = parse_duration(j.get<std::string>());
    if (!d) {
      problems.push_back({doc.at(ptr).str(), "'" + j.get<std::string>() + "' is not a duration",
                          "durations look like 250ms, 5s or 1m (at most a day)"});
      return std::chrono::milliseconds(0);
    }
    return *d;
  }

  auth_override auth(const nlohmann::json& j) {
    auth_override a;
    if (j.is_string()) {
      a.none = j == "none";
      return a;
    }
    if (j.contains("api_key")) a.api_key = j["api_key"].get<std::string>();
    if (j.contains("bearer")) a.bearer = j["bearer"].get<std::string>();
    if (j.contains("basic")) {
      a.basic = std::make_pair(j["basic"]["username"].get<std::string>(),
                               j["basic"]["password"].get<std::string>());
    }
    if (j.contains("signature")) a.signature = j["signature"].get<std::string>();
    return a;
  }

  step make_step(const nlohmann::json& j, const std::string& ptr) {
    step s;
    s.at = doc.at(ptr);
    s.name = j.value("name", "");
    s.call = j.value("call", "");
    if (j.contains("request")) {
      s.method = j["request"]["method"].get<std::string>();
      s.literal_path = j["request"]["path"].get<std::string>();
    }
    if (s.name.empty()) s.name = !s.call.empty() ? s.call : s.method + " " + s.literal_path;
    s.operation_name = j.value("operation", "");
    if (j.contains("path")) s.path_params = map_of(j["path"]);
    if (j.contains("query")) s.query = map_of(j["query"]);
    if (j.contains("headers")) s.headers = map_of(j["headers"]);
    if (j.contains("form")) s.form = map_of(j["form"]);
    if (j.contains("body")) s.body = j["body"];
    if (j.contains("raw_body")) s.raw_body = j["raw_body"].get<std::string>();
    s.content_type = j.value("content_type", "");
    int bodies = j.contains("body") + j.contains("raw_body") + j.contains("form");
    if (bodies > 1) {
      problems.push_back({s.at.str(), "a step has more than one of body, raw_body and form",
                          "send one body per request"});
    }
    if (j.contains("auth")) s.auth = auth(j["auth"]);
    s.auto_checks = j.value("checks", "auto") == "auto";
    if (j.contains("capture")) {
      for (const auto& [var, from] : j["capture"].items()) {
        s.captures.push_back({var, from.is_array()
                                       ? builder::strings(from)
                                       : std::vector<std::string>{from.get<std::string>()}});
      }
    }
    if (!j.contains("expect")) return s;
    const auto& e = j["expect"];
    const std::string eptr = ptr + "/expect";
    if (e.contains("status")) {
      if (e["status"].is_array()) {
        for (const auto& v : e["status"]) s.expect_status.push_back(v.get<int>());
      } else {
        s.expect_status.push_back(e["status"].get<int>());
      }
    }
    if (e.contains("within")) s.budget = duration(e["within"], eptr + "/within");
    if (e.contains("body")) {
      for (std::size_t i = 0; i < e["body"].size(); ++i) {
        const auto& a = e["body"][i];
        body_assertion b;
        b.pointer = a["pointer"].get<std::string>();
        b.at = doc.at(eptr + "/body/" + std::to_string(i));
        static const std::pair<const char*, body_assertion::op> ops[] = {
            {"equals", body_assertion::op::equals}, {"not_equals", body_assertion::op::not_equals},
            {"exists", body_assertion::op::exists}, {"matches", body_assertion::op::matches},
            {"type", body_assertion::op::type},     {"contains", body_assertion::op::contains},
            {"length", body_assertion::op::length}};
        for (const auto& [name, kind] : ops) {
          if (a.contains(name)) {
            b.kind = kind;
            b.value = a[name];
          }
        }
        s.body_checks.push_back(std::move(b));
      }
    }
    if (e.contains("raw_body")) {
      raw_body_assertion r;
      r.at = doc.at(eptr + "/raw_body");
      if (e["raw_body"].contains("equals")) r.equals = e["raw_body"]["equals"].get<std::string>();
      if (e["raw_body"].contains("length")) r.length = e["raw_body"]["length"].get<std::size_t>();
      s.raw_body_check = std::move(r);
    }
    if (e.contains("headers")) {
      for (std::size_t i = 0; i < e["headers"].size(); ++i) {
        const auto& a = e["headers"][i];
        header_assertion h;
        h.name = a["name"].get<std::string>();
        h.at = doc.at(eptr + "/headers/" + std::to_string(i));
        if (a.contains("equals")) {
          h.kind = header_assertion::op::equals;
          h.value = a["equals"].get<std::string>();
        } else if (a.contains("matches")) {
          h.kind = header_assertion::op::matches;
          h.value = a["matches"].get<std::string>();
        } else {
          h.kind = header_assertion::op::absent;
        }
        s.header_checks.push_back(std::move(h));
      }
    }
    if (e.contains("events")) {
      for (std::size_t i = 0; i < e["events"].size(); ++i) {
        const auto& a = e["events"][i];
        const std::string aptr = eptr + "/events/" + std::to_string(i);
        event_expectation ev;
        ev.at = doc.at(aptr);
        if (a.contains("cometd")) {
          ev.from = event_expectation::source::cometd;
          ev.channel = a["cometd"].get<std::string>();
        } else {
          ev.from = event_expectation::source::webhook;
          ev.channel = a["webhook"].get<std::string>();
        }
        if (a.contains("match")) ev.match = a["match"];
        if (a.contains("within")) ev.within = duration(a["within"], aptr + "/within");
        s.events.push_back(std::move(ev));
      }
    }
    return s;
  }

  std::vector<step> steps(const nlohmann::json& j, const std::string& ptr) {
    std::vector<step> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(make_step(j[i], ptr + "/" + std::to_string(i)));
    }
    return out;
  }
};

}  // namespace

const std::string& suite_schema_text() {
  static const std::string text = [] {
    for (const auto& [id, body] : detail::tooling_schemas()) {
      if (id == suite_schema_id) return std::string(body);
    }
    throw std::logic_error("scenario schema not embedded");
  }();
  return text;
}

std::variant<suite, diagnostics> parse_suite(std::string_view text, const std::string& file) {
  auto yaml = yaml_to_json(text, file);
  if (yaml.refused) return diagnostics{*yaml.refused};
  if (!yaml.error.empty()) {
    return diagnostics{{yaml.error, "the file is not valid YAML", "check indentation and quoting"}};
  }
  const auto& doc = yaml.doc;
  if (!doc.value.is_object()) {
    return diagnostics{{doc.at("").str(),
                        "a suite file must be a mapping with `suite:` and `cases:`",
                        "see scenarios/README.md"}};
  }
  auto problems = schema_problems(doc);
  if (!problems.empty()) return problems;

  suite s;
  builder b{doc, problems};
  const auto& j = doc.value;
  s.file = file;
  s.name = j["suite"].get<std::string>();
  s.description = j.value("description", "");
  if (j.contains("tags")) s.tags = builder::strings(j["tags"]);
  if (j.contains("variables")) s.variables = j["variables"];
  if (j.contains("setup")) s.setup = b.steps(j["setup"], "/setup");
  if (j.contains("teardown")) s.teardown = b.steps(j["teardown"], "/teardown");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < j["cases"].size(); ++i) {
    const auto& c = j["cases"][i];
    const std::string ptr = "/cases/" + std::to_string(i);
    test_case t;
    t.at = doc.at(ptr);
    t.name = c["name"].get<std::string>();
    if (std::find(names.begin(), names.end(), t.name) != names.end()) {
      problems.push_back({t.at.str(), "case name '" + t.name + "' is used twice in this suite",
                          "reports and --case filters need unique names"});
    }
    names.push_back(t.name);
    if (c.contains("tags")) t.tags = builder::strings(c["tags"]);
    if (c.contains("requirements")) {
      for (std::size_t k = 0; k < c["requirements"].size(); ++k) {
        const auto& r = c["requirements"][k];
        requirement q{r["id"].get<std::string>(),
                      r["level"].get<std::string>(),
                      r.value("text", ""),
                      {},
                      doc.at(ptr + "/requirements/" + std::to_string(k))};
        if (r.contains("cite")) {
          q.cite = r["cite"].is_array() ? builder::strings(r["cite"])
                                        : std::vector<std::string>{r["cite"].get<std::string>()};
        }
        t.requirements.push_back(std::move(q));
      }
    }
    t.steps = b.steps(c["steps"], ptr + "/steps");
    s.cases.push_back(std::move(t));
  }
  if (!problems.empty()) return problems;
  return s;
}

loaded_suites load_suites(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  loaded_suites out;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_directory() && it->path().filename() == "load") {
          it.disable_recursion_pending();
          continue;
        }
        auto ext = it->path().extension();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      out.problems.push_back({p, "no such file or folder", "pass suite files or folders"});
    }
  }
  for (const auto& f : files) {
    auto text = cxh::read_file(f);
    if (auto* d = std::get_if<diagnostic>(&text)) {
      out.problems.push_back(*d);
      continue;
    }
    auto r = parse_suite(std::get<std::string>(text), f);
    if (auto* d = std::get_if<diagnostics>(&r)) {
      out.problems.insert(out.problems.end(), d->begin(), d->end());
    } else {
      out.suites.push_back(std::get<suite>(std::move(r)));
    }
  }
  return out;
}

}  // namespace cxh::scenario
