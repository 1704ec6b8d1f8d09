#pragma once
// The one redaction step between what a run sees and what it reports (result.hpp): every
// string of a case result, exchange, check and event passes through it before a reporter or the
// console can read it.
//
// Two kinds of secret are removed:
// - known values, replaced wherever they occur, with their JSON-escaped and percent-encoded
//   forms: the configured credentials (target.hpp secrets()), values the target issues as
//   credentials (access_token, refresh_token, id_token, client_secret, passwords in bodies,
//   Set-Cookie values, code= / token= parameters of a Location), values a step sends in such
//   fields, and template variables named like credentials (password, secret, token, api_key);
// - values of credential fields in text not seen before ("access_token": "...", password=...,
//   code=..., URLs with user:password@).
// All matching is linear in the text (Aho-Corasick over the known values, then a scan for
// field names): no backtracking regex runs over target data.
#include <cxh/http/client.hpp>
#include <cxh/runner/result.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cxh::runner::detail {

inline constexpr std::string_view redacted_text = "<redacted>";

class redactor {
 public:
  redactor();
  ~redactor();
  redactor(const redactor&) = delete;
  redactor& operator=(const redactor&) = delete;

  // A secret (any length; empty is ignored) and its encoded forms.
  void add(std::string_view secret);
  void add_all(const std::vector<std::string>& secrets);
  // Credentials the target issued in a response (body fields, Set-Cookie, Location).
  void learn_response(const http::client_response& res, const nlohmann::json* body);
  // A template variable: a secret when its name says so (password, secret, token, api_key...).
  void learn_variable(const std::string& name, const nlohmann::json& value);

  std::string apply(std::string_view text) const;
  void apply(case_result& c) const;
  void apply(exchange& e) const;
  void apply(check_result& c) const;

 private:
  struct automaton;
  const automaton& matcher() const;
  std::set<std::string, std::less<>> patterns_;
  std::size_t pattern_bytes_ = 0;
  bool over_budget_ = false;  // too many secrets to match: every text is withheld
  mutable std::unique_ptr<automaton> matcher_;
};

// Is this (JSON member or form field) name one that carries a credential?
bool is_credential_field(std::string_view name);

}  // namespace cxh::runner::detail
