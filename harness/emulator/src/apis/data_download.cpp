// Export jobs of CDDS v4 (002:2110-3097), UDM v10 (002:9039-10365) and UDM v4 (002:10727-11686):
// create, read, update, suspend, resume, cancel and delete jobs; one history entry per run, whose
// progress advances with time until the run completes and produces a file. The model (JobInfo
// views, settling, paging): data_download_model.cpp; files and certificates: _files.cpp.

#include "data_download.hpp"

#include <algorithm>
#include <functional>

namespace cxh::emulator::detail {
namespace dd {
namespace {

// JobInfo.id is an integer (002:2261): 48 bits of the world's seeded ids, exact in any JSON client.
template <class Map>
std::int64_t new_int_id(world& w, const Map& taken) {
  for (;;) {
    std::string u = w.new_id();
    std::int64_t v = std::stoll(u.substr(0, 8) + u.substr(9, 4), nullptr, 16);
    if (v != 0 && !taken.count(v)) return v;
  }
}

// Starts the job's run: a new history entry whose length is a seeded 1-2 s.
bool start_run(session& ss, world& w, job_book& b, job_record& j, api a) {
  if (b.runs.size() >= ss.s.cap) return false;
  run_record r;
  r.id = new_int_id(w, b.runs);
  r.job_id = j.id;
  r.seq = ++ss.s.seq;
  r.info = base_info(j.def, a);
  r.created = ss.now;
  r.length =
      std::chrono::milliseconds(1000 + mix(ss.s.seed ^ static_cast<std::uint64_t>(r.id)) % 1000);
  r.since = ss.now;
  j.run_id = r.id;
  b.active.insert(r.id);
  b.runs.emplace(r.id, std::move(r));
  return true;
}

// A behavioural defect (FAULTS.md) asked for on this call, for the family it belongs to: the
// cdds_ mutations break CDDS, the udm_ ones UDM.
bool defect(const call& c, api a, mutation m) {
  bool cdds_rule = std::string_view(mutation_name(m)).starts_with("cdds_");
  return (a == api::cdds) == cdds_rule && c.defect(m);
}

// Another job than `j` (mutation cdds_job_read_other): one of the book, else `j` under another id.
job_record other_job(const job_book& b, const job_record& j) {
  for (const auto& [id, other] : b.jobs)
    if (id != j.id) return other;
  job_record renamed = j;
  renamed.id = j.id + 1;
  return renamed;
}

http::response full(const call& c, world& w) {
  return w.error(&c.op, c.req.path(), 503, "emulator state is full (max_objects)");
}

http::response no_body(int status) {
  http::response r;
  r.status = status;
  return r;
}

// The record a path's {id} names in `records`, or the answer: 400 for an id that is not an
// integer, else not found.
template <class Map>
auto find_by_path_id(const call& c, world& w, Map& records, const char* what,
                     std::optional<http::response>& err) -> decltype(&records.begin()->second) {
  auto id = parse_id(c.params.at("id"));
  if (!id) err = w.error(&c.op, c.req.path(), 400, std::string(what) + " id must be an integer");
  auto it = id ? records.find(*id) : records.end();
  if (id && it == records.end())
    err = w.error(&c.op, c.req.path(), 404, "no " + std::string(what) + " " + c.params.at("id"));
  return err ? nullptr : &it->second;
}

job_record* find_job(const call& c, world& w, job_book& b, std::optional<http::response>& err) {
  return find_by_path_id(c, w, b.jobs, "job", err);
}

http::response job_create(const call& c, world& w) {
  api a = api_of(c);
  if (auto p = job_problem(c.body); p && !defect(c, a, mutation::udm_invalid_job_accepted))
    return w.error(&c.op, c.req.path(), 400, *p);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  if (b.jobs.size() >= ss.s.cap) return full(c, w);
  job_record j;
  j.id = new_int_id(w, b.jobs);
  j.seq = ++ss.s.seq;
  j.def = *c.body;
  j.created = ss.now;
  j.suspended = suspended_of(j.def, a);
  // A job created suspended waits for resume (002:8644 "create/suspend/resume scheduled jobs").
  if (!j.suspended && !start_run(ss, w, b, j, a)) return full(c, w);
  auto& stored = b.jobs.emplace(j.id, std::move(j)).first->second;
  return world::json_reply(202, job_info(ss, b, stored, a));  // 002:2535
}

http::response job_get(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  std::optional<http::response> err;
  const job_record* j = find_job(c, w, b, err);
  if (!j) return *err;
  job_record other;
  if (defect(c, a, mutation::cdds_job_read_other)) {
    other = other_job(b, *j);
    j = &other;
  }
  if (a == api::udm_v4) {
    // UDM v4 answers with the Job model and its id (002:11414-11448).
    json d = j->def;
    d["id"] = j->id;
    d["suspended"] = j->suspended ? "true" : "false";
    return world::json_reply(200, d);
  }
  return world::json_reply(200, job_info(ss, b, *j, a));
}

http::response job_update(const call& c, world& w) {
  api a = api_of(c);
  if (auto p = job_problem(c.body)) return w.error(&c.op, c.req.path(), 400, *p);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  std::optional<http::response> err;
  auto* j = find_job(c, w, b, err);
  if (!j) return *err;
  // "update not started job" (002:10095); CDDS and UDM v4 print no rule of their own.
  if (j->run_id || j->final)
    return w.error(
        &c.op, c.req.path(), 400,
        "job " + std::to_string(j->id) + " has started; only a job not started can change");
  bool hold = suspended_of(*c.body, a);
  if (!hold && b.runs.size() >= ss.s.cap) return full(c, w);  // refused whole, nothing changed
  if (defect(c, a, mutation::cdds_update_not_applied)) {
    job_record answered = *j;  // the answer shows the update; the store keeps the old job
    answered.def = *c.body;
    return world::json_reply(200, job_info(ss, b, answered, a));
  }
  j->def = *c.body;
  j->suspended = hold;
  if (!hold) start_run(ss, w, b, *j, a);
  return world::json_reply(200, job_info(ss, b, *j, a));
}

// Suspend, resume and cancel: "an unfinished job" (002:9747, 9797, 9898).
enum class action { suspend, resume, cancel };

// The success answer of suspend and resume: UDM v4's status envelope, else the JobInfo.
http::response transition_answer(const session& ss, const job_book& b, const job_record& j, api a) {
  if (a == api::udm_v4)  // 002:11337-11345, 11377-11385
    return world::json_reply(
        200,
        json{{"status", {{"code", 0}, {"detail", json::object()}, {"message", "successful"}}}});
  return world::json_reply(200, job_info(ss, b, j, a));  // 002:2690-2734
}

// Suspending a suspended job or resuming a running one: no page says. Refused (400) in the
// primary reading; in the alternate reading an idempotent success (x-decision in the schemas).
bool idempotent_repeat(const call& c, const world& w, action act, const std::string& status) {
  return c.alternate(w) && ((act == action::suspend && status == suspended) ||
                            (act == action::resume && status == in_progress));
}

http::response transition(const call& c, world& w, action act) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  std::optional<http::response> err;
  auto* j = find_job(c, w, b, err);
  if (!j) return *err;
  outcome o = view(b, *j, ss.now);
  bool allowed = act == action::suspend  ? o.status == in_progress
                 : act == action::resume ? o.status == suspended
                                         : o.status == in_progress || o.status == suspended;
  if (!allowed && idempotent_repeat(c, w, act, o.status)) return transition_answer(ss, b, *j, a);
  if (!allowed)
    return w.error(&c.op, c.req.path(), 400,
                   "job " + std::to_string(j->id) + " is " + o.status + "; it cannot " +
                       (act == action::suspend  ? "be suspended"
                        : act == action::resume ? "be resumed (only a suspended job can)"
                                                : "be cancelled (it has finished)"));
  run_record* r = j->run_id ? &b.runs.at(j->run_id) : nullptr;  // unfinished runs stay
  if (act == action::resume && !r && b.runs.size() >= ss.s.cap) return full(c, w);
  if (r && r->since) r->done += ss.now - *r->since;  // stop the clock
  if (r) r->since.reset();
  if (act == action::suspend && defect(c, a, mutation::udm_suspend_not_applied)) {
    if (r) r->since = ss.now;  // the clock keeps running: nothing was held
  } else if (act == action::suspend) {
    j->suspended = true;
  }
  if (act == action::resume) {
    j->suspended = false;
    if (r) r->since = ss.now;
    if (!r) start_run(ss, w, b, *j, a);  // the first resume starts the run
  }
  if (act == action::cancel) {
    j->suspended = false;
    if (r) r->final = outcome{cancelled, o.progress, "", 0};
    if (r) b.active.erase(r->id);
    if (!r) j->final = outcome{cancelled, 0, "", 0};
    return no_body(200);  // 002:2665: no body
  }
  return transition_answer(ss, b, *j, a);
}

http::response job_suspend(const call& c, world& w) {
  return transition(c, w, action::suspend);
}
http::response job_resume(const call& c, world& w) {
  return transition(c, w, action::resume);
}
http::response job_cancel(const call& c, world& w) {
  return transition(c, w, action::cancel);
}

bool unfinished_run(const job_book& b, const job_record& j) {
  auto it = b.runs.find(j.run_id);
  return j.run_id && it != b.runs.end() && !it->second.final;
}

// UDM v10 deletes "finished job" (002:10323); CDDS and UDM v4 refuse a job in progress
// (002:3077, 11664), which includes a run suspended half-way.
std::optional<std::string> job_delete_problem(api a, const session& ss, const job_book& b,
                                              std::int64_t id) {
  auto it = b.jobs.find(id);
  if (it == b.jobs.end()) return "no job " + std::to_string(id);
  std::string status = view(b, it->second, ss.now).status;
  if (a == api::udm_v10 && (status == in_progress || status == suspended))
    return "job " + std::to_string(id) + " is " + status + "; only a finished job can be deleted";
  if (a != api::udm_v10 && unfinished_run(b, it->second))
    return "job " + std::to_string(id) + " is in progress; cancel it first";
  return std::nullopt;
}

std::optional<std::string> run_delete_problem(const job_book& b, std::int64_t id) {
  auto it = b.runs.find(id);
  if (it == b.runs.end()) return "no history entry " + std::to_string(id);
  if (!it->second.final) return "history entry " + std::to_string(id) + " is in progress";
  return std::nullopt;
}

// A history entry leaves; its job keeps the outcome.
void erase_run(job_book& b, std::int64_t id) {
  auto& r = b.runs.at(id);
  if (auto j = b.jobs.find(r.job_id); j != b.jobs.end() && j->second.run_id == id)
    j->second.final = r.final;
  b.runs.erase(id);
}

using problem_fn = std::function<std::optional<std::string>(std::int64_t)>;

// DELETE ?jobIDs=a,b: CDDS and UDM v4 delete what they can and list the rest in a 500
// (002:2623-2625, 11262-11263); UDM v10 documents no partial result, so it is all or nothing.
http::response delete_many(const call& c, world& w, api a, const problem_fn& problem,
                           const std::function<void(std::int64_t)>& erase) {
  std::vector<std::int64_t> ids;
  for (const auto& raw : split_list(text(c, "jobIDs"))) {
    auto id = parse_id(raw);
    if (!id) return w.error(&c.op, c.req.path(), 400, "job id '" + raw + "' is not an integer");
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  if (ids.empty()) return w.error(&c.op, c.req.path(), 400, "jobIDs names no job");
  std::string refused;
  json undeleted = json::array();
  for (auto id : ids)
    if (auto p = problem(id)) {
      refused += (refused.empty() ? "" : "; ") + *p;
      undeleted.push_back(id);
    }
  if (a == api::udm_v10 && !refused.empty()) return w.error(&c.op, c.req.path(), 400, refused);
  for (auto id : ids)
    if (std::find(undeleted.begin(), undeleted.end(), json(id)) == undeleted.end()) erase(id);
  return undeleted.empty() ? no_body(204) : world::json_reply(500, undeleted);
}

http::response job_remove(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  auto id = parse_id(c.params.at("id"));
  if (!id) return w.error(&c.op, c.req.path(), 400, "job id must be an integer");
  bool skip_rule = defect(c, a, mutation::cdds_running_job_deleted) ||
                   defect(c, a, mutation::udm_unfinished_job_deleted);
  if (auto p = job_delete_problem(a, ss, b, *id); p && (!skip_rule || !b.jobs.count(*id)))
    return w.error(&c.op, c.req.path(), 400, *p);
  if (defect(c, a, mutation::cdds_job_delete_kept) || defect(c, a, mutation::udm_job_delete_kept))
    return no_body(204);
  b.jobs.erase(*id);  // its history stays (002:2110 lists runs apart from jobs)
  return no_body(204);
}

http::response job_remove_many(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  return delete_many(
      c, w, a, [&](std::int64_t id) { return job_delete_problem(a, ss, b, id); },
      [&](std::int64_t id) { b.jobs.erase(id); });
}

std::vector<const job_record*> by_creation(const job_book& b) {
  std::vector<const job_record*> out;
  for (const auto& [id, j] : b.jobs) out.push_back(&j);
  std::sort(out.begin(), out.end(), [](auto* x, auto* y) { return x->seq < y->seq; });
  return out;
}

// "Filter that title contains" (002:2377) does not say whether case counts: case-insensitive,
// or case-sensitive in the alternate reading (schemas/cdds.json x-decision).
bool matches(const json& item, const call& c, const world& w,
             std::initializer_list<const char*> fields) {
  bool exact_case = c.alternate(w);
  for (const char* f : fields) {
    std::string have = item.value(f, ""), want = text(c, f);
    bool hit = exact_case ? have.find(want) != std::string::npos : contains_ci(have, want);
    if (!hit) return false;
  }
  return true;
}

http::response job_list(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  std::vector<json> items;
  auto want_suspended = c.req.query_param("suspend");  // 002:2386-2391
  for (const auto* j : by_creation(b)) {
    json i = job_info(ss, b, *j, a);
    bool filter = !defect(c, a, mutation::cdds_list_filter_ignored);
    if (filter && !matches(i, c, w, {"title", "type", "source"})) continue;
    if (want_suspended &&
        (http::iequals(*want_suspended, "true") || http::iequals(*want_suspended, "false")) &&
        (i["status"] == suspended) != http::iequals(*want_suspended, "true"))
      continue;
    items.push_back(std::move(i));
  }
  return paged(c, std::move(items));
}

// History (002:2110-2350): the runs, with parentId = the job.
http::response history_list(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  std::vector<const run_record*> runs;
  for (const auto& [id, r] : b.runs) runs.push_back(&r);
  std::sort(runs.begin(), runs.end(), [](auto* x, auto* y) { return x->seq < y->seq; });
  std::vector<json> items;
  std::string job = text(c, "jobId");  // UDM v10 (002:9063)
  for (const auto* r : runs) {
    json i = run_info(ss, *r);
    if (!matches(i, c, w, {"title", "fileName", "type", "status", "source"})) continue;
    if (!job.empty() && job != std::to_string(r->job_id)) continue;
    items.push_back(std::move(i));
  }
  return paged(c, std::move(items));
}

const run_record* find_run(const call& c, world& w, const job_book& b,
                           std::optional<http::response>& err) {
  return find_by_path_id(c, w, b.runs, "history", err);
}

http::response history_get(const call& c, world& w) {
  auto ss = enter(c, w);
  std::optional<http::response> err;
  const auto* r = find_run(c, w, book_of(ss.s, api_of(c)), err);
  return r ? world::json_reply(200, run_info(ss, *r)) : *err;
}

// "Return value is between 0 and 100 percent" (002:2318); unknown ids get the documented 400.
http::response history_progress(const call& c, world& w) {
  auto ss = enter(c, w);
  std::optional<http::response> err;
  const auto* r = find_run(c, w, book_of(ss.s, api_of(c)), err);
  if (!r) return *err;
  outcome o = view(*r, ss.now);
  return world::json_reply(200, json{{"progress", o.progress}, {"status", o.status}});
}

http::response history_remove(const call& c, world& w) {
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, api_of(c));
  auto id = parse_id(c.params.at("id"));
  if (!id) return w.error(&c.op, c.req.path(), 400, "history id must be an integer");
  if (auto p = run_delete_problem(b, *id))
    return w.error(&c.op, c.req.path(), 400, *p);  // 002:2297
  erase_run(b, *id);
  return no_body(204);
}

http::response history_remove_many(const call& c, world& w) {
  api a = api_of(c);
  auto ss = enter(c, w);
  auto& b = book_of(ss.s, a);
  return delete_many(
      c, w, a, [&](std::int64_t id) { return run_delete_problem(b, id); },
      [&](std::int64_t id) { erase_run(b, id); });
}

struct job_operations {
  const char *list, *create, *remove_many, *cancel, *resume, *suspend, *get, *update, *remove;
  const char *h_list, *h_remove_many, *h_get, *h_remove, *h_progress;
};

}  // namespace
}  // namespace dd

void add_data_download_handlers(std::unordered_map<std::string, api_handler>& table) {
  using namespace dd;
  const job_operations apis[] = {
      {"cddsListJobs", "cddsCreateJob", "cddsDeleteJobs", "cddsCancelJob", "cddsResumeJob",
       "cddsSuspendJob", "cddsGetJob", "cddsUpdateJob", "cddsDeleteJob", "cddsListJobHistory",
       "cddsDeleteJobHistoryList", "cddsGetJobHistory", "cddsDeleteJobHistory",
       "cddsGetJobHistoryProgress"},
      {"udmV10ListExportJobs", "udmV10CreateExportJob", "udmV10DeleteExportJobs",
       "udmV10CancelExportJob", "udmV10ResumeExportJob", "udmV10SuspendExportJob",
       "udmV10GetExportJob", "udmV10UpdateExportJob", "udmV10DeleteExportJob",
       "udmV10ListExportHistory", "udmV10DeleteExportHistoryRecords",
       "udmV10GetExportHistoryRecord", "udmV10DeleteExportHistoryRecord",
       "udmV10GetExportHistoryProgress"},
      {"udmV4ListExportJobs", "udmV4CreateExportJob", "udmV4DeleteExportJobs",
       "udmV4CancelExportJob", "udmV4ResumeExportJob", "udmV4SuspendExportJob", "udmV4GetExportJob",
       "udmV4UpdateExportJob", "udmV4DeleteExportJob", "udmV4ListExportHistory",
       "udmV4DeleteExportHistoryRecords", "udmV4GetExportHistoryRecord",
       "udmV4DeleteExportHistoryRecord", "udmV4GetExportHistoryProgress"},
  };
  for (const auto& o : apis) {
    table[o.list] = job_list;
    table[o.create] = job_create;
    table[o.remove_many] = job_remove_many;
    table[o.cancel] = job_cancel;
    table[o.resume] = job_resume;
    table[o.suspend] = job_suspend;
    table[o.get] = job_get;
    table[o.update] = job_update;
    table[o.remove] = job_remove;
    table[o.h_list] = history_list;
    table[o.h_remove_many] = history_remove_many;
    table[o.h_get] = history_get;
    table[o.h_remove] = history_remove;
    table[o.h_progress] = history_progress;
  }
  add_data_download_file_handlers(table);
}

}  // namespace cxh::emulator::detail
