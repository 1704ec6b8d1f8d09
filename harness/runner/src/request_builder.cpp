#include "request_builder.hpp"

#include <cxh/core/bounded_dump.hpp>

namespace cxh::runner::detail {

namespace {

std::string percent_encode(std::string_view s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string scalar_text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string encode_pairs(const std::map<std::string, nlohmann::json>& values,
                         const scenario::template_context& vars, std::string& error) {
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += '&';
    out +=
        percent_encode(k, false) + "=" + percent_encode(scalar_text(vars.expand(v, error)), false);
  }
  return out;
}

bool is_sensitive_header(std::string_view name) {
  for (const char* s : {"authorization", "x-api-key", "x-hub-signature", "cookie", "set-cookie",
                        "proxy-authorization"}) {
    if (http::iequals(name, s)) return true;
  }
  return false;
}

// Redaction runs on the whole text first, so the cut cannot keep part of a secret.
std::string cut(std::string s) {
  constexpr std::size_t limit = 4096;
  if (s.size() <= limit) return s;
  return cxh::cut_text(std::move(s), limit) + " (truncated)";
}

}  // namespace

built_request build_request(const scenario::step& s, const openapi::operation* op,
                            const scenario::template_context& vars, const target_config& target) {
  built_request out;
  auto& req = out.request;
  std::string& error = out.error;
  std::string path;
  if (op) {
    req.method = op->method;
    path = op->path_template;
    for (const auto& [name, value] : s.path_params) {
      auto at = path.find("{" + name + "}");
      if (at == std::string::npos) continue;  // check_suites reports it
      path.replace(at, name.size() + 2,
                   percent_encode(scalar_text(vars.expand(value, error)), false));
    }
    auto open = path.find('{');
    if (open != std::string::npos) {
      error = "path parameter '" + path.substr(open + 1, path.find('}', open) - open - 1) +
              "' of " + op->full_path() + " has no value";
      return out;
    }
    req.url = target.base_for([&] {
      std::string f = op->document;
      auto slash = f.rfind('/');
      if (slash != std::string::npos) f = f.substr(slash + 1);
      if (f.size() > 5) f.resize(f.size() - 5);
      return f;
    }()) + op->server +
              path;
  } else {
    req.method = s.method;
    req.url = target.base + vars.expand_string(s.literal_path, error);
  }
  if (!s.query.empty()) {
    req.url +=
        (req.url.find('?') == std::string::npos ? "?" : "&") + encode_pairs(s.query, vars, error);
  }
  std::string content_type = s.content_type;
  if (s.raw_body) {
    req.body = *s.raw_body;
    if (content_type.empty()) content_type = "application/json";
  } else if (!s.form.empty()) {
    req.body = encode_pairs(s.form, vars, error);
    if (content_type.empty()) content_type = "application/x-www-form-urlencoded";
  } else {
    std::string operation_name = !s.operation_name.empty() ? s.operation_name
                                 : op                      ? op->operation_name
                                                           : "";
    std::optional<nlohmann::json> body;
    if (s.body) body = vars.expand(*s.body, error);
    if (!operation_name.empty() && (!body || body->is_object())) {
      if (!body) body = nlohmann::json::object();
      if (!body->contains("operationName")) (*body)["operationName"] = operation_name;
    }
    if (body) {
      req.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (content_type.empty()) content_type = "application/json";
    }
  }
  if (!content_type.empty()) req.fields.set("Content-Type", content_type);
  req.fields.set("Accept", "application/json, */*");
  for (const auto& [name, value] : s.headers)
    req.fields.set(name, scalar_text(vars.expand(value, error)));
  return out;
}

exchange record_exchange(const http::client_request& req, const http::outcome& got,
                         const redactor& secrets) {
  exchange e;
  e.method = req.method;
  e.url = secrets.apply(req.url);
  for (const auto& [k, v] : req.fields.fields()) {
    e.request_headers.emplace_back(
        k, is_sensitive_header(k) ? std::string(redacted_text) : secrets.apply(v));
  }
  e.request_body = cut(secrets.apply(req.body));
  e.elapsed_ms = std::chrono::duration<double, std::milli>(got.elapsed).count();
  if (got.response) {
    e.status = got.response->status;
    for (const auto& [k, v] : got.response->fields.fields()) {
      e.response_headers.emplace_back(
          k, is_sensitive_header(k) ? std::string(redacted_text) : secrets.apply(v));
    }
    e.response_body = cut(secrets.apply(got.response->body));
  }
  return e;
}

}  // namespace cxh::runner::detail
