// The export-service model shared by the CDDS and UDM handlers (data_download.hpp): which API a
// call is, the locked service with its runs settled (a completed run produces its file), JobInfo
// views of jobs and runs, dates on the emulator's timeline, query helpers and paging.

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "data_download.hpp"

namespace cxh::emulator::detail::dd {

api api_of(const call& c) {
  std::string_view id = c.op.operation_id;
  if (id.rfind("udmV10", 0) == 0) return api::udm_v10;
  if (id.rfind("udmV4", 0) == 0) return api::udm_v4;
  if (id.rfind("udmV3", 0) == 0) return api::udm_v3;
  return api::cdds;
}

job_book& book_of(service& s, api a) {
  return a == api::udm_v10 ? s.v10 : s.v4;
}

std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {

// Runs whose running time reached their length complete at that moment and leave a file in the
// service's storage; a full storage fails the run instead.
void settle(service& s, job_book& b, clock::time_point now) {
  for (auto it = b.active.begin(); it != b.active.end();) {
    run_record& r = b.runs.at(*it);
    if (!r.since || r.done + (now - *r.since) < r.length) {
      ++it;
      continue;
    }
    clock::time_point at = *r.since + (r.length - r.done);
    r.done = r.length;
    r.since.reset();
    it = b.active.erase(it);
    if (s.files.size() >= s.cap) {
      r.final = outcome{failed, 100, "", 0};
      continue;
    }
    file_record f;
    f.name = "export_" + std::to_string(r.job_id) + "_" + std::to_string(r.id) + ".zip";
    f.size = 1024 +
             static_cast<std::int64_t>(mix(s.seed + static_cast<std::uint64_t>(r.id)) % (8u << 20));
    f.job_id = r.job_id;
    f.history_id = r.id;
    f.seq = ++s.seq;
    f.job_title = r.info.value("title", "");
    f.type = r.info.value("type", "");
    f.source = r.info.value("source", "");
    f.uploaded = at;
    r.final = outcome{completed, 100, f.name, f.size};
    s.files.emplace(f.name, std::move(f));
  }
}

}  // namespace

session enter(const call& c, world& w) {
  auto& s = w.state<service>(api_of(c) == api::cdds ? "cdds" : "udm");
  std::unique_lock lock(s.m);
  auto now = w.now();
  if (!s.epoch) s.epoch = now;
  settle(s, s.v10, now);
  settle(s, s.v4, now);
  return {s, std::move(lock), now};
}

std::string date_of(const service& s, clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - s.epoch.value_or(t)).count();
  std::int64_t total = 1704067200000 + std::max<std::int64_t>(0, ms);  // 2024-01-01T00:00:00Z
  std::int64_t days = total / 86400000, rem = total % 86400000;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  days += 719468;
  std::int64_t era = days / 146097, doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = yoe + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(rem / 3600000), static_cast<long long>(rem / 60000 % 60),
                static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return buf;
}

std::string text(const call& c, const char* name) {
  return c.req.query_param(name).value_or("");
}

bool flag(const call& c, const char* name, bool fallback) {
  std::string v = text(c, name);
  return http::iequals(v, "true") ? true : http::iequals(v, "false") ? false : fallback;
}

std::int64_t number(const call& c, const char* name, std::int64_t fallback) {
  std::string v = text(c, name);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && end == v.data() + v.size() && !v.empty() ? out : fallback;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;  // an absent filter matches everything, "" included
  auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch; };
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [&](char x, char y) { return lower(x) == lower(y); }) != haystack.end();
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

http::response paged(const call& c, std::vector<json> items) {
  std::string field = text(c, "orderField");
  auto key = [&](const json& i) { return i.contains(field) ? i[field] : json(); };
  if (!field.empty())
    std::stable_sort(items.begin(), items.end(),
                     [&](const json& x, const json& y) { return key(x) < key(y); });
  if (flag(c, "descAsc", false)) std::reverse(items.begin(), items.end());      // true: descending
  std::int64_t from = std::max<std::int64_t>(0, number(c, "from", 0));          // 002:2149
  std::int64_t size = std::max<std::int64_t>(0, number(c, "size", 999999999));  // 002:2155
  const auto* no_content = c.op.response_for(204);
  if (items.empty() && no_content && no_content->status == "204") {
    http::response r;
    r.status = 204;
    return r;
  }
  json page = json::array();
  for (auto k = static_cast<std::size_t>(from);
       k < items.size() && static_cast<std::int64_t>(page.size()) < size; ++k)
    page.push_back(std::move(items[k]));
  return world::json_reply(
      200, json{{"count", items.size()}, {"from", from}, {"items", page}, {"size", page.size()}});
}

std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

const json& member(const json& o, const char* key) {
  static const json none;
  auto it = o.find(key);
  return it == o.end() ? none : *it;
}

std::string str(const json& o, const char* key) {
  const json& v = member(o, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// suspended is a string in CDDS and UDM v4 (002:2530, 11166), a boolean in UDM v10 (002:9593).
bool suspended_of(const json& def, api a) {
  const json& v = member(def, "suspended");
  if (a == api::udm_v10) return v.is_boolean() && v.get<bool>();
  return v.is_string() && http::iequals(v.get<std::string>(), "true");
}

// What the schema cannot say about a Job (002:2501-2531): a title, and an export period.
std::optional<std::string> job_problem(const json* def) {
  if (!def || !def->is_object()) return "a job definition (Job) is required";
  if (str(*def, "title").empty()) return "title must not be empty";
  if (str(*def, "source").empty()) return "source must not be empty";
  const json& frame = member(*def, "timeFrame");
  bool all = member(frame, "all").is_boolean() && frame["all"].get<bool>();
  std::string from = str(frame, "dateFrom"), to = str(frame, "dateTo");
  if (!all && from.empty() && to.empty())
    return "timeFrame needs all=true or a dateFrom/dateTo period";
  if (!all && !from.empty() && !to.empty() && from > to)
    return "timeFrame.dateFrom is after dateTo";
  return std::nullopt;
}

// The JobInfo fields a job definition determines (002:2261-2282; exportAttachments 002:9257).
json base_info(const json& def, api a) {
  json i = json::object();
  const json& params = member(def, "jobParams");
  const json& frame = member(def, "timeFrame");
  auto copy = [&](const json& from, const char* key) {
    if (auto v = str(from, key); !v.empty()) i[key] = v;
  };
  for (const char* k : {"source", "title", "description"}) copy(def, k);
  copy(params, "type");
  copy(def, "type");  // UDM's job type ("UCS or DataSync") wins over the UCS data type
  copy(params, "fileSplitSize");
  copy(def, "fileSplitSize");
  copy(frame, "dateFrom");
  copy(frame, "dateTo");
  json media = json::array();
  for (const auto& m : member(params, "media"))
    if (m.is_string()) media.push_back(m);
  i["media"] = media;
  if (a == api::udm_v10 && member(params, "exportAttachments").is_boolean())
    i["exportAttachments"] = params["exportAttachments"];
  return i;
}

outcome view(const run_record& r, clock::time_point now) {
  if (r.final) return *r.final;
  auto ran = r.done + (r.since ? now - *r.since : clock::duration{});
  // Settled runs never reach here finished, so a live run shows at most 99.
  int pct = static_cast<int>(std::min<std::int64_t>(99, 100 * ran.count() / r.length.count()));
  return {r.since ? in_progress : suspended, pct, "", 0};
}

outcome view(const job_book& b, const job_record& j, clock::time_point now) {
  if (auto it = b.runs.find(j.run_id); j.run_id && it != b.runs.end()) return view(it->second, now);
  if (j.final) return *j.final;
  return {suspended, 0, "", 0};  // a job not started is one created (or updated) suspended
}

namespace {

json with_outcome(json i, const outcome& o) {
  i["status"] = o.status;
  i["progress"] = o.progress;
  if (!o.file_name.empty()) {
    i["fileName"] = o.file_name;
    i["fileSize"] = o.file_size;
  }
  return i;
}

}  // namespace

json job_info(const session& ss, const job_book& b, const job_record& j, api a) {
  json i = base_info(j.def, a);
  i["id"] = j.id;
  i["createdDate"] = date_of(ss.s, j.created);
  return with_outcome(std::move(i), view(b, j, ss.now));
}

json run_info(const session& ss, const run_record& r) {
  json i = r.info;
  i["id"] = r.id;
  i["parentId"] = r.job_id;
  i["createdDate"] = date_of(ss.s, r.created);
  return with_outcome(std::move(i), view(r, ss.now));
}

}  // namespace cxh::emulator::detail::dd
