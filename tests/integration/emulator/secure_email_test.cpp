// Secure Email in the emulator: send, list and count by read status and securebox, read,
// mark read, delete and purge, userdata, and bad input. Every answer is checked against the
// documented response of its operation.

#include "documented_answer.hpp"

using namespace emulator_test;

namespace {

cxh::http::request se(std::string method, std::string target, std::string body = "") {
  cxh::http::request r;
  r.method = std::move(method);
  r.target = "/nexus/v3/securemail" + target;
  r.body = std::move(body);
  if (!r.body.empty()) r.fields.set("Content-Type", "application/json");
  r.fields.set("x-api-key", "demo-api-key");
  return r;
}

std::string send_mail(ce::emulator& em, const std::string& address, const std::string& box = "",
                      json extra = json::object()) {
  json data = extra;
  data["address"] = address;
  data["subject"] = "Question";
  json r = expect(em, "secureEmailSend",
                  se("POST", box.empty() ? "" : "?securebox=" + box,
                     json{{"operationId", "op-1"}, {"data", data}}.dump()),
                  200);
  EXPECT_EQ(r["status"]["code"], "SUCCESS");
  EXPECT_EQ(r["operationId"], "op-1");
  return r.value("secureMailId", "");
}

std::size_t mail_count(ce::emulator& em, const std::string& query) {
  json r = expect(em, "secureEmailCount", se("GET", "/count?" + query), 200);
  return r["data"].value("count", std::size_t{999});
}

}  // namespace

TEST(SecureEmail, SendListReadDeletePurge) {
  fixture f;
  json ud{{"userData", {{"caseId", "42"}}}};
  std::string a = send_mail(*f.em, "ann@example.com", "", ud);
  std::string b = send_mail(*f.em, "ann@example.com");
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com"), 2u);
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com&status=unread"), 2u);
  json list = expect(*f.em, "secureEmailList", se("GET", "?address=ann@example.com"), 200);
  ASSERT_EQ(list["data"].size(), 2u);
  EXPECT_EQ(list["data"][0]["secureMailId"], a);  // oldest first
  json page =
      expect(*f.em, "secureEmailList", se("GET", "?address=ann@example.com&index=1&count=5"), 200);
  ASSERT_EQ(page["data"].size(), 1u);
  EXPECT_EQ(page["data"][0]["secureMailId"], b);

  json got = expect(*f.em, "secureEmailGet", se("GET", "/" + a), 200);
  EXPECT_EQ(got["secureMail"]["status"], "unread");
  EXPECT_EQ(got["secureMail"]["subject"], "Question");
  got = expect(*f.em, "secureEmailGet", se("GET", "/" + a + "?read=true"), 200);
  EXPECT_EQ(got["secureMail"]["status"], "read");
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com&status=read"), 1u);
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com&status=unread"), 1u);
  json ud_r = expect(*f.em, "secureEmailGetUserdata", se("GET", "/" + a + "/userdata"), 200);
  EXPECT_EQ(ud_r["data"], json({{"caseId", "42"}}));

  // DELETE without remove marks read (002:4362).
  json d = expect(*f.em, "secureEmailDelete", se("DELETE", "/" + b), 200);
  EXPECT_EQ(d["secureMail"]["status"], "read");
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com&status=unread"), 0u);
  // remove=delete: gone from the list, still readable by id (002:4395-4412).
  expect(*f.em, "secureEmailDelete", se("DELETE", "/" + b + "?remove=delete"), 200);
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com"), 1u);
  expect(*f.em, "secureEmailGet", se("GET", "/" + b), 200);
  // remove=purge: gone entirely.
  expect(*f.em, "secureEmailDelete", se("DELETE", "/" + a + "?remove=purge"), 200);
  EXPECT_EQ(mail_count(*f.em, "address=ann@example.com"), 0u);
  json e = expect(*f.em, "secureEmailGet", se("GET", "/" + a), 400);
  EXPECT_EQ(e["status"]["code"], "FAILURE");
  expect(*f.em, "secureEmailDelete", se("DELETE", "/" + a), 404);
  expect(*f.em, "secureEmailGetUserdata", se("GET", "/" + a + "/userdata"), 400);
}

TEST(SecureEmail, SecureboxesAreIndependent) {
  fixture f;
  send_mail(*f.em, "bob@example.com");
  send_mail(*f.em, "bob@example.com", "Billing");
  send_mail(*f.em, "bob@example.com", "Billing");
  EXPECT_EQ(mail_count(*f.em, "address=bob@example.com"), 1u);
  EXPECT_EQ(mail_count(*f.em, "address=bob@example.com&securebox=Billing"), 2u);
  EXPECT_EQ(mail_count(*f.em, "address=bob@example.com&securebox=Sales"), 0u);
}

TEST(SecureEmail, BadInputIsTheDocumented4xx) {
  fixture f;
  send_mail(*f.em, "cy@example.com");
  auto bad_send = [&](const std::string& query, const std::string& body) {
    json e = expect(*f.em, "secureEmailSend", se("POST", query, body), 400);
    EXPECT_EQ(e["status"]["code"], "INVALID_PARAMETER") << body;
  };
  bad_send("", "{}");
  bad_send("", R"({"data": {"address": "not-an-address"}})");
  bad_send("?securebox=ab", R"({"data": {"address": "cy@example.com"}})");
  bad_send("?securebox=no-dash", R"({"data": {"address": "cy@example.com"}})");
  expect(*f.em, "secureEmailSend", se("POST", "", R"({"data": 5})"), 400);
  expect(*f.em, "secureEmailSend", se("POST", "", "{\"data\":"), 400);
  expect(*f.em, "secureEmailList", se("GET", "?address=cy@example.com&status=new"), 400);
  expect(*f.em, "secureEmailList", se("GET", "?address=cy@example.com&index=-1"), 400);
  expect(*f.em, "secureEmailList", se("GET", "?address=cy@example.com&count=ten"), 400);
  expect(*f.em, "secureEmailList", se("GET", ""), 400);  // address is required
  expect(*f.em, "secureEmailCount", se("GET", "/count?address=nobody@example.com"), 404);
  expect(*f.em, "secureEmailList", se("GET", "?address=nobody@example.com"), 404);
  std::string id = send_mail(*f.em, "cy@example.com");
  expect(*f.em, "secureEmailGet", se("GET", "/" + id + "?read=yes"), 400);
  expect(*f.em, "secureEmailDelete", se("DELETE", "/" + id + "?remove=shred"), 404);
  auto no_key = se("GET", "/" + id);
  no_key.fields = {};
  expect(*f.em, "secureEmailGet", no_key, 403);
}
