// Web Services v2 calls (004:3466-3626): the agent's voice calls, read as resources and
// changed by the asynchronous call control operations; Dial on a device creates one.

#include "web_services.hpp"

namespace cxh::emulator::detail::ws {

namespace {

// A dialled party answers one second after the call was made: a deterministic function of
// time, so a Dial leads to an Established call that Hold and the rest can act on.
constexpr std::chrono::seconds answer_delay{1};

void settle(call_rec& k, const world& w) {
  if (k.state == "Dialing" && w.now() - k.since >= answer_delay) {
    k.state = "Established";
    k.since += answer_delay;
  }
}

void move_to(call_rec& k, const char* state, const world& w) {
  k.state = state;
  k.since = w.now();
}

call_rec* my_call(state& st, const call& c, const std::string& id, const world& w) {
  auto it = st.calls.find(id);
  if (it == st.calls.end() || it->second.owner != c.principal) return nullptr;
  settle(it->second, w);
  return &it->second;
}

http::response get_calls(const call& c, world& w) {
  // "a list of all calls visible to the current user" (004:3473), URIs or fields=*.
  auto [st, guard] = lock(w);
  std::string base = base_uri(c);
  json list = json::array();
  for (auto& [id, k] : st.calls) {
    if (k.owner != c.principal) continue;
    settle(k, w);
    list.push_back(full_objects(c) ? call_json(k, base, w) : json(base + "/me/calls/" + id));
  }
  return ok_code({{full_objects(c) ? "calls" : "uris", list}});
}

http::response get_call(const call& c, world& w) {
  auto [st, guard] = lock(w);  // 004:3475-3493
  call_rec* k = my_call(st, c, c.params.at("id"), w);
  if (!k) return fail(c, w, 6, "no call " + c.params.at("id"));
  return ok_code({{"call", call_json(*k, base_uri(c), w)}});
}

http::response new_call(const call& c, world& w, state& st, const device_rec& d,
                        const std::string& to) {
  // Created calls answer as a created resource does: id and uri (004:316-342).
  if (full(st, st.calls)) return full_store(c, w);
  call_rec k{w.new_id(), c.principal, d.id,  "Dialing", d.phone_number,
             w.new_id(), {to},        false, w.now()};
  st.calls[k.id] = k;
  return ok_code({{"id", k.id}, {"uri", base_uri(c) + "/me/calls/" + k.id}});
}

http::response dial(const call& c, world& w) {
  // Dial on /devices/{id}/calls (004:3609).
  auto [st, guard] = lock(w);
  auto it = st.devices.find(c.params.at("id"));
  if (it == st.devices.end()) return fail(c, w, 6, "no device " + c.params.at("id"));
  if (it->second.owner != c.principal)  // 004:3296
    return fail(c, w, 5, "device " + it->second.id + " is not assigned to you");
  std::string to = str(c.body, "destination");
  if (to.empty()) return fail(c, w, 1, "destination is required");
  return new_call(c, w, st, it->second, to);
}

http::response wrong_state(const call& c, world& w, const call_rec& k) {
  return fail(c, w, 2, c.op.operation_name + " is not valid for a call in state " + k.state);
}

http::response call_operation(const call& c, world& w) {
  // Call Control (004:3604-3626), one operationName at a time.
  auto [st, guard] = lock(w);
  call_rec* k = my_call(st, c, c.params.at("id"), w);
  if (!k) return fail(c, w, 6, "no call " + c.params.at("id"));
  const std::string& op = c.op.operation_name;
  bool established = k->state == "Established", held = k->state == "Held";
  if (op == "Hangup") {  // any state (004:3611)
    st.calls.erase(std::string(k->id));
    return ok_code();
  }
  if (op == "Answer") {
    if (k->state != "Ringing") return wrong_state(c, w, *k);
    move_to(*k, "Established", w);
    return ok_code();
  }
  if (op == "Hold" || op == "Retrieve") {
    if (op == "Hold" ? !established : !held) return wrong_state(c, w, *k);
    move_to(*k, op == "Hold" ? "Held" : "Established", w);
    return ok_code();
  }
  if (op == "SingleStepTransfer") {  // the call leaves this agent
    if (!established && !held) return wrong_state(c, w, *k);
    st.calls.erase(std::string(k->id));
    return ok_code();
  }
  if (op == "MuteCall" || op == "UnmuteCall") {
    bool mute = op == "MuteCall";
    if (!established || k->mute == mute) return wrong_state(c, w, *k);
    k->mute = mute;
    return ok_code();
  }
  if (op == "SendDtmf") {
    if (!established) return wrong_state(c, w, *k);
    if (str(c.body, "digits").empty()) return fail(c, w, 1, "digits is required");
    return ok_code();
  }
  if (op == "SingleStepConference") {
    std::string to = str(c.body, "destination");
    if (!established) return wrong_state(c, w, *k);
    if (std::find(k->participants.begin(), k->participants.end(), to) != k->participants.end())
      return fail(c, w, 2, to + " is already on the call");
    k->participants.push_back(to);
    return ok_code();
  }
  if (op == "RemoveParticipantFromConference") {
    std::string who = str(c.body, "participant");
    auto it = std::find(k->participants.begin(), k->participants.end(), who);
    if (!established || k->participants.size() < 2) return wrong_state(c, w, *k);
    if (it == k->participants.end()) return fail(c, w, 2, who + " is not on the call");
    k->participants.erase(it);
    return ok_code();
  }
  if (op == "InitiateConference") {
    // A consultation call to the destination while this one is held (004:3616).
    std::string to = str(&member(c, "destination"), "phoneNumber");
    if (!established) return wrong_state(c, w, *k);
    if (to.empty()) return fail(c, w, 1, "destination.phoneNumber is required");
    auto d = st.devices.find(k->device_id);
    if (d == st.devices.end()) return fail(c, w, 6, "the call's device is gone");
    auto r = new_call(c, w, st, d->second, to);
    if (r.status == 200) move_to(*k, "Held", w);
    return r;
  }
  // CompleteConference, SwapCalls, MergeWithOtherCall name another call by its URI.
  std::string other_uri =
      str(c.body, op == "CompleteConference" ? "consultCallUri" : "otherCallUri");
  call_rec* other = my_call(st, c, last_segment(other_uri), w);
  if (!other || other == k) return fail(c, w, 6, "no other call at " + other_uri);
  if (op == "SwapCalls") {  // hold this one, retrieve the other (004:3625)
    if (!established || other->state != "Held") return wrong_state(c, w, *k);
    move_to(*k, "Held", w);
    move_to(*other, "Established", w);
    return ok_code();
  }
  // CompleteConference and MergeWithOtherCall join the other call's parties to this one.
  if (!established && !held) return wrong_state(c, w, *k);
  for (const auto& p : other->participants)
    if (std::find(k->participants.begin(), k->participants.end(), p) == k->participants.end())
      k->participants.push_back(p);
  st.calls.erase(std::string(other->id));
  move_to(*k, "Established", w);
  return ok_code();
}

}  // namespace

void add_call_handlers(std::unordered_map<std::string, api_handler>& table) {
  table["wsV2MeGetCalls"] = get_calls;
  table["wsV2MeGetCall"] = get_call;
  table["wsV2DeviceDial"] = dial;
  for (const char* id :
       {"wsV2MeCallAnswer", "wsV2MeCallHangup", "wsV2MeCallHold", "wsV2MeCallRetrieve",
        "wsV2MeCallSingleStepTransfer", "wsV2MeCallSingleStepConference",
        "wsV2MeCallInitiateConference", "wsV2MeCallCompleteConference", "wsV2MeCallSendDtmf",
        "wsV2MeCallRemoveParticipantFromConference", "wsV2MeCallMuteCall", "wsV2MeCallUnmuteCall",
        "wsV2MeCallSwapCalls", "wsV2MeCallMergeWithOtherCall"})
    table[id] = call_operation;
}

}  // namespace cxh::emulator::detail::ws
