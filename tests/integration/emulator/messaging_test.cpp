// Third-Party Messaging in the emulator: messages and delivery receipts with their transitions,
// media upload/download/delete as multipart/form-data, per-channel signatures and x-ccid. Every
// answer is checked against the documented response of its operation.

#include "documented_answer.hpp"

using namespace emulator_test;

namespace {

const char* const ccid = "0ff723ff-6c6f-44e0-9ce3-ce579337eadd";

ce::config two_channels(std::size_t max_objects = 100000) {
  ce::config c;
  c.channel_secrets = {{"demo-channel", "demo-channel-secret"}, {"other-channel", "other-secret"}};
  c.max_objects = max_objects;
  return c;
}

cxh::http::request tpm(std::string method, std::string target, std::string body,
                       std::string content_type = "application/json",
                       const std::string& secret = "demo-channel-secret") {
  cxh::http::request r;
  r.method = std::move(method);
  r.target = "/nexus/v3/channels/" + target;
  r.body = std::move(body);
  if (!content_type.empty()) r.fields.set("Content-Type", content_type);
  r.fields.set("x-ccid", ccid);
  r.fields.set("X-Hub-Signature", "sha1=" + cxh::http::hmac_sha1_hex(secret, r.body));
  return r;
}

json text(const std::string& t) {
  return {{"channel", {{"from", {{"id", "16504661149"}}}, {"to", {{"id", "0123456789"}}}}},
          {"type", "Text"},
          {"text", t}};
}

json receipt(const std::string& id, const std::string& status, json reasons = nullptr) {
  json m{{"channel",
          {{"from", {{"id", "0123456789"}}}, {"to", {{"id", "16504661149"}}}, {"messageId", id}}},
         {"type", "Receipt"},
         {"status", status}};
  if (!reasons.is_null()) m["reasons"] = reasons;
  return m;
}

json send(ce::emulator& em, const std::string& channel, const json& messages, int status) {
  return expect(em, "thirdPartyMessagingSendMessage",
                tpm("POST", channel + "/messages", json{{"messages", messages}}.dump()), status);
}

// Sends one Text and returns its id.
std::string send_text(ce::emulator& em, const std::string& channel = "demo-channel") {
  json r = send(em, channel, json::array({text("hello")}), 200);
  EXPECT_EQ(r["status"]["code"], 0);
  EXPECT_EQ(r["data"]["ids"].size(), 1u);
  return r["data"]["ids"][0].is_string() ? r["data"]["ids"][0].get<std::string>() : "";
}

std::string multipart(const std::string& boundary, const std::string& name,
                      const std::string& filename, const std::string& type,
                      const std::string& bytes) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes +
         "\r\n--" + boundary + "--\r\n";
}

}  // namespace

TEST(ThirdPartyMessaging, TextThenReceiptsFollowTheDocumentedTransitions) {
  fixture f;
  std::string a = send_text(*f.em), b = send_text(*f.em);
  EXPECT_NE(a, b);
  // Receipts alone answer with the bare status (002:7410-7417).
  json r = send(*f.em, "demo-channel", json::array({receipt(a, "Delivered")}), 200);
  EXPECT_EQ(r, json({{"status", {{"code", 0}}}}));
  send(*f.em, "demo-channel", json::array({receipt(a, "Delivered")}), 200);  // a retried receipt
  send(*f.em, "demo-channel", json::array({receipt(a, "Removed")}), 200);
  send(*f.em, "demo-channel", json::array({receipt(a, "Delivered")}), 400);  // Removed is final
  send(*f.em, "demo-channel", json::array({receipt(a, "Failed")}), 400);
  json reasons = json::array({{{"code", 350}, {"message", "Message not allowed."}}});
  send(*f.em, "demo-channel", json::array({receipt(b, "Failed", reasons)}), 200);
  send(*f.em, "demo-channel", json::array({receipt(b, "Delivered")}), 400);  // Failed is final
  // A batch with a message and a receipt: ids for the message only.
  std::string c = send_text(*f.em);
  r = send(*f.em, "demo-channel", json::array({text("again"), receipt(c, "Delivered")}), 200);
  EXPECT_EQ(r["data"]["ids"].size(), 1u);
}

TEST(ThirdPartyMessaging, ReceiptMustReferToAMessageSentBefore) {
  fixture f(two_channels());
  json e = send(*f.em, "demo-channel", json::array({receipt("never-sent", "Delivered")}), 400);
  EXPECT_EQ(e["status"]["code"], 400);
  EXPECT_NE(e["status"]["message"].get<std::string>().find("unknown message"), std::string::npos);
  json no_id = receipt("x", "Delivered");
  no_id["channel"].erase("messageId");
  send(*f.em, "demo-channel", json::array({no_id}), 400);
  // A message of one channel is unknown on another.
  std::string id = send_text(*f.em, "demo-channel");
  expect(*f.em, "thirdPartyMessagingSendMessage",
         tpm("POST", "other-channel/messages",
             json{{"messages", json::array({receipt(id, "Delivered")})}}.dump(), "application/json",
             "other-secret"),
         400);
}

TEST(ThirdPartyMessaging, ABatchIsAcceptedWholeOrNotAtAll) {
  fixture f;
  std::string id = send_text(*f.em);
  send(*f.em, "demo-channel",
       json::array({receipt(id, "Delivered"), receipt("never-sent", "Delivered")}), 400);
  // The Delivered above was not applied: Failed may still follow.
  send(*f.em, "demo-channel", json::array({receipt(id, "Failed")}), 200);
}

TEST(ThirdPartyMessaging, MalformedMessagesAre400) {
  fixture f;
  std::string id = send_text(*f.em);
  send(*f.em, "demo-channel", json::array({receipt(id, "Failed", json::array({{{"code", 999}}}))}),
       400);  // not a documented reason code (002:7551-7559)
  send(*f.em, "demo-channel",
       json::array({receipt(id, "Delivered", json::array({{{"code", 350}}}))}),
       400);  // reasons only with Failed (002:7546)
  send(*f.em, "demo-channel", json::array({receipt(id, "Read")}), 400);
  json no_text = text("x");
  no_text.erase("text");
  send(*f.em, "demo-channel", json::array({no_text}), 400);
  send(*f.em, "demo-channel", json::array(), 400);
  expect(*f.em, "thirdPartyMessagingSendMessage",
         tpm("POST", "demo-channel/messages", "{\"messages\": ["), 400);
}

TEST(ThirdPartyMessaging, UnknownChannelIs404) {
  fixture f;
  send(*f.em, "0123456789", json::array({text("hi")}), 404);
  expect(*f.em, "thirdPartyMessagingDownloadMedia", tpm("GET", "nowhere/media/m1", "", ""), 404);
}

TEST(ThirdPartyMessaging, WrongOrMissingSignaturesAreRefused) {
  fixture f(two_channels());
  std::string body = json{{"messages", json::array({text("hi")})}}.dump();
  auto with_key = [](cxh::http::request r) {
    r.fields.set("x-api-key", "demo-api-key");
    return r;
  };
  // Signed right, with or without the optional x-api-key.
  expect(*f.em, "thirdPartyMessagingSendMessage", tpm("POST", "demo-channel/messages", body), 200);
  expect(*f.em, "thirdPartyMessagingSendMessage",
         with_key(tpm("POST", "demo-channel/messages", body)), 200);
  auto wrong = with_key(tpm("POST", "demo-channel/messages", body));
  wrong.fields.set("X-Hub-Signature", "sha1=" + cxh::http::hmac_sha1_hex("guess", body));
  expect(*f.em, "thirdPartyMessagingSendMessage", wrong, 401);
  auto tampered = with_key(tpm("POST", "demo-channel/messages", body));
  tampered.body = json{{"messages", json::array({text("changed")})}}.dump();
  expect(*f.em, "thirdPartyMessagingSendMessage", tampered, 401);
  cxh::http::request missing = with_key(tpm("POST", "demo-channel/messages", body));
  missing.fields = {};
  missing.fields.set("Content-Type", "application/json");
  missing.fields.set("x-ccid", ccid);
  missing.fields.set("x-api-key", "demo-api-key");
  expect(*f.em, "thirdPartyMessagingSendMessage", missing, 401);
  // Another channel's secret does not sign for this channel (001:25).
  expect(*f.em, "thirdPartyMessagingSendMessage",
         with_key(tpm("POST", "demo-channel/messages", body, "application/json", "other-secret")),
         401);
  // Without an x-api-key the refusal is still a documented 401 or 403.
  auto bare = tpm("POST", "demo-channel/messages", body);
  bare.fields.set("X-Hub-Signature", "sha1=0000000000000000000000000000000000000000");
  auto res = f.em->handle(bare);
  EXPECT_TRUE(res.status == 401 || res.status == 403) << res.status;
  EXPECT_EQ(conforms("thirdPartyMessagingSendMessage", res), "");
}

TEST(ThirdPartyMessaging, SkippedSignatureCheckStillChecksChannelAndCcid) {
  ce::config lax;
  auto rules = ce::parse_faults(
      json::parse(R"({"rules": [{"route": "*", "mutations": ["skip_signature_check"]}]})"), "t");
  ASSERT_TRUE(std::holds_alternative<ce::fault_set>(rules));
  lax.faults = std::get<ce::fault_set>(rules);
  fixture f(lax);
  std::string body = json{{"messages", json::array({text("hi")})}}.dump();
  auto req = tpm("POST", "demo-channel/messages", body);
  req.fields.set("X-Hub-Signature", "sha1=0000000000000000000000000000000000000000");
  expect(*f.em, "thirdPartyMessagingSendMessage", req, 200);
  req.target = "/nexus/v3/channels/p1/messages";
  expect(*f.em, "thirdPartyMessagingSendMessage", req, 404);
  req.target = "/nexus/v3/channels/demo-channel/messages";
  req.fields.set("x-ccid", "");
  expect(*f.em, "thirdPartyMessagingSendMessage", req, 400);
}

TEST(ThirdPartyMessaging, XCcidIsRequired) {
  fixture f;
  std::string body = json{{"messages", json::array({text("hi")})}}.dump();
  std::vector<std::pair<std::string, cxh::http::request>> calls = {
      {"thirdPartyMessagingSendMessage", tpm("POST", "demo-channel/messages", body)},
      {"thirdPartyMessagingUploadMedia",
       tpm("POST", "demo-channel/media", multipart("b", "file", "a.txt", "text/plain", "x"),
           "multipart/form-data; boundary=b")},
      {"thirdPartyMessagingDownloadMedia", tpm("GET", "demo-channel/media/m1", "", "")},
      {"thirdPartyMessagingDeleteMedia", tpm("DELETE", "demo-channel/media/m1", "", "")}};
  for (auto& [id, req] : calls) {
    cxh::http::request without;
    without.method = req.method;
    without.target = req.target;
    without.body = req.body;
    for (const auto& [k, v] : req.fields.fields())
      if (!cxh::http::iequals(k, "x-ccid")) without.fields.add(k, v);
    json e = expect(*f.em, id, without, 400);
    EXPECT_NE(e.dump().find("x-ccid"), std::string::npos) << id;
  }
}

TEST(ThirdPartyMessaging, MediaUploadDownloadDelete) {
  fixture f(two_channels());
  // Binary bytes with CR, LF, NUL and a prefix of the delimiter inside the content.
  const char raw[] = "\x89PNG\r\n\x1a\n\0\0\r\n--boun!end";
  std::string bytes(raw, sizeof raw - 1);
  std::string body = multipart("bound", "file", "pic.png", "image/png", bytes);
  json up =
      expect(*f.em, "thirdPartyMessagingUploadMedia",
             tpm("POST", "demo-channel/media", body, "multipart/form-data; boundary=bound"), 200);
  std::string id = up["data"]["mediaId"];
  EXPECT_EQ(up["data"]["url"], "genesys://nexus/" + id);
  EXPECT_EQ(up["data"]["filename"], "pic.png");
  EXPECT_EQ(up["data"]["mimetype"], "image/png");
  EXPECT_EQ(up["data"]["length"], bytes.size());

  auto down = f.em->handle(tpm("GET", "demo-channel/media/" + id, "", ""));
  EXPECT_EQ(down.status, 200);
  EXPECT_EQ(conforms("thirdPartyMessagingDownloadMedia", down), "");
  EXPECT_EQ(down.fields.get("Content-Type").value_or(""), "image/png");
  EXPECT_EQ(down.body, bytes);
  // Media belong to their channel.
  expect(*f.em, "thirdPartyMessagingDownloadMedia",
         tpm("GET", "other-channel/media/" + id, "", "", "other-secret"), 404);

  json del = expect(*f.em, "thirdPartyMessagingDeleteMedia",
                    tpm("DELETE", "demo-channel/media/" + id, "", ""), 200);
  EXPECT_EQ(del["data"]["mediaId"], id);
  expect(*f.em, "thirdPartyMessagingDownloadMedia", tpm("GET", "demo-channel/media/" + id, "", ""),
         404);
  expect(*f.em, "thirdPartyMessagingDeleteMedia", tpm("DELETE", "demo-channel/media/" + id, "", ""),
         404);
}

TEST(ThirdPartyMessaging, MediaWithoutTypeIsTextPlainAndQuotedBoundariesWork) {
  fixture f;
  std::string body =
      "preamble\r\n--b b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"
      "plain\r\n--b b--";
  json up =
      expect(*f.em, "thirdPartyMessagingUploadMedia",
             tpm("POST", "demo-channel/media", body, "multipart/form-data; boundary=\"b b\""), 200);
  EXPECT_EQ(up["data"]["mimetype"], "text/plain");  // RFC 7578 §4.4
  auto down = f.em->handle(
      tpm("GET", "demo-channel/media/" + up["data"]["mediaId"].get<std::string>(), "", ""));
  EXPECT_EQ(down.body, "plain");
}

TEST(ThirdPartyMessaging, MalformedUploadsAre4xx) {
  fixture f;
  auto upload = [&](const std::string& body, const std::string& ct, int status) {
    expect(*f.em, "thirdPartyMessagingUploadMedia", tpm("POST", "demo-channel/media", body, ct),
           status);
  };
  upload(multipart("b", "file", "a", "text/plain", "x"), "multipart/form-data",
         400);  // no boundary
  upload("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx",
         "multipart/form-data; boundary=b",
         400);  // unterminated
  upload(multipart("b", "other", "a", "text/plain", "x"), "multipart/form-data; boundary=b", 400);
  upload("no parts at all", "multipart/form-data; boundary=b", 400);
  upload("", "multipart/form-data; boundary=b", 400);
  upload("{\"file\": \"x\"}", "application/json", 415);
}

TEST(ThirdPartyMessaging, AFullStoreAnswersWithTheErrorEnvelope) {
  fixture f(two_channels(2));
  std::string body = multipart("b", "file", "a", "text/plain", "x");
  for (int i = 0; i < 2; ++i)
    expect(*f.em, "thirdPartyMessagingUploadMedia",
           tpm("POST", "demo-channel/media", body, "multipart/form-data; boundary=b"), 200);
  json e = expect(*f.em, "thirdPartyMessagingUploadMedia",
                  tpm("POST", "demo-channel/media", body, "multipart/form-data; boundary=b"), 500);
  EXPECT_NE(e["status"]["message"].get<std::string>().find("full"), std::string::npos);
  send(*f.em, "demo-channel", json::array({text("1"), text("2")}), 200);
  send(*f.em, "demo-channel", json::array({text("3")}), 500);
}
