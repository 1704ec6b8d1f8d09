#pragma once

#include <chrono>
#include <cxh/core/diagnostic.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxh::emulator {

// Mutations break conformance on purpose, so that tests can prove the harness notices.
enum class mutation {
  wrong_status,          // a success answered with another 2xx than the documented one
  undocumented_status,   // a success answered with 299, which no page documents
  missing_envelope,      // the family envelope (status / statusCode) removed from the body
  wrong_field_type,      // the first string member of the body turned into a number
  drop_required_field,   // the first member of the body removed
  wrong_content_type,    // JSON sent as text/plain
  skip_signature_check,  // X-Hub-Signature not verified (a bad signature is accepted)
  // Agent desktop, statistics and data families: behavioural defects, each breaking one MUST
  // of the pages (FAULTS.md); the handlers ask call::defect at the point of decision.
  ws_ready_not_applied,
  ws_channel_state_not_applied,
  ws_me_status_code_nonzero,
  ws_subresources_ignored,
  ws_user_read_other,
  ws_user_update_not_applied,
  ws_user_delete_kept,
  ws_reject_any_state,
  ws_contact_delete_kept,
  stat_delete_kept,
  stat_subset_ignored,
  stat_partial_as_success,
  stat_required_param_skipped,
  stat_notification_wrong_statistic,
  cdds_job_delete_kept,
  cdds_running_job_deleted,
  cdds_job_read_other,
  cdds_update_not_applied,
  cdds_list_filter_ignored,
  udm_job_delete_kept,
  udm_unfinished_job_deleted,
  udm_invalid_job_accepted,
  udm_suspend_not_applied,
};

// One fault rule; `route` is "*", an operationId, or "METHOD /full/path/template".
struct fault_rule {
  std::string route = "*";
  // Latency added before the answer: fixed, uniform in [min, max], or lognormal(median, sigma).
  enum class latency_kind { none, fixed, uniform, lognormal } latency = latency_kind::none;
  double latency_a_ms = 0,
         latency_b_ms = 0;  // fixed: a; uniform: [a, b]; lognormal: median a, sigma b
  double error_rate = 0;    // share of requests answered with error_status
  int error_status = 503;
  double reset_rate = 0;  // share of connections reset instead of answered
  std::chrono::milliseconds stall_every{0}, stall_for{0};  // stop answering S ms every T ms
  std::chrono::milliseconds slow_body{0};                  // pause between 16-byte body chunks
  std::vector<mutation> mutations;
};

struct fault_set {
  std::vector<fault_rule> rules;
};

// Reads {"rules": [{"route": ..., "latency": {"fixed_ms": 20} | {"uniform_ms": [5, 50]} |
// {"lognormal": {"median_ms": 20, "sigma": 0.5}}, "error_rate": 0.01, "error_status": 503,
// "reset_rate": 0.001, "stall": {"every_ms": 10000, "for_ms": 500}, "slow_body_ms": 5,
// "mutations": ["missing_envelope", ...]}]}; every problem is a diagnostic.
std::variant<fault_set, cxh::diagnostics> parse_faults(const nlohmann::json& doc,
                                                       const std::string& where);
nlohmann::json to_json(const fault_set& faults);
std::optional<mutation> mutation_from_name(std::string_view name);
const char* mutation_name(mutation m);

}  // namespace cxh::emulator
