// The emulator as a webhook sender: Interactions Webhook events after Open Media create/stop and
// Third-Party Messaging agent replies, signed with the channel secret, bodies valid against
// their documented schemas.
#include <gtest/gtest.h>

#include <cxh/emulator/emulator.hpp>
#include <cxh/http/client.hpp>
#include <cxh/http/signing.hpp>
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

// A consumer's message over Third-Party Messaging reaches an agent Ready on chat as a Web
// Services v2 chat invitation; what the agent sends there comes back to the third party as a
// signed TPM webhook addressed to that consumer.
TEST(EmulatorWebhooks, AnAgentAnswersAThirdPartyConversationFromTheDesktop) {
  cxh::emulator::config cfg;
  const auto& [channel, secret] = *cfg.channel_secrets.begin();
  cxh::webhook::receiver_options ro;
  ro.secret = secret;
  auto rcv = std::make_shared<cxh::webhook::receiver>(ro);
  ASSERT_EQ(rcv->start(), "");
  cfg.tpm_webhook_url = rcv->url("/tpm");
  auto started = cxh::emulator::running_emulator::start(cfg);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<cxh::emulator::running_emulator>>(started));
  auto& emu = std::get<std::unique_ptr<cxh::emulator::running_emulator>>(started);
  cxh::http::client c;
  const auto& user = cfg.users.front();
  auto agent = [&](const std::string& method, const std::string& path, const std::string& body) {
    cxh::http::client_request r;
    r.method = method;
    r.url = emu->base_url() + path;
    r.body = body;
    if (!body.empty()) r.fields.set("Content-Type", "application/json");
    r.fields.set("Authorization",
                 "Basic " + cxh::http::base64_encode(user.username + ":" + user.password));
    auto got = c.send(r);
    EXPECT_TRUE(got.ok()) << got.error;
    return got.ok() ? nlohmann::json::parse(got.response->body, nullptr, false) : nlohmann::json();
  };
  auto consumer_says = [&](const std::string& text) {
    nlohmann::json msg = {
        {"messages",
         {{{"channel", {{"from", {{"id", "16505550199"}}}, {"to", {{"id", channel}}}}},
           {"type", "Text"},
           {"text", text}}}}};
    cxh::http::client_request r;
    r.method = "POST";
    r.url = emu->base_url() + "/nexus/v3/channels/" + channel + "/messages";
    r.body = msg.dump();
    r.fields.set("Content-Type", "application/json");
    r.fields.set("x-api-key", cfg.api_keys.front());
    r.fields.set("x-ccid", "test-contact-center");
    r.fields.set("X-Hub-Signature", "sha1=" + cxh::http::hmac_sha1_hex(secret, r.body));
    auto got = c.send(r);
    ASSERT_TRUE(got.ok()) << got.error;
    ASSERT_EQ(got.response->status, 200) << got.response->body;
  };
  auto tpm_chats = [&] {
    std::vector<nlohmann::json> out;
    auto list = agent("GET", "/api/v2/me/interactions?fields=*", "");
    for (const auto& i : list.value("interactions", nlohmann::json::array()))
      if (i.value("userData", nlohmann::json::object()).contains("TpmChannelId")) out.push_back(i);
    return out;
  };

  // Not Ready on chat (the seed): nobody is offered the conversation.
  consumer_says("anyone there?");
  EXPECT_TRUE(tpm_chats().empty());

  agent("POST", "/api/v2/me/channels/chat", R"({"operationName":"Ready"})");
  consumer_says("hello, I need help");
  auto chats = tpm_chats();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0]["state"], "Invited");
  EXPECT_NE(chats[0].dump().find("hello, I need help"), std::string::npos) << chats[0].dump();
  std::string id = chats[0]["id"];
  auto accepted = agent("POST", "/api/v2/me/interactions/" + id, R"({"operationName":"Accept"})");
  ASSERT_EQ(accepted.value("statusCode", -1), 0) << accepted.dump();
  auto sent = agent("POST", "/api/v2/me/interactions/" + id,
                    R"({"operationName":"SendMessage","text":"how can I help?"})");
  ASSERT_EQ(sent.value("statusCode", -1), 0) << sent.dump();

  auto reply = rcv->await([](const cxh::webhook::delivery& d) { return d.path == "/tpm"; }, 20s);
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->signature_valid);
  EXPECT_EQ(reply->json["text"], "how can I help?");
  EXPECT_EQ(reply->json["channel"]["to"]["id"], "16505550199");
  EXPECT_EQ(reply->json["channel"]["id"], channel);
  expect_valid("thirdPartyMessagingWebhookSendMessage", reply->json);
}

}  // namespace
