#pragma once

// A client of the emulator's CDDS and UDM calls for data_download_test.cpp and
// data_download_files_test.cpp: every answer is checked to be a documented status whose body
// validates against the schema documented for it.

#include <chrono>
#include <thread>

#include "emulator_test_support.hpp"

namespace data_download_test {

using namespace emulator_test;

inline const std::string cdds = "/data-download";
inline const std::string udm = "/udm";

// Problems with an answer to `op`: an undocumented status or a body its schema rejects.
inline std::string conforms(const co::operation& op, const cxh::http::response& res) {
  const auto* doc = op.response_for(res.status);
  if (!doc || doc->status == "default")
    return "status " + std::to_string(res.status) + " undocumented";
  if (doc->content.empty()) return res.body.empty() ? "" : "a body where none is documented";
  const auto* media = doc->find_media(res.fields.get("Content-Type").value_or(""));
  if (!media || !media->body) return "no documented JSON body for " + doc->status;
  json body = json::parse(res.body, nullptr, false);
  if (body.is_discarded()) return "body is not JSON: " + res.body;
  auto errors = media->body->validate(body);
  return errors.empty() ? "" : errors.front().instance_location + " " + errors.front().message;
}

struct client {
  fixture f;
  cxh::http::response last;
  explicit client(ce::config c = {}) : f(std::move(c)) {}

  cxh::http::response send(const std::string& method, const std::string& target,
                           const std::string& body = "",
                           const std::string& type = "application/json") const {
    cxh::http::request r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) r.fields.set("Content-Type", type);
    r.fields.set("x-api-key", "demo-api-key");
    if (target.rfind("/udm/v10", 0) == 0) r.fields.set("Authorization", "Bearer " + f.token);
    return f.em->handle(r);
  }

  // Sends, expects `status`, checks the answer against the documents; the body (null if none).
  json expect(int status, const std::string& method, const std::string& target,
              const std::string& body = "", const std::string& type = "application/json") {
    last = send(method, target, body, type);
    EXPECT_EQ(last.status, status) << method << " " << target << ": " << last.body;
    auto m = f.em->spec().find(method, target.substr(0, target.find('?')));
    EXPECT_FALSE(m.operations.empty()) << method << " " << target;
    if (!m.operations.empty()) {
      EXPECT_EQ(conforms(*m.operations.front(), last), "")
          << method << " " << target << ": " << last.body;
    }
    json parsed = json::parse(last.body, nullptr, false);
    return parsed.is_discarded() ? json() : parsed;
  }
};

// A Job (002:2501-2531): CDDS and UDM v4 send suspended as a string, UDM v10 as a boolean and
// with a job type (002:9569, 9593).
inline json job(const std::string& title, bool suspended, bool v10 = false) {
  json j{{"source", "UCS"},
         {"title", title},
         {"timeFrame", {{"all", true}}},
         {"description", "integration test"},
         {"schedulerParam", {{"immediately", true}}},
         {"jobParams", {{"type", "interactions"}, {"media", {"email", "chat"}}}},
         {"suspended", suspended ? "true" : "false"}};
  if (v10) {
    j["type"] = "UCS";
    j["suspended"] = suspended;
    j["jobParams"]["exportAttachments"] = true;
  }
  return j;
}

// The history entry (run) of a job: the item of GET .../export/history whose parentId it is.
inline json run_of(client& c, const std::string& base, std::int64_t job_id) {
  json list = c.send("GET", base + "/export/history").status == 200
                  ? c.expect(200, "GET", base + "/export/history")
                  : json::object();
  for (const auto& item : list.value("items", json::array()))
    if (item.value("parentId", std::int64_t{0}) == job_id) return item;
  return json();
}

// Polls a run's progress until it completes; progress must stay in 0..100, never go back, and,
// unless the run had finished before the first poll, be seen part-way at least once (runs last
// 1-2 s, polls are 40 ms apart).
inline json wait_completed(client& c, const std::string& base, std::int64_t run_id) {
  int last_progress = 0;
  bool part_way = false, first = true;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < deadline) {
    json p = c.expect(200, "GET", base + "/export/history/" + std::to_string(run_id) + "/progress");
    int progress = p.value("progress", -1);
    EXPECT_GE(progress, last_progress) << "progress went back";
    EXPECT_LE(progress, 100);
    last_progress = progress;
    part_way = part_way || (progress > 0 && progress < 100);
    if (p.value("status", "") == "COMPLETED") {
      EXPECT_EQ(progress, 100);
      EXPECT_TRUE(part_way || first) << "progress jumped from 0 to 100";
      return p;
    }
    EXPECT_EQ(p.value("status", ""), "IN_PROGRESS");
    first = false;
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  ADD_FAILURE() << "run " << run_id << " did not complete in time";
  return json();
}

}  // namespace data_download_test
