// CDDS v4 and UDM v10/v4 export jobs in the emulator: the lifecycle create -> read -> update ->
// suspend -> resume -> cancel -> delete with the state rules of each page, history entries whose
// progress advances with time, bulk deletes, bad input, a full store, and seeded determinism.

#include "data_download_client.hpp"

using namespace data_download_test;

namespace {

std::string id_of(const json& j) {
  return std::to_string(j.value("id", std::int64_t{0}));
}

}  // namespace

TEST(DataDownloadEmulator, CddsJobLifecycleFollowsTheStateRules) {
  client c;
  const std::string jobs = cdds + "/v4/export/jobs";
  json created = c.expect(202, "POST", jobs, job("Q1 export", true).dump());
  ASSERT_TRUE(created["id"].is_number_integer());
  std::string id = id_of(created);
  EXPECT_EQ(created["status"], "SUSPENDED");  // created suspended: waits for resume
  EXPECT_EQ(created["progress"], 0);
  EXPECT_EQ(created["media"], json({"email", "chat"}));
  EXPECT_EQ(created["createdDate"].get<std::string>().substr(0, 11), "2024-01-01T");
  EXPECT_EQ(c.expect(200, "GET", jobs + "/" + id)["title"], "Q1 export");
  c.expect(204, "GET", cdds + "/v4/export/history");  // not started: no run yet

  // Update a job not started, and read the change back.
  json changed = job("Q1 export v2", true);
  changed["jobParams"]["media"] = {"sms"};
  EXPECT_EQ(c.expect(200, "PUT", jobs + "/" + id, changed.dump())["title"], "Q1 export v2");
  json read = c.expect(200, "GET", jobs + "/" + id);
  EXPECT_EQ(read["title"], "Q1 export v2");
  EXPECT_EQ(read["media"], json({"sms"}));

  c.expect(400, "POST", jobs + "/suspend/" + id);  // already suspended
  EXPECT_EQ(c.expect(200, "POST", jobs + "/resume/" + id)["status"], "IN_PROGRESS");
  c.expect(400, "POST", jobs + "/resume/" + id);          // only a suspended job resumes
  c.expect(400, "PUT", jobs + "/" + id, changed.dump());  // started: no more changes

  json run = run_of(c, cdds + "/v4", created["id"].get<std::int64_t>());
  ASSERT_TRUE(run.is_object());
  EXPECT_EQ(run["title"], "Q1 export v2");
  std::string run_path = cdds + "/v4/export/history/" + id_of(run);

  json held = c.expect(200, "POST", jobs + "/suspend/" + id);
  EXPECT_EQ(held["status"], "SUSPENDED");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  json frozen = c.expect(200, "GET", run_path + "/progress");  // a suspended run does not advance
  EXPECT_EQ(frozen["progress"], held["progress"]);
  EXPECT_EQ(frozen["status"], "SUSPENDED");
  c.expect(400, "DELETE", jobs + "/" + id);  // its run is unfinished: "in progress"
  c.expect(400, "DELETE", run_path);

  c.expect(200, "POST", jobs + "/cancel/" + id);
  EXPECT_TRUE(c.last.body.empty());  // 002:2665 prints no body
  EXPECT_EQ(c.expect(200, "GET", jobs + "/" + id)["status"], "CANCELLED");
  for (const char* verb : {"cancel", "resume", "suspend"})
    c.expect(400, "POST", jobs + "/" + verb + "/" + id);
  json history = c.expect(200, "GET", run_path);
  EXPECT_EQ(history["parentId"], created["id"]);
  EXPECT_EQ(history["status"], "CANCELLED");

  c.expect(204, "DELETE", jobs + "/" + id);
  c.expect(404, "GET", jobs + "/" + id);
  c.expect(400, "DELETE", jobs + "/" + id);  // only 400 is documented for a job that is gone
  c.expect(404, "PUT", jobs + "/" + id, changed.dump());
  c.expect(404, "POST", jobs + "/resume/" + id);
  c.expect(400, "GET", jobs + "/not-a-number");
  EXPECT_EQ(c.expect(200, "GET", run_path)["status"], "CANCELLED");  // history outlives its job
}

TEST(DataDownloadEmulator, UdmV10UsesABooleanSuspendAndDeletesOnlyFinishedJobs) {
  client c;
  const std::string jobs = udm + "/v10/export/jobs";
  c.expect(400, "POST", jobs, job("wrong shape", true).dump());  // "true" is CDDS's string form
  json created = c.expect(202, "POST", jobs, job("v10 export", true, true).dump());
  std::string id = id_of(created);
  EXPECT_EQ(created["status"], "SUSPENDED");
  EXPECT_EQ(created["type"], "UCS");
  EXPECT_EQ(created["exportAttachments"], true);
  c.expect(400, "DELETE", jobs + "/" + id);  // "delete finished job" (002:10323)
  EXPECT_EQ(c.expect(200, "POST", jobs + "/resume/" + id)["status"], "IN_PROGRESS");
  EXPECT_EQ(c.expect(200, "POST", jobs + "/suspend/" + id)["status"], "SUSPENDED");
  c.expect(200, "POST", jobs + "/cancel/" + id);
  c.expect(204, "DELETE", jobs + "/" + id);
  c.expect(404, "GET", jobs + "/" + id);

  auto unauthenticated = c.f.em->handle([&] {
    cxh::http::request r;
    r.method = "GET";
    r.target = jobs;
    r.fields.set("x-api-key", "demo-api-key");
    return r;
  }());
  EXPECT_EQ(unauthenticated.status, 401);
  // The same suspended-and-not-started state may be deleted in CDDS (002:3077 refuses only a job
  // in progress).
  json cdds_job = c.expect(202, "POST", cdds + "/v4/export/jobs", job("cdds", true).dump());
  c.expect(204, "DELETE", cdds + "/v4/export/jobs/" + id_of(cdds_job));
}

TEST(DataDownloadEmulator, UdmV4AnswersSuspendAndResumeWithAStatusEnvelope) {
  client c;
  const std::string jobs = udm + "/v4/export/jobs";
  json created = c.expect(202, "POST", jobs, job("v4 export", true).dump());
  std::string id = id_of(created);
  json details = c.expect(200, "GET", jobs + "/" + id);  // the Job model (002:11414-11448)
  EXPECT_EQ(details["id"], created["id"]);
  EXPECT_EQ(details["suspended"], "true");
  EXPECT_EQ(details["jobParams"]["type"], "interactions");

  json update = job("v4 export renamed", true);
  c.expect(400, "PUT", jobs + "/" + id, update.dump());  // JobUpdate requires type (002:11539)
  update["type"] = "UCS";
  EXPECT_EQ(c.expect(200, "PUT", jobs + "/" + id, update.dump())["title"], "v4 export renamed");

  json ok{{"status", {{"code", 0}, {"detail", json::object()}, {"message", "successful"}}}};
  EXPECT_EQ(c.expect(200, "POST", jobs + "/resume/" + id), ok);
  EXPECT_EQ(c.expect(200, "GET", jobs + "/" + id)["suspended"], "false");
  json refused = c.expect(400, "POST", jobs + "/resume/" + id);
  EXPECT_TRUE(refused["status"]["message"].is_string());
  EXPECT_EQ(c.expect(200, "POST", jobs + "/suspend/" + id), ok);
  EXPECT_EQ(c.expect(200, "GET", jobs + "/" + id)["suspended"], "true");

  // Separate books: neither UDM v10 nor CDDS sees the v4 job.
  c.expect(204, "GET", udm + "/v10/export/jobs");
  c.expect(204, "GET", cdds + "/v4/export/jobs");
  c.expect(404, "GET", cdds + "/v4/export/jobs/" + id);
  EXPECT_EQ(c.expect(200, "GET", jobs)["count"], 1);
}

TEST(DataDownloadEmulator, BulkDeletesListWhatTheyCouldNotDelete) {
  client c;
  const std::string jobs = cdds + "/v4/export/jobs";
  std::string idle = id_of(c.expect(202, "POST", jobs, job("idle", true).dump()));
  json busy = c.expect(202, "POST", jobs, job("busy", false).dump());
  std::string stopped = id_of(c.expect(202, "POST", jobs, job("stopped", false).dump()));
  c.expect(200, "POST", jobs + "/cancel/" + stopped);

  // 002:2623-2625: what cannot be deleted (in progress, unknown) comes back in a 500 array.
  json left =
      c.expect(500, "DELETE", jobs + "?jobIDs=" + idle + "," + id_of(busy) + ",7," + stopped);
  EXPECT_EQ(left, json({busy["id"], 7}));
  c.expect(404, "GET", jobs + "/" + idle);
  c.expect(404, "GET", jobs + "/" + stopped);
  c.expect(200, "GET", jobs + "/" + id_of(busy));
  c.expect(400, "DELETE", jobs + "?jobIDs=" + idle + ",x");
  c.expect(400, "DELETE", jobs + "?jobIDs=");

  std::string run = id_of(run_of(c, cdds + "/v4", busy["id"].get<std::int64_t>()));
  EXPECT_EQ(c.expect(500, "DELETE", cdds + "/v4/export/history?jobIDs=" + run),
            json({std::stoll(run)}));
  c.expect(200, "POST", jobs + "/cancel/" + id_of(busy));
  c.expect(204, "DELETE", cdds + "/v4/export/history?jobIDs=" + run);
  c.expect(404, "GET", cdds + "/v4/export/history/" + run);
  c.expect(400, "GET", cdds + "/v4/export/history/" + run + "/progress");  // only 400 documented

  // UDM v10 documents no partial result: one job it cannot delete and nothing is deleted.
  const std::string v10 = udm + "/v10/export/jobs";
  std::string running = id_of(c.expect(202, "POST", v10, job("running", false, true).dump()));
  std::string done = id_of(c.expect(202, "POST", v10, job("done", false, true).dump()));
  c.expect(200, "POST", v10 + "/cancel/" + done);
  c.expect(400, "DELETE", v10 + "?jobIDs=" + running + "," + done);
  c.expect(200, "GET", v10 + "/" + done);
  c.expect(200, "POST", v10 + "/cancel/" + running);
  c.expect(204, "DELETE", v10 + "?jobIDs=" + running + "," + done);
  c.expect(404, "GET", v10 + "/" + running);
}

TEST(DataDownloadEmulator, BadJobDefinitionsAndIdsGetA400) {
  client c;
  const std::string jobs = cdds + "/v4/export/jobs";
  c.expect(400, "POST", jobs);  // the body is optional in the table, a job needs one
  json no_title = job("x", false);
  no_title.erase("title");
  c.expect(400, "POST", jobs, no_title.dump());
  c.expect(400, "POST", jobs, job("", false).dump());
  json no_period = job("period", false);
  no_period["timeFrame"] = {{"all", false}};
  c.expect(400, "POST", jobs, no_period.dump());
  no_period["timeFrame"] = {{"all", false}, {"dateFrom", "2024-02-01"}, {"dateTo", "2024-01-01"}};
  c.expect(400, "POST", jobs, no_period.dump());
  json wrong_media = job("media", false);
  wrong_media["jobParams"]["media"] = "email";
  json answer = c.expect(400, "POST", jobs, wrong_media.dump());
  EXPECT_TRUE(answer["status"]["code"].is_number_integer());
  c.expect(400, "POST", jobs, "{\"title\": ");
  c.expect(204, "GET", jobs);  // none of them was created

  c.expect(400, "GET", jobs + "/12x");
  c.expect(404, "GET", jobs + "/999");
  c.expect(404, "GET", cdds + "/v4/export/history/999");
  c.expect(400, "GET", cdds + "/v4/export/history/999/progress");
  c.expect(404, "POST", jobs + "/cancel/999");
  c.expect(400, "POST", jobs + "/cancel/abc");
}

TEST(DataDownloadEmulator, ListsFilterSortAndPage) {
  client c;
  const std::string jobs = cdds + "/v4/export/jobs";
  for (const char* title : {"beta", "alpha", "gamma"})
    c.expect(202, "POST", jobs, job(title, true).dump());
  auto titles = [](const json& page) {
    std::vector<std::string> out;
    for (const auto& i : page["items"]) out.push_back(i["title"]);
    return out;
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(titles(c.expect(200, "GET", jobs)), v({"beta", "alpha", "gamma"}));
  EXPECT_EQ(titles(c.expect(200, "GET", jobs + "?title=PH")), v({"alpha"}));
  EXPECT_EQ(titles(c.expect(200, "GET", jobs + "?orderField=title")),
            v({"alpha", "beta", "gamma"}));
  EXPECT_EQ(titles(c.expect(200, "GET", jobs + "?orderField=title&descAsc=true")),
            v({"gamma", "beta", "alpha"}));
  json page = c.expect(200, "GET", jobs + "?from=1&size=1");
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(page["from"], 1);
  EXPECT_EQ(titles(page), v({"alpha"}));
  EXPECT_EQ(c.expect(200, "GET", jobs + "?suspend=true")["count"], 3);
  c.expect(204, "GET", jobs + "?suspend=false");
  c.expect(204, "GET", jobs + "?title=delta");
  EXPECT_EQ(c.expect(200, "GET", jobs + "?from=x&size=-1")["count"], 3);  // bad paging: defaults

  json statuses = c.expect(200, "GET", cdds + "/v3/data/job-statuses");
  EXPECT_NE(statuses.dump().find("IN_PROGRESS"), std::string::npos);
  EXPECT_EQ(c.expect(200, "GET", cdds + "/v3/data/types?source=UCS").size(), 2u);
  c.expect(204, "GET", cdds + "/v3/data/types?source=DataSync");
  EXPECT_EQ(c.expect(200, "GET", udm + "/v10/data/sources")[0]["value"], "UCS");
}

TEST(DataDownloadEmulator, AFullStoreAnswersWithTheErrorEnvelope) {
  ce::config small;
  small.max_objects = 1;
  client c(small);
  const std::string jobs = cdds + "/v4/export/jobs";
  std::string first = id_of(c.expect(202, "POST", jobs, job("first", true).dump()));
  json full = c.expect(400, "POST", jobs, job("second", true).dump());
  EXPECT_NE(full["status"]["message"].get<std::string>().find("max_objects"), std::string::npos);
  c.expect(200, "POST", jobs + "/resume/" + first);  // one run fits
}

TEST(DataDownloadEmulator, IdsAndDatesDependOnlyOnTheSeed) {
  ce::config seven, eight;
  seven.seed = 7;
  eight.seed = 8;
  client a(seven), b(seven), other(eight);
  const std::string jobs = udm + "/v10/export/jobs";
  json x = a.expect(202, "POST", jobs, job("same", false, true).dump());
  json y = b.expect(202, "POST", jobs, job("same", false, true).dump());
  json z = other.expect(202, "POST", jobs, job("same", false, true).dump());
  EXPECT_EQ(x["id"], y["id"]);
  EXPECT_NE(x["id"], z["id"]);
  EXPECT_EQ(x["createdDate"], "2024-01-01T00:00:00.000Z");  // the first call starts the timeline
  EXPECT_EQ(run_of(a, udm + "/v10", x["id"].get<std::int64_t>())["id"],
            run_of(b, udm + "/v10", y["id"].get<std::int64_t>())["id"]);
}
