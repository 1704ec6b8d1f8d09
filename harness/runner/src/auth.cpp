#include "auth.hpp"

#include <algorithm>
#include <cxh/http/signing.hpp>
#include <nlohmann/json.hpp>

#include "response_body.hpp"

namespace cxh::runner::detail {

namespace {

std::string form_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string basic(const std::string& user, const std::string& password) {
  return "Basic " + http::base64_encode(user + ":" + password);
}

}  // namespace

std::vector<std::vector<std::string>> security_alternatives(const openapi::operation& op) {
  std::vector<std::vector<std::string>> out;
  if (!op.security || !op.security->is_array()) return out;
  for (const auto& alt : *op.security) {
    std::vector<std::string> names;
    if (alt.is_object())
      for (const auto& [name, scopes] : alt.items()) names.push_back(name);
    out.push_back(std::move(names));
  }
  return out;
}

std::string authenticator::fetch_token(const std::string& grant_form) {
  const auto& o = *target_.creds.oauth;
  http::client_request req;
  req.method = "POST";
  req.url = target_.base_for("auth") + "/auth/v3/oauth/token";
  req.fields.add("Content-Type", "application/x-www-form-urlencoded");
  req.fields.add("Authorization", basic(o.client_id, o.client_secret));
  if (target_.creds.api_key) req.fields.add("x-api-key", *target_.creds.api_key);
  req.body = grant_form;
  if (deadline_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline_ - std::chrono::steady_clock::now());
    req.timeout = std::clamp(left, std::chrono::milliseconds(1), target_.request_timeout);
  }
  auto r = client_.send(req);
  if (!r.ok()) return "OAuth token request failed: " + r.error;
  if (r.response->status != 200) {
    return "OAuth token request answered " + std::to_string(r.response->status);
  }
  auto parsed = parse_body(r.response->body);  // nesting bounded before parsing
  const auto& body = parsed.value;
  if (!parsed.json || !body.is_object() || !body.contains("access_token") ||
      !body["access_token"].is_string()) {
    return "OAuth token response has no access_token";
  }
  access_token_ = body["access_token"].get<std::string>();
  if (body.contains("refresh_token") && body["refresh_token"].is_string()) {
    refresh_token_ = body["refresh_token"].get<std::string>();
  }
  return "";
}

std::string authenticator::bearer(std::string& error) {
  if (target_.creds.bearer_token) return *target_.creds.bearer_token;
  if (!target_.creds.oauth) {
    error = "the operation needs a bearer token: set credentials.bearer_token or credentials.oauth";
    return "";
  }
  std::lock_guard lock(mutex_);
  if (access_token_.empty()) {
    const auto& o = *target_.creds.oauth;
    std::string form = "grant_type=" + form_encode(o.grant);
    if (o.grant == "password") {
      form += "&username=" + form_encode(o.username) + "&password=" + form_encode(o.password);
    } else if (o.grant == "authorization_code") {
      form += "&code=" + form_encode(o.code) + "&redirect_uri=" + form_encode(o.redirect_uri);
    } else if (o.grant == "refresh_token") {
      form += "&refresh_token=" + form_encode(o.refresh_token);
    }
    if (!o.scope.empty()) form += "&scope=" + form_encode(o.scope);
    error = fetch_token(form);
  }
  return access_token_;
}

std::string authenticator::refresh() {
  if (!target_.creds.oauth) return "no OAuth settings to refresh with";
  std::lock_guard lock(mutex_);
  std::string error = "no refresh token";
  if (!refresh_token_.empty()) {
    error = fetch_token("grant_type=refresh_token&refresh_token=" + form_encode(refresh_token_));
  }
  if (!error.empty()) access_token_.clear();  // the next bearer() makes a new grant
  return "";
}

std::vector<std::string> authenticator::issued_tokens() {
  std::lock_guard lock(mutex_);
  return {access_token_, refresh_token_};
}

std::string authenticator::unmet(const std::vector<std::string>& alternative,
                                 const scenario::auth_override& override) const {
  const auto& c = target_.creds;
  for (const auto& scheme : alternative) {
    if (scheme == "apiKey" && !c.api_key && !override.api_key)
      return "credentials.api_key (CXH_API_KEY)";
    if (scheme == "basic" && !c.basic && !override.basic)
      return "credentials.basic (CXH_USERNAME, CXH_PASSWORD)";
    if (scheme == "clientBasic" && !c.oauth && !override.basic)
      return "credentials.oauth (CXH_CLIENT_ID, CXH_CLIENT_SECRET)";
    if (scheme == "bearer" && !c.bearer_token && !c.oauth && !override.bearer)
      return "credentials.bearer_token or credentials.oauth (CXH_BEARER_TOKEN, or CXH_CLIENT_ID "
             "and CXH_CLIENT_SECRET)";
    if (scheme == "hubSignature" && !c.channel_secret && !override.signature)
      return "credentials.channel_secret (CXH_CHANNEL_SECRET)";
  }
  return "";
}

std::string authenticator::missing_credentials(const openapi::operation* op,
                                               const scenario::auth_override& override) const {
  if (!op || override.none) return "";
  // An override stands in for its own scheme only: a step sending a wrong bearer token still
  // needs the run's API key beside it, or its refusal would prove nothing about the token.
  // The first alternative is the complete one (the pages list the richest first: ping answers
  // 200 only to an authenticated user, though an API key alone reaches it).
  auto alts = security_alternatives(*op);
  return alts.empty() ? "" : unmet(alts.front(), override);
}

std::string authenticator::apply(const openapi::operation* op,
                                 const scenario::auth_override& override, http::client_request& req,
                                 bool& used_bearer) {
  used_bearer = false;
  if (override.none) return "";
  const auto& c = target_.creds;
  auto sign = [&](bool bad) {
    std::string secret = c.channel_secret.value_or("");
    if (bad) secret += "-wrong";
    req.fields.set("X-Hub-Signature", "sha1=" + http::hmac_sha1_hex(secret, req.body));
  };
  // Overrides replace the matching credential; the others still come from the operation.
  bool overridden = override.api_key || override.bearer || override.basic || override.signature;
  if (override.api_key) req.fields.set("x-api-key", *override.api_key);
  if (override.bearer) req.fields.set("Authorization", "Bearer " + *override.bearer);
  if (override.basic)
    req.fields.set("Authorization", basic(override.basic->first, override.basic->second));

  if (!op) {
    if (!overridden && c.api_key) req.fields.set("x-api-key", *c.api_key);
    return "";
  }
  auto alts = security_alternatives(*op);
  if (alts.empty()) return "";
  std::string first_error;
  for (const auto& alt : alts) {
    if (auto why = unmet(alt, override); !why.empty()) {
      if (first_error.empty()) first_error = "the operation's security needs " + why;
      continue;
    }
    for (const auto& scheme : alt) {
      if (scheme == "apiKey" && !override.api_key) req.fields.set("x-api-key", *c.api_key);
      if (scheme == "basic" && !override.basic)
        req.fields.set("Authorization", basic(c.basic->first, c.basic->second));
      if (scheme == "clientBasic" && !override.basic) {
        req.fields.set("Authorization", basic(c.oauth->client_id, c.oauth->client_secret));
      }
      if (scheme == "bearer" && !override.bearer) {
        std::string error;
        std::string token = bearer(error);
        if (!error.empty()) return error;
        req.fields.set("Authorization", "Bearer " + token);
        used_bearer = !c.bearer_token;
      }
      if (scheme == "hubSignature") {
        if (override.signature == "missing") continue;
        sign(override.signature == "bad");
      }
    }
    return "";
  }
  return overridden ? "" : first_error;
}

}  // namespace cxh::runner::detail
