// Profile -> plan: operations resolved, templates compiled, static requests serialised once.

#include "plan.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace cxh::load::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// A concrete path for looking the operation up: placeholders become a plain token.
std::string sample_path(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.compare(i, 2, "${") == 0) {
      auto close = path.find('}', i);
      if (close == std::string::npos) break;
      out += "x";
      i = close;
    } else {
      out += path[i];
    }
  }
  return out.substr(0, out.find('?'));
}

// The step's method and path template (from `request`, or the operation's path with its
// path parameters substituted).
std::variant<std::pair<std::string, std::string>, std::string> resolve_request(
    const step& s, const openapi::spec_set* spec, const openapi::operation** op) {
  *op = nullptr;
  if (!s.operation_id.empty()) {
    if (!spec) return s.where + ": operation '" + s.operation_id + "' needs the API definitions";
    *op = spec->by_operation_id(s.operation_id);
    if (!*op)
      return s.where + ": no operation '" + s.operation_id + "' in the API definitions" +
             " (cxharness lint lists them; or use 'request: METHOD /path')";
    // Each {name} of the template takes its value from path_params (values may be templates).
    const std::string tmpl = (*op)->full_path();
    std::string path;
    std::set<std::string> used;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] != '{') {
        path += tmpl[i];
        continue;
      }
      auto close = tmpl.find('}', i);
      std::string name = tmpl.substr(i + 1, close - i - 1);
      auto it = std::find_if(s.path_params.begin(), s.path_params.end(),
                             [&](const auto& kv) { return kv.first == name; });
      if (it == s.path_params.end())
        return s.where + ": path parameter '{" + name + "}' of " + s.operation_id +
               " has no value (add it under path_params)";
      path += it->second;
      used.insert(name);
      i = close;
    }
    for (const auto& [k, v] : s.path_params)
      if (!used.count(k)) return s.where + ": path parameter '" + k + "' is not in " + tmpl;
    return std::pair{(*op)->method, path};
  }
  if (spec) {
    nlohmann::json body = nlohmann::json::parse(s.body, nullptr, false);
    auto m = spec->find(s.method, sample_path(s.path), body.is_discarded() ? nullptr : &body);
    if (m.kind == openapi::match_kind::found) *op = m.operations.front();
  }
  return std::pair{s.method, s.path};
}

}  // namespace

std::variant<plan, std::string> prepare(const run_options& opts, const std::string& host_header,
                                        const std::string& base_path) {
  const auto& p = opts.prof;
  plan out;
  out.host_header = host_header;
  double total_weight = 0;
  auto compile = [](const std::string& text, const std::string& where,
                    text_template& into) -> std::string {
    auto t = text_template::compile(text);
    if (auto* e = std::get_if<std::string>(&t)) return where + ": " + *e;
    into = std::get<text_template>(std::move(t));
    return {};
  };
  for (const auto& f : p.mix) {
    prepared_flow pf;
    pf.weight = f.weight;
    for (const auto& s : f.steps) {
      prepared_step ps;
      ps.index = out.steps.size();
      auto req = resolve_request(s, opts.spec, &ps.op);
      if (auto* e = std::get_if<std::string>(&req)) return *e;
      auto [method, path] = std::get<0>(req);
      ps.method = method;
      std::string target = base_path + path;
      if (!s.query.empty()) target += (target.find('?') == std::string::npos ? "?" : "&") + s.query;
      if (auto e = compile(target, s.where, ps.target); !e.empty()) return e;
      ps.has_body = !s.body.empty();
      if (auto e = compile(s.body, s.where, ps.body); !e.empty()) return e;
      bool has_content_type = false;
      auto add_header = [&](const std::string& k, const std::string& v) -> std::string {
        text_template t;
        if (auto e = compile(v, s.where, t); !e.empty()) return e;
        if (iequals(k, "content-type")) has_content_type = true;
        ps.headers.emplace_back(k, std::move(t));
        return {};
      };
      for (const auto& [k, v] : p.headers)
        if (auto e = add_header(k, v); !e.empty()) return e;
      for (const auto& [k, v] : s.headers)
        if (auto e = add_header(k, v); !e.empty()) return e;
      for (const auto& [k, v] : opts.secret_headers) {
        // A step's own header of that name wins (e.g. Basic on one API, a bearer token on the
        // others). Credentials are literal, not templates.
        bool overridden = false;
        for (const auto& h : ps.headers) overridden = overridden || iequals(h.first, k);
        if (overridden) continue;
        ps.fixed_head += k + ": " + v + "\r\n";
      }
      if (ps.has_body && !has_content_type) ps.fixed_head += "Content-Type: application/json\r\n";
      ps.capture = s.capture;
      ps.expect = s.expect;
      ps.needs_body = !s.capture.empty() || p.checks.envelope || p.checks.schema_sample > 0;
      out.steps.push_back(
          {s.name, ps.op ? ps.op->operation_id : ps.method + " " + path, ps.method});
      pf.steps.push_back(std::move(ps));
    }
    total_weight += f.weight;
    out.cumulative_weight.push_back(total_weight);
    out.flows.push_back(std::move(pf));
  }
  if (total_weight <= 0) return p.file + ": every mix weight is 0";
  for (auto& w : out.cumulative_weight) w /= total_weight;
  // Fully static steps are serialised once and written as they are.
  for (auto& f : out.flows)
    for (auto& s : f.steps) {
      bool fixed = s.target.is_static() && s.body.is_static();
      for (const auto& h : s.headers) fixed = fixed && h.second.is_static();
      if (fixed) {
        render_context ctx;
        render_request(out, s, ctx, s.static_bytes, nullptr);
      }
    }
  return out;
}

void render_request(const plan& pl, const prepared_step& s, const render_context& ctx,
                    std::string& out, std::string* missing) {
  out.clear();
  out += s.method;
  out += ' ';
  s.target.render(out, ctx, missing);
  out += " HTTP/1.1\r\nHost: ";
  out += pl.host_header;
  out += "\r\nUser-Agent: cxharness-load\r\n";
  for (const auto& [k, v] : s.headers) {
    out += k;
    out += ": ";
    v.render(out, ctx, missing);
    out += "\r\n";
  }
  out += s.fixed_head;
  if (s.has_body || s.method == "POST" || s.method == "PUT" || s.method == "PATCH") {
    out += "Content-Length: ";
    std::size_t len_at = out.size();
    out += "0000000000\r\n\r\n";
    std::size_t body_at = out.size();
    s.body.render(out, ctx, missing);
    auto len = std::to_string(out.size() - body_at);
    // Rewrite the length in place: the body is rendered straight into the buffer.
    out.replace(len_at, 10, len);
  } else {
    out += "\r\n";
  }
}

}  // namespace cxh::load::detail
