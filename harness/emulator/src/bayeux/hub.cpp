#include "hub.hpp"

#include "../secrets.hpp"

namespace cxh::emulator::bayeux {

namespace {

bool segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-_!~()$@").find(c) != std::string_view::npos;
}

std::string string_of(const json& m, const char* key) {
  auto it = m.find(key);
  return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
}

http::response json_response(const json& body) {
  return http::response::json(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// One POST may not carry more than max_batch messages (one caller taking every session in one
// request): one refusal, nothing in the batch done.
http::response batch_too_large(std::size_t max_batch) {
  json r{{"channel", "/meta/unsuccessful"}, {"successful", false}};
  r["error"] = "400::a batch holds at most " + std::to_string(max_batch) + " messages";
  return json_response(json::array({r}));
}

}  // namespace

bool valid_channel(const std::string& name, bool allow_pattern) {
  if (name.size() < 2 || name.front() != '/' || name.back() == '/') return false;
  std::size_t start = 1;
  while (start <= name.size()) {
    auto slash = name.find('/', start);
    std::string_view seg(name.data() + start,
                         (slash == std::string::npos ? name.size() : slash) - start);
    bool last = slash == std::string::npos;
    if (seg.empty()) return false;
    if (seg == "*" || seg == "**") {
      if (!allow_pattern || !last) return false;
    } else {
      for (char c : seg)
        if (!segment_char(c)) return false;
    }
    if (last) break;
    start = slash + 1;
  }
  return true;
}

bool covers(const std::string& sub, const std::string& channel) {
  if (sub == channel) return true;
  auto ends = [&](std::string_view tail) {
    return sub.size() > tail.size() &&
           sub.compare(sub.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends("/**")) {
    std::string_view prefix(sub.data(), sub.size() - 2);  // keeps the '/'
    return channel.size() > prefix.size() && channel.compare(0, prefix.size(), prefix) == 0;
  }
  if (ends("/*")) {
    std::string_view prefix(sub.data(), sub.size() - 1);
    return channel.size() > prefix.size() && channel.compare(0, prefix.size(), prefix) == 0 &&
           channel.find('/', prefix.size()) == std::string::npos;
  }
  return false;
}

hub::hub(cometd_options opts, std::function<bool(const std::string&)> may_subscribe)
    : opts_(opts), may_subscribe_(std::move(may_subscribe)) {}

std::string hub::new_client_id() {
  // The session's capability (with its owner): 192 bits from the CSPRNG, alphanumeric as
  // CometD client ids are.
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string bytes = detail::random_bytes(32), id;
  for (unsigned char b : bytes) id += alphabet[b % 36];  // 32 x log2(36) ~ 165 bits
  return id + std::to_string(++next_id_);
}

std::size_t hub::sessions_of(const std::string& owner) const {
  std::size_t n = 0;
  for (const auto& [id, s] : sessions_) n += s.owner == owner;
  return n;
}

json hub::reply_to(const json& m, const char* channel) {
  json r{{"channel", channel}};
  if (auto it = m.find("id"); it != m.end() && (it->is_string() || it->is_number_integer()))
    r["id"] = *it;
  if (auto it = m.find("clientId"); it != m.end() && it->is_string()) r["clientId"] = *it;
  return r;
}

json hub::unknown_client(const json& m, const char* channel) {
  json r = reply_to(m, channel);
  r["successful"] = false;
  r["error"] = "402::Unknown client";
  r["advice"] = {{"reconnect", "handshake"}, {"interval", 0}};
  return r;
}

json hub::handshake(const json& m, const std::string& owner) {
  json r = reply_to(m, "/meta/handshake");
  r.erase("clientId");
  r["version"] = "1.0";
  r["supportedConnectionTypes"] = json::array({"long-polling"});
  bool long_polling = false;
  if (auto it = m.find("supportedConnectionTypes"); it != m.end() && it->is_array())
    for (const auto& t : *it) long_polling = long_polling || t == "long-polling";
  if (!long_polling) {
    r["successful"] = false;
    r["error"] = "400::the only connection type served is long-polling";
    r["advice"] = {{"reconnect", "none"}};
    return r;
  }
  if (sessions_.size() >= opts_.max_sessions ||
      sessions_of(owner) >= opts_.max_sessions_per_owner) {
    // One caller may not take every session: a per-owner cap below the server's.
    r["successful"] = false;
    r["error"] = sessions_.size() >= opts_.max_sessions ? "503::too many sessions"
                                                        : "503::too many sessions for this caller";
    r["advice"] = {{"reconnect", "handshake"}, {"interval", 5000}};
    return r;
  }
  std::string id = new_client_id();
  session s;
  s.owner = owner;
  s.seen = std::chrono::steady_clock::now();
  sessions_.emplace(id, std::move(s));
  r["clientId"] = id;
  r["successful"] = true;
  r["advice"] = {{"reconnect", "retry"},
                 {"interval", opts_.interval.count()},
                 {"timeout", opts_.timeout.count()}};
  return r;
}

json hub::subscription_change(const json& m, session& s, bool subscribe) {
  const char* channel = subscribe ? "/meta/subscribe" : "/meta/unsubscribe";
  json r = reply_to(m, channel);
  auto it = m.find("subscription");
  std::vector<std::string> subs;
  if (it != m.end() && it->is_string()) subs.push_back(it->get<std::string>());
  if (it != m.end() && it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) subs.push_back(x.get<std::string>());
  if (it == m.end() || subs.empty() || (it->is_array() && subs.size() != it->size())) {
    r["successful"] = false;
    r["error"] = "400::subscription must be a channel or an array of channels";
    return r;
  }
  r["subscription"] = *it;
  for (const auto& sub : subs) {
    if (!valid_channel(sub, true) || sub.rfind("/meta/", 0) == 0) {
      r["successful"] = false;
      r["error"] = "400:" + sub + ":invalid channel";
      return r;
    }
    if (subscribe && !may_subscribe_(sub)) {
      r["successful"] = false;
      r["error"] = "403:" + sub + ":subscription denied";
      return r;
    }
  }
  for (const auto& sub : subs) {
    if (subscribe)
      s.subscriptions.insert(sub);
    else
      s.subscriptions.erase(sub);
  }
  r["successful"] = true;
  return r;
}

bool hub::flush(session& s) {
  if (!s.held || !s.held->pending()) return false;
  json out = std::move(s.held_prefix);
  std::size_t n = s.queue.size();
  for (auto& q : s.queue) out.push_back(q);
  out.push_back(s.held_reply);
  if (s.held->complete(json_response(out))) {
    s.queue.clear();
    s.queue_sizes.clear();
    s.queued_bytes = 0;
    totals_.delivered += n;
  }
  s.held.reset();
  s.held_prefix = json::array();
  return true;
}

void hub::enqueue(session& s, json message) {
  // Bounded in messages and bytes (the size of each message as sent): the oldest go, counted.
  std::size_t bytes = message.dump(-1, ' ', false, json::error_handler_t::replace).size();
  while (!s.queue.empty() &&
         (s.queue.size() >= opts_.queue_cap || s.queued_bytes + bytes > opts_.max_queued_bytes)) {
    s.queued_bytes -= std::min(s.queued_bytes, s.queue_sizes.front());
    s.queue.pop_front();
    s.queue_sizes.pop_front();
    ++totals_.dropped;
  }
  if (bytes > opts_.max_queued_bytes) {
    ++totals_.dropped;  // alone larger than the budget: never queued
    return;
  }
  s.queue.push_back(std::move(message));
  s.queue_sizes.push_back(bytes);
  s.queued_bytes += bytes;
  flush(s);
}

http::response hub::handle(const json& body, const std::string& owner) {
  std::vector<const json*> messages;
  if (body.is_array() && body.size() > opts_.max_batch) return batch_too_large(opts_.max_batch);
  if (body.is_array())
    for (const auto& m : body) messages.push_back(&m);
  else
    messages.push_back(&body);
  json replies = json::array();
  std::string connect_client;
  const json* connect_msg = nullptr;
  std::lock_guard lock(m_);
  auto now = std::chrono::steady_clock::now();
  for (const json* mp : messages) {
    const json& m = *mp;
    std::string ch = m.is_object() ? string_of(m, "channel") : std::string();
    if (ch.empty() || !valid_channel(ch, false)) {
      json r{{"channel", "/meta/unsuccessful"}, {"successful", false}};
      r["error"] = "400::a message must be an object with a valid channel";
      replies.push_back(r);
      continue;
    }
    if (ch == "/meta/handshake") {
      replies.push_back(handshake(m, owner));
      continue;
    }
    std::string client = string_of(m, "clientId");
    auto it = sessions_.find(client);
    if (it == sessions_.end() || it->second.owner != owner) {
      // Another caller's clientId is as unknown as an expired one.
      replies.push_back(unknown_client(m, ch.c_str()));
      continue;
    }
    session& s = it->second;
    s.seen = now;
    if (ch == "/meta/connect") {
      connect_client = client;
      connect_msg = &m;
    } else if (ch == "/meta/subscribe" || ch == "/meta/unsubscribe") {
      replies.push_back(subscription_change(m, s, ch == "/meta/subscribe"));
    } else if (ch == "/meta/disconnect") {
      flush(s);
      sessions_.erase(it);
      json r = reply_to(m, "/meta/disconnect");
      r["successful"] = true;
      replies.push_back(r);
      if (connect_client == client) connect_msg = nullptr;
    } else if (ch.rfind("/meta/", 0) == 0) {
      json r = reply_to(m, ch.c_str());
      r["successful"] = false;
      r["error"] = "400:" + ch + ":unknown meta channel";
      replies.push_back(r);
    } else {
      // Clients only listen here: the notifications come from the server side.
      json r = reply_to(m, ch.c_str());
      r["successful"] = false;
      r["error"] = "403:" + ch + ":publish denied";
      replies.push_back(r);
    }
  }
  if (!connect_msg) return json_response(replies);
  auto it = sessions_.find(connect_client);
  if (it == sessions_.end()) return json_response(replies);
  session& s = it->second;
  const json& m = *connect_msg;
  json reply = reply_to(m, "/meta/connect");
  if (string_of(m, "connectionType") != "long-polling") {
    reply["successful"] = false;
    reply["error"] = "400:" + string_of(m, "connectionType") + ":unsupported connection type";
    reply["advice"] = {{"reconnect", "retry"}, {"interval", opts_.interval.count()}};
    replies.push_back(reply);
    return json_response(replies);
  }
  reply["successful"] = true;
  reply["advice"] = {{"reconnect", "retry"},
                     {"interval", opts_.interval.count()},
                     {"timeout", opts_.timeout.count()}};
  // One long poll per client: an earlier held connect is answered now.
  flush(s);
  bool at_once = !replies.empty() || !s.queue.empty();
  if (auto a = m.find("advice"); a != m.end() && a->is_object()) {
    auto t = a->find("timeout");
    if (t != a->end() && t->is_number() && t->get<double>() <= 0) at_once = true;
  }
  if (at_once) {
    totals_.delivered += s.queue.size();
    for (auto& q : s.queue) replies.push_back(std::move(q));
    s.queue.clear();
    s.queue_sizes.clear();
    s.queued_bytes = 0;
    replies.push_back(reply);
    return json_response(replies);
  }
  http::response res;
  res.later = std::make_shared<http::deferred>(opts_.timeout, json_response(json::array({reply})));
  s.held = res.later;
  s.held_reply = reply;
  s.held_prefix = json::array();
  return res;
}

void hub::publish(const std::string& channel, const json& data, const std::string& owner) {
  std::lock_guard lock(m_);
  for (auto& [id, s] : sessions_) {
    if (s.owner != owner) continue;
    for (const auto& sub : s.subscriptions) {
      if (covers(sub, channel)) {
        enqueue(s, json{{"channel", channel}, {"data", data}});
        break;
      }
    }
  }
}

void hub::publish_all(const std::string& channel, const json& data) {
  std::lock_guard lock(m_);
  for (auto& [id, s] : sessions_) {
    for (const auto& sub : s.subscriptions) {
      if (covers(sub, channel)) {
        enqueue(s, json{{"channel", channel}, {"data", data}});
        break;
      }
    }
  }
}

std::size_t hub::expire(const std::string& client_id) {
  std::lock_guard lock(m_);
  std::size_t n = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (!client_id.empty() && it->first != client_id) {
      ++it;
      continue;
    }
    auto& s = it->second;
    if (s.held && s.held->pending()) {
      json r = unknown_client(s.held_reply, "/meta/connect");
      s.held->complete(json_response(json::array({r})));
    }
    it = sessions_.erase(it);
    ++n;
    ++totals_.expired;
  }
  return n;
}

void hub::sweep() {
  std::lock_guard lock(m_);
  auto now = std::chrono::steady_clock::now();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& s = it->second;
    if (s.held && s.held->pending()) {
      s.seen = now;  // a client in a long poll is alive
      ++it;
    } else if (now - s.seen > opts_.max_interval) {
      it = sessions_.erase(it);
      ++totals_.expired;
    } else {
      ++it;
    }
  }
}

hub_stats hub::stats() const {
  std::lock_guard lock(m_);
  hub_stats st = totals_;
  st.sessions = sessions_.size();
  st.held_connects = 0;
  st.queued = 0;
  for (const auto& [id, s] : sessions_) {
    if (s.held && s.held->pending()) ++st.held_connects;
    st.queued += s.queue.size();
  }
  return st;
}

}  // namespace cxh::emulator::bayeux
