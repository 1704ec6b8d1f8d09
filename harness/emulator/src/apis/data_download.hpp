#pragma once

// The export services behind CDDS (/data-download, 002:1598-3097) and UDM (/udm, 002:8624-12188):
// export jobs, their runs (history entries), the files finished runs produce, and the cipher
// certificate. data_download_model.cpp implements this header; data_download.cpp answers jobs and
// history, data_download_files.cpp files, certificates and catalogs. CDDS and UDM are separate
// services; inside UDM the v10 and v4 job books are separate while files and the certificate
// (v10 and v3 calls) are shared.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../secrets.hpp"
#include "../world.hpp"

namespace cxh::emulator::detail::dd {

using clock = std::chrono::steady_clock;

// Which page answers: shapes and rules differ per API version.
enum class api { cdds, udm_v10, udm_v4, udm_v3 };
api api_of(const call& c);  // by operationId prefix (cdds*, udmV10*, udmV4*, udmV3*)

// Job and history statuses; GET /data/job-statuses lists them.
inline constexpr const char* in_progress = "IN_PROGRESS";
inline constexpr const char* suspended = "SUSPENDED";
inline constexpr const char* completed = "COMPLETED";
inline constexpr const char* cancelled = "CANCELLED";
inline constexpr const char* failed = "FAILED";

struct outcome {
  std::string status;
  int progress = 0;
  std::string file_name;  // empty: no file
  std::int64_t file_size = 0;
};

// One execution of a job: a history entry (JobInfo with parentId = the job).
struct run_record {
  std::int64_t id = 0, job_id = 0;
  std::uint64_t seq = 0;  // creation order
  json info;              // JobInfo fields of the job definition when the run started
  clock::time_point created;
  clock::duration length{}, done{};        // running time needed, running time so far
  std::optional<clock::time_point> since;  // running since; empty while suspended
  std::optional<outcome> final;            // completed, failed or cancelled
};

struct job_record {
  std::int64_t id = 0;
  std::uint64_t seq = 0;
  json def;  // the Job body last accepted (create or update)
  clock::time_point created;
  bool suspended = false;
  std::int64_t run_id = 0;       // 0: never started
  std::optional<outcome> final;  // cancelled before starting, or kept when its run is deleted
};

struct file_record {
  std::string name, job_title, type, source;
  std::int64_t size = 0, job_id = 0, history_id = 0;
  std::uint64_t seq = 0;
  clock::time_point uploaded;
};

struct certificate {
  std::string name;
  std::int64_t size = 0;
  clock::time_point uploaded;
};

struct job_book {
  std::map<std::int64_t, job_record> jobs;
  std::map<std::int64_t, run_record> runs;
  std::set<std::int64_t> active;  // runs not yet final
};

// One export service (CDDS, or UDM). Every field is guarded by m.
struct service {
  explicit service(const config& c) : cap(c.max_objects), seed(c.seed) {}
  std::mutex m;
  std::size_t cap;  // per store: jobs, runs, files
  std::uint64_t seed;
  const std::string link_key = random_bytes(32);  // signs pre-signed links: CSPRNG, not the seed
  std::optional<clock::time_point> epoch;         // first call: dates count from here
  std::uint64_t seq = 0;
  job_book v10, v4;  // CDDS uses v4
  std::map<std::string, file_record> files;
  std::optional<certificate> cert;
};

// A call's service, locked, with the time of the call and every run that ended by then settled.
struct session {
  service& s;
  std::unique_lock<std::mutex> lock;
  clock::time_point now;
};
session enter(const call& c, world& w);
job_book& book_of(service& s, api a);

// ISO-8601 UTC on the emulator's timeline: 2024-01-01T00:00:00.000Z at the first call.
std::string date_of(const service& s, clock::time_point t);
std::uint64_t mix(std::uint64_t x);  // splitmix64 finaliser: seeded, deterministic values

// Query helpers: absent or malformed values give the default (list calls document no 400).
bool flag(const call& c, const char* name, bool fallback);
std::int64_t number(const call& c, const char* name, std::int64_t fallback);
std::string text(const call& c, const char* name);
bool contains_ci(std::string_view haystack, std::string_view needle);
std::vector<std::string> split_list(std::string_view s);  // comma-separated, trimmed, no empties

// A PagedResponse (002:2162-2177) of items given in creation order: orderField/descAsc sort,
// from/size page; count is every match, size the items returned. 204 when nothing matches and
// the call documents 204.
http::response paged(const call& c, std::vector<json> items);

// Reading jobs: ids in paths, members of a Job body, and the JobInfo (002:2261-2282) of a job or
// of a run (history entry, parentId = its job) at the session's time.
std::optional<std::int64_t> parse_id(std::string_view s);
const json& member(const json& o, const char* key);       // a null json when absent
std::string str(const json& o, const char* key);          // empty when absent or not a string
bool suspended_of(const json& def, api a);                // the Job's suspended, in its API's type
std::optional<std::string> job_problem(const json* def);  // what makes a Job body unusable
json base_info(const json& def, api a);                   // the fields the definition determines
outcome view(const run_record& r, clock::time_point now);
outcome view(const job_book& b, const job_record& j, clock::time_point now);
json job_info(const session& ss, const job_book& b, const job_record& j, api a);
json run_info(const session& ss, const run_record& r);

void add_data_download_file_handlers(std::unordered_map<std::string, api_handler>& table);

}  // namespace cxh::emulator::detail::dd
