#include "checks.hpp"

#include <boost/regex.hpp>
#include <cxh/core/bounded_dump.hpp>
#include <cxh/runner/runner.hpp>

namespace cxh::runner::detail {

namespace {

// Rules whose authority is a protocol section rather than one operation's table.
constexpr const char* engage_codes_source = "spec/002_b62a95316013058d.txt:209";
// "Every Engage Cloud API returns a status JSON object with a required code field".
constexpr const char* engage_envelope_source = "spec/002_b62a95316013058d.txt:198";
constexpr const char* wsv2_status_source = "spec/004_1abe99ab40abb75e.txt:269";
constexpr const char* oauth_token_source = "spec/002_b62a95316013058d.txt:379";

std::string excerpt(const std::string& s, std::size_t n = 200) {
  return cxh::cut_text(s, n);
}

// Outside text (a body) as checks quote it: secrets hidden first, then cut.
std::string excerpt(const response_view& r, const std::string& s, std::size_t n = 200) {
  return excerpt(r.secrets ? r.secrets->apply(s) : s, n);
}

// A JSON value as checks quote it: depth- and size-bounded (no recursion over a target's
// nesting), every string scrubbed of secrets before the cut.
std::string shown(const response_view& r, const nlohmann::json& v, std::size_t n = 200) {
  cxh::string_scrub scrub;
  if (r.secrets) scrub = [&r](std::string_view s) { return r.secrets->apply(s); };
  return cxh::bounded_dump(v, {32, n}, scrub);
}

check_result make(std::string rule, std::string title, bool passed, std::string expected,
                  std::string actual, std::string source, level l = level::must) {
  check_result c;
  c.rule = std::move(rule);
  c.title = std::move(title);
  c.passed = passed;
  c.expected = std::move(expected);
  c.actual = std::move(actual);
  c.source = std::move(source);
  c.severity = l;
  return c;
}

// `expect.raw_body`: byte-for-byte equality and length, for downloads and other non-JSON bodies.
void raw_body_assertions(const scenario::raw_body_assertion& a, const response_view& r,
                         level strength, std::vector<check_result>& out) {
  const std::string& got = r.res.body;
  if (a.equals) {
    bool ok = got == *a.equals;
    std::string actual = std::to_string(got.size()) + " bytes";
    if (!ok) {
      std::size_t i = 0;
      while (i < got.size() && i < a.equals->size() && got[i] == (*a.equals)[i]) ++i;
      actual += ", first difference at byte " + std::to_string(i) + ": " + excerpt(got, 80);
    }
    out.push_back(make("assert.raw_body", "the body is the expected bytes", ok,
                       std::to_string(a.equals->size()) + " bytes: " + excerpt(*a.equals, 80),
                       actual, a.at.str(), strength));
  }
  if (a.length) {
    out.push_back(make("assert.raw_body", "the body is " + std::to_string(*a.length) + " bytes",
                       got.size() == *a.length, std::to_string(*a.length) + " bytes",
                       std::to_string(got.size()) + " bytes", a.at.str(), strength));
  }
}

std::string media_type(std::string_view ct) {
  auto semi = ct.find(';');
  std::string out(ct.substr(0, semi));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool is_json_type(const std::string& t) {
  return t == "application/json" || (t.size() > 5 && t.compare(t.size() - 5, 5, "+json") == 0);
}

std::string family_kind(const openapi::operation& op) {
  auto f = family_of(op);
  if (f.rfind("ws-v2", 0) == 0) return "wsv2";
  if (f == "openmedia" || f == "third-party-messaging" || f == "interactions-webhook" ||
      f == "statistics") {
    return "engage";
  }
  return f;
}

void engage_envelope(int status, const nlohmann::json& body, std::vector<check_result>& out) {
  if (!body.is_object() || !body.contains("status") || !body["status"].is_object()) return;
  const auto& st = body["status"];
  if (!st.contains("code") || !st["code"].is_number_integer()) return;  // schema's concern
  long long code = st["code"].get<long long>();
  const std::string actual =
      "HTTP " + std::to_string(status) + ", status.code = " + std::to_string(code);
  if (status >= 200 && status < 300) {
    out.push_back(make("envelope.engage", "a 2xx answer carries status.code 0, 1 or 2",
                       code >= 0 && code <= 2, "status.code in {0,1,2}", actual,
                       engage_codes_source));
    if (code == 2) {
      bool has = body.contains("errors") && body["errors"].is_array();
      out.push_back(make("envelope.engage", "status.code 2 (partial success) comes with errors[]",
                         has, "an errors array", has ? "present" : "absent", engage_codes_source));
    }
  } else if (status >= 400) {
    bool msg = st.contains("message") && st["message"].is_string() &&
               !st["message"].get<std::string>().empty();
    out.push_back(make("envelope.engage", "an error answer carries a non-zero code and a message",
                       code != 0 && msg, "status.code != 0 and status.message",
                       actual + (msg ? ", message present" : ", no message"), engage_codes_source));
  }
}

void wsv2_envelope(const response_view& r, const nlohmann::json& body,
                   std::vector<check_result>& out) {
  if (!body.is_object()) return;
  if (body.contains("statusCode")) {
    const auto& code = body["statusCode"];
    bool integer = code.is_number_integer();
    out.push_back(make("envelope.wsv2", "statusCode is an integer", integer, "an integer",
                       shown(r, code), wsv2_status_source));
    if (integer && code.get<long long>() != 0) {
      bool msg = body.contains("statusMessage") && body["statusMessage"].is_string();
      out.push_back(make("envelope.wsv2", "a non-zero statusCode comes with statusMessage", msg,
                         "statusMessage", msg ? "present" : "absent", wsv2_status_source));
    }
  }
  if (body.contains("status") && body["status"].is_string()) {
    const auto& s = body["status"];
    bool ok = s == "ok" || s == "error";
    out.push_back(make("envelope.wsv2", "status is \"ok\" or \"error\"", ok, "ok | error",
                       shown(r, s), wsv2_status_source));
  }
}

void oauth_token(const response_view& r, std::vector<check_result>& out) {
  if (r.res.status != 200 || !r.body || !r.body->is_object() || !r.body->contains("access_token")) {
    return;
  }
  const auto& tt = (*r.body).value("token_type", nlohmann::json());
  std::string type = tt.is_string() ? tt.get<std::string>() : shown(r, tt);
  std::string lower = type;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  out.push_back(make("oauth.token", "token_type is bearer", lower == "bearer", "bearer", type,
                     oauth_token_source));
  std::string cc(r.res.fields.get("Cache-Control").value_or(""));
  out.push_back(make("oauth.token", "token responses are not cached (Cache-Control: no-store)",
                     cc.find("no-store") != std::string::npos, "Cache-Control: no-store",
                     cc.empty() ? "no Cache-Control" : "Cache-Control: " + cc, oauth_token_source));
}

// The JSON schema a documented response declares, if any.
const openapi::media* json_media(const openapi::response& documented) {
  for (const auto& m : documented.content)
    if (m.body && is_json_type(media_type(m.content_type))) return &m;
  return nullptr;
}

// An error status whose documented answer is a JSON document (the family's envelope: the
// Engage `status` object, the WS v2 statusCode) must carry one: an empty body is not it.
void empty_error_body(const openapi::operation& op, const openapi::response& documented,
                      std::vector<check_result>& out) {
  const auto* media = json_media(documented);
  if (!media) return;  // the page documents no body for this status
  auto kind = family_kind(op);
  std::string source = kind == "engage" ? engage_envelope_source
                       : kind == "wsv2" ? wsv2_status_source
                                        : source_of(op);
  auto c =
      make("body.schema", "the " + documented.status + " answer carries its documented JSON body",
           false, media->pointer, "an empty body", source);
  c.detail = "the operation documents a " + media->content_type + " body for " + documented.status +
             " (" + source_of(op) + ")\n";
  out.push_back(std::move(c));
}

}  // namespace

void automatic_checks(const openapi::operation& op, const response_view& r,
                      const std::vector<int>& expected_status, std::chrono::milliseconds budget,
                      std::vector<check_result>& out) {
  const std::string source = source_of(op);
  const int status = r.res.status;
  const auto* documented = op.response_for(status);
  std::string listed;
  for (const auto& resp : op.responses) listed += (listed.empty() ? "" : ", ") + resp.status;
  out.push_back(make("status.documented", "the status is documented for the operation",
                     documented != nullptr, listed, std::to_string(status), source));

  bool expected_5xx = false;
  for (int s : expected_status) expected_5xx = expected_5xx || s >= 500;
  if (status >= 500 && !expected_5xx) {
    out.push_back(make("no_5xx", "no server error for a valid request", false, "not 5xx",
                       std::to_string(status) + ": " + excerpt(r, r.res.body), source));
  }

  std::string ct(r.res.fields.get("Content-Type").value_or(""));
  if (documented && status >= 400 && r.res.body.empty()) empty_error_body(op, *documented, out);
  if (documented && !documented->content.empty() && !r.res.body.empty()) {
    const auto* media = documented->find_media(ct);
    std::string types;
    for (const auto& m : documented->content) types += (types.empty() ? "" : ", ") + m.content_type;
    out.push_back(make("content_type", "the Content-Type is documented for this status",
                       media != nullptr, types, ct.empty() ? "no Content-Type" : ct, source));
    if (media && media->body) {
      if (is_json_type(media_type(ct)) || is_json_type(media->content_type)) {
        if (!r.body) {
          out.push_back(make("body.schema",
                             "the body is JSON valid against the " + documented->status + " schema",
                             false, "JSON", "not JSON: " + excerpt(r, r.res.body), source));
        } else {
          auto errors = media->body->validate(*r.body);
          auto c =
              make("body.schema", "the body is valid against the " + documented->status + " schema",
                   errors.empty(), media->pointer,
                   errors.empty() ? "valid" : std::to_string(errors.size()) + " error(s)", source);
          for (std::size_t i = 0; i < errors.size() && i < 10; ++i) {
            c.detail += errors[i].instance_location + " (" + errors[i].keyword_location +
                        "): " + errors[i].message + "\n";
          }
          out.push_back(std::move(c));
        }
      }
    }
  }
  if (r.body) {
    auto kind = family_kind(op);
    if (kind == "engage") engage_envelope(status, *r.body, out);
    if (kind == "wsv2") wsv2_envelope(r, *r.body, out);
    if (kind == "auth") oauth_token(r, out);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.elapsed);
  out.push_back(make("response_time", "the answer came within the budget", ms <= budget,
                     "<= " + std::to_string(budget.count()) + " ms",
                     std::to_string(ms.count()) + " ms", source, level::should));
}

void scenario_assertions(const scenario::step& step, const response_view& r, level strength,
                         std::vector<check_result>& out) {
  const std::string where = step.at.str();
  if (!step.expect_status.empty()) {
    bool ok = false;
    std::string want;
    for (int s : step.expect_status) {
      ok = ok || s == r.res.status;
      want += (want.empty() ? "" : " or ") + std::to_string(s);
    }
    out.push_back(make("assert.status", "the status is " + want, ok, want,
                       std::to_string(r.res.status) + (ok ? "" : ": " + excerpt(r, r.res.body)),
                       where, strength));
  }
  using op = scenario::body_assertion::op;
  for (const auto& a : step.body_checks) {
    const std::string loc = a.at.str();
    const nlohmann::json* v = nullptr;
    if (r.body) {
      try {
        auto p = nlohmann::json::json_pointer(a.pointer);
        if (r.body->contains(p)) v = &r.body->at(p);
      } catch (const std::exception&) {
      }
    }
    std::string actual = v ? shown(r, *v) : (r.body ? "absent" : "no JSON body");
    bool ok = false;
    std::string expected;
    switch (a.kind) {
      case op::equals:
        ok = v && json_contains(*v, a.value) && json_contains(a.value, *v);
        expected = shown(r, a.value);
        break;
      case op::not_equals:
        ok = !v || *v != a.value;
        expected = "not " + shown(r, a.value);
        break;
      case op::exists:
        ok = (v != nullptr) == a.value.get<bool>();
        expected = a.value.get<bool>() ? "present" : "absent";
        break;
      case op::matches:
        expected = "matches /" + a.value.get<std::string>() + "/";
        if (v && v->is_string()) {
          try {
            ok = boost::regex_search(v->get<std::string>(), boost::regex(a.value.get<std::string>(),
                                                                         boost::regex::ECMAScript));
          } catch (const std::exception& e) {
            // Boost's matcher is iterative and gives up past its complexity bound: say so.
            actual += " (the pattern could not be evaluated on it: " + std::string(e.what()) + ")";
          }
        }
        break;
      case op::type: {
        expected = a.value.get<std::string>();
        std::string t = !v ? "" : v->is_number_integer() ? "integer" : v->type_name();
        ok = v && (t == expected || (expected == "number" && v->is_number()));
        break;
      }
      case op::contains:
        expected = "contains " + shown(r, a.value);
        if (v && v->is_string() && a.value.is_string()) {
          ok = v->get<std::string>().find(a.value.get<std::string>()) != std::string::npos;
        } else if (v && v->is_array()) {
          for (const auto& e : *v) ok = ok || json_contains(e, a.value);
        } else if (v && v->is_object()) {
          ok = json_contains(*v, a.value);
        }
        break;
      case op::length:
        expected = "length " + shown(r, a.value);
        if (v && (v->is_array() || v->is_object())) actual = "length " + std::to_string(v->size());
        if (v && v->is_string()) actual = "length " + std::to_string(v->get<std::string>().size());
        ok = v && (v->is_array() || v->is_object() || v->is_string()) &&
             (v->is_string() ? v->get<std::string>().size() : v->size()) ==
                 a.value.get<std::size_t>();
        break;
    }
    out.push_back(
        make("assert.body", a.pointer + " " + expected, ok, expected, actual, loc, strength));
  }
  if (step.raw_body_check) raw_body_assertions(*step.raw_body_check, r, strength, out);
  for (const auto& h : step.header_checks) {
    auto got = r.res.fields.get(h.name);
    bool ok = false;
    std::string expected;
    switch (h.kind) {
      case scenario::header_assertion::op::equals:
        ok = got && *got == h.value;
        expected = h.value;
        break;
      case scenario::header_assertion::op::matches:
        expected = "matches /" + h.value + "/";
        try {
          ok = got && boost::regex_search(std::string(*got),
                                          boost::regex(h.value, boost::regex::ECMAScript));
        } catch (const std::exception& e) {
          expected += " (the pattern could not be evaluated: " + std::string(e.what()) + ")";
        }
        break;
      case scenario::header_assertion::op::absent:
        ok = !got;
        expected = "absent";
        break;
    }
    out.push_back(make("assert.header", h.name + " " + expected, ok, expected,
                       got ? std::string(*got) : "absent", h.at.str(), strength));
  }
}

}  // namespace cxh::runner::detail
