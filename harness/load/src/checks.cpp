// Response checks and captures (checks.hpp).

#include "checks.hpp"

namespace cxh::load::detail {

std::string check_status_documented(const openapi::operation* op, int status) {
  if (!op || op->response_for(status)) return {};
  return "status " + std::to_string(status) + " is not documented for " + op->operation_id;
}

std::string check_envelope(const openapi::operation* op, int status, const nlohmann::json* body) {
  if (!op || status < 200 || status >= 300 || op->server.rfind("/nexus/", 0) != 0) return {};
  if (!body || !body->is_object()) return op->operation_id + ": the 2xx body is not a JSON object";
  auto s = body->find("status");
  if (s == body->end() || !s->is_object() || !s->contains("code") ||
      !(*s)["code"].is_number_integer())
    return op->operation_id + ": the 2xx body has no status.code";
  auto code = (*s)["code"].get<long long>();
  if (code < 0 || code > 2)
    return op->operation_id + ": status.code " + std::to_string(code) + " on a 2xx";
  return {};
}

std::string check_schema(const openapi::operation* op, int status, const std::string& content_type,
                         const nlohmann::json* body) {
  if (!op) return {};
  const auto* r = op->response_for(status);
  if (!r) return {};
  const auto* m = r->find_media(content_type.empty() ? "application/json" : content_type);
  if (!m || !m->body) return {};
  if (!body) return op->operation_id + ": the body is not JSON";
  if (!m->body->is_valid(*body))
    return op->operation_id + ": the " + std::to_string(status) + " body fails its schema";
  return {};
}

std::string capture(const std::vector<std::pair<std::string, std::string>>& rules,
                    const nlohmann::json* body,
                    std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [name, pointer] : rules) {
    if (!body) return "capture '" + name + "': the body is not JSON";
    try {
      const auto& v = body->at(nlohmann::json::json_pointer(pointer));
      vars.emplace_back(name, v.is_string() ? v.get<std::string>() : v.dump());
    } catch (const nlohmann::json::exception&) {
      return "capture '" + name + "': nothing at " + pointer;
    }
  }
  return {};
}

}  // namespace cxh::load::detail
