#include "world.hpp"

#include <cstdio>

#include "synthesize.hpp"

namespace cxh::emulator::detail {

world::world(config cfg, openapi::spec_set spec)
    : cfg_(std::move(cfg)),
      spec_(std::move(spec)),
      tokens_(cfg_.max_objects),
      faults_(std::make_shared<const fault_set>(cfg_.faults)) {
  add_auth_handlers(handlers_);
  add_openmedia_handlers(handlers_);
  add_messaging_handlers(handlers_);
  add_statistics_handlers(handlers_);
  add_data_download_handlers(handlers_);
  add_web_services_handlers(handlers_);
}

std::shared_ptr<const fault_set> world::faults() const {
  std::lock_guard lock(faults_mutex_);
  return faults_;
}

void world::set_faults(fault_set f) {
  auto next = std::make_shared<const fault_set>(std::move(f));
  std::lock_guard lock(faults_mutex_);
  faults_ = std::move(next);
}

double world::draw(std::uint64_t n) const {
  std::uint64_t z = cfg_.seed * 0xD1B54A32D192ED03ull + n * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::string world::new_id() {
  // splitmix64 over a counter: distinct for every call, reproducible for a seed.
  std::uint64_t x = cfg_.seed * 0x9E3779B97F4A7C15ull + ++counter_;
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::uint64_t a = mix(x), b = mix(x + 0x632BE59BD9B4E019ull);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

std::optional<token_info> world::bearer(const http::request& req) const {
  auto auth = req.fields.get("Authorization");
  if (!auth || auth->size() < 8 || !http::iequals(auth->substr(0, 7), "Bearer "))
    return std::nullopt;
  auto t = tokens_.get(std::string(auth->substr(7)));
  if (!t || t->revoked || now() >= t->expires) return std::nullopt;
  if (t->epoch != credential_epoch(t->principal)) return std::nullopt;  // password changed since
  return t;
}

http::response world::json_reply(int status, const json& body) {
  // Messages may quote request bytes (a path that is not UTF-8): replace them, never throw.
  return http::response::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

namespace {

enum class family { engage, ws_v2, oauth };

family family_of(std::string_view path) {
  if (path.rfind("/api/v2", 0) == 0) return family::ws_v2;
  if (path.rfind("/auth/v3/oauth/", 0) == 0) return family::oauth;
  return family::engage;
}

const openapi::media* json_media(const openapi::response& r) {
  if (auto m = r.find_media("application/json")) return m;
  return r.content.empty() ? nullptr : &r.content.front();
}

}  // namespace

http::response world::error(const openapi::operation* op, std::string_view path, int status,
                            const std::string& message) const {
  std::vector<json> candidates;
  switch (family_of(path)) {
    case family::ws_v2:
      // 004:271-278: 6 resource not found, 5 no permission, 1 a parameter missing or wrong.
      candidates.push_back({{"statusCode", status == 404                    ? 6
                                           : status == 401 || status == 403 ? 5
                                                                            : 1},
                            {"statusMessage", message}});
      break;
    case family::oauth:
      candidates.push_back({{"error", status == 401 ? "invalid_client" : "invalid_request"},
                            {"error_description", message}});
      break;
    case family::engage:
      break;
  }
  candidates.push_back({{"status", {{"code", status}, {"message", message}}}});
  const char* se = status == 400 ? "INVALID_PARAMETER" : "FAILURE";
  candidates.push_back({{"status", {{"code", se}, {"message", message}}}});
  candidates.push_back({{"statusCode", 1}, {"statusMessage", message}});
  candidates.push_back({{"error", "invalid_request"}, {"error_description", message}});
  candidates.push_back({{"message", message}});
  if (!op) return json_reply(status, candidates.front());

  // An undocumented error status is replaced by the nearest documented 4xx.
  int sent = status;
  const openapi::response* doc = op->response_for(status);
  if (!doc || doc->status == "default") {
    // 401 and 403 mean authentication; they never stand in for another error.
    for (int alt : {status, 400, 404, 422, 409}) {
      const auto* r = op->response_for(alt);
      if (r && r->status != "default") {
        doc = r;
        sent = alt;
        break;
      }
    }
    if (!doc) doc = op->response_for(status);
  }
  if (doc) {
    if (const auto* m = json_media(*doc); m && m->body) {
      for (const auto& e : m->examples) candidates.push_back(e);
      for (const auto& c : candidates)
        if (m->body->is_valid(c)) return json_reply(sent, c);
    }
  }
  return json_reply(sent, candidates.front());
}

http::response world::documented_success(const openapi::operation& op) const {
  const openapi::response* ok = nullptr;
  int status = 200;
  for (int s : {200, 201, 202, 204, 302, 303}) {
    if (const auto* r = op.response_for(s); r && r->status != "default") {
      ok = r;
      status = s;
      break;
    }
  }
  if (!ok) ok = op.response_for(200);
  if (!ok || ok->content.empty() || status == 204) {
    http::response r;
    r.status = status;
    return r;
  }
  const auto* m = json_media(*ok);
  if (!m->body) {
    http::response r;
    r.status = status;
    r.fields.set("Content-Type",
                 m->content_type == "*/*" ? "application/octet-stream" : m->content_type);
    if (!m->examples.empty() && m->examples.front().is_string())
      r.body = m->examples.front().get<std::string>();
    return r;
  }
  for (const auto& e : m->examples)
    if (m->body->is_valid(e)) return json_reply(status, e);
  static const json simple[] = {
      json::object(),
      json{{"status", {{"code", 0}}}},
      json{{"statusCode", 0}},
      json{{"status", "ok"}},
      json{{"status", 0}},
      json::array(),
      json{{"status", {{"code", "SUCCESS"}}}},
      json(""),
  };
  for (const auto& c : simple)
    if (m->body->is_valid(c)) return json_reply(status, c);
  if (m->schema_json) {
    json made = synthesize(spec_, *m->schema_json, m->base_uri);
    if (m->body->is_valid(made)) return json_reply(status, made);
  }
  return json_reply(status, json::object());
}

}  // namespace cxh::emulator::detail
