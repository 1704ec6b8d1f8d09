// libFuzzer target: arbitrary bytes as the JSON body of a few documented operations (Openmedia
// create, Statistics subscribe, Auth change-password, a Web Services v2 operation, the WS v2
// CometD endpoint), each with and without credentials, through emulator::handle. Any input must
// give an answer: no crash (deep nesting is refused before parsing, json_gate.hpp), no leak, no
// 5xx. The first byte picks the operation and whether credentials are sent.

#include <cstdint>
#include <cxh/emulator/emulator.hpp>
#include <cxh/http/signing.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct target_env {
  std::unique_ptr<cxh::emulator::emulator> em;
  std::string token;
};

const target_env& env() {
  static const target_env e = [] {
    auto loaded = cxh::openapi::spec_set::load(cxh::openapi::spec_set::embedded_documents());
    target_env t;
    t.em = std::make_unique<cxh::emulator::emulator>(
        cxh::emulator::config{}, std::get<cxh::openapi::spec_set>(std::move(loaded)));
    cxh::http::request r;
    r.method = "POST";
    r.target = "/auth/v3/oauth/token";
    r.fields.add("x-api-key", "demo-api-key");
    r.fields.add("Authorization",
                 "Basic " + cxh::http::base64_encode("demo-client:demo-client-secret"));
    r.fields.add("Content-Type", "application/x-www-form-urlencoded");
    r.body = "grant_type=password&username=agent1&password=agent1-password";
    auto body = nlohmann::json::parse(t.em->handle(r).body, nullptr, false);
    if (body.is_object() && body.contains("access_token"))
      t.token = body["access_token"].get<std::string>();
    return t;
  }();
  return e;
}

struct route {
  const char* method;
  const char* target;
  enum class auth { key_and_bearer, key, basic } how;
};

constexpr route routes[] = {
    {"POST", "/nexus/v3/openmedia/demo/interactions", route::auth::key},
    {"POST", "/statistics/v3/subscriptions?verbose=INFO", route::auth::key_and_bearer},
    {"POST", "/auth/v3/change-password", route::auth::key_and_bearer},
    {"POST", "/api/v2/me", route::auth::basic},
    {"POST", "/api/v2/notifications", route::auth::basic},
    {"POST", "/statistics/v3/notifications", route::auth::key_and_bearer},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& e = env();
  const route& rt = routes[data[0] % std::size(routes)];
  bool credentials = (data[0] / std::size(routes)) % 2 == 0;
  cxh::http::request r;
  r.method = rt.method;
  r.target = rt.target;
  r.fields.set("Content-Type", "application/json");
  r.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  if (credentials) {
    if (rt.how != route::auth::basic) r.fields.set("x-api-key", "demo-api-key");
    if (rt.how == route::auth::key_and_bearer) r.fields.set("Authorization", "Bearer " + e.token);
    if (rt.how == route::auth::basic)
      r.fields.set("Authorization", "Basic " + cxh::http::base64_encode("agent1:agent1-password"));
  }
  auto res = e.em->handle(r);
  if (res.status >= 500 && res.status != 503) __builtin_trap();  // bad input is never a 5xx
  return 0;
}
