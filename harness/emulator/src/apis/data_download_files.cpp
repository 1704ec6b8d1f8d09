// CDDS and UDM files, certificates and catalogs (002:1652-2108, 8672-8998, 10367-10652,
// 11697-12188): file metadata, pre-signed links and downloads (303), deletes with the partial
// failure list, the cipher certificate (multipart upload), job statuses, sources and data types.

#include <algorithm>
#include <cxh/http/percent_encode.hpp>

#include "data_download.hpp"

namespace cxh::emulator::detail::dd {

namespace {

// Where a file is fetched: a pre-signed link on a host that never resolves (RFC 2606 .invalid),
// signed with a random key of this emulator so it is stable within a run and unforgeable.
std::string location(const service& s, api a, const std::string& name) {
  std::string base = a == api::cdds ? "data-download" : "udm";
  return "https://files.emulator.invalid/" + base + "/" + http::percent_encode_component(name) +
         "?expires=900&signature=" + hmac_sha1_hex(s.link_key, base + "/" + name);
}

json file_item(const session& ss, const file_record& f) {
  return {{"name", f.name},
          {"size", f.size},
          {"type", f.type},
          {"source", f.source},
          {"jobTitle", f.job_title},
          {"jobId", f.job_id},
          {"historyId", f.history_id},
          {"uploadDate", date_of(ss.s, f.uploaded)}};
}

// File metadata (002:1875-1955, 10367-10437): filters on name, job title, type, upload period.
http::response file_list(const call& c, world& w) {
  auto ss = enter(c, w);
  std::vector<const file_record*> files;
  for (const auto& [name, f] : ss.s.files) files.push_back(&f);
  std::sort(files.begin(), files.end(), [](auto* x, auto* y) { return x->seq < y->seq; });
  std::string start = text(c, "startDate"), end = text(c, "endDate"), run = text(c, "historyId");
  std::vector<json> items;
  for (const auto* f : files) {
    std::string up = date_of(ss.s, f->uploaded);
    if (!contains_ci(f->name, text(c, "name")) || !contains_ci(f->job_title, text(c, "jobTitle")) ||
        !contains_ci(f->type, text(c, "type")) || !contains_ci(f->source, text(c, "source")) ||
        (!run.empty() && run != std::to_string(f->history_id)) ||
        (!start.empty() && up.substr(0, start.size()) < start) ||  // a date matches its whole day
        (!end.empty() && up.substr(0, end.size()) > end))
      continue;
    items.push_back(file_item(ss, *f));
  }
  return paged(c, std::move(items));
}

// Pre-signed links (002:1957-2005): one object for one file, a list for several; files not found
// are a 404 listing them (an array in CDDS and UDM v3, an object in UDM v10, 002:10492-10494).
http::response file_links(const call& c, world& w) {
  api a = api_of(c);
  auto names = split_list(text(c, "filename"));
  if (names.empty()) return w.error(&c.op, c.req.path(), 400, "filename names no file");
  if (names.size() > 100)
    return w.error(&c.op, c.req.path(), 400, "at most 100 files per call (002:1959)");
  auto ss = enter(c, w);
  json found = json::array(), missing = json::array(), missing_names = json::array();
  for (const auto& n : names) {
    if (ss.s.files.count(n)) found.push_back({{"path", location(ss.s, a, n)}});
    if (!ss.s.files.count(n)) missing.push_back({{"path", n}}), missing_names.push_back(n);
  }
  if (!missing.empty() && a == api::udm_v10)
    return world::json_reply(404, {{"status",
                                    {{"code", 404},
                                     {"message", "files not found"},
                                     {"detail", {{"files", missing_names}}}}}});
  if (!missing.empty()) return world::json_reply(404, missing);
  return world::json_reply(200, found.size() == 1 ? found[0] : found);
}

http::response file_download(const call& c, world& w) {
  auto ss = enter(c, w);
  const auto& name = c.params.at("filename");
  if (!ss.s.files.count(name)) return w.error(&c.op, c.req.path(), 404, "no file " + name);
  http::response r;
  r.status = 303;  // 002:2051: See Other, to the pre-signed link
  r.fields.set("Location", location(ss.s, api_of(c), name));
  return r;
}

// Deleting a file that is not there changes nothing: 204 is the only documented answer.
http::response file_delete(const call& c, world& w) {
  auto ss = enter(c, w);
  ss.s.files.erase(c.params.at("filename"));
  http::response r;
  r.status = 204;
  return r;
}

// Files that cannot be deleted beside ones that were are listed in a 500 (002:2011-2012); UDM
// v10 documents only 204 (002:10505-10553).
http::response file_delete_many(const call& c, world& w) {
  auto ss = enter(c, w);
  json missing = json::array();
  bool deleted = false;
  for (const auto& n : split_list(text(c, "filename"))) {
    if (ss.s.files.erase(n))
      deleted = true;
    else
      missing.push_back(n);
  }
  http::response r;
  r.status = 204;
  return api_of(c) != api::udm_v10 && deleted && !missing.empty() ? world::json_reply(500, missing)
                                                                  : r;
}

struct form_part {
  std::string name, data;
};

std::string disposition(std::string_view head, std::string_view key) {
  std::string needle = std::string(key) + "=\"";
  for (auto at = head.find(needle); at != std::string_view::npos; at = head.find(needle, at + 1)) {
    if (at > 0 && head[at - 1] != ' ' && head[at - 1] != ';')
      continue;  // not "filename" for "name"
    auto end = head.find('"', at + needle.size());
    if (end != std::string_view::npos)
      return std::string(head.substr(at + needle.size(), end - at - needle.size()));
  }
  return {};
}

// multipart/form-data (RFC 7578): the parts, or nullopt when the body is not well formed.
std::optional<std::vector<form_part>> parse_form(std::string_view type, std::string_view body) {
  auto b = type.find("boundary=");
  if (b == std::string_view::npos) return std::nullopt;
  std::string boundary(type.substr(b + 9, type.find(';', b) - b - 9));
  if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
    boundary = boundary.substr(1, boundary.size() - 2);
  std::string delim = "--" + boundary;
  auto pos = body.find(delim);
  if (boundary.empty() || pos == std::string_view::npos) return std::nullopt;
  std::vector<form_part> parts;
  for (pos += delim.size(); body.substr(pos, 2) != "--"; pos += 2 + delim.size()) {
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    auto head_end = body.find("\r\n\r\n", pos + 2);
    auto next =
        head_end == std::string_view::npos ? head_end : body.find("\r\n" + delim, head_end + 4);
    if (next == std::string_view::npos) return std::nullopt;
    std::string_view head = body.substr(pos + 2, head_end - pos - 2);
    parts.push_back(
        {disposition(head, "name"), std::string(body.substr(head_end + 4, next - head_end - 4))});
    pos = next;
  }
  return parts;
}

// A PEM block or DER (an ASN.1 SEQUENCE): what a certificate file can be.
bool certificate_like(std::string_view d) {
  bool pem = d.find("-----BEGIN ") != std::string_view::npos &&
             d.find("-----END ") != std::string_view::npos;
  return pem || (d.size() > 16 && static_cast<unsigned char>(d[0]) == 0x30);
}

// 002:1697-1716, 8734-8792: the certificate is the form field 'file'; the 201 body names it.
http::response cert_upload(const call& c, world& w) {
  auto ct = c.req.fields.get("Content-Type");
  auto parts = ct ? parse_form(*ct, c.req.body) : std::nullopt;
  if (!parts) return w.error(&c.op, c.req.path(), 400, "expected a multipart/form-data body");
  auto file = std::find_if(parts->begin(), parts->end(), [](auto& p) { return p.name == "file"; });
  if (file == parts->end()) return w.error(&c.op, c.req.path(), 400, "the form has no 'file' part");
  if (!certificate_like(file->data))
    return w.error(&c.op, c.req.path(), 400, "'file' is not a PEM or DER certificate");
  auto ss = enter(c, w);
  std::string name = c.params.at("certificatefilename");
  ss.s.cert = certificate{name, static_cast<std::int64_t>(file->data.size()), ss.now};
  return world::json_reply(201, json(name));
}

// 002:1652-1677: the contact center's certificate; only its ccid before one is uploaded.
http::response cert_get(const call& c, world& w) {
  auto ss = enter(c, w);
  json i{{"ccid", "00000000-0000-4000-8000-00000000cc01"}};  // the emulator's contact center
  if (ss.s.cert) {
    i["name"] = ss.s.cert->name;
    i["size"] = ss.s.cert->size;
    i["lastModified"] = date_of(ss.s, ss.s.cert->uploaded);
  }
  return world::json_reply(200, i);
}

http::response job_statuses(const call&, world&) {
  json out = json::array();
  for (auto [label, value] : {std::pair{"In progress", in_progress},
                              {"Suspended", suspended},
                              {"Completed", completed},
                              {"Cancelled", cancelled},
                              {"Failed", failed}})
    out.push_back({{"label", label}, {"value", value}});
  return world::json_reply(200, out);
}

// "only supports the export ... of contacts and interaction-based data sourced from UCS"
// (002:1623-1625, 8648-8649).
http::response sources(const call&, world&) {
  return world::json_reply(
      200, json::array({{{"label", "Universal Contact Server"}, {"value", "UCS"}}}));
}

http::response data_types(const call& c, world&) {
  json out = json::array();
  std::string source = text(c, "source");
  for (const char* name : {"contacts", "interactions"})
    if (source.empty() || http::iequals(source, "UCS"))
      out.push_back({{"name", name}, {"source", "UCS"}});
  http::response none;
  none.status = 204;
  return out.empty() ? none : world::json_reply(200, out);
}

}  // namespace

void add_data_download_file_handlers(std::unordered_map<std::string, api_handler>& table) {
  for (std::string p : {"cdds", "udmV10", "udmV3"}) {
    bool cdds = p == "cdds";
    table[p + (cdds ? "ListFileMetadatas" : "ListFileMetadata")] = file_list;
    table[p + (cdds ? "GetFileUrls" : "GetFileLinks")] = file_links;
    table[p + "DeleteFiles"] = file_delete_many;
    table[p + "DownloadFile"] = file_download;
    table[p + "DeleteFile"] = file_delete;
    table[p + (cdds ? "GetCertificateInfo" : "GetCertificate")] = cert_get;
    table[p + "UploadCertificate"] = cert_upload;
    table[p + "ListJobStatuses"] = job_statuses;
    table[p + "ListSources"] = sources;
    table[p + (cdds ? "ListDataTypes" : "ListTypes")] = data_types;
  }
}

}  // namespace cxh::emulator::detail::dd
