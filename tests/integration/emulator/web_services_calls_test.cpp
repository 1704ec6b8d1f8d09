// Web Services v2 in the emulator: call control on /me/calls and Dial on a device, workbins
// (park, list, pull) and interaction attachments (multipart upload, download, delete).

#include <thread>

#include "web_services_client.hpp"

using namespace ws_test;

namespace {

json call_of(const client& ws, const std::string& id) {
  return ws.get("/me/calls/" + id).body["call"];
}

}  // namespace

TEST(WebServicesCalls, CallControlFollowsTheCallState) {
  client ws;
  auto uris = ws.get("/me/calls").body["uris"];
  ASSERT_EQ(uris.size(), 1u);  // the seeded ringing call
  std::string id = tail(uris[0]);
  std::string at = "/me/calls/" + id;
  EXPECT_EQ(call_of(ws, id)["state"], "Ringing");
  EXPECT_EQ(ws.op(at, "Hold").body["statusCode"], 2);
  EXPECT_EQ(ws.op(at, "Answer").body, (json{{"statusCode", 0}}));
  EXPECT_EQ(call_of(ws, id)["state"], "Established");
  EXPECT_EQ(ws.op(at, "Answer").body["statusCode"], 2);

  EXPECT_EQ(ws.op(at, "Hold").body["statusCode"], 0);
  EXPECT_EQ(call_of(ws, id)["state"], "Held");
  EXPECT_EQ(ws.op(at, "SendDtmf", {{"digits", "123"}}).body["statusCode"], 2);
  EXPECT_EQ(ws.op(at, "Retrieve").body["statusCode"], 0);
  EXPECT_EQ(ws.op(at, "SendDtmf", {{"digits", "123"}}).body["statusCode"], 0);

  EXPECT_EQ(ws.op(at, "MuteCall").body["statusCode"], 0);
  EXPECT_EQ(call_of(ws, id)["mute"], "On");
  EXPECT_EQ(ws.op(at, "MuteCall").body["statusCode"], 2);
  EXPECT_EQ(ws.op(at, "UnmuteCall").body["statusCode"], 0);
  EXPECT_EQ(call_of(ws, id)["mute"], "Off");

  EXPECT_EQ(ws.op(at, "SingleStepConference", {{"destination", "5555"}}).body["statusCode"], 0);
  EXPECT_EQ(call_of(ws, id)["participants"].size(), 2u);
  auto absent = ws.op(at, "RemoveParticipantFromConference", {{"participant", "0000"}});
  EXPECT_EQ(absent.body["statusCode"], 2);
  EXPECT_EQ(
      ws.op(at, "RemoveParticipantFromConference", {{"participant", "5555"}}).body["statusCode"],
      0);
  EXPECT_EQ(call_of(ws, id)["participants"].size(), 1u);

  EXPECT_EQ(ws.op(at, "Hangup").body["statusCode"], 0);
  auto gone = ws.get(at);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["statusCode"], 6);
  EXPECT_EQ(ws.op(at, "Hangup").body["statusCode"], 6);
}

TEST(WebServicesCalls, ConsultationCallsConferenceAndSwap) {
  client ws;
  std::string id = tail(ws.get("/me/calls").body["uris"][0]);
  std::string at = "/me/calls/" + id;
  ws.op(at, "Answer");
  auto consult = ws.op(at, "InitiateConference", {{"destination", {{"phoneNumber", "7777"}}}});
  ASSERT_EQ(consult.body["statusCode"], 0);
  std::string consult_id = consult.body["id"];
  EXPECT_EQ(call_of(ws, id)["state"], "Held");
  EXPECT_EQ(call_of(ws, consult_id)["state"], "Dialing");
  EXPECT_EQ(ws.get("/me/calls?fields=*").body["calls"].size(), 2u);

  auto bad = ws.op(at, "CompleteConference", {{"consultCallUri", "http://x/api/v2/me/calls/none"}});
  EXPECT_EQ(bad.body["statusCode"], 6);
  EXPECT_EQ(
      ws.op(at, "CompleteConference", {{"consultCallUri", consult.body["uri"]}}).body["statusCode"],
      0);
  auto merged = call_of(ws, id);
  EXPECT_EQ(merged["state"], "Established");
  EXPECT_EQ(merged["participants"], json::array({"+16505550100", "7777"}));
  EXPECT_EQ(ws.get("/me/calls/" + consult_id).status, 404);

  // SwapCalls holds this call and retrieves the other (004:3625).
  auto second = ws.op(at, "InitiateConference", {{"destination", {{"phoneNumber", "8888"}}}});
  std::string second_id = second.body["id"];
  EXPECT_EQ(ws.op(at, "SwapCalls", {{"otherCallUri", second.body["uri"]}}).body["statusCode"], 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the far end answers (1 s)
  EXPECT_EQ(call_of(ws, second_id)["state"], "Established");
  EXPECT_EQ(ws.op("/me/calls/" + second_id, "SwapCalls", {{"otherCallUri", "/me/calls/" + id}})
                .body["statusCode"],
            0);
  EXPECT_EQ(call_of(ws, id)["state"], "Established");
  EXPECT_EQ(call_of(ws, second_id)["state"], "Held");
  EXPECT_EQ(ws.op(at, "MergeWithOtherCall", {{"otherCallUri", second_id}}).body["statusCode"], 0);
  EXPECT_EQ(ws.get("/me/calls").body["uris"].size(), 1u);
  EXPECT_EQ(ws.op(at, "SingleStepTransfer", {{"destination", "9999"}}).body["statusCode"], 0);
  EXPECT_TRUE(ws.get("/me/calls").body["uris"].empty());
}

TEST(WebServicesCalls, DialCreatesACallOnTheAgentsDevice) {
  client ws;
  std::string device = tail(ws.get("/me/devices").body["uris"][0]);
  auto dialed = ws.op("/devices/" + device + "/calls", "Dial", {{"destination", "+15551234"}});
  ASSERT_EQ(dialed.body["statusCode"], 0);
  std::string id = dialed.body["id"];
  auto k = call_of(ws, id);
  EXPECT_EQ(k["state"], "Dialing");
  EXPECT_EQ(k["participants"], json::array({"+15551234"}));
  EXPECT_EQ(tail(k["deviceUri"]), device);
  EXPECT_EQ(ws.op("/devices/nope/calls", "Dial", {{"destination", "1"}}).body["statusCode"], 6);
  EXPECT_EQ(ws.op("/devices/" + device + "/calls", "Dial", {{"destination", "1"}}, "agent2")
                .body["statusCode"],
            5);
  EXPECT_EQ(ws.get("/me/calls/" + id, "agent2").status, 404);  // agent2 does not see it
  EXPECT_EQ(ws.op("/me/calls/" + id, "Hangup").body["statusCode"], 0);
}

TEST(WebServicesWorkbins, InteractionsAreParkedAndPulledBack) {
  client ws;
  auto types = ws.get("/me/workbins");
  ASSERT_EQ(types.body["status"], 0);
  ASSERT_EQ(types.body["workbins"].size(), 5u);
  std::string bin;
  for (const auto& b : types.body["workbins"])
    if (b["workbinName"] == "TestWorkbin") bin = b["workbinId"];

  std::string email = ws.interaction_id("email", "Invited");
  auto invited =
      ws.send("POST", "/me/workbins/" + bin + "/interactions", {{"interactionId", email}});
  EXPECT_EQ(invited.body["statusCode"], 2);  // not accepted yet
  ws.op("/me/interactions/" + email, "Accept");
  auto added = ws.send("POST", "/me/workbins/" + bin + "/interactions", {{"interactionId", email}});
  ASSERT_EQ(added.body["status"], 0);
  std::string uri = added.body["uri"];
  EXPECT_EQ(ws.get("/me/interactions").body["uris"].size(), 1u);
  auto content = ws.get("/me/workbins/" + bin + "/interactions?fields=*").body["interactions"];
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0]["InteractionId"], email);
  EXPECT_EQ(content[0]["Workbin"], "TestWorkbin");
  EXPECT_TRUE(ws.get("/me/workbins/" + bin + "/interactions?fields=*", "agent2")
                  .body["interactions"]
                  .empty());  // a private view

  EXPECT_EQ(ws.op("/me/interactions", "PullInteractionFromWorkbin", {{"uri", uri}}).body,
            (json{{"status", 0}}));
  EXPECT_EQ(ws.get("/interactions/" + email).body["interaction"]["state"], "Pulled");
  EXPECT_EQ(
      ws.op("/me/interactions", "PullInteractionFromWorkbin", {{"uri", uri}}).body["statusCode"],
      6);
  EXPECT_EQ(ws.op("/me/interactions", "PullInteractionFromWorkbin", {{"uri", "nonsense"}})
                .body["statusCode"],
            2);

  // PlaceInWorkbin by name, and GetWorkbinContent, on /me/interactions/{id} (003:252-319).
  std::string at = "/me/interactions/" + email;
  EXPECT_EQ(ws.op(at, "GetWorkbinContent", {{"workbin", "NoSuchBin"}}).status, 404);
  EXPECT_EQ(ws.op(at, "GetWorkbinContent", {{"workbin", "TestWorkbin"}}).body["status"], "ok");
  EXPECT_EQ(ws.op(at, "PlaceInWorkbin", {{"workbin", "TestWorkbin"}}).body["status"], "ok");
  EXPECT_EQ(ws.get("/me/workbins/TestWorkbin/interactions?fields=*").body["interactions"].size(),
            1u);
  EXPECT_EQ(ws.get("/me/workbins/NoSuchBin/interactions?fields=*").body["statusCode"], 6);
  EXPECT_EQ(ws.send("POST", "/me/workbins/" + bin + "/interactions", {{"interactionId", "x"}})
                .body["statusCode"],
            6);
}

TEST(WebServicesWorkbins, SubscriptionsToWorkbinEvents) {
  client ws;
  EXPECT_EQ(ws.op("/me/workbins", "Unsubscribe").body["statusCode"], 2);
  EXPECT_EQ(ws.op("/me/workbins", "Subscribe").body, (json{{"status", 0}}));
  EXPECT_EQ(ws.op("/me/workbins", "Unsubscribe").body, (json{{"status", 0}}));
  EXPECT_EQ(ws.op("/me/workbins", "Unsubscribe").body["statusCode"], 2);
}

TEST(WebServicesAttachments, UploadDownloadDelete) {
  client ws;
  std::string email = ws.interaction_id("email", "Invited");
  std::string base = "/me/interactions/" + email + "/attachments";
  auto upload = [&](const std::string& part_name, const std::string& id_path) {
    auto r = ws.request("POST", id_path, nullptr, "agent1");
    r.fields.set("Content-Type", "multipart/form-data; boundary=XyZ");
    r.body = "--XyZ\r\nContent-Disposition: form-data; name=\"" + part_name +
             "\"; filename=\"note.txt\"\r\nContent-Type: "
             "text/plain\r\n\r\nhello\r\nworld\r\n--XyZ--\r\n";
    return ws.send(r);
  };
  auto created = upload("attachment", base);
  ASSERT_EQ(created.body["statusCode"], 0);
  std::string doc = created.body["documentId"];
  auto file = ws.get(base + "/" + doc);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.res.body, "hello\r\nworld");
  EXPECT_EQ(*file.res.fields.get("Content-Type"), "text/plain");
  auto listed = ws.get("/interactions/" + email).body["interaction"]["email_object"]["attachments"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["name"], "note.txt");
  EXPECT_EQ(listed[0]["size"], 12);

  EXPECT_EQ(upload("other", base).body["statusCode"], 1);
  EXPECT_EQ(upload("attachment", "/me/interactions/none/attachments").body["statusCode"], 6);
  EXPECT_EQ(ws.get(base + "/" + doc, "agent2").status, 404);
  EXPECT_EQ(ws.send("DELETE", base + "/" + doc).body, (json{{"statusCode", 0}}));
  auto gone = ws.get(base + "/" + doc);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["statusCode"], 6);
  EXPECT_EQ(ws.send("DELETE", base + "/" + doc).body["statusCode"], 6);
}
