// Web Services v2 workbins (004:3793-4180) and interaction attachments (004:2980-3001):
// interactions parked in an agent's private workbin and pulled back, and the files attached
// to an interaction.

#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

const workbin_rec* workbin_named(const state& st, const std::string& key) {
  for (const auto& b : st.workbins)
    if (b.id == key || b.name == key) return &b;
  return nullptr;
}

http::response get_workbin_types(const call& c, world& w) {
  auto [st, guard] = lock(w);  // GetWorkbinTypesInfo (004:3804-3859)
  (void)c;
  json list = json::array();
  for (const auto& b : st.workbins)
    list.push_back({{"workbinId", b.id},
                    {"active", 1},
                    {"workbinName", b.name},
                    {"viewName", b.view},
                    {"workbinType", 1}});
  return ok_numeric({{"workbins", list}});
}

http::response subscribe(const call& c, world& w) {
  auto [st, guard] = lock(w);  // Subscribe / Unsubscribe (004:4072-4170)
  auto& a = agent_of(st, c);
  bool on = c.op.operation_name == "Subscribe";
  if (!on && !a.workbin_events) return fail(c, w, 2, "not subscribed to workbin events");
  a.workbin_events = on;
  return ok_numeric();
}

http::response get_workbin_content(const call& c, world& w) {
  // The interactions in the caller's view of the workbin (004:3885-3959).
  auto [st, guard] = lock(w);
  const workbin_rec* b = workbin_named(st, c.params.at("workbinId"));
  if (!b) return fail(c, w, 6, "no workbin " + c.params.at("workbinId"));
  json list = json::array();
  for (const auto& [id, i] : st.interactions) {
    if (i.workbin != b->id || i.workbin_agent != c.principal) continue;
    json row = i.user_data.is_object() ? i.user_data : json::object();
    row.update(json{{"InteractionId", id},
                    {"MediaType", i.channel},
                    {"Queue", i.queue},
                    {"Workbin", b->name},
                    {"WorkbinAgentId", i.workbin_agent},
                    {"InteractionType", i.type},
                    {"InteractionSubtype", i.sub_type}});
    list.push_back(row);
  }
  return ok_code({{"interactions", list}});
}

http::response add_to_workbin(const call& c, world& w) {
  // AddInteractionToWorkbin: an interaction the agent works on moves in (004:3996-4036).
  auto [st, guard] = lock(w);
  const workbin_rec* b = workbin_named(st, c.params.at("workbinId"));
  if (!b) return fail(c, w, 6, "no workbin " + c.params.at("workbinId"));
  std::string id = str(c.body, "interactionId");
  auto it = st.interactions.find(id);
  if (it == st.interactions.end() || it->second.owner != c.principal)
    return fail(c, w, 6, "interaction " + id + " is not one of yours");
  interaction_rec& i = it->second;
  if (i.state != "Accepted" && i.state != "Pulled" && i.state != "ReplyCreated")
    return fail(c, w, 2, "interaction " + id + " in state " + i.state + " cannot be parked");
  i.state = "Queued";
  i.queue = b->name + "/PrivateQueue";
  i.workbin = b->id;
  i.workbin_agent = c.principal;
  i.owner.clear();
  i.conference.clear();
  return ok_numeric({{"uri", base_uri(c) + "/me/workbins/" + b->id + "/interactions/" + id}});
}

http::response pull_from_workbin(const call& c, world& w) {
  // PullInteractionFromWorkbin by the URI AddInteractionToWorkbin returned; the interaction
  // comes back to the agent in state "Pulled" (004:4038-4070).
  auto [st, guard] = lock(w);
  std::string uri = str(c.body, "uri");
  auto at = uri.find("/workbins/");
  auto mid = at == std::string::npos ? at : uri.find("/interactions/", at);
  if (mid == std::string::npos)
    return fail(c, w, 2, "uri is not .../me/workbins/{workbinId}/interactions/{interactionId}");
  const workbin_rec* b = workbin_named(st, uri.substr(at + 10, mid - at - 10));
  auto it = st.interactions.find(last_segment(uri));
  if (!b || it == st.interactions.end() || it->second.workbin != b->id ||
      it->second.workbin_agent != c.principal)
    return fail(c, w, 6, "no interaction at " + uri);
  interaction_rec& i = it->second;
  i.state = "Pulled";
  i.owner = c.principal;
  i.queue.clear();
  i.workbin.clear();
  i.workbin_agent.clear();
  return ok_numeric();
}

struct part {
  std::string name, filename, type, body;
};

// A parameter of a header value: `name="a"` in `form-data; name="a"; filename="b"`.
std::string header_param(std::string_view value, std::string_view key) {
  while (!value.empty()) {
    auto semi = value.find(';');
    auto item = value.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto eq = item.find('=');
    if (eq != std::string_view::npos && http::iequals(item.substr(0, eq), key)) {
      auto v = item.substr(eq + 1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
  return "";
}

// multipart/form-data (RFC 7578): the parts, or nullopt when the body is not well formed.
std::optional<std::vector<part>> parse_multipart(std::string_view content_type,
                                                 std::string_view body) {
  std::string boundary = header_param(content_type, "boundary");
  if (boundary.empty()) return std::nullopt;
  const std::string delim = "--" + boundary, next_delim = "\r\n--" + boundary;
  std::vector<part> parts;
  auto pos = body.find(delim);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += delim.size();
  while (body.substr(pos, 2) != "--") {
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return std::nullopt;
    auto end = body.find(next_delim, head_end + 4);
    if (end == std::string_view::npos) return std::nullopt;
    part p;
    p.body = body.substr(head_end + 4, end - head_end - 4);
    p.type = "application/octet-stream";  // RFC 7578 section 4.4
    std::string_view head = body.substr(pos, head_end - pos);
    while (!head.empty()) {
      auto eol = head.find("\r\n");
      auto line = head.substr(0, eol);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        auto name = line.substr(0, colon), value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (http::iequals(name, "Content-Disposition")) {
          p.name = header_param(value, "name");
          p.filename = header_param(value, "filename");
        } else if (http::iequals(name, "Content-Type") && !value.empty()) {
          p.type = std::string(value);
        }
      }
      if (eol == std::string_view::npos) break;
      head.remove_prefix(eol + 2);
    }
    parts.push_back(std::move(p));
    pos = end + next_delim.size();
  }
  return parts;
}

interaction_rec* my_interaction(state& st, const call& c) {
  auto it = st.interactions.find(c.params.at("id"));
  if (it == st.interactions.end() || it->second.owner != c.principal) return nullptr;
  return &it->second;
}

http::response create_attachment(const call& c, world& w) {
  // The file is bound to the 'attachment' variable (004:2995).
  auto [st, guard] = lock(w);
  interaction_rec* i = my_interaction(st, c);
  if (!i) return fail(c, w, 6, "interaction " + c.params.at("id") + " is not one of yours");
  auto ct = c.req.fields.get("Content-Type");
  auto parts = parse_multipart(ct ? *ct : "", c.req.body);
  if (!parts) return fail(c, w, 1, "the body is not multipart/form-data with a boundary");
  auto file = std::find_if(parts->begin(), parts->end(),
                           [](const part& p) { return p.name == "attachment"; });
  if (file == parts->end()) return fail(c, w, 1, "no 'attachment' part in the form");
  if (st.attachment_count >= st.cap) return full_store(c, w);
  // The name is echoed in a header later: no quotes or control characters may reach it.
  std::string name = file->filename.empty() ? "attachment" : file->filename;
  for (auto& ch : name)
    if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) ch = '_';
  std::string type = file->type;
  for (auto& ch : type)
    if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
  if (!w.reserve_media(file->body.size()))
    return fail(c, w, 1, "the emulator's media budget (max_media_bytes) is spent");
  attachment_rec a{w.new_id(), name, type, file->body};
  i->attachments[a.id] = a;
  ++st.attachment_count;
  return ok_code({{"documentId", a.id}});
}

const attachment_rec* find_attachment(state& st, const call& c) {
  interaction_rec* i = my_interaction(st, c);
  if (!i) return nullptr;
  auto it = i->attachments.find(c.params.at("attachmentId"));
  return it == i->attachments.end() ? nullptr : &it->second;
}

http::response get_attachment(const call& c, world& w) {
  // The bytes, with their MIME type (004:3000).
  auto [st, guard] = lock(w);
  const attachment_rec* a = find_attachment(st, c);
  if (!a) return fail(c, w, 6, "no attachment " + c.params.at("attachmentId"));
  http::response r;
  r.status = 200;
  r.fields.set("Content-Type", a->mime);
  r.fields.set("Content-Disposition", "attachment; filename=\"" + a->name + "\"");
  r.body = a->bytes;
  return r;
}

http::response delete_attachment(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3001
  if (!find_attachment(st, c)) return fail(c, w, 6, "no attachment " + c.params.at("attachmentId"));
  w.release_media(find_attachment(st, c)->bytes.size());
  my_interaction(st, c)->attachments.erase(c.params.at("attachmentId"));
  --st.attachment_count;
  return ok_code();
}

}  // namespace

void release_attachments(world& w, const interaction_rec& i) {
  for (const auto& [id, a] : i.attachments) w.release_media(a.bytes.size());
}

void add_workbin_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2MeGetWorkbinTypesInfo"] = get_workbin_types;
  table["wsV2MeSubscribeWorkbinEvents"] = subscribe;
  table["wsV2MeUnsubscribeWorkbinEvents"] = subscribe;
  table["wsV2MeGetWorkbinContent"] = get_workbin_content;
  table["wsV2MeAddInteractionToWorkbin"] = add_to_workbin;
  table["wsV2MePullInteractionFromWorkbin"] = pull_from_workbin;
  table["wsV2MeCreateAttachment"] = create_attachment;
  table["wsV2MeGetAttachment"] = get_attachment;
  table["wsV2MeDeleteAttachment"] = delete_attachment;
}

}  // namespace cxh::emulator::detail::ws
