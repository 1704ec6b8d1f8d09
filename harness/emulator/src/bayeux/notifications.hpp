#pragma once

// The emulator's two CometD servers (Statistics, Web Services v2) and the ticker that drives
// them: statistic change detection, the end of a Statistics outage, session expiry.

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "../world.hpp"
#include "hub.hpp"

namespace cxh::emulator::detail {

class notifications {
 public:
  explicit notifications(const config& c);
  ~notifications();

  bayeux::hub statistics;  // /statistics/v3/notifications
  bayeux::hub ws;          // /api/v2/notifications

  void start_ticker(world& w);  // idempotent: the thread starts with the first session
  void stop_ticker();

  // Statistics service state: an outage publishes UNAVAILABLE, drops every statistics
  // subscription, and publishes AVAILABLE when `length` has passed (002:5079-5082).
  bool statistics_available() const;
  void begin_outage(world& w, std::chrono::milliseconds length);

  // Web Services v2 session cookies: one per signed-in user, accepted instead of Basic, random
  // (secrets.hpp), good for session_ttl and until the user's password changes.
  std::string cookie_for(world& w, const std::string& user_id);
  std::optional<std::string> user_of_cookie(const world& w, const std::string& cookie) const;
  // The user's cookie survives the password change the user just made (004:3645: the new
  // password is for the next login).
  void keep_cookie(const world& w, const std::string& user_id);

 private:
  void tick(world& w);

  cometd_options opts_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::thread ticker_;
  bool stopping_ = false;
  std::optional<std::chrono::steady_clock::time_point> outage_until_;
  struct ws_session {
    std::string user_id;
    std::uint64_t epoch = 0;  // the user's credential epoch when issued
    std::chrono::steady_clock::time_point expires;
  };
  std::unordered_map<std::string, ws_session> cookie_user_;
  std::unordered_map<std::string, std::string> user_cookie_;
};

notifications& notifications_of(world& w);

// statistics.cpp: the values that changed since the last call, per subscription owner, as
// StatisticUpdate `data.statistics` items (a new subscription's first call gives them all).
std::vector<std::pair<std::string, json>> statistic_changes(world& w);
void drop_statistic_subscriptions(world& w);

// Publishes a Web Services v2 notification to one user's sessions.
void publish_ws(world& w, const std::string& user_id, const std::string& channel, const json& data);

// The transports: Statistics (operationIds statisticsCometd*, behind the documented auth) and
// Web Services v2 (/api/v2/notifications, Basic or the session cookie).
http::response statistics_cometd(const call& c, world& w);
http::response ws_cometd(const http::request& req, world& w);
// /__cxh/admin/cometd/... and /__cxh/admin/statistics/...; nullopt for other admin paths.
std::optional<http::response> notifications_admin(const http::request& req, world& w);

}  // namespace cxh::emulator::detail
