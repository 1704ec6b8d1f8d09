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
  // Engage families (Openmedia, Third-Party Messaging, Interactions Webhook, Secure Email,
  // Auth) and generic answer-level defects: FAULTS.md "Engage families".
  gen_empty_error_body,          // an error answered with an empty body (no status envelope)
  gen_error_code_zero,           // an error whose status.code is 0 (success)
  gen_success_code_nonzero,      // a success whose status.code is 3 (an error code)
  gen_accept_wrong_type,         // request bodies not validated: wrongly typed fields accepted
  om_ext_id_ignored,             // create ignores externalId: get by external id finds nothing
  om_ext_lookup_wrong_id,        // get by external id answers another interaction's id
  om_duplicate_accepted,         // a second create with the same externalId is accepted
  om_unknown_id_found,           // get of an unknown interaction id answers 200
  om_stop_unknown_accepted,      // stop of an unknown interaction id answers 200
  om_update_not_applied,         // update answers 200 but changes nothing
  om_stop_not_stopped,           // stop answers 200 but the interaction stays active, no FINISHED
  om_update_body_optional,       // update without its required body answers 200
  tpm_media_truncated,           // a media download is missing its last byte
  tpm_empty_ids,                 // data.ids empty after an accepted message
  tpm_sign_reserialized,         // signature checked over re-serialized JSON, not the raw bytes
  tpm_ccid_not_required,         // a request without x-ccid is accepted
  tpm_delete_not_deleted,        // media delete answers 200 but the media stays downloadable
  tpm_unknown_channel_accepted,  // a channel that is not configured is accepted
  tpm_no_file_accepted,          // an upload without its `file` part is accepted
  se_delete_still_listed,        // remove=delete answers 200 but the email is still listed
  se_purge_not_removed,          // remove=purge answers 200 but the email still exists
  se_read_not_marked,            // get with read=true does not mark the email read
  se_no_secure_mail_id,          // send answers without secureMailId
  auth_wrong_token_type,         // token responses say token_type "mac"
  auth_token_cacheable,          // token responses without Cache-Control: no-store
  auth_sign_out_keeps_tokens,    // sign-out answers 200 but the token still works
  auth_wrong_password_granted,   // the password grant ignores the password
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
