// Fault injection: each fault does what FAULTS.md says, and each conformance mutation makes
// answers that the documented schemas reject (so a conformance run can catch it).

#include "emulator_test_support.hpp"

using namespace emulator_test;

namespace {

ce::config with_rules(const std::string& rules_json, bool admin = false) {
  ce::config c;
  auto parsed = ce::parse_faults(json::parse(rules_json), "test");
  EXPECT_TRUE(std::holds_alternative<ce::fault_set>(parsed));
  if (auto* f = std::get_if<ce::fault_set>(&parsed)) c.faults = *f;
  c.admin = admin;
  return c;
}

const co::operation& op_by_id(const fixture& f, const std::string& id) {
  const auto* op = f.em->spec().by_operation_id(id);
  EXPECT_NE(op, nullptr) << id;
  return *op;
}

}  // namespace

TEST(EmulatorFaults, FixedLatencyIsAddedToMatchingRoutesOnly) {
  fixture f(with_rules(
      R"({"rules": [{"route": "openmediaCreateInteraction", "latency": {"fixed_ms": 20}}]})"));
  auto slow = f.em->handle(valid_request(op_by_id(f, "openmediaCreateInteraction"), f));
  auto fast = f.em->handle(valid_request(op_by_id(f, "openmediaGetInteraction"), f));
  EXPECT_EQ(slow.delay.count(), 20);
  EXPECT_EQ(fast.delay.count(), 0);
}

TEST(EmulatorFaults, LognormalLatencyHasTheConfiguredMedian) {
  fixture f(with_rules(
      R"({"rules": [{"route": "*", "latency": {"lognormal": {"median_ms": 50, "sigma": 0.5}}}]})"));
  std::vector<long> samples;
  const auto& op = op_by_id(f, "authPing");
  for (int i = 0; i < 2001; ++i)
    samples.push_back(f.em->handle(valid_request(op, f)).delay.count());
  std::nth_element(samples.begin(), samples.begin() + 1000, samples.end());
  EXPECT_NEAR(samples[1000], 50, 5);
}

TEST(EmulatorFaults, ErrorRateInjectsTheConfiguredStatusInTheApiEnvelope) {
  fixture f(with_rules(R"({"rules": [{"route": "*", "error_rate": 1.0, "error_status": 503}]})"));
  auto res = f.em->handle(valid_request(op_by_id(f, "openmediaCreateInteraction"), f));
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(json::parse(res.body)["status"]["code"], 503);
  fixture half(with_rules(R"({"rules": [{"route": "*", "error_rate": 0.5}]})"));
  int errors = 0;
  for (int i = 0; i < 1000; ++i)
    errors += half.em->handle(valid_request(op_by_id(half, "authPing"), half)).status == 503;
  EXPECT_NEAR(errors, 500, 80);
}

TEST(EmulatorFaults, ResetsAndSlowBodiesAreConnectionFaults) {
  fixture f(with_rules(R"({"rules": [{"route": "*", "reset_rate": 1.0}]})"));
  EXPECT_EQ(f.em->handle(valid_request(op_by_id(f, "authPing"), f)).fault,
            cxh::http::connection_fault::reset_before_response);
  fixture s(with_rules(R"({"rules": [{"route": "*", "slow_body_ms": 7}]})"));
  EXPECT_EQ(s.em->handle(valid_request(op_by_id(s, "authPing"), s)).body_pace.count(), 7);
}

TEST(EmulatorFaults, StallHoldsAnswersInsideTheWindow) {
  fixture f(
      with_rules(R"({"rules": [{"route": "*", "stall": {"every_ms": 100000, "for_ms": 99999}}]})"));
  auto res = f.em->handle(valid_request(op_by_id(f, "authPing"), f));
  EXPECT_GT(res.delay.count(), 90000);  // the fixture started inside the first window
}

TEST(EmulatorFaults, EveryMutationIsCaughtByTheDocumentedSchemas) {
  for (const char* m : {"wrong_status", "undocumented_status", "missing_envelope",
                        "wrong_field_type", "drop_required_field", "wrong_content_type"}) {
    fixture f(
        with_rules(std::string(R"({"rules": [{"route": "*", "mutations": [")") + m + R"("]}]})"));
    fixture clean{ce::config{}};
    std::size_t caught = 0, total = 0;
    for (const auto& op : f.em->spec().operations()) {
      if (op.webhook) continue;
      // Mutations change successful answers; a request the handler refuses (an unknown id)
      // is no test of them.
      auto baseline = clean.em->handle(valid_request(op, clean));
      if (baseline.status < 200 || baseline.status >= 300 || baseline.body.empty()) continue;
      ++total;
      if (!judge(op, f.em->handle(valid_request(op, f)), false).empty()) ++caught;
    }
    // Not every answer can be broken by every mutation (an empty object has no field to drop),
    // but each mutation must be visible on a large share of the successful ones.
    EXPECT_GT(total, 50u);
    EXPECT_GT(caught, total / 3) << m << ": caught " << caught << " of " << total;
  }
}

TEST(EmulatorFaults, SkipSignatureCheckAcceptsABadSignature) {
  const char* id = "thirdPartyMessagingSendMessage";
  fixture strict{ce::config{}};
  const auto* op = strict.em->spec().by_operation_id(id);
  if (!op) GTEST_SKIP() << "no operation " << id;
  auto req = valid_request(*op, strict);
  req.target = std::regex_replace(req.target, std::regex("/p1/"), "/demo-channel/");
  for (const auto& e : op->request.front().examples)  // a Text message: a receipt needs history
    if (e.dump().find("Receipt") == std::string::npos) req.body = e.dump();
  req.fields.set("X-Hub-Signature", "sha1=0000000000000000000000000000000000000000");
  req.fields.set("x-ccid", "demo-ccid");
  req.fields.set("x-api-key", "");
  auto refused = strict.em->handle(req);
  EXPECT_TRUE(refused.status == 401 || refused.status == 403) << refused.status;
  fixture lax(with_rules(R"({"rules": [{"route": "*", "mutations": ["skip_signature_check"]}]})"));
  auto accepted = lax.em->handle(req);
  EXPECT_LT(accepted.status, 400) << accepted.body;
}

TEST(EmulatorFaults, AdminEndpointIsOffUnlessAsked) {
  cxh::http::request get;
  get.method = "GET";
  get.target = "/__cxh/admin/faults";
  EXPECT_EQ(env().em->handle(get).status, 404);
  fixture f(with_rules(R"({"rules": []})", true));
  EXPECT_EQ(f.em->handle(get).status, 200);
  cxh::http::request put = get;
  put.method = "PUT";
  put.body = R"({"rules": [{"route": "authPing", "error_rate": 1, "error_status": 500}]})";
  EXPECT_EQ(f.em->handle(put).status, 200);
  EXPECT_EQ(f.em->handle(valid_request(op_by_id(f, "authPing"), f)).status, 500);
  put.body = R"({"rules": [{"route": "*", "mutations": ["teleport"]}]})";
  auto bad = f.em->handle(put);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("teleport"), std::string::npos);
  cxh::http::request del = get;
  del.method = "DELETE";
  EXPECT_EQ(f.em->handle(del).status, 200);
  EXPECT_EQ(f.em->handle(valid_request(op_by_id(f, "authPing"), f)).status, 200);
}

// Found by emulator_fuzz (tests/fuzz/regressions/emulator-non-utf8-path): a path that is not
// UTF-8 used to make the error envelope throw while serialising the message.
TEST(EmulatorRobustness, NonUtf8PathGetsAnEnvelopeNotAThrow) {
  cxh::http::request r;
  r.method = "POST";
  r.target = "\xcd/api/v2/me/channels/voice";
  cxh::http::response res;
  EXPECT_NO_THROW(res = env().em->handle(r));
  EXPECT_EQ(res.status, 404);
  EXPECT_FALSE(json::parse(res.body, nullptr, false).is_discarded());
}
