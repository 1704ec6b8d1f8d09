// Third-Party Messaging API (/nexus/v3/channels, 001:1-326; 002:7257-8555): consumer messages
// and delivery receipts, media upload (multipart/form-data), download and delete, per channel.
// Secure Email (also /nexus/v3) lives in secure_email.cpp and is registered from here.

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "../world.hpp"
#include "third_party_chat.hpp"

namespace cxh::emulator::detail {

void add_secure_email_handlers(std::unordered_map<std::string, api_handler>& table);

namespace {

struct media_item {
  std::string filename, mimetype, bytes;
};

// An accepted inbound message; `receipt` is the last delivery status reported for it.
struct message_item {
  std::string type, receipt;
};

struct tpm_state {
  explicit tpm_state(const config& c) : media(c.max_objects), messages(c.max_objects) {}
  bounded_store<media_item> media;       // channelId/mediaId -> media
  bounded_store<message_item> messages;  // channelId/messageId -> message
  std::mutex batch_mutex;                // a batch is checked and applied as one step
};

std::string key(const std::string& channel, const std::string& id) {
  return channel + "/" + id;
}

// Every inbound call names its contact center in x-ccid (required: 001:26, 84, 167, 268); the
// generic parameter check does not see it, as the documents declare it through a $ref. The
// path's channel must be configured ("Channel not found", 002:7769) and, when the pipeline
// checked a signature, signed with this channel's own secret ("secret for the channel", 001:25).
std::optional<http::response> check_channel(const call& c, world& w) {
  if (c.req.fields.get("x-ccid").value_or("").empty() && !c.defect(mutation::tpm_ccid_not_required))
    return w.error(&c.op, c.req.path(), 400, "missing required header 'x-ccid'");
  const std::string& channel = c.params.at("channelId");
  auto it = w.cfg().channel_secrets.find(channel);
  if (it == w.cfg().channel_secrets.end() && c.defect(mutation::tpm_unknown_channel_accepted))
    return std::nullopt;
  if (it == w.cfg().channel_secrets.end())
    return w.error(&c.op, c.req.path(), 404, "Channel " + channel + " not found");
  // An empty principal means the signature check was skipped on purpose (fault injection).
  if (!c.principal.empty()) {
    auto sig = c.req.fields.get("X-Hub-Signature");
    if (!sig || sig->size() < 5 ||
        !secure_equals(hmac_sha1_hex(it->second, c.signed_bytes()), sig->substr(5)))
      return w.error(&c.op, c.req.path(), 401,
                     "X-Hub-Signature is not signed with the secret of channel " + channel);
  }
  return std::nullopt;
}

// ---- multipart/form-data (RFC 7578, RFC 2046 §5.1.1) ----

struct form_part {
  std::string name, filename, content_type, data;
  bool has_filename = false;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parameters of a header value ("form-data; name=\"file\"; filename=\"a.jpg\""), names lowered.
std::map<std::string, std::string> header_params(std::string_view value) {
  std::map<std::string, std::string> out;
  while (!value.empty()) {
    auto semi = value.find(';');
    std::string_view item = trim(value.substr(0, semi));
    value = semi == std::string_view::npos ? std::string_view{} : value.substr(semi + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(trim(item.substr(0, eq)));
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string_view v = trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    out[name] = std::string(v);
  }
  return out;
}

// The parts of a multipart body; nullopt when it is not well formed.
std::optional<std::vector<form_part>> parse_multipart(std::string_view body,
                                                      const std::string& boundary) {
  const std::string delim = "--" + boundary;
  std::vector<form_part> parts;
  std::size_t pos = body.find(delim);
  if (pos == std::string_view::npos || (pos != 0 && (pos < 2 || body.substr(pos - 2, 2) != "\r\n")))
    return std::nullopt;
  while (true) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    auto head_end = body.find("\r\n\r\n", pos);
    bool no_headers = body.substr(pos, 2) == "\r\n";
    if (head_end == std::string_view::npos && !no_headers) return std::nullopt;
    std::string_view head = no_headers ? std::string_view{} : body.substr(pos, head_end - pos);
    std::size_t content = no_headers ? pos + 2 : head_end + 4;
    auto next = body.find("\r\n" + delim, content);
    if (next == std::string_view::npos) return std::nullopt;  // unterminated part
    form_part p;
    p.content_type = "text/plain";  // the default for a part without one (RFC 7578 §4.4)
    while (!head.empty()) {
      auto eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string_view name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
      if (http::iequals(name, "Content-Type")) {
        p.content_type = std::string(value);
      } else if (http::iequals(name, "Content-Disposition")) {
        auto params = header_params(value);
        p.name = params["name"];
        if (auto f = params.find("filename"); f != params.end()) {
          p.filename = f->second;
          p.has_filename = true;
        }
      }
    }
    p.data = std::string(body.substr(content, next - content));
    parts.push_back(std::move(p));
    pos = next + 2;
  }
}

std::optional<std::string> boundary_of(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  auto params = header_params(content_type.substr(semi + 1));
  auto it = params.find("boundary");
  // RFC 2046 §5.1.1: 1 to 70 characters.
  if (it == params.end() || it->second.empty() || it->second.size() > 70) return std::nullopt;
  return it->second;
}

// ---- media ----

json media_json(const std::string& id, const media_item& m) {
  // url: "genesys://nexus/<mediaId>", the synthetic URL of 001:43.
  return {{"mediaId", id},
          {"url", "genesys://nexus/" + id},
          {"filename", m.filename},
          {"mimetype", m.mimetype},
          {"length", m.bytes.size()}};
}

http::response upload_media(const call& c, world& w) {
  if (auto bad = check_channel(c, w)) return *bad;
  auto ct = c.req.fields.get("Content-Type");
  auto boundary = ct ? boundary_of(*ct) : std::nullopt;
  if (!boundary)
    return w.error(&c.op, c.req.path(), 400,
                   "send the file as multipart/form-data with a boundary (001:29)");
  auto parts = parse_multipart(c.req.body, *boundary);
  if (!parts) return w.error(&c.op, c.req.path(), 400, "the multipart/form-data body is malformed");
  // The formData parameter `file` (001:29; 002:7612).
  const form_part* file = nullptr;
  for (const auto& p : *parts)
    if (p.name == "file" && !file) file = &p;
  if (!file && c.defect(mutation::tpm_no_file_accepted) && !parts->empty()) file = &parts->front();
  if (!file) return w.error(&c.op, c.req.path(), 400, "no form-data part named 'file'");
  media_item m{file->has_filename && !file->filename.empty() ? file->filename : "file",
               file->content_type.empty() ? "application/octet-stream" : file->content_type,
               file->data};
  std::string id = w.new_id();
  auto& st = w.state<tpm_state>("third-party-messaging");
  if (!w.reserve_media(m.bytes.size()))
    return w.error(&c.op, c.req.path(), 413,
                   "the emulator's media budget (max_media_bytes) is spent");
  if (st.media.insert(key(c.params.at("channelId"), id), m) != bounded_store<media_item>::put::ok) {
    w.release_media(m.bytes.size());
    return w.error(&c.op, c.req.path(), 500, "emulator state is full (max_objects)");
  }
  return world::json_reply(200, json{{"status", {{"code", 0}}}, {"data", media_json(id, m)}});
}

http::response download_media(const call& c, world& w) {
  if (auto bad = check_channel(c, w)) return *bad;
  auto& st = w.state<tpm_state>("third-party-messaging");
  const std::string& id = c.params.at("mediaId");
  auto m = st.media.get(key(c.params.at("channelId"), id));
  if (!m) return w.error(&c.op, c.req.path(), 404, "media " + id + " not found");
  // The stored bytes with the type given at upload (001:78).
  http::response r;
  r.status = 200;
  r.fields.set("Content-Type", m->mimetype);
  // The name goes back as a header only when it is plain printable ASCII.
  bool plain = std::all_of(m->filename.begin(), m->filename.end(), [](unsigned char ch) {
    return ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\';
  });
  if (!m->filename.empty() && plain)
    r.fields.set("Content-Disposition", "attachment; filename=\"" + m->filename + "\"");
  r.body = m->bytes;
  if (c.defect(mutation::tpm_media_truncated) && !r.body.empty()) r.body.pop_back();
  return r;
}

http::response delete_media(const call& c, world& w) {
  if (auto bad = check_channel(c, w)) return *bad;
  auto& st = w.state<tpm_state>("third-party-messaging");
  const std::string& id = c.params.at("mediaId");
  const std::string k = key(c.params.at("channelId"), id);
  auto m = st.media.get(k);
  if (!m || (!c.defect(mutation::tpm_delete_not_deleted) && !st.media.erase(k)))
    return w.error(&c.op, c.req.path(), 404, "media " + id + " not found");
  w.release_media(m->bytes.size());
  // The 200 body is an UploadResponse (001:178-194): the resource that was removed.
  return world::json_reply(200, json{{"status", {{"code", 0}}}, {"data", media_json(id, *m)}});
}

// ---- messages and delivery receipts ----

// Delivery receipt transitions (002:7539-7544): a message may be reported Delivered, Failed or
// Removed; a Delivered one may later be Removed; Failed and Removed are final. Repeating the
// last status is accepted (a retried receipt).
bool receipt_allowed(const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return true;
  return from == "Delivered" && to == "Removed";
}

http::response send_messages(const call& c, world& w) {
  if (auto bad = check_channel(c, w)) return *bad;
  if (!c.body || !c.body->contains("messages") || !(*c.body)["messages"].is_array())
    return w.error(&c.op, c.req.path(), 400, "body must be {\"messages\": [...]} (002:7309)");
  const json& messages = (*c.body)["messages"];
  const std::string& channel = c.params.at("channelId");
  auto& st = w.state<tpm_state>("third-party-messaging");
  std::lock_guard lock(st.batch_mutex);
  // Check the whole batch first: a rejected request changes nothing.
  std::map<std::string, std::string> receipts;  // messageId -> status after this batch
  std::size_t new_messages = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    const std::string where = "messages[" + std::to_string(i) + "]: ";
    // The pipeline validated the shape; a body it could not see is still refused, not trusted.
    if (!m.is_object() || !m.contains("channel") || !m["channel"].is_object() ||
        !m.contains("type") || !m["type"].is_string())
      return w.error(&c.op, c.req.path(), 400, where + "needs channel and type (002:7312-7325)");
    std::string type = m["type"].get<std::string>();
    if (type != "Receipt") {
      // A consumer message carries its text (002:7325-7326).
      if (type == "Text" && !(m.contains("text") && m["text"].is_string()))
        return w.error(&c.op, c.req.path(), 400, where + "a Text message needs a string 'text'");
      ++new_messages;
      continue;
    }
    // A receipt names the message it is about in channel.messageId (002:7400, 7506).
    const json& ch = m["channel"];
    if (!ch.contains("messageId") || !ch["messageId"].is_string())
      return w.error(&c.op, c.req.path(), 400, where + "a Receipt needs channel.messageId");
    std::string id = ch["messageId"].get<std::string>();
    std::string status = m.contains("status") && m["status"].is_string()
                             ? m["status"].get<std::string>()
                             : std::string();
    if (status != "Delivered" && status != "Removed" && status != "Failed")
      return w.error(&c.op, c.req.path(), 400,
                     where + "status must be Delivered, Removed or Failed (002:7541-7544)");
    std::string current;
    if (auto it = receipts.find(id); it != receipts.end()) {
      current = it->second;
    } else {
      // A receipt for an id the API never issued: the page is silent; the primary reading
      // refuses it (400), the alternate one accepts it (x-decision in third-party-messaging.json).
      auto stored = st.messages.get(key(channel, id));
      if (!stored && !c.alternate(w))
        return w.error(&c.op, c.req.path(), 400,
                       where + "Receipt for unknown message " + id + " on channel " + channel);
      current = stored ? stored->receipt : std::string();
    }
    if (!receipt_allowed(current, status) && !c.alternate(w))
      return w.error(&c.op, c.req.path(), 400,
                     where + "message " + id + " is " + current + "; a " + status +
                         " receipt cannot follow (002:7539-7544)");
    receipts[id] = status;
  }
  if (st.messages.size() + new_messages > st.messages.capacity())
    return w.error(&c.op, c.req.path(), 500, "emulator state is full (max_objects)");
  json ids = json::array();
  for (const json& m : messages) {
    std::string type = m["type"].get<std::string>();
    if (type == "Receipt") continue;
    std::string id = w.new_id();
    st.messages.insert(key(channel, id), message_item{type, ""});
    // Primary: plain string ids, as in the overview sample (002:7341-7344); alternate: the
    // reference's [{"id": ...}] (001:279).
    if (!c.defect(mutation::tpm_empty_ids))
      ids.push_back(c.alternate(w) ? json{{"id", id}} : json(id));
    if (type == "Text") {
      const json& from = m["channel"].contains("from") ? m["channel"]["from"] : json();
      std::string who = from.is_object() && from.contains("id") && from["id"].is_string()
                            ? from["id"].get<std::string>()
                            : std::string("consumer");
      route_third_party_text(c, w, channel, who, m["text"].get<std::string>(), id);
    }
  }
  for (const auto& receipt : receipts) {
    const auto& status = receipt.second;  // a named copy: clang 14 cannot capture bindings
    st.messages.update(key(channel, receipt.first),
                       [&](message_item& item) { item.receipt = status; });
  }
  // Receipts alone answer with the bare status (002:7410-7417); messages get their ids.
  json body{{"status", {{"code", 0}}}};
  if (new_messages > 0) body["data"] = {{"ids", ids}};
  return world::json_reply(200, body);
}

}  // namespace

void add_messaging_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["thirdPartyMessagingUploadMedia"] = upload_media;
  table["thirdPartyMessagingDownloadMedia"] = download_media;
  table["thirdPartyMessagingDeleteMedia"] = delete_media;
  table["thirdPartyMessagingSendMessage"] = send_messages;
  add_secure_email_handlers(table);
}

}  // namespace cxh::emulator::detail
