#pragma once

// One Bayeux 1.0 server (long-polling transport): sessions, subscriptions, bounded queues and
// held /meta/connect answers. Transport-neutral: a batch of messages in, an HTTP response out
// (possibly deferred). Thread-safe.

#include <chrono>
#include <cxh/emulator/config.hpp>
#include <cxh/http/deferred.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace cxh::emulator::bayeux {

using nlohmann::json;

// Does a subscription (a channel name or a /* or /** pattern) cover a channel?
bool covers(const std::string& subscription, const std::string& channel);
bool valid_channel(const std::string& name, bool allow_pattern);

struct hub_stats {
  std::size_t sessions = 0, held_connects = 0, queued = 0;
  std::uint64_t dropped = 0, expired = 0, delivered = 0;
};

class hub {
 public:
  // `may_subscribe`: which channels (or patterns) a client may subscribe to.
  hub(cometd_options opts, std::function<bool(const std::string&)> may_subscribe);

  // One POST of the long-polling transport, already authenticated as `owner`. `body` is the
  // parsed JSON (an array of messages, or one message).
  http::response handle(const json& body, const std::string& owner);

  // Queues `data` on `channel` for every session of `owner` subscribed to it (publish_all:
  // every subscribed session) and wakes their held connects.
  void publish(const std::string& channel, const json& data, const std::string& owner);
  void publish_all(const std::string& channel, const json& data);

  // Forgets sessions (one clientId, or every one when empty): their next message gets
  // 402::Unknown client and a held connect is answered so at once. Returns how many.
  std::size_t expire(const std::string& client_id = {});
  // Expires sessions not seen for max_interval (called by the ticker).
  void sweep();
  hub_stats stats() const;
  const cometd_options& options() const { return opts_; }

 private:
  struct session {
    std::string owner;
    std::set<std::string> subscriptions;
    std::deque<json> queue;
    std::deque<std::size_t> queue_sizes;  // bytes of each queued message, as sent
    std::size_t queued_bytes = 0;
    std::shared_ptr<http::deferred> held;  // the pending /meta/connect answer
    json held_reply;                       // its /meta/connect reply message
    json held_prefix = json::array();      // replies of the batch it came with
    std::chrono::steady_clock::time_point seen;
  };

  json handshake(const json& m, const std::string& owner);
  json subscription_change(const json& m, session& s, bool subscribe);
  // Delivers the queue into the held connect, if any; false when there was none to complete.
  bool flush(session& s);
  void enqueue(session& s, json message);
  std::string new_client_id();
  std::size_t sessions_of(const std::string& owner) const;
  static json reply_to(const json& m, const char* channel);
  static json unknown_client(const json& m, const char* channel);

  cometd_options opts_;
  std::function<bool(const std::string&)> may_subscribe_;
  mutable std::mutex m_;
  std::map<std::string, session> sessions_;
  std::uint64_t next_id_ = 0;
  hub_stats totals_;
};

}  // namespace cxh::emulator::bayeux
