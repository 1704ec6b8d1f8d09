#include "notifications.hpp"

namespace cxh::emulator::detail {

namespace {

bool statistics_channel(const std::string& ch) {
  // The two "current channels" of the page (002:6678-6681); no wildcard is documented.
  return ch == "/statistics/v3/updates" || ch == "/statistics/v3/service";
}

bool ws_channel(const std::string& ch) {
  // The Web Services v2 topics (004:1074, 1167, 3642, 3653, 3664, 3741, 4107) and patterns
  // over the user's own tree.
  static const char* documented[] = {"/v2/me",       "/v2/me/channels", "/v2/me/interactions",
                                     "/v2/me/calls", "/v2/me/devices",  "/v2/me/workbins",
                                     "/v2/users",    "/v2/me/*",        "/v2/me/**"};
  for (const char* d : documented)
    if (ch == d) return true;
  return false;
}

json service_state(const char* state) {
  return {{"name", "ServiceStateChange"},
          {"topic", "/statistics/v3/service"},
          {"data", {{"serviceState", state}}}};
}

}  // namespace

notifications::notifications(const config& c)
    : statistics(c.cometd, statistics_channel), ws(c.cometd, ws_channel), opts_(c.cometd) {}

notifications::~notifications() {
  stop_ticker();
}

notifications& notifications_of(world& w) {
  return w.state<notifications>("notifications");
}

void notifications::start_ticker(world& w) {
  std::lock_guard lock(m_);
  if (ticker_.joinable() || stopping_) return;
  ticker_ = std::thread([this, &w] {
    std::unique_lock held(m_);
    while (!stopping_) {
      cv_.wait_for(held, opts_.tick, [this] { return stopping_; });
      if (stopping_) break;
      held.unlock();
      tick(w);
      held.lock();
    }
  });
}

void notifications::stop_ticker() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void notifications::tick(world& w) {
  statistics.sweep();
  ws.sweep();
  bool back = false;
  {
    std::lock_guard lock(m_);
    if (outage_until_ && std::chrono::steady_clock::now() >= *outage_until_) {
      outage_until_.reset();
      back = true;
    }
  }
  if (back) statistics.publish_all("/statistics/v3/service", service_state("AVAILABLE"));
  if (!statistics_available()) return;
  for (auto& [owner, items] : statistic_changes(w)) {
    json update{{"name", "StatisticUpdate"},
                {"topic", "/statistics/v3/updates"},
                {"data", {{"statistics", std::move(items)}}}};
    statistics.publish("/statistics/v3/updates", update, owner);
  }
}

bool notifications::statistics_available() const {
  std::lock_guard lock(m_);
  return !outage_until_.has_value();
}

void notifications::begin_outage(world& w, std::chrono::milliseconds length) {
  {
    std::lock_guard lock(m_);
    bool already = outage_until_.has_value();
    outage_until_ = std::chrono::steady_clock::now() + length;
    if (already) return;  // extended, not announced twice
  }
  statistics.publish_all("/statistics/v3/service", service_state("UNAVAILABLE"));
  drop_statistic_subscriptions(w);
  start_ticker(w);
}

std::string notifications::cookie_for(world& w, const std::string& user_id) {
  std::lock_guard lock(m_);
  auto it = user_cookie_.find(user_id);
  if (it != user_cookie_.end()) {
    const ws_session& s = cookie_user_.at(it->second);
    if (w.now() < s.expires && s.epoch == w.credential_epoch(user_id)) return it->second;
    cookie_user_.erase(it->second);  // dead: a fresh one replaces it
  }
  std::string cookie = w.new_secret();
  user_cookie_[user_id] = cookie;
  cookie_user_[cookie] = {user_id, w.credential_epoch(user_id), w.now() + w.cfg().session_ttl};
  return cookie;
}

std::optional<std::string> notifications::user_of_cookie(const world& w,
                                                         const std::string& cookie) const {
  std::lock_guard lock(m_);
  auto it = cookie_user_.find(cookie);
  if (it == cookie_user_.end()) return std::nullopt;
  const ws_session& s = it->second;
  if (w.now() >= s.expires || s.epoch != w.credential_epoch(s.user_id)) return std::nullopt;
  return s.user_id;
}

void notifications::keep_cookie(const world& w, const std::string& user_id) {
  std::lock_guard lock(m_);
  auto it = user_cookie_.find(user_id);
  if (it != user_cookie_.end()) cookie_user_.at(it->second).epoch = w.credential_epoch(user_id);
}

void publish_ws(world& w, const std::string& user_id, const std::string& channel,
                const json& data) {
  notifications_of(w).ws.publish(channel, data, user_id);
}

}  // namespace cxh::emulator::detail
