// Web Services v2 in the emulator: the agent's channels and agent states, and interactions
// driven by operationName (Accept, Reject, StopProcessing, PlaceInQueue, UpdateProperties,
// Transfer, conferences, e-mail and chat operations). Every answer is checked against its
// documented schema by the client; the tests check the state read back after each step.

#include "web_services_client.hpp"

using namespace ws_test;

namespace {

std::string channel_state(const client& ws, const std::string& channel) {
  return ws.get("/me/channels/" + channel).body["channel"]["userState"].value("state", "");
}

}  // namespace

TEST(WebServices, AgentStatesChangeWhatMeAndChannelsReadBack) {
  client ws;
  auto me = ws.get("/me?subresources=*");
  ASSERT_EQ(me.status, 200);
  ASSERT_EQ(me.body["devices"].size(), 1u);
  ASSERT_EQ(me.body["channels"].size(), 3u);
  for (const auto& ch : me.body["channels"]) EXPECT_EQ(ch["userState"]["state"], "NotReady");

  auto ready = ws.op("/me", "Ready");  // 004:855-886
  EXPECT_EQ(ready.body, (json{{"status", "ok"}}));
  json channels = ws.get("/me/channels").body["channels"];
  for (const auto& ch : channels) EXPECT_EQ(ch["userState"]["state"], "Ready") << ch;
  EXPECT_EQ(ws.get("/me").body["devices"][0]["userState"]["state"], "Ready");

  EXPECT_EQ(ws.op("/me/channels/chat", "NotReady").body["status"], "ok");
  EXPECT_EQ(channel_state(ws, "chat"), "NotReady");
  EXPECT_EQ(channel_state(ws, "email"), "Ready");

  // A custom state exists only once /settings/agent-states defines it (004:1002, 547-558).
  auto unknown = ws.op("/me/channels/email", "OutToLunch");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["status"], "error");
  auto created = ws.send("POST", "/settings/agent-states",
                         {{"operationName", "OutToLunch"},
                          {"displayName", "Not Ready - Out to lunch"},
                          {"state", "NotReady"},
                          {"reason", "OutToLunch"}});
  ASSERT_EQ(created.body["statusCode"], 0);
  EXPECT_EQ(ws.op("/me/channels/email", "OutToLunch").body["status"], "ok");
  auto email = ws.get("/me/channels/email").body["channel"]["userState"];
  EXPECT_EQ(email["reason"], "OutToLunch");
  EXPECT_EQ(email["displayName"], "Not Ready - Out to lunch");
  EXPECT_EQ(email["id"], created.body["id"]);

  auto missing = ws.get("/me/channels/fax");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["status"], "error");
  EXPECT_EQ(ws.op("/me/channels/fax", "Ready").status, 404);
}

TEST(WebServices, DoNotDisturbCoversDevicesAndChannels) {
  client ws;
  // The two sections that document DoNotDisturbOn on /me print different results.
  auto on = ws.op("/me", "DoNotDisturbOn");
  EXPECT_TRUE(ws.answers_as(on, "wsV2MeDoNotDisturbOn"));
  auto me = ws.get("/me").body;
  for (const auto& ch : me["channels"]) EXPECT_EQ(ch["dndState"], "On");
  EXPECT_EQ(me["devices"][0]["doNotDisturb"], "On");
  EXPECT_EQ(ws.get(std::string("/users/") + agent1_id).body["user"]["doNotDisturb"], "On");

  EXPECT_EQ(ws.op("/channels/chat", "DoNotDisturbOff").body, (json{{"statusCode", 0}}));
  EXPECT_EQ(ws.get("/me/channels/chat").body["channel"]["dndState"], "Off");
  EXPECT_EQ(ws.get("/me/channels/email").body["channel"]["dndState"], "On");
  EXPECT_EQ(ws.op("/channels/fax", "DoNotDisturbOff").body["statusCode"], 6);

  std::string device = me["devices"][0]["id"];
  EXPECT_EQ(ws.op("/devices/" + device, "DoNotDisturbOff").body["statusCode"], 0);
  EXPECT_EQ(ws.get("/me/devices/" + device).body["device"]["doNotDisturb"], "Off");
  // Another agent's device is not the caller's to change (004:3296).
  EXPECT_EQ(ws.op("/devices/" + device, "DoNotDisturbOn", {}, "agent2").body["statusCode"], 5);
  EXPECT_EQ(ws.get("/me/devices/" + device, "agent2").status, 404);
}

TEST(WebServices, ContactCenterSessionSignsChannelsOutAndIn) {
  client ws;
  EXPECT_EQ(ws.op("/me", "EndContactCenterSession").body["statusCode"], 0);
  json channels = ws.get("/me/channels").body["channels"];
  for (const auto& ch : channels) EXPECT_EQ(ch["userState"]["state"], "Logout");
  EXPECT_EQ(ws.get("/me/devices?fields=*").body["devices"][0]["deviceState"], "Inactive");
  EXPECT_EQ(ws.op("/me", "Ready").body["status"], "error");

  auto wrong = ws.op("/me", "StartContactCenterSession", {{"channels", {"fax"}}});
  EXPECT_EQ(wrong.body["statusCode"], 2);
  EXPECT_EQ(ws.op("/me", "StartContactCenterSession", {{"channels", {"chat"}}}).body["statusCode"],
            0);
  EXPECT_EQ(channel_state(ws, "chat"), "NotReady");
  EXPECT_EQ(channel_state(ws, "voice"), "Logout");
  EXPECT_EQ(ws.op("/me", "Ready").body["status"], "ok");
  EXPECT_EQ(channel_state(ws, "chat"), "Ready");
  EXPECT_EQ(channel_state(ws, "voice"), "Logout");
  EXPECT_EQ(ws.op("/me/channels/voice", "Ready").status, 400);
}

TEST(WebServices, ChangePasswordChecksTheOldOne) {
  client ws;
  auto b64 = [](const std::string& s) { return cxh::http::base64_encode(s); };
  std::string current = "agent1-password";  // Basic follows the change (credentials.cpp)
  auto change = [&](const std::string& from, const std::string& to) {
    auto r = ws.request(
        "POST", "/me",
        {{"operationName", "ChangePassword"}, {"oldPassword", b64(from)}, {"newPassword", b64(to)}},
        "agent1");
    r.fields.set("Authorization", "Basic " + b64("agent1:" + current));
    json code = ws.send(r).body["statusCode"];
    if (code == 0) current = to;
    return code;
  };
  EXPECT_EQ(change("wrong", "new-1"), 2);
  EXPECT_EQ(change("agent1-password", "new-1"), 0);
  EXPECT_EQ(change("agent1-password", "new-2"), 2);  // the old password no longer matches
  EXPECT_EQ(change("new-1", "new-2"), 0);
  auto not_b64 = ws.request(
      "POST", "/me",
      {{"operationName", "ChangePassword"}, {"oldPassword", "%%%"}, {"newPassword", "x"}},
      "agent1");
  not_b64.fields.set("Authorization", "Basic " + b64("agent1:" + current));
  EXPECT_EQ(ws.send(not_b64).body["statusCode"], 2);
}

TEST(WebServices, AcceptRejectStopProcessingFollowTheInvitation) {
  client ws;
  auto list = ws.get("/me/interactions");
  ASSERT_EQ(list.body["uris"].size(), 2u);  // one e-mail, one chat invitation
  std::string email = ws.interaction_id("email", "Invited");
  std::string chat = ws.interaction_id("chat", "Invited");
  ASSERT_FALSE(email.empty());
  ASSERT_FALSE(chat.empty());
  std::string at = "/me/interactions/" + email;

  EXPECT_EQ(ws.op(at, "UpdateProperties", {{"properties", {{"a", 1}}}}).status, 400);
  auto accepted = ws.op(at, "Accept");  // 003:68-101
  EXPECT_EQ(accepted.body, (json{{"status", "ok"}}));
  auto read = ws.get("/interactions/" + email).body["interaction"];
  EXPECT_EQ(read["state"], "Accepted");
  EXPECT_TRUE(std::find(read["capabilities"].begin(), read["capabilities"].end(), "Reply") !=
              read["capabilities"].end());
  auto again = ws.op(at, "Accept");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body["status"], "error");
  EXPECT_EQ(ws.op(at, "Reject").body["status"], "error");  // only an invitation is rejected

  EXPECT_EQ(ws.op(at, "UpdateProperties", {{"properties", {{"Priority", 5}}}}).body["status"],
            "ok");
  EXPECT_EQ(ws.get("/interactions/" + email).body["interaction"]["userData"]["Priority"], 5);
  EXPECT_EQ(ws.op(at, "StopProcessing").body["status"], "ok");
  auto gone = ws.get("/interactions/" + email);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["statusCode"], 6);
  EXPECT_EQ(ws.op(at, "StopProcessing").status, 404);

  EXPECT_EQ(ws.op("/me/interactions/" + chat, "StopProcessing").status, 400);  // not accepted
  EXPECT_EQ(ws.op("/me/interactions/" + chat, "Reject").body["status"], "ok");
  EXPECT_TRUE(ws.get("/me/interactions").body["uris"].empty());
  EXPECT_EQ(ws.get("/interactions/" + chat).status, 404);
  auto unknown = ws.op("/me/interactions/no-such-id", "Accept");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["status"], "error");
}

TEST(WebServices, PlaceInQueueHandsTheInteractionOver) {
  client ws;
  std::string email = ws.interaction_id("email", "Invited");
  ws.op("/me/interactions/" + email, "Accept");
  EXPECT_EQ(
      ws.op("/me/interactions/" + email, "PlaceInQueue", {{"queue", "Escalations"}}).body["status"],
      "ok");
  auto read = ws.get("/interactions/" + email).body["interaction"];
  EXPECT_EQ(read["state"], "Queued");
  EXPECT_EQ(read["currentQueue"], "Escalations");
  EXPECT_EQ(ws.get("/me/interactions").body["uris"].size(), 1u);
  auto all = ws.get("/interactions").body["uris"];
  EXPECT_EQ(all.size(), 4u);  // both agents' invitations, the queued one included
}

TEST(WebServices, ChatOperationsAnswerWithStatusCode) {
  client ws;
  std::string chat = ws.interaction_id("chat", "Invited");
  std::string at = "/me/interactions/" + chat;
  auto accepted = ws.op(at, "Accept", {{"nickname", "Agent Smith"}});  // 004:2106-2140
  EXPECT_TRUE(ws.answers_as(accepted, "wsV2MeAcceptChatInteraction")) << accepted.res.body;
  EXPECT_EQ(accepted.body, (json{{"statusCode", 0}}));
  auto history = [&] {
    return ws.get("/interactions/" + chat).body["interaction"]["chat_notifications"];
  };
  EXPECT_EQ(history().back()["NickName"], "Agent Smith");

  EXPECT_EQ(ws.op(at, "SendMessage", {{"text", "How can I help?"}}).body["statusCode"], 0);
  EXPECT_EQ(history().back()["MessageText"], "How can I help?");
  EXPECT_EQ(ws.op(at, "SendNotification", {{"notification", "TypingStarted"}}).body["statusCode"],
            0);
  EXPECT_EQ(history().back()["NoticeType"], "TypingStarted");
  EXPECT_EQ(ws.op(at, "RequestChatHistory", {{"eventId", "1"}}).body["statusCode"], 0);
  EXPECT_EQ(ws.op(at, "RequestChatHistory", {{"eventId", "99"}}).body["statusCode"], 2);

  auto nobody = ws.op(at, "StartChatConsultation", {{"agentId", "nobody"}});
  EXPECT_EQ(nobody.body["statusCode"], 6);
  EXPECT_EQ(ws.op(at, "CompleteTransfer").body["statusCode"], 2);  // no consultation yet
  EXPECT_EQ(ws.op(at, "StartChatConsultation", {{"agentId", "agent2"}}).body,
            (json{{"status", 0}}));
  EXPECT_EQ(ws.op(at, "CompleteTransfer").body, (json{{"status", 0}}));
  EXPECT_EQ(ws.op(at, "SendMessage", {{"text", "still mine?"}}).status, 404);
  EXPECT_EQ(ws.interaction_id("chat", "Accepted", "agent2"), chat);

  std::string email = ws.interaction_id("email", "Invited");
  ws.op("/me/interactions/" + email, "Accept");
  EXPECT_EQ(ws.op("/me/interactions/" + email, "SendMessage", {{"text", "x"}}).body["statusCode"],
            2);
}

TEST(WebServices, EmailRepliesAreNewInteractions) {
  client ws;
  std::string email = ws.interaction_id("email", "Invited");
  std::string at = "/me/interactions/" + email;
  EXPECT_EQ(ws.op(at, "Reply", {{"queueName", "Out"}}).status, 400);  // not accepted yet
  ws.op(at, "Accept");
  auto all = ws.op(at, "ReplyAll",
                   {{"queueName", "Drafts"}, {"subjectPrefix", "Re: "}, {"indentCharacter", "> "}});
  ASSERT_TRUE(all.body.contains("replyInteractionId")) << all.res.body;  // 004:1759-1763
  std::string reply = all.body["replyInteractionId"];
  auto r = ws.get("/interactions/" + reply).body["interaction"];
  EXPECT_EQ(r["state"], "ReplyCreated");
  EXPECT_EQ(r["parentId"], email);
  EXPECT_EQ(r["email_object"]["toAddress"], "Customer1@example.com");
  EXPECT_EQ(r["email_object"]["subject"], "Re: test_reply");
  EXPECT_EQ(r["email_object"]["text"].get<std::string>().rfind("> This is email body.", 0), 0u);

  EXPECT_EQ(ws.op(at, "Reply", {{"queueName", "Drafts"}}).body, (json{{"status", "ok"}}));
  EXPECT_EQ(
      ws.op(at, "Send",
            {{"queueName", "Out"},
             {"email_object",
              {{"toAddress", "a@b"}, {"subject", "s"}, {"text", "t"}, {"fromAddress", "c@d"}}}})
          .status,
      400);  // the inbound e-mail is not a draft
  EXPECT_EQ(
      ws.op("/me/interactions/" + reply, "Send",
            {{"queueName", "Out"},
             {"email_object",
              {{"toAddress", "x@y"}, {"subject", "Hi"}, {"text", "Body"}, {"fromAddress", "s@t"}}}})
          .body["status"],
      "ok");
  auto sent = ws.get("/interactions/" + reply).body["interaction"];
  EXPECT_EQ(sent["state"], "Queued");
  EXPECT_EQ(sent["currentQueue"], "Out");
  EXPECT_EQ(sent["email_object"]["toAddress"], "x@y");
  EXPECT_EQ(ws.op("/me/interactions/" + reply, "CancelReplyEmail").status, 404);  // not mine now

  auto fwd = ws.op(at, "Forward");
  std::string forward = fwd.body.value("replyInteractionId", "");
  EXPECT_EQ(ws.get("/interactions/" + forward).body["interaction"]["email_object"]["toAddress"],
            "");
  EXPECT_EQ(ws.op("/me/interactions/" + forward, "CancelReplyEmail").body["status"], "ok");
  EXPECT_EQ(ws.get("/interactions/" + forward).status, 404);

  auto created = ws.op("/me/interactions", "CreateEmail",
                       {{"queueName", "Out"},
                        {"interactionType", "Outbound"},
                        {"interactionSubType", "OutboundNew"}});
  EXPECT_EQ(created.body["status"], "ok");
  bool found = false;
  for (const auto& i : ws.interactions())
    found = found || (i["interactionSubType"] == "OutboundNew" && i["state"] == "ReplyCreated");
  EXPECT_TRUE(found);
}

TEST(WebServices, TransferAndConferenceMoveOwnership) {
  client ws;
  std::string email = ws.interaction_id("email", "Invited");
  std::string at = "/me/interactions/" + email;
  ws.op(at, "Accept");
  EXPECT_EQ(ws.op(at, "Transfer", {{"targetId", "nobody"}}).status, 404);
  EXPECT_EQ(ws.op(at, "Transfer", {{"targetId", "agent1"}}).status, 400);
  EXPECT_EQ(ws.op(at, "Transfer", {{"targetId", agent2_id}}).body["status"], "ok");
  EXPECT_EQ(ws.get("/me/interactions").body["uris"].size(), 1u);
  EXPECT_EQ(ws.op(at, "Accept", {}, "agent2").body["status"], "ok");

  EXPECT_EQ(ws.op(at, "StartConference", {{"agentId", "agent1"}}, "agent2").body["status"], "ok");
  EXPECT_EQ(ws.op(at, "StartConference", {{"agentId", "agent1"}}, "agent2").status, 400);
  auto seen = ws.get("/interactions/" + email).body["interaction"];
  EXPECT_EQ(seen["participants"], json::array({agent1_id}));
  EXPECT_EQ(ws.get("/me/interactions").body["uris"].size(), 2u);  // agent1 is in it now

  // The owner leaves; the last remaining agent keeps the interaction (003:421).
  EXPECT_EQ(ws.op(at, "LeaveConference", {{"agentId", "agent2"}}, "agent2").body["status"], "ok");
  EXPECT_EQ(ws.op(at, "UpdateProperties", {{"properties", {{"k", "v"}}}}).body["status"], "ok");
  EXPECT_EQ(ws.op(at, "UpdateProperties", {{"properties", {{"k", "v"}}}}, "agent2").status, 404);
  EXPECT_EQ(ws.op(at, "LeaveConference", {{"agentId", "agent2"}}).status, 400);

  EXPECT_EQ(ws.op(at, "Transfer", {{"targetId", "Magic"}}).body["status"], "ok");  // a skill
  auto queued = ws.get("/interactions/" + email).body["interaction"];
  EXPECT_EQ(queued["state"], "Queued");
  EXPECT_EQ(queued["currentQueue"], "Magic");
}

TEST(WebServices, AgentsSeeOnlyTheirOwnInteractions) {
  client ws;
  std::string email = ws.interaction_id("email", "Invited");
  auto other = ws.op("/me/interactions/" + email, "Accept", {}, "agent2");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(ws.get("/interactions/" + email).body["interaction"]["state"], "Invited");
  EXPECT_NE(ws.interaction_id("email", "Invited", "agent2"), email);
}
