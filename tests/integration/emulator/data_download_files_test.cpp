// CDDS and UDM files and certificates in the emulator: a run that completes produces a file with
// metadata, pre-signed links and a 303 download; deletes report partial failures where the page
// documents them; the cipher certificate is uploaded as multipart/form-data and read back. CDDS
// and UDM keep separate storage; UDM v10 and v3 share theirs.

#include "data_download_client.hpp"

using namespace data_download_test;

namespace {

std::int64_t int_id(const json& j) {
  return j.value("id", std::int64_t{0});
}

json start(client& c, const std::string& base, const std::string& title, bool v10 = false) {
  json created = c.expect(202, "POST", base + "/export/jobs", job(title, false, v10).dump());
  EXPECT_EQ(created["status"], "IN_PROGRESS");
  return created;
}

// Waits for a started job's run: the finished job (JobInfo; UDM v4: its history entry, since
// its GET job answers the Job model) with its file.
json finish(client& c, const std::string& base, const json& created) {
  json run = run_of(c, base, int_id(created));
  wait_completed(c, base, int_id(run));
  if (base.find("/udm/v4") == 0)
    return c.expect(200, "GET", base + "/export/history/" + std::to_string(int_id(run)));
  return c.expect(200, "GET", base + "/export/jobs/" + std::to_string(int_id(created)));
}

std::string form(const std::string& field, const std::string& content) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + field +
         "\"; filename=\"cert.pem\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content +
         "\r\n--XyZ--\r\n";
}

const std::string form_type = "multipart/form-data; boundary=XyZ";
const std::string pem =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUEmulator\n-----END CERTIFICATE-----\n";

}  // namespace

TEST(DataDownloadEmulator, ACompletedRunProducesADownloadableFile) {
  client c;
  json done = finish(c, cdds + "/v4", start(c, cdds + "/v4", "nightly"));
  EXPECT_EQ(done["status"], "COMPLETED");
  EXPECT_EQ(done["progress"], 100);
  ASSERT_TRUE(done["fileName"].is_string());
  std::string file = done["fileName"];
  EXPECT_GT(done["fileSize"].get<std::int64_t>(), 0);

  json meta = c.expect(200, "GET", cdds + "/v3/file-metadatas");
  ASSERT_EQ(meta["count"], 1);
  EXPECT_EQ(meta["items"][0]["name"], file);
  EXPECT_EQ(meta["items"][0]["jobTitle"], "nightly");
  EXPECT_EQ(meta["items"][0]["jobId"], done["id"]);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/file-metadatas?jobTitle=weekly")["count"], 0);
  EXPECT_EQ(c.expect(200, "GET",
                     cdds + "/v3/file-metadatas?startDate=2024-01-01&endDate=2024-01-01")["count"],
            1);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/file-metadatas?startDate=2024-01-02")["count"], 0);

  json link = c.expect(200, "GET", cdds + "/v3/files?filename=" + file);
  ASSERT_TRUE(link["path"].is_string());
  c.expect(303, "GET", cdds + "/v3/files/" + file);
  EXPECT_EQ(c.last.fields.get("Location").value_or(""), link["path"].get<std::string>());
  c.expect(404, "GET", udm + "/v3/files/" + file);  // CDDS storage is not UDM's

  // The history entry can go once finished; the job keeps its outcome.
  json run = run_of(c, cdds + "/v4", int_id(done));
  EXPECT_EQ(run["fileName"], file);
  EXPECT_EQ(run["parentId"], done["id"]);
  c.expect(204, "DELETE", cdds + "/v4/export/history/" + std::to_string(int_id(run)));
  EXPECT_EQ(
      c.expect(200, "GET", cdds + "/v4/export/jobs/" + std::to_string(int_id(done)))["fileName"],
      file);
  c.expect(204, "DELETE", cdds + "/v4/export/jobs/" + std::to_string(int_id(done)));  // finished

  c.expect(204, "DELETE", cdds + "/v3/files/" + file);
  c.expect(404, "GET", cdds + "/v3/files/" + file);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/file-metadatas")["count"], 0);
  c.expect(204, "DELETE", cdds + "/v3/files/" + file);  // gone already: nothing to do
}

TEST(DataDownloadEmulator, FileCallsReportWhatTheyCouldNotFind) {
  client c;
  json first = start(c, cdds + "/v4", "one"), second = start(c, cdds + "/v4", "two");
  std::string one = finish(c, cdds + "/v4", first)["fileName"];
  std::string two = finish(c, cdds + "/v4", second)["fileName"];
  json both = c.expect(200, "GET", cdds + "/v3/files?filename=" + one + "," + two);
  ASSERT_TRUE(both.is_array());
  EXPECT_EQ(both.size(), 2u);
  // 002:1959-1961: files not found come back as a JSON array in a 404.
  EXPECT_EQ(c.expect(404, "GET", cdds + "/v3/files?filename=" + one + ",nope"),
            json::parse(R"([{"path":"nope"}])"));
  c.expect(400, "GET", cdds + "/v3/files");
  std::string many;
  for (int k = 0; k < 101; ++k) many += (k ? "," : "") + std::string("f") + std::to_string(k);
  c.expect(400, "GET", cdds + "/v3/files?filename=" + many);  // at most 100 (002:1959)

  c.expect(204, "DELETE", cdds + "/v3/files?filename=nope");  // nothing to delete
  // 002:2011-2012: some deleted, some not: a 500 listing those that were not.
  EXPECT_EQ(c.expect(500, "DELETE", cdds + "/v3/files?filename=" + one + ",nope"), json({"nope"}));
  c.expect(404, "GET", cdds + "/v3/files/" + one);
  c.expect(303, "GET", cdds + "/v3/files/" + two);
  c.expect(204, "DELETE", cdds + "/v3/files?filename=" + two);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/file-metadatas")["count"], 0);
}

TEST(DataDownloadEmulator, UdmVersionsShareOneStorage) {
  client c;
  json new_job = start(c, udm + "/v10", "from v10", true),
       old_job = start(c, udm + "/v4", "from v4");
  std::string v10 = finish(c, udm + "/v10", new_job)["fileName"];
  std::string v4 = finish(c, udm + "/v4", old_job)["fileName"];
  for (const char* version : {"/v10", "/v3"}) {
    json meta =
        c.expect(200, "GET", udm + version + "/file-metadatas?orderField=jobTitle&descAsc=true");
    ASSERT_EQ(meta["count"], 2) << version;
    EXPECT_EQ(meta["items"][0]["jobTitle"], "from v4") << version;
    EXPECT_EQ(meta["items"][1]["name"], v10) << version;
  }
  c.expect(303, "GET", udm + "/v3/files/" + v10);
  c.expect(303, "GET", udm + "/v10/files/" + v4);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/file-metadatas")["count"], 0);

  // UDM v10 answers a missing file with an object (002:10492-10494) and deletes without a list.
  json missing = c.expect(404, "GET", udm + "/v10/files?filename=" + v10 + ",nope");
  EXPECT_EQ(missing["status"]["detail"]["files"], json({"nope"}));
  c.expect(204, "DELETE", udm + "/v10/files?filename=" + v10 + ",nope");
  c.expect(404, "GET", udm + "/v3/files/" + v10);
  json one = c.expect(200, "GET", udm + "/v10/file-metadatas");
  EXPECT_EQ(one["count"], 1);
  EXPECT_EQ(c.expect(200, "GET", udm + "/v10/file-metadatas?historyId=1")["count"], 0);
}

TEST(DataDownloadEmulator, CertificatesAreUploadedAsMultipartAndReadBack) {
  client c;
  json none = c.expect(200, "GET", cdds + "/v3/cipher");
  EXPECT_TRUE(none["ccid"].is_string());
  EXPECT_FALSE(none.contains("name"));  // nothing uploaded yet

  EXPECT_EQ(c.expect(201, "POST", cdds + "/v3/cipher/cdds.pem", form("file", pem), form_type),
            "cdds.pem");
  json info = c.expect(200, "GET", cdds + "/v3/cipher");
  EXPECT_EQ(info["name"], "cdds.pem");
  EXPECT_EQ(info["size"], pem.size());
  EXPECT_TRUE(info["lastModified"].is_string());

  c.expect(400, "POST", cdds + "/v3/cipher/bad.pem", form("file", "not a certificate"), form_type);
  c.expect(400, "POST", cdds + "/v3/cipher/bad.pem", form("other", pem), form_type);
  c.expect(400, "POST", cdds + "/v3/cipher/bad.pem", "--XyZ\r\nbroken", form_type);
  c.expect(400, "POST", cdds + "/v3/cipher/bad.pem", "{}", "application/json");
  c.expect(400, "POST", udm + "/v10/cipher/empty.pem", "", form_type);       // v10: 'file' required
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/cipher")["name"], "cdds.pem");  // unchanged

  // UDM's certificate is one for v10 and v3, apart from CDDS's.
  c.expect(201, "POST", udm + "/v10/cipher/udm.pem", form("file", pem + pem), form_type);
  EXPECT_EQ(c.expect(200, "GET", udm + "/v3/cipher")["name"], "udm.pem");
  EXPECT_EQ(c.expect(200, "GET", udm + "/v10/cipher")["size"], 2 * pem.size());
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/cipher")["name"], "cdds.pem");
  c.expect(201, "POST", udm + "/v3/cipher/der.cer",
           form("file", std::string("\x30\x82\x01\xb3") + std::string(40, 'x')), form_type);
  EXPECT_EQ(c.expect(200, "GET", udm + "/v10/cipher")["name"], "der.cer");  // a new upload replaces
}
