// The behavioural defects of the agent desktop, statistics and data families (FAULTS.md, "Agent
// desktop, statistics and data families"): each one, alone, makes a case of its family's suites
// fail, and the failing case proves the requirement the defect breaks. The same suites pass
// against the emulator's alternate reading of the pages, so no case holds one reading only.
#include <set>

#include "runner_support.hpp"

namespace {

using namespace cxh;

struct defect_row {
  const char* mutation;
  const char* route;  // operationId the rule applies to, or "*"
  std::vector<std::string> suites;
  const char* requirement;  // a failed case proves it (or a failed check names this rule)
};

const std::vector<std::string> kWsMe{"ws-v2-me"};
const std::vector<std::string> kWsRes{"ws-v2-resources"};
const std::vector<std::string> kStat{"statistics"};
const std::vector<std::string> kCdds{"cdds"};
const std::vector<std::string> kUdm10{"udm-v10"};
const std::vector<std::string> kUdm4{"udm-v4"};

const defect_row kRows[] = {
    {"ws_ready_not_applied", "wsV2MeReadyAllChannels", kWsMe, "WSME-002"},
    {"ws_channel_state_not_applied", "wsV2MeNotReadyChannel", kWsMe, "WSME-004"},
    {"ws_me_status_code_nonzero", "wsV2MeGetOverallUserState", kWsMe, "WSME-001"},
    {"ws_subresources_ignored", "wsV2MeGetOverallUserState", kWsMe, "WSME-001"},
    {"ws_user_read_other", "wsV2GetUser", kWsRes, "WSRES-002"},
    {"ws_user_update_not_applied", "wsV2UpdateUser", kWsRes, "WSRES-003"},
    {"ws_user_delete_kept", "wsV2DeleteUser", kWsRes, "WSRES-004"},
    {"ws_reject_any_state", "wsV2MeRejectInteraction", kWsMe, "WSME-016"},
    {"ws_contact_delete_kept", "wsV2DeleteContact", kWsRes, "WSRES-012"},
    {"stat_delete_kept", "statisticsDeleteSubscription", kStat, "STAT-018"},
    {"stat_subset_ignored", "statisticsGetSubscriptionValues", kStat, "STAT-003"},
    {"stat_partial_as_success", "statisticsPeekStatistics", kStat, "STAT-007"},
    {"stat_required_param_skipped", "statisticsPeekStatistic", kStat, "STAT-015"},
    {"stat_notification_wrong_statistic", "statisticsCreateSubscription", kStat, "STAT-CometD-1"},
    {"cdds_job_delete_kept", "cddsDeleteJob", kCdds, "CDDS-010"},
    {"cdds_running_job_deleted", "cddsDeleteJob", kCdds, "CDDS-007"},
    {"cdds_job_read_other", "cddsGetJob", kCdds, "CDDS-002"},
    {"cdds_update_not_applied", "cddsUpdateJob", kCdds, "CDDS-003"},
    {"cdds_list_filter_ignored", "cddsListJobs", kCdds, "CDDS-024"},
    {"udm_job_delete_kept", "udmV10DeleteExportJob", kUdm10, "UDM10-010"},
    {"udm_unfinished_job_deleted", "udmV10DeleteExportJob", kUdm10, "UDM10-004"},
    {"udm_invalid_job_accepted", "udmV10CreateExportJob", kUdm10, "UDM10-021"},
    {"udm_suspend_not_applied", "udmV4SuspendExportJob", kUdm4, "UDM4-006"},
};

std::vector<scenario::suite> only(const std::vector<std::string>& names) {
  std::vector<scenario::suite> out;
  for (auto& s : cxh::testing::repository_suites())
    if (std::find(names.begin(), names.end(), s.name) != names.end()) out.push_back(std::move(s));
  return out;
}

runner::run_result run_against(const emulator::config& cfg,
                               const std::vector<std::string>& suites) {
  auto emu = cxh::testing::start_emulator(cfg);
  if (!emu) return {};
  runner::runner r(cxh::testing::spec(), cxh::testing::target_for(emu->base_url()));
  return r.run(only(suites), {});
}

// The failed cases, as "suite / case [requirement ids]" lines, and whether one proves `id`.
bool a_failed_case_proves(const runner::run_result& result, const std::string& id,
                          std::string& seen) {
  bool found = false;
  for (const auto& c : result.cases) {
    if (c.result != runner::outcome::failed) continue;
    seen += "\n  " + c.suite + " / " + c.name + " [";
    for (const auto& r : c.requirements) {
      seen += r.id + " ";
      found = found || r.id == id;
    }
    seen += "]";
  }
  for (const auto* k : cxh::testing::failed_checks(result)) found = found || k->rule == id;
  return found;
}

class AgentFamilyDefect : public ::testing::TestWithParam<defect_row> {};

TEST_P(AgentFamilyDefect, AFailingCaseProvesTheBrokenRequirement) {
  const auto& row = GetParam();
  auto cfg = cxh::testing::config_with_defect(row.route, row.mutation);
  ASSERT_TRUE(cfg) << row.mutation;
  auto result = run_against(*cfg, row.suites);
  ASSERT_FALSE(result.cases.empty()) << "no case ran for " << row.mutation;
  std::string seen;
  EXPECT_TRUE(a_failed_case_proves(result, row.requirement, seen))
      << row.mutation << " on " << row.route << ": no failed case proves " << row.requirement
      << "; failed cases:" << seen;
}

INSTANTIATE_TEST_SUITE_P(EveryAgentFamilyDefect, AgentFamilyDefect, ::testing::ValuesIn(kRows),
                         [](const auto& row) { return std::string(row.param.mutation); });

TEST(AgentFamilyDefect, EveryRowNamesAKnownMutation) {
  std::set<std::string> names;
  for (const auto& row : kRows) {
    EXPECT_TRUE(emulator::mutation_from_name(row.mutation)) << row.mutation;
    EXPECT_TRUE(names.insert(row.mutation).second) << "twice: " << row.mutation;
  }
  EXPECT_GE(names.size(), 20u);
}

TEST(AgentFamilyDefect, TheAlternateReadingPassesEveryFamilySuite) {
  emulator::config cfg;
  cfg.reading = emulator::page_reading::alternate;
  auto result = run_against(
      cfg, {"ws-v2-me", "ws-v2-resources", "statistics", "udm-v10", "udm-v4", "udm-v3", "cdds"});
  ASSERT_FALSE(result.cases.empty());
  for (const auto* c : cxh::testing::failed_checks(result)) {
    ADD_FAILURE() << c->rule << ": " << c->title << " expected " << c->expected << ", got "
                  << c->actual << " (" << c->source << ")";
  }
  for (const auto& c : result.cases) {
    EXPECT_EQ(c.result, runner::outcome::passed) << c.suite << " / " << c.name << ": " << c.error;
  }
}

}  // namespace
