#pragma once

// Web Services v2 (/api/v2; 003, 004): the state the handler files share. One mutex guards it
// all: operations touch several objects at once (an interaction, its owner, a workbin), and
// one lock keeps those steps atomic. Every map is bounded by config::max_objects.

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "../world.hpp"

namespace cxh::emulator::detail::ws {

// An agent state descriptor of /settings/agent-states (004:497-545).
struct agent_state_def {
  std::string id, operation_name, display_name, state, work_mode, reason;
  bool read_only = false;  // the five basic states (004:511)
};

struct channel_rec {
  agent_state_def state;  // the userState read back (004:779-798)
  bool dnd = false;
};

struct agent_rec {
  std::map<std::string, channel_rec> channels;  // voice, chat, email
  bool in_session = true;                       // Start/EndContactCenterSession (004:3601-3602)
  bool dnd = false;                             // /me DoNotDisturbOn (004:923)
  bool workbin_events = false;                  // Subscribe/Unsubscribe (004:4072-4170)
};

struct device_rec {
  std::string id, owner, phone_number, forward_to;
  bool dnd = false;
};

struct call_rec {
  std::string id, owner, device_id, state, ani, call_uuid;
  std::vector<std::string> participants;
  bool mute = false;
  std::chrono::steady_clock::time_point since;  // when the current state began
};

struct attachment_rec {
  std::string id, name, mime, bytes;
};

struct interaction_rec {
  std::string id, channel, state, type, sub_type, queue, owner, parent_id, received_at;
  std::string workbin, workbin_agent, consult_agent;
  json user_data = json::object();
  json email = json::object();          // email_object (004:2537-2544)
  json chat = json::array();            // chat_notifications (004:2742-2806)
  std::vector<std::string> conference;  // agents conferenced in (003:353-421)
  std::map<std::string, attachment_rec> attachments;
};

struct user_rec {
  std::string id, user_name, password, first_name, last_name;
  std::vector<std::string> roles{"ROLE_AGENT"};
  bool change_password_on_first_login = false;
  std::map<std::string, std::string> skills;  // skill id -> level
};

struct skill_rec {
  std::string id, name, description;
};

struct contact_rec {
  std::string id, name, type, phone_number;
};

struct feature_rec {
  std::string id, description;
  bool assigned = false;  // "Assigned by default" (004:416-425); DELETE unassigns
};

struct workbin_rec {
  std::string id, name, view;
};

struct state {
  explicit state(const config& c) : cap(c.max_objects) {}
  std::mutex m;
  std::size_t cap;
  bool seeded = false;
  std::map<std::string, user_rec> users;
  std::map<std::string, agent_rec> agents;  // by principal (a configured user id)
  std::map<std::string, device_rec> devices;
  std::map<std::string, call_rec> calls;
  std::map<std::string, interaction_rec> interactions;
  std::map<std::string, skill_rec> skills;
  std::map<std::string, contact_rec> contacts;  // queues and custom contacts
  std::vector<agent_state_def> agent_states;
  std::vector<feature_rec> features;
  std::vector<workbin_rec> workbins;
  std::size_t attachment_count = 0;
};

// The state, seeded on first use, with its lock held for the rest of the handler.
struct locked {
  state& st;
  std::unique_lock<std::mutex> lock;
};
locked lock(world& w);
template <class M>
bool full(const state& st, const M& m) {
  return m.size() >= st.cap;
}

// The caller's agent record (every configured user has one from the seed).
agent_rec& agent_of(state& st, const call& c);
const agent_state_def* find_agent_state(const state& st, const std::string& operation_name);
const user_rec* find_user(const state& st, const std::string& id_or_name);

// Request helpers.
std::string base_uri(const call& c);                      // "http://host/api/v2"
bool full_objects(const call& c);                         // fields=* or a field list (004:78)
bool wants_subresource(const call& c, const char* name);  // subresources=* or a list (004:160)
std::string str(const json* body, const char* key);       // a string member, else ""
const json& member(const call& c, const char* key);       // a body member, else null
std::string last_segment(std::string_view uri);           // ".../calls/abc" -> "abc"

// Responses in the three result shapes.
http::response ok_status(json extra = json::object());   // {"status":"ok"} (003:88)
http::response ok_code(json extra = json::object());     // {"statusCode":0} (004:269)
http::response ok_numeric(json extra = json::object());  // {"status":0} (004:2252)
// A failure with a Return Values statusCode (004:271-278), in the envelope that `envelope`
// (default: the called operation) documents: statusCode/statusMessage, status "error" with
// errorDescription, or numeric status with description.
http::response fail(const call& c, world& w, int code, const std::string& message,
                    const openapi::operation* envelope = nullptr);
http::response full_store(const call& c, world& w);
// ChangePassword for /me and /users/{id} (004:3514-3571).
http::response change_password(const call& c, world& w, const std::string& user_id);
// A configured user's new password applied everywhere (web_services.cpp).
void apply_password_change(const call& c, world& w, const std::string& user_id,
                           const std::string& password);

// JSON renderings.
json user_state_json(const agent_state_def& s);
json channel_json(const std::string& name, const channel_rec& ch);
json device_json(const state& st, const device_rec& d, const std::string& base);
json interaction_json(const interaction_rec& i, const std::string& base);
json call_json(const call_rec& k, const std::string& base, const world& w);
json skill_json(const skill_rec& s, const std::string* level);
json user_json(const state& st, const user_rec& u, const call& c, bool subresources);

// The interaction an operation acts on (web_services_interactions.cpp), with the state lock
// held; `refusal` is set instead when it is unknown to the caller or in a state where the
// operation is not valid.
enum class need { owner_working, owner_working_or_draft, email_inbound, email_draft, chat };
struct target {
  locked l;
  interaction_rec* i = nullptr;
  std::optional<http::response> refusal;
};
target require(const call& c, world& w, need n);
// Removes the interaction the call names once the requirement holds (StopProcessing ends the
// agent's ownership, CancelReplyEmail drops a draft).
http::response remove_interaction(const call& c, world& w, need n);
// A new inbound interaction in state Invited, offered to `owner` (not stored).
interaction_rec inbound_invitation(world& w, const std::string& channel, const std::string& queue,
                                   const std::string& owner);
// Appends to a chat's history (004:2742-2806).
void chat_event(interaction_rec& i, const std::string& type, const std::string& who, json text,
                json notice = nullptr);

// Handler tables of the other files.
void add_interaction_handlers(std::unordered_map<std::string, api_handler>& table);
void add_media_handlers(std::unordered_map<std::string, api_handler>& table);
void add_workbin_handlers(std::unordered_map<std::string, api_handler>& table);
// Gives an ending interaction's attachment bytes back to the media budget (workbins.cpp).
void release_attachments(world& w, const interaction_rec& i);
void add_call_handlers(std::unordered_map<std::string, api_handler>& table);
void add_resource_handlers(std::unordered_map<std::string, api_handler>& table);
void add_settings_handlers(std::unordered_map<std::string, api_handler>& table);

}  // namespace cxh::emulator::detail::ws
