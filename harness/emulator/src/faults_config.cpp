#include <cxh/emulator/faults.hpp>

namespace cxh::emulator {

namespace {

using nlohmann::json;

constexpr std::pair<mutation, const char*> kMutations[] = {
    {mutation::wrong_status, "wrong_status"},
    {mutation::undocumented_status, "undocumented_status"},
    {mutation::missing_envelope, "missing_envelope"},
    {mutation::wrong_field_type, "wrong_field_type"},
    {mutation::drop_required_field, "drop_required_field"},
    {mutation::wrong_content_type, "wrong_content_type"},
    {mutation::skip_signature_check, "skip_signature_check"},
    {mutation::ws_ready_not_applied, "ws_ready_not_applied"},
    {mutation::ws_channel_state_not_applied, "ws_channel_state_not_applied"},
    {mutation::ws_me_status_code_nonzero, "ws_me_status_code_nonzero"},
    {mutation::ws_subresources_ignored, "ws_subresources_ignored"},
    {mutation::ws_user_read_other, "ws_user_read_other"},
    {mutation::ws_user_update_not_applied, "ws_user_update_not_applied"},
    {mutation::ws_user_delete_kept, "ws_user_delete_kept"},
    {mutation::ws_reject_any_state, "ws_reject_any_state"},
    {mutation::ws_contact_delete_kept, "ws_contact_delete_kept"},
    {mutation::stat_delete_kept, "stat_delete_kept"},
    {mutation::stat_subset_ignored, "stat_subset_ignored"},
    {mutation::stat_partial_as_success, "stat_partial_as_success"},
    {mutation::stat_required_param_skipped, "stat_required_param_skipped"},
    {mutation::stat_notification_wrong_statistic, "stat_notification_wrong_statistic"},
    {mutation::cdds_job_delete_kept, "cdds_job_delete_kept"},
    {mutation::cdds_running_job_deleted, "cdds_running_job_deleted"},
    {mutation::cdds_job_read_other, "cdds_job_read_other"},
    {mutation::cdds_update_not_applied, "cdds_update_not_applied"},
    {mutation::cdds_list_filter_ignored, "cdds_list_filter_ignored"},
    {mutation::udm_job_delete_kept, "udm_job_delete_kept"},
    {mutation::udm_unfinished_job_deleted, "udm_unfinished_job_deleted"},
    {mutation::udm_invalid_job_accepted, "udm_invalid_job_accepted"},
    {mutation::udm_suspend_not_applied, "udm_suspend_not_applied"},
    {mutation::gen_empty_error_body, "gen_empty_error_body"},
    {mutation::gen_error_code_zero, "gen_error_code_zero"},
    {mutation::gen_success_code_nonzero, "gen_success_code_nonzero"},
    {mutation::gen_accept_wrong_type, "gen_accept_wrong_type"},
    {mutation::om_ext_id_ignored, "om_ext_id_ignored"},
    {mutation::om_ext_lookup_wrong_id, "om_ext_lookup_wrong_id"},
    {mutation::om_duplicate_accepted, "om_duplicate_accepted"},
    {mutation::om_unknown_id_found, "om_unknown_id_found"},
    {mutation::om_stop_unknown_accepted, "om_stop_unknown_accepted"},
    {mutation::om_update_not_applied, "om_update_not_applied"},
    {mutation::om_stop_not_stopped, "om_stop_not_stopped"},
    {mutation::om_update_body_optional, "om_update_body_optional"},
    {mutation::tpm_media_truncated, "tpm_media_truncated"},
    {mutation::tpm_empty_ids, "tpm_empty_ids"},
    {mutation::tpm_sign_reserialized, "tpm_sign_reserialized"},
    {mutation::tpm_ccid_not_required, "tpm_ccid_not_required"},
    {mutation::tpm_delete_not_deleted, "tpm_delete_not_deleted"},
    {mutation::tpm_unknown_channel_accepted, "tpm_unknown_channel_accepted"},
    {mutation::tpm_no_file_accepted, "tpm_no_file_accepted"},
    {mutation::se_delete_still_listed, "se_delete_still_listed"},
    {mutation::se_purge_not_removed, "se_purge_not_removed"},
    {mutation::se_read_not_marked, "se_read_not_marked"},
    {mutation::se_no_secure_mail_id, "se_no_secure_mail_id"},
    {mutation::auth_wrong_token_type, "auth_wrong_token_type"},
    {mutation::auth_token_cacheable, "auth_token_cacheable"},
    {mutation::auth_sign_out_keeps_tokens, "auth_sign_out_keeps_tokens"},
    {mutation::auth_wrong_password_granted, "auth_wrong_password_granted"},
};

bool number_in(const json& v, double lo, double hi, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return out >= lo && out <= hi;
}

}  // namespace

// The hint of an unknown name: every name, from the one table.
static std::string known_mutation_names() {
  std::string all = "known (harness/emulator/FAULTS.md): ";
  for (std::size_t i = 0; i < std::size(kMutations); ++i)
    all += (i ? ", " : "") + std::string(kMutations[i].second);
  return all;
}

std::optional<mutation> mutation_from_name(std::string_view name) {
  for (auto [m, n] : kMutations)
    if (name == n) return m;
  return std::nullopt;
}

const char* mutation_name(mutation m) {
  for (auto [k, n] : kMutations)
    if (k == m) return n;
  return "?";
}

std::variant<fault_set, cxh::diagnostics> parse_faults(const json& doc, const std::string& where) {
  cxh::diagnostics problems;
  fault_set out;
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array())
    return cxh::diagnostics{{where, "faults must be {\"rules\": [...]}", ""}};
  const json& rules = doc["rules"];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    std::string at = where + "/rules/" + std::to_string(i);
    const json& r = rules[i];
    if (!r.is_object()) {
      problems.push_back({at, "a rule must be an object", ""});
      continue;
    }
    fault_rule rule;
    for (auto& [key, v] : r.items()) {
      std::string kat = at + "/" + key;
      double x = 0;
      if (key == "route") {
        if (v.is_string() && !v.get<std::string>().empty())
          rule.route = v.get<std::string>();
        else
          problems.push_back({kat, "must be \"*\", an operationId or \"METHOD /path\"", ""});
      } else if (key == "latency") {
        if (v.contains("fixed_ms") && number_in(v["fixed_ms"], 0, 600000, x)) {
          rule.latency = fault_rule::latency_kind::fixed;
          rule.latency_a_ms = x;
        } else if (v.contains("uniform_ms") && v["uniform_ms"].is_array() &&
                   v["uniform_ms"].size() == 2 &&
                   number_in(v["uniform_ms"][0], 0, 600000, rule.latency_a_ms) &&
                   number_in(v["uniform_ms"][1], rule.latency_a_ms, 600000, rule.latency_b_ms)) {
          rule.latency = fault_rule::latency_kind::uniform;
        } else if (v.contains("lognormal") && v["lognormal"].is_object() &&
                   number_in(v["lognormal"].value("median_ms", json()), 0.001, 600000,
                             rule.latency_a_ms) &&
                   number_in(v["lognormal"].value("sigma", json()), 0, 10, rule.latency_b_ms)) {
          rule.latency = fault_rule::latency_kind::lognormal;
        } else {
          problems.push_back({kat,
                              "must be {\"fixed_ms\": N}, {\"uniform_ms\": [MIN, MAX]} or "
                              "{\"lognormal\": {\"median_ms\": M, \"sigma\": S}}",
                              ""});
        }
      } else if (key == "error_rate" || key == "reset_rate") {
        if (!number_in(v, 0, 1, x)) problems.push_back({kat, "must be a number from 0 to 1", ""});
        (key == "error_rate" ? rule.error_rate : rule.reset_rate) = x;
      } else if (key == "error_status") {
        if (!v.is_number_integer() || v.get<int>() < 400 || v.get<int>() > 599)
          problems.push_back({kat, "must be an HTTP status from 400 to 599", ""});
        else
          rule.error_status = v.get<int>();
      } else if (key == "stall") {
        double every = 0, length = 0;
        if (!v.is_object() || !number_in(v.value("every_ms", json()), 1, 86400000, every) ||
            !number_in(v.value("for_ms", json()), 1, every, length))
          problems.push_back({kat, "must be {\"every_ms\": T, \"for_ms\": S} with 0 < S <= T", ""});
        rule.stall_every = std::chrono::milliseconds(static_cast<long>(every));
        rule.stall_for = std::chrono::milliseconds(static_cast<long>(length));
      } else if (key == "slow_body_ms") {
        if (!number_in(v, 1, 10000, x)) problems.push_back({kat, "must be 1 to 10000", ""});
        rule.slow_body = std::chrono::milliseconds(static_cast<long>(x));
      } else if (key == "mutations") {
        if (!v.is_array())
          problems.push_back({kat, "must be an array of mutation names", ""});
        else
          for (auto& m : v) {
            auto parsed = m.is_string() ? mutation_from_name(m.get<std::string>()) : std::nullopt;
            if (parsed)
              rule.mutations.push_back(*parsed);
            else
              problems.push_back({kat, "unknown mutation " + m.dump(), known_mutation_names()});
          }
      } else {
        problems.push_back({kat, "unknown fault setting '" + key + "'", ""});
      }
    }
    out.rules.push_back(rule);
  }
  if (!problems.empty()) return problems;
  return out;
}

json to_json(const fault_set& faults) {
  json rules = json::array();
  for (const auto& r : faults.rules) {
    json j{{"route", r.route}};
    switch (r.latency) {
      case fault_rule::latency_kind::fixed:
        j["latency"] = {{"fixed_ms", r.latency_a_ms}};
        break;
      case fault_rule::latency_kind::uniform:
        j["latency"] = {{"uniform_ms", {r.latency_a_ms, r.latency_b_ms}}};
        break;
      case fault_rule::latency_kind::lognormal:
        j["latency"] = {{"lognormal", {{"median_ms", r.latency_a_ms}, {"sigma", r.latency_b_ms}}}};
        break;
      case fault_rule::latency_kind::none:
        break;
    }
    if (r.error_rate > 0) j["error_rate"] = r.error_rate, j["error_status"] = r.error_status;
    if (r.reset_rate > 0) j["reset_rate"] = r.reset_rate;
    if (r.stall_every.count() > 0)
      j["stall"] = {{"every_ms", r.stall_every.count()}, {"for_ms", r.stall_for.count()}};
    if (r.slow_body.count() > 0) j["slow_body_ms"] = r.slow_body.count();
    if (!r.mutations.empty()) {
      j["mutations"] = json::array();
      for (auto m : r.mutations) j["mutations"].push_back(mutation_name(m));
    }
    rules.push_back(j);
  }
  return {{"rules", rules}};
}

}  // namespace cxh::emulator
