// The operation index over the product's own schemas/: lookups, dispatch, statuses.

#include <gtest/gtest.h>

#include <cxh/openapi/spec.hpp>

using nlohmann::json;
namespace co = cxh::openapi;

namespace {

const co::spec_set& spec() {
  static const co::spec_set s = [] {
    auto r = co::spec_set::load(co::spec_set::embedded_documents());
    if (auto* p = std::get_if<cxh::diagnostics>(&r)) {
      ADD_FAILURE() << cxh::to_string(p->front());
      std::abort();
    }
    return std::get<co::spec_set>(r);
  }();
  return s;
}

}  // namespace

TEST(Spec, FindsResourceOperationsAndPathParameters) {
  auto m = spec().find("GET", "/nexus/v3/openmedia/chat-svc/interactions/00-1234?x=1");
  ASSERT_EQ(m.kind, co::match_kind::found) << m.detail;
  EXPECT_EQ(m.operations[0]->method, "GET");
  EXPECT_EQ(m.path_params.size(), 2u);
}

TEST(Spec, LiteralSegmentsWinOverParameters) {
  auto by_id = spec().find("GET", "/nexus/v3/openmedia/svc/interactions/abc");
  auto by_ext = spec().find("GET", "/nexus/v3/openmedia/svc/interactions/ext_abc");
  ASSERT_EQ(by_id.kind, co::match_kind::found);
  ASSERT_EQ(by_ext.kind, co::match_kind::found);
  EXPECT_NE(by_id.operations[0], by_ext.operations[0]);
  EXPECT_NE(by_ext.operations[0]->path_template.find("ext_"), std::string::npos);
}

TEST(Spec, DistinguishesUnknownPathFromUndocumentedMethod) {
  EXPECT_EQ(spec().find("GET", "/nexus/v3/nowhere").kind, co::match_kind::unknown_path);
  auto m = spec().find("PATCH", "/auth/v3/oauth/token");
  EXPECT_EQ(m.kind, co::match_kind::method_not_allowed);
  EXPECT_NE(m.detail.find("PATCH"), std::string::npos);
}

TEST(Spec, DispatchesWebServicesOperationsByOperationName) {
  json ready = {{"operationName", "Ready"}};
  json not_ready = {{"operationName", "NotReady"}};
  auto a = spec().find("POST", "/api/v2/me/channels/voice", &ready);
  auto b = spec().find("POST", "/api/v2/me/channels/voice", &not_ready);
  ASSERT_EQ(a.kind, co::match_kind::found) << a.detail;
  ASSERT_EQ(b.kind, co::match_kind::found) << b.detail;
  EXPECT_EQ(a.operations[0]->operation_name, "Ready");
  EXPECT_EQ(b.operations[0]->operation_name, "NotReady");

  json accept = {{"operationName", "Accept"}};
  json reject = {{"operationName", "Reject"}};
  auto acc = spec().find("POST", "/api/v2/me/interactions/0001", &accept);
  auto rej = spec().find("POST", "/api/v2/me/interactions/0001", &reject);
  ASSERT_NE(acc.kind, co::match_kind::unknown_operation_name) << acc.detail;
  ASSERT_EQ(rej.kind, co::match_kind::found) << rej.detail;
  EXPECT_EQ(rej.operations[0]->operation_name, "Reject");
  for (auto* op : acc.operations) EXPECT_EQ(op->operation_name, "Accept");

  json bogus = {{"operationName", "Teleport"}};
  EXPECT_EQ(spec().find("POST", "/api/v2/me/interactions/0001", &bogus).kind,
            co::match_kind::unknown_operation_name);
}

TEST(Spec, UndocumentedStatusHasNoResponse) {
  auto m = spec().find("POST", "/auth/v3/oauth/token");
  ASSERT_EQ(m.kind, co::match_kind::found);
  const auto* op = m.operations[0];
  ASSERT_NE(op->response_for(200), nullptr);
  EXPECT_EQ(op->response_for(418), nullptr);
  const auto* ok = op->response_for(200);
  const auto* media = ok->find_media("application/json; charset=utf-8");
  ASSERT_NE(media, nullptr);
  ASSERT_TRUE(media->body.has_value());
  EXPECT_TRUE(media->body->is_valid(
      json::parse(R"({"access_token": "a", "token_type": "bearer", "expires_in": 3600})")));
  EXPECT_FALSE(media->body->is_valid(json::parse(R"({"token_type": 7})")));
}

TEST(Spec, WebhooksAreOperationsButNotRequestTargets) {
  std::size_t webhooks = 0;
  for (const auto& op : spec().operations()) webhooks += op.webhook;
  EXPECT_EQ(webhooks, 2u);
}

TEST(Spec, BrokenDocumentsAreDiagnosedNotThrown) {
  std::vector<co::document_source> docs = {
      {"https://t.test/a.json", "a.json", R"({"openapi": "3.1.0", "paths": {"/x": {"get":
        {"responses": {"200": {"description": "ok", "content": {"application/json":
        {"schema": {"$ref": "missing.json"}}}}}}}}}})"},
      {"https://t.test/b.json", "b.json", "{not json"}};
  auto r = co::spec_set::load(docs);
  ASSERT_TRUE(std::holds_alternative<cxh::diagnostics>(r));
  auto& problems = std::get<cxh::diagnostics>(r);
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [](auto& p) {
    return p.where == "b.json" && p.what == "not valid JSON";
  }));
}
