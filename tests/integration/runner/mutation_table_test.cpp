// Each conformance defect the emulator can inject (FAULTS.md "mutations") is caught by the
// built-in suites, by a failing check that names the right rule.
#include <cxh/runner/webhook_source.hpp>
#include <set>

#include "runner_support.hpp"

namespace {

using namespace cxh;

struct mutation_case {
  const char* mutation;
  const char* rule;  // a failed check with this rule must appear
};

class MutationTable : public ::testing::TestWithParam<mutation_case> {};

TEST_P(MutationTable, CaughtByTheRightRule) {
  const auto& m = GetParam();
  auto cfg = cxh::testing::config_with_defect("*", m.mutation);
  ASSERT_TRUE(cfg) << m.mutation;
  auto emu = cxh::testing::start_emulator(*cfg);
  ASSERT_TRUE(emu);
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu->base_url()));
  auto result = r.run(cxh::testing::repository_suites(), {});
  auto failed = cxh::testing::failed_checks(result);
  ASSERT_FALSE(failed.empty()) << m.mutation << " went unnoticed";
  bool named = false;
  for (const auto* c : failed) named = named || c->rule == m.rule;
  std::string seen;
  for (const auto* c : failed) seen += c->rule + " ";
  EXPECT_TRUE(named) << m.mutation << ": no failed '" << m.rule
                     << "' check; failed rules: " << seen;
  EXPECT_GT(result.count().failed, 0u);
}

INSTANTIATE_TEST_SUITE_P(EveryMutation, MutationTable,
                         ::testing::Values(mutation_case{"wrong_status", "status.documented"},
                                           mutation_case{"undocumented_status",
                                                         "status.documented"},
                                           mutation_case{"missing_envelope", "body.schema"},
                                           mutation_case{"wrong_field_type", "body.schema"},
                                           mutation_case{"drop_required_field", "body.schema"},
                                           mutation_case{"wrong_content_type", "content_type"},
                                           mutation_case{"skip_signature_check", "assert.status"}),
                         [](const auto& row) { return std::string(row.param.mutation); });

TEST(MutationTable, EveryMutationOfTheEmulatorIsInTheTable) {
  // Walks the emulator's enum until it has no name: a new mutation must get a row above.
  std::set<std::string> table;
  for (const auto& row : {
           "wrong_status",
           "undocumented_status",
           "missing_envelope",
           "wrong_field_type",
           "drop_required_field",
           "wrong_content_type",
           "skip_signature_check",
           // agent desktop, statistics and data families: mutation_table_agent_test.cpp
           "ws_ready_not_applied",
           "ws_channel_state_not_applied",
           "ws_me_status_code_nonzero",
           "ws_subresources_ignored",
           "ws_user_read_other",
           "ws_user_update_not_applied",
           "ws_user_delete_kept",
           "ws_reject_any_state",
           "ws_contact_delete_kept",
           "stat_delete_kept",
           "stat_subset_ignored",
           "stat_partial_as_success",
           "stat_required_param_skipped",
           "stat_notification_wrong_statistic",
           "cdds_job_delete_kept",
           "cdds_running_job_deleted",
           "cdds_job_read_other",
           "cdds_update_not_applied",
           "cdds_list_filter_ignored",
           "udm_job_delete_kept",
           "udm_unfinished_job_deleted",
           "udm_invalid_job_accepted",
           "udm_suspend_not_applied",
       }) {
    table.insert(row);
  }
  for (int i = 0; i < 64; ++i) {
    std::string name = emulator::mutation_name(static_cast<emulator::mutation>(i));
    if (name == "?") break;
    // The Engage families' mutations have their own table (mutation_table_engage_test.cpp).
    bool engage = false;
    for (const char* prefix : {"gen_", "om_", "tpm_", "iw_", "se_", "auth_"})
      engage = engage || name.rfind(prefix, 0) == 0;
    if (engage) continue;
    EXPECT_TRUE(table.count(name)) << "mutation '" << name << "' has no row in the table";
  }
}

TEST(MutationTable, TheCleanEmulatorPassesEverySuite) {
  // With a webhook receiver, as `cxharness run` sets up: the webhook cases are judged too.
  emulator::config cfg;
  webhook::receiver_options ro;
  ro.secret = cfg.channel_secrets.begin()->second;
  auto receiver = std::make_shared<webhook::receiver>(ro);
  ASSERT_EQ(receiver->start(), "");
  cfg.interactions_webhook_url = receiver->url("/interactions");
  cfg.tpm_webhook_url = receiver->url("/third-party-messaging");
  auto emu = cxh::testing::start_emulator(cfg);
  ASSERT_TRUE(emu);
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu->base_url()));
  runner::run_options opts;
  opts.webhooks = std::make_shared<runner::webhook_source>(receiver);
  auto result = r.run(cxh::testing::repository_suites(), opts);
  for (const auto* c : cxh::testing::failed_checks(result)) {
    ADD_FAILURE() << c->rule << ": " << c->title << " expected " << c->expected << ", got "
                  << c->actual << " (" << c->source << ")";
  }
  for (const auto& c : result.cases) {
    EXPECT_EQ(c.result, runner::outcome::passed) << c.suite << " / " << c.name << ": " << c.error;
  }
}

}  // namespace
