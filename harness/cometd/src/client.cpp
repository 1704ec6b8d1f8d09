#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cxh/cometd/client.hpp>
#include <cxh/core/bounded_dump.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace cxh::cometd {

namespace {

bool covers(const std::string& sub, const std::string& channel) {
  if (sub == channel) return true;
  if (sub.size() > 3 && sub.compare(sub.size() - 3, 3, "/**") == 0)
    return channel.size() > sub.size() - 2 &&
           channel.compare(0, sub.size() - 2, sub, 0, sub.size() - 2) == 0;
  if (sub.size() > 2 && sub.compare(sub.size() - 2, 2, "/*") == 0) {
    std::size_t n = sub.size() - 1;
    return channel.size() > n && channel.compare(0, n, sub, 0, n) == 0 &&
           channel.find('/', n) == std::string::npos;
  }
  return false;
}

std::string snippet(const std::string& body) {
  return body.size() > 200 ? body.substr(0, 200) + "..." : body;
}

}  // namespace

// One channel's received messages: bounded, with the count of those dropped from the front,
// so that absolute indexes (`from`, a stream's position) stay meaningful.
struct stream::state {
  mutable std::mutex m;
  std::condition_variable cv;
  std::deque<json> items;
  std::size_t dropped = 0;
  std::size_t cap = 10000;
  void push(const json& msg) {
    {
      std::lock_guard lock(m);
      items.push_back(msg);
      if (items.size() > cap) {
        items.pop_front();
        ++dropped;
      }
    }
    cv.notify_all();
  }
};

std::optional<json> stream::next(std::chrono::milliseconds within) {
  if (!s_) return std::nullopt;
  std::unique_lock lock(s_->m);
  bool got = s_->cv.wait_for(lock, within, [&] { return s_->dropped + s_->items.size() > taken_; });
  if (!got) return std::nullopt;
  if (taken_ < s_->dropped) taken_ = s_->dropped;
  return s_->items[taken_++ - s_->dropped];
}

std::vector<json> stream::all() const {
  if (!s_) return {};
  std::lock_guard lock(s_->m);
  return {s_->items.begin(), s_->items.end()};
}

namespace {

// A number of milliseconds from the advice, within [0, max]; nullopt when absent or not a
// finite number (converting 1e300 or NaN to an integer would be undefined behaviour).
std::optional<std::chrono::milliseconds> advised_ms(const json& advice, const char* key,
                                                    std::chrono::milliseconds max) {
  auto it = advice.find(key);
  if (it == advice.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  v = std::clamp(v, 0.0, static_cast<double>(max.count()));
  return std::chrono::milliseconds(static_cast<std::int64_t>(v));
}

}  // namespace

advice follow_advice(const json& given, advice current) {
  if (!given.is_object()) return current;
  auto r = given.find("reconnect");
  if (r != given.end() && r->is_string()) {
    const auto& word = r->get_ref<const std::string&>();
    if (word == "retry" || word == "handshake" || word == "none") current.reconnect = word;
  }
  if (auto t = advised_ms(given, "timeout", advice::max_timeout)) current.timeout = *t;
  if (auto i = advised_ms(given, "interval", advice::max_interval)) current.interval = *i;
  return current;
}

struct client::impl {
  options opts;
  std::shared_ptr<http::client> http;
  std::atomic<std::uint64_t> next_id{0};

  mutable std::mutex m;  // everything below
  std::condition_variable cv;
  std::string client_id;
  std::set<std::string> subscribed;
  std::map<std::string, std::shared_ptr<stream::state>> logs;
  std::map<std::string, std::string> cookies;
  std::string reconnect = "retry";
  std::chrono::milliseconds timeout{30000}, interval{0};
  counters stats;
  std::string last_error;
  bool stopping = false;
  bool running = false;
  std::thread loop;

  std::string id() { return std::to_string(++next_id); }

  std::shared_ptr<stream::state> log_for(const std::string& channel) {
    std::lock_guard lock(m);
    auto& l = logs[channel];
    if (!l) {
      l = std::make_shared<stream::state>();
      l->cap = opts.history_per_channel;
    }
    return l;
  }

  void dispatch(const json& msg) {
    std::string ch = msg.value("channel", "");
    std::vector<std::shared_ptr<stream::state>> targets;
    {
      std::lock_guard lock(m);
      ++stats.messages;
      for (const auto& sub : subscribed)
        if (sub != ch && covers(sub, ch) && logs.count(sub)) targets.push_back(logs[sub]);
    }
    targets.push_back(log_for(ch));
    for (auto& t : targets) t->push(msg);
  }

  void take_cookies(const http::client_response& r) {
    std::lock_guard lock(m);
    for (const auto& [name, value] : r.fields.fields()) {
      if (!http::iequals(name, "Set-Cookie")) continue;
      std::string pair = value.substr(0, value.find(';'));
      auto eq = pair.find('=');
      if (eq != std::string::npos && eq > 0) cookies[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
  }

  http::client_request request(const std::string& type, const json& batch,
                               std::chrono::milliseconds timeout_for) {
    http::client_request r;
    r.method = "POST";
    r.url = opts.url + (opts.append_message_type ? type : std::string());
    r.fields = opts.headers;
    r.fields.set("Content-Type", "application/json;charset=UTF-8");
    {
      std::lock_guard lock(m);
      std::string jar;
      for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
      if (!jar.empty()) r.fields.set("Cookie", jar);
    }
    r.body = batch.dump();
    r.timeout = timeout_for;
    return r;
  }

  // The server's messages, or what went wrong. Event messages are dispatched on the way.
  std::variant<json, std::string> answer(const http::outcome& o) {
    if (!o.ok())
      return "the Bayeux server is unreachable (" + std::string(http::to_string(o.phase)) +
             "): " + o.error;
    const auto& r = *o.response;
    take_cookies(r);
    if (r.status != 200)
      return "the Bayeux server answered HTTP " + std::to_string(r.status) + ": " + snippet(r.body);
    // Nesting bounded before parsing: nlohmann builds and destroys values recursively.
    if (cxh::json_nesting_depth(r.body, 256) > 256)
      return "the Bayeux server's answer nests deeper than 256 levels: " + snippet(r.body);
    json body = json::parse(r.body, nullptr, false);
    if (body.is_object()) body = json::array({body});
    if (!body.is_array()) return "malformed JSON from the Bayeux server: " + snippet(r.body);
    for (const auto& msg : body) {
      if (!msg.is_object() || !msg.contains("channel") || !msg["channel"].is_string())
        return "malformed Bayeux message from the server: " + cxh::bounded_dump(msg, {32, 200});
      if (msg["channel"].get<std::string>().rfind("/meta/", 0) != 0 && msg.contains("data"))
        dispatch(msg);
    }
    return body;
  }

  std::variant<json, std::string> post(const std::string& type, const json& batch) {
    return answer(http->send(request(type, batch, opts.request_timeout)));
  }

  // The reply to the message with `id` (or, lacking ids, the first on `channel`).
  static const json* reply(const json& batch, const std::string& channel, const std::string& id) {
    for (const auto& msg : batch)
      if (msg.value("id", json()) == json(id)) return &msg;
    for (const auto& msg : batch)
      if (msg.value("channel", "") == channel) return &msg;
    return nullptr;
  }

  // The server's advice is outside data: follow_advice clamps it (client.hpp).
  void take_advice(const json& msg) {
    auto a = msg.find("advice");
    if (a == msg.end() || !a->is_object()) return;
    std::lock_guard lock(m);
    auto next = follow_advice(*a, {reconnect, timeout, interval});
    reconnect = next.reconnect;
    timeout = next.timeout;
    interval = next.interval;
  }

  status handshake_once() {
    std::string mid = id();
    json msg{{"channel", "/meta/handshake"},
             {"version", "1.0"},
             {"minimumVersion", "1.0"},
             {"supportedConnectionTypes", {"long-polling"}},
             {"advice", {{"timeout", 60000}, {"interval", 0}}},
             {"id", mid}};
    auto got = post("/handshake", json::array({msg}));
    if (auto* e = std::get_if<std::string>(&got)) return {*e};
    const json* r = reply(std::get<json>(got), "/meta/handshake", mid);
    if (!r) return {"the server's answer has no /meta/handshake reply"};
    take_advice(*r);
    if (!r->value("successful", false))
      return {"handshake refused: " + r->value("error", std::string("(no error given)"))};
    if (!r->contains("clientId") || !(*r)["clientId"].is_string())
      return {"the handshake reply has no clientId"};
    std::lock_guard lock(m);
    client_id = (*r)["clientId"].get<std::string>();
    ++stats.handshakes;
    return {};
  }

  std::string current_id() const {
    std::lock_guard lock(m);
    return client_id;
  }

  // A meta request that needs a session: re-handshakes once on 402::Unknown client.
  std::variant<json, std::string> session_request(const std::string& type, json msg) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::string mid = id();
      msg["id"] = mid;
      msg["clientId"] = current_id();
      auto got = post(type, json::array({msg}));
      if (auto* e = std::get_if<std::string>(&got)) return *e;
      const json* r = reply(std::get<json>(got), msg["channel"].get<std::string>(), mid);
      if (!r) return "the server's answer has no reply to " + msg["channel"].get<std::string>();
      std::string error = r->value("error", std::string());
      if (!r->value("successful", false) && error.rfind("402", 0) == 0 && attempt == 0) {
        if (auto s = handshake_once(); !s) return s.error;
        resubscribe();
        continue;
      }
      return *r;
    }
    return std::string("unreachable");
  }

  void resubscribe() {
    std::set<std::string> subs;
    {
      std::lock_guard lock(m);
      subs = subscribed;
    }
    for (const auto& ch : subs) {
      std::string mid = id();
      json msg{{"channel", "/meta/subscribe"},
               {"clientId", current_id()},
               {"subscription", ch},
               {"id", mid}};
      auto got = post("/subscribe", json::array({msg}));
      if (auto* e = std::get_if<std::string>(&got)) set_error("re-subscribing " + ch + ": " + *e);
    }
  }

  void set_error(const std::string& e) {
    std::lock_guard lock(m);
    last_error = e;
  }

  // Waits `d`, or less when stopping.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(m);
    return !cv.wait_for(lock, d, [&] { return stopping; });
  }

  // /meta/connect may be held by the server for advice.timeout: sent asynchronously so that a
  // stop does not wait for it.
  std::optional<http::outcome> send_interruptible(http::client_request r) {
    struct slot {
      std::mutex m;
      std::condition_variable cv;
      std::optional<http::outcome> o;
    };
    auto s = std::make_shared<slot>();
    http->send_async(std::move(r), [s](http::outcome o) {
      std::lock_guard lock(s->m);
      s->o = std::move(o);
      s->cv.notify_all();
    });
    std::unique_lock lock(s->m);
    while (!s->o) {
      s->cv.wait_for(lock, std::chrono::milliseconds(50));
      std::lock_guard inner(m);
      if (stopping) return std::nullopt;
    }
    return std::move(s->o);
  }

  void run() {
    int failures = 0;
    bool need_handshake = false;
    for (;;) {
      {
        std::lock_guard lock(m);
        if (stopping) break;
      }
      if (need_handshake) {
        if (auto s = handshake_once(); !s) {
          set_error(s.error);
          ++failures;
          if (!pause(std::min(opts.max_backoff,
                              std::chrono::milliseconds(100 << std::min(failures, 6)))))
            break;
          continue;
        }
        resubscribe();
        {
          std::lock_guard lock(m);
          ++stats.rehandshakes;
        }
        need_handshake = false;
      }
      std::string mid = id();
      json msg{{"channel", "/meta/connect"},
               {"clientId", current_id()},
               {"connectionType", "long-polling"},
               {"id", mid}};
      std::chrono::milliseconds hold;
      {
        std::lock_guard lock(m);
        hold = timeout;
      }
      auto o =
          send_interruptible(request("/connect", json::array({msg}), hold + opts.connect_margin));
      if (!o) break;
      auto got = answer(*o);
      if (auto* e = std::get_if<std::string>(&got)) {
        set_error(*e);
        {
          std::lock_guard lock(m);
          ++stats.transport_errors;
        }
        ++failures;
        if (!pause(std::min(opts.max_backoff,
                            std::chrono::milliseconds(100 << std::min(failures, 6)))))
          break;
        continue;
      }
      failures = 0;
      const json* r = reply(std::get<json>(got), "/meta/connect", mid);
      {
        std::lock_guard lock(m);
        ++stats.connects;
      }
      if (!r) {
        set_error("the server's answer has no /meta/connect reply");
        if (!pause(opts.max_backoff)) break;
        continue;
      }
      take_advice(*r);
      std::string advice;
      std::chrono::milliseconds wait;
      {
        std::lock_guard lock(m);
        advice = reconnect;
        wait = interval;
      }
      if (advice == "none") {
        set_error("the server advised reconnect none: " + r->value("error", std::string()));
        break;
      }
      if (!r->value("successful", false)) {
        std::string error = r->value("error", std::string());
        set_error("/meta/connect refused: " + error);
        if (advice == "handshake" || error.rfind("402", 0) == 0) need_handshake = true;
      }
      if (wait.count() > 0 && !pause(wait)) break;
    }
    std::lock_guard lock(m);
    running = false;
  }
};

client::client(options opts, std::shared_ptr<http::client> http) : impl_(std::make_shared<impl>()) {
  impl_->opts = std::move(opts);
  impl_->http = http ? std::move(http) : std::make_shared<http::client>();
}

client::~client() {
  {
    std::lock_guard lock(impl_->m);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->loop.joinable()) impl_->loop.join();
}

status client::handshake() {
  auto& i = *impl_;
  if (auto s = i.handshake_once(); !s) return s;
  std::lock_guard lock(i.m);
  if (!i.running && !i.loop.joinable()) {
    i.running = true;
    i.loop = std::thread([p = impl_] { p->run(); });
  }
  return {};
}

std::variant<stream, std::string> client::subscribe(const std::string& channel) {
  auto& i = *impl_;
  stream s;
  s.s_ = i.log_for(channel);
  {
    std::lock_guard lock(s.s_->m);
    s.taken_ = s.s_->dropped + s.s_->items.size();  // a stream sees what comes next
  }
  auto got = i.session_request("/subscribe",
                               json{{"channel", "/meta/subscribe"}, {"subscription", channel}});
  if (auto* e = std::get_if<std::string>(&got)) return *e;
  const json& r = std::get<json>(got);
  if (!r.value("successful", false))
    return "subscription to " + channel +
           " refused: " + r.value("error", std::string("(no error given)"));
  std::lock_guard lock(i.m);
  i.subscribed.insert(channel);
  return s;
}

status client::unsubscribe(const std::string& channel) {
  auto& i = *impl_;
  auto got = i.session_request("/unsubscribe",
                               json{{"channel", "/meta/unsubscribe"}, {"subscription", channel}});
  if (auto* e = std::get_if<std::string>(&got)) return {*e};
  const json& r = std::get<json>(got);
  if (!r.value("successful", false))
    return {"unsubscribe from " + channel + " refused: " + r.value("error", std::string())};
  std::lock_guard lock(i.m);
  i.subscribed.erase(channel);
  return {};
}

status client::publish(const std::string& channel, const json& data) {
  auto& i = *impl_;
  std::string mid = i.id();
  json msg{{"channel", channel}, {"data", data}, {"clientId", i.current_id()}, {"id", mid}};
  auto got = i.post("", json::array({msg}));
  if (auto* e = std::get_if<std::string>(&got)) return {*e};
  const json* r = impl::reply(std::get<json>(got), channel, mid);
  if (r && r->contains("successful") && !r->value("successful", false))
    return {"publish to " + channel + " refused: " + r->value("error", std::string())};
  return {};
}

status client::disconnect() {
  auto& i = *impl_;
  {
    std::lock_guard lock(i.m);
    i.stopping = true;
  }
  i.cv.notify_all();
  std::string mid = i.id();
  json msg{{"channel", "/meta/disconnect"}, {"clientId", i.current_id()}, {"id", mid}};
  auto got = i.post("/disconnect", json::array({msg}));
  if (i.loop.joinable()) i.loop.join();
  if (auto* e = std::get_if<std::string>(&got)) return {*e};
  const json* r = impl::reply(std::get<json>(got), "/meta/disconnect", mid);
  if (!r) return {"the server's answer has no /meta/disconnect reply"};
  if (!r->value("successful", false))
    return {"disconnect refused: " + r->value("error", std::string())};
  return {};
}

std::optional<json> client::await(const std::string& channel,
                                  const std::function<bool(const json&)>& match,
                                  std::chrono::milliseconds within, std::size_t from) {
  auto log = impl_->log_for(channel);
  auto deadline = std::chrono::steady_clock::now() + within;
  std::unique_lock lock(log->m);
  std::size_t next = from;
  for (;;) {
    if (next < log->dropped) next = log->dropped;
    for (; next < log->dropped + log->items.size(); ++next) {
      const json& msg = log->items[next - log->dropped];
      if (match(msg)) return msg;
    }
    if (log->cv.wait_until(lock, deadline) == std::cv_status::timeout &&
        next == log->dropped + log->items.size())
      return std::nullopt;
  }
}

std::optional<json> client::await(const std::string& channel, const json& pattern,
                                  std::chrono::milliseconds within, std::size_t from) {
  return await(
      channel,
      [&pattern](const json& msg) {
        auto d = msg.find("data");
        return d != msg.end() && json_contains(*d, pattern);
      },
      within, from);
}

std::vector<json> client::received(const std::string& channel) const {
  auto log = impl_->log_for(channel);
  std::lock_guard lock(log->m);
  return {log->items.begin(), log->items.end()};
}

std::size_t client::received_count(const std::string& channel) const {
  auto log = impl_->log_for(channel);
  std::lock_guard lock(log->m);
  return log->dropped + log->items.size();
}

std::string client::client_id() const {
  return impl_->current_id();
}

bool client::connected() const {
  std::lock_guard lock(impl_->m);
  return impl_->running && !impl_->stopping;
}

std::string client::last_error() const {
  std::lock_guard lock(impl_->m);
  return impl_->last_error;
}

counters client::stats() const {
  std::lock_guard lock(impl_->m);
  return impl_->stats;
}

}  // namespace cxh::cometd
