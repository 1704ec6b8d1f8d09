// Web Services v2 in the emulator: users, skills, devices, contacts, settings (agent states),
// features and the contact center's interactions as resources: URIs vs fields=*, the
// subresources, create -> read -> change -> read -> delete -> not found, and bad input.

#include <thread>

#include "web_services_client.hpp"

using namespace ws_test;

TEST(WebServicesResources, UsersLifecycle) {
  client ws;
  auto uris = ws.get("/users").body["uris"];
  EXPECT_EQ(uris.size(), 2u);
  EXPECT_EQ(ws.send("POST", "/users", {{"firstName", "No"}}).body["statusCode"], 1);
  auto created = ws.send("POST", "/users",
                         {{"userName", "jane@example.com"},
                          {"firstName", "Jane"},
                          {"password", "secret"},
                          {"roles", {"ROLE_AGENT"}}});
  ASSERT_EQ(created.body["statusCode"], 0);
  std::string id = created.body["id"];
  EXPECT_EQ(tail(created.body["uri"]), id);
  EXPECT_EQ(ws.send("POST", "/users", {{"userName", "JANE@example.com"}}).body["statusCode"], 2);

  auto user = ws.get("/users/" + id).body["user"];
  EXPECT_EQ(user["userName"], "jane@example.com");
  EXPECT_FALSE(user.contains("password"));
  EXPECT_FALSE(user.contains("skills"));  // only with subresources (004:152)

  EXPECT_EQ(ws.send("POST", "/users/" + id,
                    {{"lastName", "Doe"}, {"roles", {"ROLE_ADMIN", "ROLE_SUPERVISOR"}}})
                .body["statusCode"],
            0);
  user = ws.get("/users/" + id).body["user"];
  EXPECT_EQ(user["lastName"], "Doe");
  EXPECT_EQ(user["roles"], json::array({"ROLE_ADMIN", "ROLE_SUPERVISOR"}));  // a new set
  EXPECT_EQ(ws.send("POST", "/users/" + id, {{"userName", "agent1"}}).body["statusCode"], 2);

  auto b64 = [](const char* s) { return cxh::http::base64_encode(s); };
  EXPECT_EQ(
      ws.op("/users/" + id, "ResetPassword", {{"newPassword", b64("reset")}}).body["statusCode"],
      0);
  EXPECT_EQ(ws.op("/users/" + id, "ChangePassword",
                  {{"oldPassword", b64("secret")}, {"newPassword", b64("x")}})
                .body["statusCode"],
            2);
  EXPECT_EQ(ws.op("/users/" + id, "ChangePassword",
                  {{"oldPassword", b64("reset")}, {"newPassword", b64("x")}})
                .body["statusCode"],
            0);

  auto full = ws.get("/users?fields=*").body["users"];
  EXPECT_EQ(full.size(), 3u);
  EXPECT_EQ(ws.send("DELETE", "/users/" + id).body, (json{{"statusCode", 0}}));
  auto gone = ws.get("/users/" + id);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["statusCode"], 6);
  EXPECT_EQ(ws.send("DELETE", "/users/" + id).body["statusCode"], 6);
  EXPECT_EQ(ws.send("POST", "/users/" + id, {{"lastName", "X"}}).body["statusCode"], 6);
}

TEST(WebServicesResources, SubresourcesSkillsAndDevices) {
  client ws;
  std::string me = std::string("/users/") + agent1_id;
  auto all = ws.get(me + "?subresources=*").body["user"];
  ASSERT_EQ(all["skills"].size(), 2u);
  ASSERT_EQ(all["devices"].size(), 1u);
  auto skills_only = ws.get(me + "?subresources=skills").body["user"];
  EXPECT_TRUE(skills_only.contains("skills"));
  EXPECT_FALSE(skills_only.contains("devices"));
  EXPECT_EQ(ws.get("/users?subresources=*").body["users"][0]["skills"].size(), 2u);

  auto skills = ws.get("/skills?fields=*").body["skills"];
  ASSERT_EQ(skills.size(), 2u);
  std::string skill = skills[0]["id"];
  EXPECT_EQ(ws.get("/skills").body["uris"].size(), 2u);
  EXPECT_EQ(ws.get("/skills/" + skill).body["skill"]["name"], skills[0]["name"]);
  EXPECT_EQ(ws.get("/skills/none").body["statusCode"], 6);
  EXPECT_EQ(ws.get(me + "/skills?fields=*").body["skills"][0]["level"], "0");
  EXPECT_EQ(ws.get(me + "/skills/" + skill).body["skill"]["id"], skill);
  EXPECT_EQ(ws.get("/me/skills").body["uris"].size(), 2u);
  EXPECT_EQ(ws.get("/me/skills/" + skill).body["skill"]["id"], skill);
  EXPECT_EQ(ws.get("/me/skills/none").body["statusCode"], 6);
  EXPECT_EQ(ws.get("/users/none/skills").body["statusCode"], 6);

  EXPECT_EQ(ws.get("/devices").body["uris"].size(), 2u);
  auto mine = ws.get(me + "/devices?fields=*").body["devices"];
  ASSERT_EQ(mine.size(), 1u);
  std::string device = mine[0]["id"];
  EXPECT_EQ(ws.get("/devices/" + device).body["device"]["phoneNumber"], "5001");
  EXPECT_EQ(ws.get("/devices/none").body["statusCode"], 6);
  EXPECT_EQ(ws.get("/users/none/devices").body["statusCode"], 6);

  // Call forwarding on a device (004:3633-3634).
  EXPECT_EQ(ws.op("/devices/" + device, "ForwardCallsOff").body["statusCode"], 2);
  EXPECT_EQ(
      ws.op("/devices/" + device, "ForwardCallsOn", {{"destination", "6000"}}).body["statusCode"],
      0);
  EXPECT_EQ(ws.get("/devices/" + device).body["device"]["forwardTo"], "6000");
  EXPECT_EQ(ws.op("/devices/" + device, "ForwardCallsOff").body["statusCode"], 0);
  EXPECT_FALSE(ws.get("/devices/" + device).body["device"].contains("forwardTo"));
}

TEST(WebServicesResources, ContactsCustomOnlyAreWritable) {
  client ws;
  auto all = ws.get("/contacts").body["contacts"];
  EXPECT_EQ(all.size(), 4u);  // two users, two queues
  EXPECT_TRUE(ws.get("/contacts?type=custom").body["contacts"].empty());
  EXPECT_EQ(ws.send("POST", "/contacts", {{"phoneNumber", "1"}}).body["statusCode"], 1);
  auto created = ws.send("POST", "/contacts",
                         {{"name", "Some Contact"}, {"type", "Custom"}, {"phoneNumber", "555"}});
  ASSERT_EQ(created.body["statusCode"], 0);
  std::string id = created.body["id"];
  auto custom = ws.get("/contacts?type=custom").body["contacts"];
  ASSERT_EQ(custom.size(), 1u);
  EXPECT_EQ(custom[0]["name"], "Some Contact");
  EXPECT_EQ(ws.get("/contacts?id=" + id + "&phoneNumber=555").body["contacts"].size(), 1u);
  EXPECT_TRUE(ws.get("/contacts?id=" + id + "&phoneNumber=556").body["contacts"].empty());

  EXPECT_EQ(ws.send("PUT", "/contacts", {{"id", id}, {"name", "Renamed"}}).body["statusCode"], 0);
  EXPECT_EQ(ws.get("/contacts?id=" + id).body["contacts"][0]["name"], "Renamed");
  std::string queue;
  for (const auto& k : all)
    if (k["type"] == "Queue") queue = k["id"];
  EXPECT_EQ(ws.send("PUT", "/contacts", {{"id", queue}, {"name", "X"}}).body["statusCode"], 3);
  EXPECT_EQ(ws.send("PUT", "/contacts", {{"id", agent1_id}, {"name", "X"}}).body["statusCode"], 3);
  EXPECT_EQ(ws.send("PUT", "/contacts", {{"id", "none"}, {"name", "X"}}).body["statusCode"], 6);
  EXPECT_EQ(ws.send("PUT", "/contacts", {{"name", "X"}}).body["statusCode"], 1);
  EXPECT_EQ(ws.send("DELETE", "/contacts", {{"id", id}}).body["statusCode"], 0);
  EXPECT_EQ(ws.send("DELETE", "/contacts", {{"id", id}}).body["statusCode"], 6);
  EXPECT_EQ(ws.send("DELETE", "/contacts", {{"id", queue}}).body["statusCode"], 3);
}

TEST(WebServicesResources, AgentStateDescriptors) {
  client ws;
  auto groups = ws.get("/settings").body["settings"];
  EXPECT_EQ(groups.size(), 2u);
  auto list = ws.get("/settings/agent-states").body;
  EXPECT_EQ(list["key"], "operationName");
  EXPECT_EQ(list["settings"].size(), 5u);  // the basic five (004:511-545)

  json lunch{{"operationName", "OutToLunch"},
             {"displayName", "Lunch"},
             {"state", "NotReady"},
             {"reason", "OutToLunch"},
             {"workMode", "AuxWork"}};
  auto created = ws.send("POST", "/settings/agent-states", lunch);
  ASSERT_EQ(created.body["statusCode"], 0);
  EXPECT_EQ(ws.send("POST", "/settings/agent-states", lunch).body["statusCode"], 2);
  json same_reason = lunch;
  same_reason["operationName"] = "Break";
  EXPECT_EQ(ws.send("POST", "/settings/agent-states", same_reason).body["statusCode"], 2);
  json wrong_mode{{"operationName", "Busy"},
                  {"displayName", "Busy"},
                  {"state", "Ready"},
                  {"workMode", "AuxWork"}};  // AuxWork is a NotReady mode (004:506)
  EXPECT_EQ(ws.send("POST", "/settings/agent-states", wrong_mode).status, 400);

  EXPECT_EQ(ws.send("PUT", "/settings/agent-states",
                    {{"operationName", "OutToLunch"}, {"displayName", "Not Ready - Lunch!"}})
                .body["statusCode"],
            0);
  EXPECT_EQ(ws.send("PUT", "/settings/agent-states",
                    {{"operationName", "OutToLunch"}, {"state", "Ready"}, {"workMode", "AuxWork"}})
                .status,
            400);
  auto read = ws.get("/settings/agent-states").body["settings"].back();
  EXPECT_EQ(read["displayName"], "Not Ready - Lunch!");
  EXPECT_EQ(read["workMode"], "AuxWork");
  EXPECT_EQ(
      ws.send("PUT", "/settings/agent-states", {{"operationName", "Ready"}, {"displayName", "X"}})
          .body["statusCode"],
      3);  // read only (004:511)
  EXPECT_EQ(
      ws.send("PUT", "/settings/agent-states", {{"operationName", "Nope"}}).body["statusCode"], 6);
  EXPECT_EQ(
      ws.send("DELETE", "/settings/agent-states", {{"operationName", "Ready"}}).body["statusCode"],
      3);
  EXPECT_EQ(ws.send("DELETE", "/settings/agent-states").body["statusCode"], 1);
  EXPECT_EQ(ws.send("DELETE", "/settings/agent-states", {{"operationName", "OutToLunch"}})
                .body["statusCode"],
            0);
  EXPECT_EQ(ws.send("DELETE", "/settings/agent-states", {{"operationName", "OutToLunch"}})
                .body["statusCode"],
            6);
  EXPECT_EQ(ws.get("/settings/agent-states").body["settings"].size(), 5u);
}

TEST(WebServicesResources, FeaturesAssignedAndRemoved) {
  client ws;
  EXPECT_EQ(ws.get("/features").body["uris"].size(), 8u);  // assigned by default (004:416-425)
  EXPECT_EQ(ws.get("/system/features").body["uris"].size(), 9u);
  auto full = ws.get("/system/features?fields=*").body["features"];
  EXPECT_EQ(full.back()["id"], "api-multimedia");
  EXPECT_EQ(ws.get("/features/api-voice").body["feature"]["id"], "api-voice");
  EXPECT_EQ(ws.get("/features/api-multimedia").body["statusCode"], 6);
  EXPECT_EQ(ws.send("DELETE", "/features/api-voice").body, (json{{"statusCode", 0}}));
  EXPECT_EQ(ws.get("/features/api-voice").body["statusCode"], 6);
  EXPECT_EQ(ws.send("DELETE", "/features/api-voice").body["statusCode"], 6);
  EXPECT_EQ(ws.get("/features?fields=*").body["features"].size(), 7u);
  EXPECT_EQ(ws.get("/system/features").body["uris"].size(), 9u);
}

TEST(WebServicesResources, ContactCenterInteractionsUpdate) {
  client ws;
  auto list = ws.get("/interactions?fields=*").body["interactions"];
  ASSERT_EQ(list.size(), 4u);
  std::string id = list[0]["id"];
  EXPECT_EQ(ws.send("PUT", "/interactions/" + id, {{"userData", {{"Segment", "gold"}}}})
                .body["statusCode"],
            0);
  EXPECT_EQ(ws.get("/interactions/" + id).body["interaction"]["userData"]["Segment"], "gold");
  EXPECT_EQ(ws.send("PUT", "/interactions/" + id, json::object()).body["statusCode"], 1);
  EXPECT_EQ(ws.send("PUT", "/interactions/none", {{"userData", json::object()}}).body["statusCode"],
            6);
}

TEST(WebServicesResources, AFullStoreIsAnErrorEnvelope) {
  client ws(two_agents(4));  // the 4 seeded interactions fill the interaction store
  auto full = ws.send_unjudged(ws.request("POST", "/me/interactions",
                                          {{"operationName", "CreateEmail"},
                                           {"queueName", "Out"},
                                           {"interactionType", "Outbound"},
                                           {"interactionSubType", "OutboundNew"}},
                                          "agent1"));
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.body["status"], "error");
  EXPECT_TRUE(ws.documented_body(full, "wsV2MeCreateEmail")) << full.res.body;
  EXPECT_EQ(ws.interactions().size(), 2u);
  EXPECT_EQ(ws.send("POST", "/users", {{"userName", "a"}}).body["statusCode"], 0);
  EXPECT_EQ(ws.send("POST", "/users", {{"userName", "b"}}).body["statusCode"], 0);
  auto users_full = ws.send_unjudged(ws.request("POST", "/users", {{"userName", "c"}}, "agent1"));
  EXPECT_EQ(users_full.body["statusCode"], 4);  // "An internal error occurred" (004:276)
  EXPECT_TRUE(ws.documented_body(users_full, "wsV2CreateUser")) << users_full.res.body;
  EXPECT_EQ(ws.get("/users").body["uris"].size(), 4u);
}

TEST(WebServicesResources, BadInputIsRefusedInTheEnvelope) {
  client ws;
  auto r = ws.request("POST", "/me", nullptr, "agent1");
  r.fields.set("Content-Type", "application/json");
  r.body = "{\"operationName\": ";
  auto malformed = ws.send(r);
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(ws.op("/me", "Dance").status, 400);  // no such operationName
  std::string email = ws.interaction_id("email", "Invited");
  ws.op("/me/interactions/" + email, "Accept");
  auto wrong_type = ws.op("/me/interactions/" + email, "Transfer", {{"targetId", 42}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(ws.op("/me/interactions/" + email, "PlaceInQueue").status, 400);  // no queue
  auto stranger = ws.get("/me", "mallory");
  EXPECT_EQ(stranger.status, 401);
  EXPECT_TRUE(stranger.res.fields.get("WWW-Authenticate").has_value());
  auto text = ws.request("POST", "/users", nullptr, "agent1");
  text.fields.set("Content-Type", "text/plain");
  text.body = "userName=x";
  EXPECT_EQ(ws.send(text).status, 415);
}

TEST(WebServicesResources, ConcurrentCallsKeepTheStateConsistent) {
  client ws;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&ws, t] {
      for (int n = 0; n < 50; ++n) {
        ws.op("/me", n % 2 ? "Ready" : "NotReady", {}, t % 2 ? "agent2" : "agent1");
        ws.send("POST", "/contacts", {{"name", "c" + std::to_string(t * 100 + n)}});
        ws.get("/me/interactions?fields=*");
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ws.get("/contacts?type=Custom").body["contacts"].size(), 200u);
}
