// The emulator as a webhook sender: Interactions Webhook events after Open Media create/stop and
// Third-Party Messaging agent replies, signed with the channel secret, bodies valid against
// their documented schemas.
#include <gtest/gtest.h>

#include <cxh/emulator/emulator.hpp>
#include <cxh/http/client.hpp>
#include <cxh/openapi/spec.hpp>
#include <cxh/webhook/receiver.hpp>

namespace {

using namespace std::chrono_literals;

const cxh::openapi::spec_set& spec() {
  static const auto s = std::get<cxh::openapi::spec_set>(
      cxh::openapi::spec_set::load(cxh::openapi::spec_set::embedded_documents()));
  return s;
}

void expect_valid(const std::string& operation_id, const nlohmann::json& body) {
  const auto* op = spec().by_operation_id(operation_id);
  ASSERT_TRUE(op && !op->request.empty() && op->request.front().body);
  auto errors = op->request.front().body->validate(body);
  EXPECT_TRUE(errors.empty()) << operation_id << ": " << errors.front().instance_location << " "
                              << errors.front().message;
}

TEST(EmulatorWebhooks, InteractionEventsAndAgentRepliesAreSignedAndDocumented) {
  cxh::emulator::config cfg;
  cxh::webhook::receiver_options ro;
  ro.secret = cfg.channel_secrets.begin()->second;
  auto rcv = std::make_shared<cxh::webhook::receiver>(ro);
  ASSERT_EQ(rcv->start(), "");
  cfg.interactions_webhook_url = rcv->url("/interactions");
  cfg.tpm_webhook_url = rcv->url("/tpm");
  cfg.admin = true;
  auto started = cxh::emulator::running_emulator::start(cfg);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<cxh::emulator::running_emulator>>(started));
  auto& emu = std::get<std::unique_ptr<cxh::emulator::running_emulator>>(started);
  cxh::http::client c;
  auto post = [&](const std::string& path, const std::string& body) {
    cxh::http::client_request r;
    r.method = "POST";
    r.url = emu->base_url() + path;
    r.body = body;
    r.fields.set("Content-Type", "application/json");
    r.fields.set("x-api-key", cfg.api_keys.front());
    return c.send(r);
  };
  auto created = post("/nexus/v3/openmedia/chat/interactions", R"({"data":{}})");
  ASSERT_TRUE(created.ok()) << created.error;
  ASSERT_EQ(created.response->status, 200) << created.response->body;
  auto id = nlohmann::json::parse(created.response->body)["data"]["id"].get<std::string>();
  auto stopped = post("/nexus/v3/openmedia/chat/interactions/" + id + "/stop", R"({"data":{}})");
  ASSERT_TRUE(stopped.ok());
  ASSERT_EQ(stopped.response->status, 200) << stopped.response->body;
  auto reply = post("/__cxh/admin/tpm/reply", R"({"channelId":"demo-channel","text":"hello"})");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.response->status, 202);

  auto event = [&](const char* kind) {
    return rcv->await(
        [&](const cxh::webhook::delivery& d) {
          return d.path == "/interactions" && d.json.dump().find(kind) != std::string::npos &&
                 d.json.dump().find(id) != std::string::npos;
        },
        20s);
  };
  auto start_event = event("STARTED");
  auto finish_event = event("FINISHED");
  ASSERT_TRUE(start_event);
  ASSERT_TRUE(finish_event);
  EXPECT_TRUE(start_event->signature_valid);
  EXPECT_FALSE(start_event->trace_id.empty());
  expect_valid("interactionsWebhookSendEvents", start_event->json);
  expect_valid("interactionsWebhookSendEvents", finish_event->json);
  auto tpm = rcv->await([](const cxh::webhook::delivery& d) { return d.path == "/tpm"; }, 20s);
  ASSERT_TRUE(tpm);
  EXPECT_EQ(tpm->json["text"], "hello");
  expect_valid("thirdPartyMessagingWebhookSendMessage", tpm->json);
}

}  // namespace
