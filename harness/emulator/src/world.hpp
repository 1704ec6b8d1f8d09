#pragma once

// What every API handler sees: the resolved call, shared state, and response builders.

#include <atomic>
#include <chrono>
#include <cxh/emulator/config.hpp>
#include <cxh/http/message.hpp>
#include <cxh/http/signing.hpp>
#include <cxh/openapi/spec.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cxh::emulator::detail {

using nlohmann::json;

class world;  // call::alternate reads it

// A request resolved to its documented operation, authenticated and validated.
struct call {
  const http::request& req;
  const openapi::operation& op;
  const std::map<std::string, std::string>& params;  // path parameters
  const json* body;                                  // parsed JSON body; null when none
  std::string principal;                             // user or client id; empty for API-key-only
  std::vector<const fault_rule*> rules = {};  // fault rules matching this operation (FAULTS.md)
  // A conformance defect asked for on this operation: handlers that implement behavioural
  // mutations (a stop that does not stop...) ask here.
  bool defect(mutation m) const;
  bool alternate(const world& w) const;  // the emulator implements the alternate reading
  // The bytes an X-Hub-Signature is checked over: the raw body (001:25), or, with the
  // tpm_sign_reserialized defect, the parsed JSON dumped again (compact).
  std::string signed_bytes() const;
};

// A thread-safe map with a size bound: creating past the bound fails instead of growing.
template <class T>
class bounded_store {
 public:
  explicit bounded_store(std::size_t cap) : cap_(cap) {}
  enum class put { ok, exists, full };
  put insert(const std::string& id, T value) {
    std::lock_guard lock(m_);
    if (items_.count(id)) return put::exists;
    if (items_.size() >= cap_) return put::full;
    items_.emplace(id, std::move(value));
    return put::ok;
  }
  std::optional<T> get(const std::string& id) const {
    std::lock_guard lock(m_);
    auto it = items_.find(id);
    if (it == items_.end()) return std::nullopt;
    return it->second;
  }
  // Applies f to the stored value under the lock; false when absent.
  bool update(const std::string& id, const std::function<void(T&)>& f) {
    std::lock_guard lock(m_);
    auto it = items_.find(id);
    if (it == items_.end()) return false;
    f(it->second);
    return true;
  }
  bool erase(const std::string& id) {
    std::lock_guard lock(m_);
    return items_.erase(id) > 0;
  }
  std::size_t size() const {
    std::lock_guard lock(m_);
    return items_.size();
  }
  std::size_t capacity() const { return cap_; }
  template <class F>
  void for_each(F&& f) const {
    std::lock_guard lock(m_);
    for (const auto& [k, v] : items_) f(k, v);
  }

 private:
  mutable std::mutex m_;
  std::unordered_map<std::string, T> items_;
  std::size_t cap_;
};

struct token_info {
  std::string principal;  // user id or client id
  std::string username;
  bool is_client = false;
  std::chrono::steady_clock::time_point expires;
  bool revoked = false;
  std::uint64_t epoch = 0;  // the principal's credential epoch when issued (credentials.cpp)
};

class world;
using api_handler = http::response (*)(const call&, world&);

class world {
 public:
  world(config cfg, openapi::spec_set spec);

  const config& cfg() const { return cfg_; }
  const openapi::spec_set& spec() const { return spec_; }

  // Unique ids: UUID-shaped, seeded, never repeating within a run. Not secret: anything that
  // grants access comes from new_secret() (secrets.hpp), never from here.
  std::string new_id();
  std::string new_secret() const;

  // Credentials of the configured users as they are now (credentials.cpp): a password changed
  // through the Auth API or Web Services v2 applies to every way of signing in, and starts a new
  // credential epoch for the user: tokens, refresh tokens and session cookies of an older epoch
  // are dead. `keep_token` (the access token that made the change) moves to the new epoch.
  const user* user_with_password(std::string_view username, std::string_view password) const;
  std::optional<std::string> password_of(const std::string& user_id) const;
  void change_password(const std::string& user_id, const std::string& password,
                       const std::string& keep_token = {});
  std::uint64_t credential_epoch(const std::string& principal) const;
  std::chrono::steady_clock::time_point now() const { return std::chrono::steady_clock::now(); }

  // Per-API state, created on first use (explicit keys, one per API file).
  template <class T>
  T& state(const std::string& key) {
    std::lock_guard lock(state_mutex_);
    auto& slot = states_[key];
    if (!slot) slot = std::make_shared<T>(cfg_);
    return *static_cast<T*>(slot.get());
  }

  // The byte budget of uploaded media across every store (max_media_bytes, README.md):
  // reserve before keeping bytes (false: over budget, refuse the upload), release on delete.
  bool reserve_media(std::size_t bytes);
  void release_media(std::size_t bytes);
  std::size_t media_bytes() const { return media_bytes_.load(); }

  bounded_store<token_info>& tokens() { return tokens_; }
  std::optional<token_info> bearer(const http::request& req) const;

  // Responses. json_reply: the status with a JSON body.
  static http::response json_reply(int status, const json& body);
  // An error in the operation's own envelope: the first candidate (Engage status, Secure Email
  // status, Web Services v2 statusCode, OAuth error, gateway message, documented examples) that
  // its documented schema for `status` accepts; a documented 4xx stands in for an undocumented one.
  http::response error(const openapi::operation* op, std::string_view path, int status,
                       const std::string& message) const;
  // The documented success response: its example, else the simplest body its schema accepts.
  http::response documented_success(const openapi::operation& op) const;

  const std::unordered_map<std::string, api_handler>& handlers() const { return handlers_; }

  // Faults in force; replaced whole at run time by the admin endpoint.
  std::shared_ptr<const fault_set> faults() const;
  void set_faults(fault_set f);
  // A uniform number in [0, 1) for the n-th draw: seeded, reproducible, lock-free.
  double draw(std::uint64_t n) const;
  std::uint64_t next_draw() { return ++draws_; }
  std::chrono::milliseconds uptime() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now() - started_);
  }

 private:
  config cfg_;
  openapi::spec_set spec_;
  std::atomic<std::uint64_t> counter_{0};
  bounded_store<token_info> tokens_;
  std::atomic<std::size_t> media_bytes_{0};
  mutable std::mutex credentials_mutex_;
  std::unordered_map<std::string, std::string> changed_passwords_;  // user id -> password
  std::unordered_map<std::string, std::uint64_t> epochs_;           // user id -> epoch
  std::mutex state_mutex_;
  std::unordered_map<std::string, std::shared_ptr<void>> states_;
  std::unordered_map<std::string, api_handler> handlers_;
  mutable std::mutex faults_mutex_;
  std::shared_ptr<const fault_set> faults_;
  std::atomic<std::uint64_t> draws_{0};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// Authentication against the operation's security requirements; nullopt when allowed (and
// principal set), else the 401/403 to send.
std::optional<http::response> check_auth(const call& c, world& w, std::string& principal,
                                         bool skip_signature = false);

// Fault injection (faults.cpp): the rules that match an operation; what happens before the
// handler (a reset, an injected error) and what is done to its response afterwards.
std::vector<const fault_rule*> matching_rules(const fault_set& faults,
                                              const openapi::operation& op);
std::optional<http::response> inject_before(const std::vector<const fault_rule*>& rules, world& w,
                                            const openapi::operation& op, std::string_view path);
void inject_after(const std::vector<const fault_rule*>& rules, world& w, http::response& res);
bool has_mutation(const std::vector<const fault_rule*>& rules, mutation m);
// GET/PUT/DELETE /__cxh/admin/faults.
http::response admin(const http::request& req, world& w);

using http::base64_decode;
using http::base64_encode;
using http::hmac_sha1_hex;
using http::secure_equals;

// Handler tables, one per API file; the explicit registry is built in handlers.cpp.
void add_auth_handlers(std::unordered_map<std::string, api_handler>& table);
void add_openmedia_handlers(std::unordered_map<std::string, api_handler>& table);
void add_messaging_handlers(
    std::unordered_map<std::string, api_handler>& table);  // TPM, Secure Email
void add_statistics_handlers(
    std::unordered_map<std::string, api_handler>& table);  // Statistics REST
void add_data_download_handlers(std::unordered_map<std::string, api_handler>& table);  // CDDS, UDM
void add_web_services_handlers(std::unordered_map<std::string, api_handler>& table);   // WS v2

}  // namespace cxh::emulator::detail
