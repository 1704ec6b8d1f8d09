#pragma once
// Credentials on requests: picks what an operation's `security` asks for (x-api-key, bearer,
// HTTP Basic, X-Hub-Signature), fetches and refreshes OAuth tokens, honours a step's overrides.
#include <chrono>
#include <cxh/http/client.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/runner/target.hpp>
#include <cxh/scenario/model.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cxh::runner::detail {

// The security alternatives of an operation (its own, else its document's): each the scheme
// names that must all be met; an empty one means the operation is open.
std::vector<std::vector<std::string>> security_alternatives(const openapi::operation& op);

class authenticator {
 public:
  authenticator(const target_config& target, http::client& client)
      : target_(target), client_(client) {}
  // Adds credentials for `op` (null: a literal request, x-api-key if configured). Returns "" or
  // why the required credentials are missing. `used_bearer` tells whether a 401 may be retried.
  std::string apply(const openapi::operation* op, const scenario::auth_override& override,
                    http::client_request& req, bool& used_bearer);
  // The credentials of the first (complete) alternative of `op`'s security that the target
  // configuration lacks, or "" when it has them all; an override of a scheme supplies it.
  std::string missing_credentials(const openapi::operation* op,
                                  const scenario::auth_override& override) const;
  // After a 401 on a bearer request: a fresh token (refresh_token grant, else a new grant).
  std::string refresh();
  // The run's deadline (--max-duration): token requests are cut to it like every other request.
  void bound_by(std::optional<std::chrono::steady_clock::time_point> deadline) {
    deadline_ = deadline;
  }
  // The tokens obtained so far (for redaction: they must never reach a report).
  std::vector<std::string> issued_tokens();

 private:
  std::string unmet(const std::vector<std::string>& alternative,
                    const scenario::auth_override& override) const;
  std::string bearer(std::string& error);
  std::string fetch_token(const std::string& grant_form);
  const target_config& target_;
  http::client& client_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::string access_token_, refresh_token_;
};

}  // namespace cxh::runner::detail
