#include "cometd_source.hpp"

#include <cxh/cometd/client.hpp>
#include <map>
#include <mutex>
#include <set>

namespace cxh::runner::detail {

namespace {

class cometd_source final : public event_source {
 public:
  cometd_source(const openapi::spec_set& spec, const target_config& target, authenticator& auth)
      : spec_(spec), target_(target), auth_(auth) {}

  std::string prepare(const std::string& channel) override {
    std::lock_guard lock(mutex_);
    auto server = server_for(channel);
    if (server.empty()) return "no known CometD server carries channel " + channel;
    auto& conn = connections_[server];
    if (!conn.client) {
      if (auto why = open(server, conn); !why.empty()) {
        conn.client.reset();
        return why;
      }
    }
    if (!conn.subscribed.count(channel)) {
      auto sub = conn.client->subscribe(channel);
      if (auto* e = std::get_if<std::string>(&sub))
        return "CometD subscribe " + channel + ": " + *e;
      conn.subscribed.insert(channel);
    }
    // Only messages that arrive from now on answer this step.
    marks_[channel] = conn.client->received_count(channel);
    return "";
  }

  std::optional<nlohmann::json> await(const std::string& channel, const nlohmann::json& match,
                                      std::chrono::milliseconds within) override {
    cometd::client* c = nullptr;
    std::size_t from = 0;
    {
      std::lock_guard lock(mutex_);
      auto it = connections_.find(server_for(channel));
      if (it == connections_.end() || !it->second.client) return std::nullopt;
      c = it->second.client.get();
      from = marks_[channel];
    }
    return c->await(channel, match, within, from);
  }

 private:
  struct connection {
    std::unique_ptr<cometd::client> client;
    std::set<std::string> subscribed;
  };

  static std::string server_for(const std::string& channel) {
    if (channel.rfind("/statistics/", 0) == 0) return "statistics";
    if (channel.rfind("/v2/", 0) == 0) return "ws";
    return "";
  }

  std::string open(const std::string& server, connection& conn) {
    cometd::options o;
    if (server == "statistics") {
      o.url = target_.base_for("statistics-notifications") + "/statistics/v3/notifications";
      // The handshake is authenticated as the documented operation asks (x-api-key + bearer).
      auto m = spec_.find("POST", "/statistics/v3/notifications/handshake");
      http::client_request probe;
      bool bearer = false;
      auto why = auth_.apply(m.kind == openapi::match_kind::found ? m.operations.front() : nullptr,
                             {}, probe, bearer);
      if (!why.empty()) return "CometD (Statistics): " + why;
      o.headers = probe.fields;
    } else {
      // Web Services v2: Basic, as its REST calls (the CometD URL is GWS's usual one).
      o.url = target_.base_for("ws-v2-me") + "/api/v2/notifications";
      if (!target_.creds.basic) return "CometD (Web Services v2) needs credentials.basic";
      http::client_request probe;
      scenario::auth_override basic;
      basic.basic = target_.creds.basic;
      bool bearer = false;
      auth_.apply(nullptr, basic, probe, bearer);
      o.headers = probe.fields;
    }
    http::client_options h;
    h.verify_tls = !target_.insecure;
    h.ca_file = target_.ca_file;
    h.connect_timeout = target_.connect_timeout;
    conn.client = std::make_unique<cometd::client>(o, std::make_shared<http::client>(h));
    if (auto s = conn.client->handshake(); !s)
      return "CometD handshake at " + o.url + ": " + s.error;
    return "";
  }

  const openapi::spec_set& spec_;
  const target_config& target_;
  authenticator& auth_;
  std::mutex mutex_;
  std::map<std::string, connection> connections_;
  std::map<std::string, std::size_t> marks_;
};

}  // namespace

std::shared_ptr<event_source> make_cometd_source(const openapi::spec_set& spec,
                                                 const target_config& target, authenticator& auth) {
  return std::make_shared<cometd_source>(spec, target, auth);
}

}  // namespace cxh::runner::detail
