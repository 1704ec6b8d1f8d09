// The single-rule defects of the Engage families (Openmedia, Third-Party Messaging, Interactions
// Webhook, Secure Email, Auth) and the generic answer-level ones (FAULTS.md "Engage families"):
// with only that mutation, the family's suites fail a case whose requirement (or automatic
// rule) is the one the defect breaks; with the alternate reading of the pages and no mutation,
// those suites pass. The first proves the suites catch the defect, the second that they do not
// fail a server which read a silent page the other way.
#include <algorithm>
#include <cxh/runner/generate.hpp>
#include <cxh/runner/webhook_source.hpp>
#include <set>

#include "runner_support.hpp"

namespace {

using namespace cxh;

struct engage_row {
  const char* mutation;
  const char* route;                // an operationId, or "*"
  std::vector<const char*> suites;  // the suites that must notice (kept to the family: fast)
  const char* names;                // the requirement id or automatic rule a failed check names
  runner::level level = runner::level::must;  // should: reported, not run-failing (page silent)
  const char* needs = nullptr;  // a runner feature the kill waits for (skipped until then)
};

// The mutation's name in test listings (instead of the row's bytes).
void PrintTo(const engage_row& row, std::ostream* os) {
  *os << row.mutation;
}

// The named built-in suites; "generated" is the suite generated from the schemas, with the
// emulator's channel known (as `cxharness run` gives it to the embedded emulator).
std::vector<scenario::suite> suites_named(const std::vector<const char*>& names) {
  auto named = [&](const std::string& n) {
    return std::any_of(names.begin(), names.end(), [&](const char* x) { return n == x; });
  };
  std::vector<scenario::suite> out;
  for (auto& s : cxh::testing::repository_suites())
    if (named(s.name)) out.push_back(std::move(s));
  if (named("generated")) {
    runner::generate_options g;
    g.known.emplace("channelId", emulator::config{}.channel_secrets.begin()->first);
    out.push_back(runner::generate_cases(cxh::testing::spec(), g));
  }
  return out;
}

// With a webhook receiver, as `cxharness run` sets up: the webhook cases are judged too.
runner::run_result run_against(emulator::config cfg, const std::vector<const char*>& suites) {
  webhook::receiver_options ro;
  ro.secret = cfg.channel_secrets.begin()->second;
  auto receiver = std::make_shared<webhook::receiver>(ro);
  if (!receiver->start().empty()) return {};
  cfg.interactions_webhook_url = receiver->url("/interactions");
  cfg.tpm_webhook_url = receiver->url("/third-party-messaging");
  auto emu = cxh::testing::start_emulator(std::move(cfg));
  if (!emu) return {};
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu->base_url()));
  runner::run_options opts;
  opts.webhooks = std::make_shared<runner::webhook_source>(receiver);
  return r.run(suites_named(suites), opts);
}

// Failed checks of the given level whose rule, or whose case's requirement ids, name `what`.
std::vector<std::string> failures_naming(const runner::run_result& result, const std::string& what,
                                         runner::level lvl) {
  std::vector<std::string> out;
  for (const auto& c : result.cases) {
    bool requirement = std::any_of(c.requirements.begin(), c.requirements.end(),
                                   [&](const runner::requirement& q) { return q.id == what; });
    for (const auto& s : c.steps)
      for (const auto& k : s.checks)
        if (!k.passed && k.severity == lvl && (requirement || k.rule == what))
          out.push_back(c.suite + " / " + c.name + " / " + s.name + ": " + k.rule);
  }
  return out;
}

std::string every_failure(const runner::run_result& result) {
  std::string seen;
  for (const auto& c : result.cases)
    for (const auto& s : c.steps)
      for (const auto& k : s.checks)
        if (!k.passed) {
          std::string ids;
          for (const auto& q : c.requirements) ids += q.id + " ";
          seen += "\n  " + c.name + " [" + ids + "] " + s.name + ": " + k.rule + " (" +
                  runner::to_string(k.severity) + ")";
        }
  return seen.empty() ? " none" : seen;
}

class EngageMutationTable : public ::testing::TestWithParam<engage_row> {};

TEST_P(EngageMutationTable, KilledByTheRequirementItBreaks) {
  const auto& row = GetParam();
  auto cfg = cxh::testing::config_with_defect(row.route, row.mutation);
  ASSERT_TRUE(cfg) << row.mutation;
  auto result = run_against(*cfg, row.suites);
  ASSERT_FALSE(result.cases.empty());
  auto named = failures_naming(result, row.names, row.level);
  if (named.empty() && row.needs) GTEST_SKIP() << row.mutation << ": needs " << row.needs;
  EXPECT_FALSE(named.empty()) << row.mutation << " went unnoticed: no failed "
                              << runner::to_string(row.level) << " check naming " << row.names
                              << "; failures:" << every_failure(result);
  if (row.level == runner::level::must) {
    EXPECT_GT(result.count().failed, 0u) << row.mutation << ": the run did not fail";
  }
}

using runner::level;
const char* const OM = "openmedia";
const char* const TPM = "third-party-messaging";
const char* const SE = "secure-email";
const char* const AUTH = "auth";

const std::vector<engage_row>& rows() {
  static const std::vector<engage_row> table{

      engage_row{"gen_empty_error_body", "openmediaGetInteraction", {OM}, "OM-010"},
      engage_row{"gen_error_code_zero", "openmediaGetInteraction", {OM}, "envelope.engage"},
      engage_row{"gen_success_code_nonzero", "openmediaCreateInteraction", {OM}, "OM-001"},
      engage_row{"gen_accept_wrong_type", "openmediaCreateInteraction", {OM}, "OM-020"},
      engage_row{"om_ext_id_ignored", "openmediaCreateInteraction", {OM}, "OM-002"},
      engage_row{"om_ext_lookup_wrong_id", "*", {OM}, "OM-008", level::should},
      engage_row{"om_duplicate_accepted", "*", {OM}, "OM-009"},
      engage_row{"om_unknown_id_found", "*", {OM}, "OM-010"},
      engage_row{"om_stop_unknown_accepted", "*", {OM}, "OM-014"},
      engage_row{"om_update_not_applied", "*", {OM}, "OM-008", level::should},
      engage_row{"om_stop_not_stopped", "*", {OM}, "OM-008", level::should},
      engage_row{"om_update_body_optional", "*", {OM}, "OM-021"},
      engage_row{"tpm_media_truncated", "*", {TPM}, "TPM-004"},
      engage_row{"tpm_empty_ids", "*", {TPM}, "TPM-001"},
      engage_row{"tpm_sign_reserialized", "*", {"generated"}, "GEN-SIGNED-RAW-BYTES"},
      engage_row{"tpm_ccid_not_required", "*", {TPM}, "TPM-013"},
      engage_row{"tpm_delete_not_deleted", "*", {TPM}, "TPM-005"},
      engage_row{"tpm_unknown_channel_accepted", "*", {TPM}, "TPM-015"},
      engage_row{"tpm_no_file_accepted", "*", {TPM}, "TPM-014", level::should},
      engage_row{"se_delete_still_listed", "*", {SE}, "SE-021"},
      engage_row{"se_purge_not_removed", "*", {SE}, "SE-006"},
      engage_row{"se_read_not_marked", "*", {SE}, "SE-004"},
      engage_row{"se_no_secure_mail_id", "*", {SE}, "SE-001"},
      engage_row{"auth_wrong_token_type", "*", {AUTH}, "oauth.token"},
      engage_row{"auth_token_cacheable", "*", {AUTH}, "oauth.token"},
      engage_row{"auth_sign_out_keeps_tokens", "*", {AUTH}, "AUTH-006"},
      engage_row{"auth_wrong_password_granted", "*", {AUTH}, "AUTH-015"}};
  return table;
}

INSTANTIATE_TEST_SUITE_P(EngageFamilies, EngageMutationTable, ::testing::ValuesIn(rows()),
                         [](const auto& row_info) { return std::string(row_info.param.mutation); });

TEST(EngageMutationTable, TheAlternateReadingPassesTheFamilySuites) {
  emulator::config cfg;
  cfg.reading = emulator::page_reading::alternate;
  auto result = run_against(cfg, {OM, TPM, SE, AUTH});
  ASSERT_FALSE(result.cases.empty());
  for (const auto& c : result.cases)
    EXPECT_EQ(c.result, runner::outcome::passed)
        << c.suite << " / " << c.name << ": " << c.error << every_failure(result);
}

TEST(EngageMutationTable, EveryEngageMutationOfTheEmulatorHasARow) {
  // Walks the enum until it has no name: a new mutation of these families needs a row above.
  std::set<std::string> table;
  for (const auto& row : rows()) table.insert(row.mutation);
  for (int i = 0; i < 256; ++i) {
    std::string name = emulator::mutation_name(static_cast<emulator::mutation>(i));
    if (name == "?") break;
    bool engage = false;
    for (const char* prefix : {"gen_", "om_", "tpm_", "iw_", "se_", "auth_"})
      engage = engage || name.rfind(prefix, 0) == 0;
    if (!engage) continue;
    EXPECT_TRUE(table.count(name)) << "mutation '" << name << "' has no row";
  }
}

}  // namespace
