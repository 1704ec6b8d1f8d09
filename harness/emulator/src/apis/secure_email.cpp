// Secure Email API (/nexus/v3/securemail, 002:3331-4727): secure emails sent for a consumer's
// address (optionally in a securebox), listed and counted by read status, read, marked read,
// deleted or purged, with their attached userdata.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <vector>

#include "../world.hpp"

namespace cxh::emulator::detail {

namespace {

struct secure_mail {
  std::string id, address, box, status = "unread";
  bool deleted = false;  // hidden from the list, kept in the contact database (002:4395-4412)
  std::uint64_t seq = 0;
  json data = json::object();       // the email as sent, without its userdata
  json user_data = json::object();  // attached userdata (002:4547-4551)
};

struct secure_email_state {
  explicit secure_email_state(const config& c) : mails(c.max_objects), contacts(c.max_objects) {}
  bounded_store<secure_mail> mails;  // secureMailId -> mail
  bounded_store<bool> contacts;      // lower-cased addresses that ever had secure email
  std::atomic<std::uint64_t> seq{0};
};

secure_email_state& state(world& w) {
  return w.state<secure_email_state>("secure-email");
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool plausible_address(const std::string& a) {
  auto at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size();
}

// Securebox names: A-Z, a-z, 0-9, 3 to 16 characters (002:3425-3430).
bool valid_box(const std::string& b) {
  return b.size() >= 3 && b.size() <= 16 &&
         std::all_of(b.begin(), b.end(), [](unsigned char ch) { return std::isalnum(ch) != 0; });
}

json success() {
  return {{"status", {{"code", "SUCCESS"}}}};
}

json mail_json(const secure_mail& m) {
  json d = m.data;
  d["secureMailId"] = m.id;
  d["address"] = m.address;
  d["status"] = m.status;
  if (!m.box.empty()) d["securebox"] = m.box;
  if (m.deleted) d["deleted"] = true;
  return d;
}

http::response bad(const call& c, world& w, const std::string& message) {
  return w.error(&c.op, c.req.path(), 400, message);
}

// The securebox query parameter: empty for the default box.
std::optional<std::string> box_of(const call& c) {
  auto box = c.req.query_param("securebox");
  if (!box) return std::string();
  if (!valid_box(*box)) return std::nullopt;
  return *box;
}

http::response send_mail(const call& c, world& w) {
  auto box = box_of(c);
  if (!box) return bad(c, w, "securebox: only A-Z, a-z, 0-9, 3 to 16 characters");
  const json* data =
      c.body && c.body->is_object() && c.body->contains("data") && (*c.body)["data"].is_object()
          ? &(*c.body)["data"]
          : nullptr;
  if (!data) return bad(c, w, "data (the secure email) is required (002:3707-3717)");
  // The page does not print the email's members; the consumer's address is what the list and
  // count look emails up by (002:3366-3371), so the email must carry it.
  std::string address;
  for (const char* field : {"address", "from"})
    if (data->contains(field) && (*data)[field].is_string() && address.empty())
      address = (*data)[field].get<std::string>();
  if (!plausible_address(address))
    return bad(c, w, "data.address must be the consumer's email address");
  auto& st = state(w);
  secure_mail m;
  m.id = w.new_id();
  m.address = address;
  m.box = *box;
  m.seq = ++st.seq;
  m.data = *data;
  for (const char* field : {"userData", "userdata"}) {
    if (m.data.contains(field) && m.data[field].is_object()) m.user_data = m.data[field];
    m.data.erase(field);
  }
  if (st.contacts.insert(lower(address), true) == bounded_store<bool>::put::full ||
      st.mails.insert(m.id, m) != bounded_store<secure_mail>::put::ok)
    return w.error(&c.op, c.req.path(), 500, "emulator state is full (max_objects)");
  json body = success();
  if (!c.defect(mutation::se_no_secure_mail_id)) body["secureMailId"] = m.id;  // 002:3732-3739
  body["selfUri"] = c.op.server + "/securemail/" + m.id;
  if (c.body->contains("operationId")) body["operationId"] = (*c.body)["operationId"];
  return world::json_reply(200, body);
}

struct mail_filter {
  std::string address, box, status = "all";
};

// address, status and securebox of the list and the count; an error answer when they are bad.
std::optional<http::response> read_filter(const call& c, world& w, mail_filter& f) {
  f.address = c.req.query_param("address").value_or("");
  if (!plausible_address(f.address)) return bad(c, w, "address must be an email address");
  f.status = c.req.query_param("status").value_or("all");
  if (f.status != "unread" && f.status != "read" && f.status != "all")
    return bad(c, w, "status must be unread, read or all (002:3373-3381)");
  auto box = box_of(c);
  if (!box) return bad(c, w, "securebox: only A-Z, a-z, 0-9, 3 to 16 characters");
  f.box = *box;
  // An address that never had secure email is not a known contact (404, 002:3548, 4056).
  if (!state(w).contacts.get(lower(f.address)))
    return w.error(&c.op, c.req.path(), 404, "no secure email for " + f.address);
  return std::nullopt;
}

// The listed emails of a filter, oldest first; deleted ones are never listed (002:4395-4412).
std::vector<secure_mail> matching(world& w, const mail_filter& f) {
  std::vector<secure_mail> out;
  const std::string address = lower(f.address);
  state(w).mails.for_each([&](const std::string&, const secure_mail& m) {
    if (!m.deleted && lower(m.address) == address && m.box == f.box &&
        (f.status == "all" || f.status == m.status))
      out.push_back(m);
  });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return out;
}

std::optional<std::size_t> number_param(const call& c, const char* name, std::size_t dflt) {
  auto v = c.req.query_param(name);
  if (!v) return dflt;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || v->empty()) return std::nullopt;
  return n;
}

http::response list_mails(const call& c, world& w) {
  mail_filter f;
  if (auto err = read_filter(c, w, f)) return *err;
  auto index = number_param(c, "index", 0), count = number_param(c, "count", 10);  // 002:3385-3398
  if (!index || !count) return bad(c, w, "index and count must be non-negative integers");
  auto all = matching(w, f);
  json items = json::array();
  for (std::size_t i = *index; i < all.size() && items.size() < *count; ++i)
    items.push_back(mail_json(all[i]));
  json body = success();
  body["data"] = items;
  return world::json_reply(200, body);
}

http::response count_mails(const call& c, world& w) {
  mail_filter f;
  if (auto err = read_filter(c, w, f)) return *err;
  json body = success();
  body["data"] = {{"count", matching(w, f).size()}};  // 002:3960-4006
  return world::json_reply(200, body);
}

http::response not_found(const call& c, world& w) {
  // GET documents no 404; the error helper answers with the nearest documented 4xx.
  return w.error(&c.op, c.req.path(), 404,
                 "secure email " + c.params.at("secureMailId") + " not found");
}

http::response get_mail(const call& c, world& w) {
  auto read = c.req.query_param("read");
  if (read && *read != "true" && *read != "false")
    return bad(c, w, "read must be true or false (002:4170-4185)");
  std::optional<secure_mail> found;
  // read=true marks the email read (002:4172-4183).
  state(w).mails.update(c.params.at("secureMailId"), [&](secure_mail& m) {
    if (read == "true" && !c.defect(mutation::se_read_not_marked)) m.status = "read";
    found = m;
  });
  if (!found) return not_found(c, w);
  json body = success();
  body["secureMail"] = mail_json(*found);
  return world::json_reply(200, body);
}

http::response remove_mail(const call& c, world& w) {
  // remove: read (default), true and empty (deprecated) mark read; delete hides the email from
  // the list; purge removes it entirely (002:4362-4418).
  std::string how = c.req.query_param("remove").value_or("read");
  if (how == "true" || how.empty()) how = "read";
  if (how != "read" && how != "delete" && how != "purge")
    return bad(c, w, "remove must be read, delete or purge (002:4371-4418)");
  auto& st = state(w);
  const std::string& id = c.params.at("secureMailId");
  std::optional<secure_mail> found;
  st.mails.update(id, [&](secure_mail& m) {
    if (how == "read") m.status = "read";
    if (how == "delete" && !c.defect(mutation::se_delete_still_listed)) m.deleted = true;
    found = m;
  });
  bool purge = how == "purge" && !c.defect(mutation::se_purge_not_removed);
  if (!found || (purge && !st.mails.erase(id))) return not_found(c, w);
  json body = success();
  body["secureMail"] = mail_json(*found);
  return world::json_reply(200, body);
}

http::response mail_userdata(const call& c, world& w) {
  auto m = state(w).mails.get(c.params.at("secureMailId"));
  if (!m) return not_found(c, w);
  json body = success();
  body["data"] = m->user_data;
  return world::json_reply(200, body);
}

}  // namespace

void add_secure_email_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["secureEmailList"] = list_mails;
  table["secureEmailSend"] = send_mail;
  table["secureEmailCount"] = count_mails;
  table["secureEmailGet"] = get_mail;
  table["secureEmailDelete"] = remove_mail;
  table["secureEmailGetUserdata"] = mail_userdata;
}

}  // namespace cxh::emulator::detail
