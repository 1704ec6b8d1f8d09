// The configured users' passwords as they are now, and credential epochs: one source of truth
// for every way of signing in (Basic, the password grant, /authorize, the WS v2 CometD
// endpoint), so a password change applies everywhere and ends the sessions made with the old one.

#include "secrets.hpp"
#include "world.hpp"

namespace cxh::emulator::detail {

std::string world::new_secret() const {
  return detail::new_secret();
}

std::optional<std::string> world::password_of(const std::string& user_id) const {
  std::lock_guard lock(credentials_mutex_);
  if (auto it = changed_passwords_.find(user_id); it != changed_passwords_.end()) return it->second;
  for (const auto& u : cfg_.users)
    if (u.id == user_id) return u.password;
  return std::nullopt;
}

const user* world::user_with_password(std::string_view username, std::string_view password) const {
  for (const auto& u : cfg_.users) {
    if (u.username != username) continue;
    auto current = password_of(u.id);
    if (current && secure_equals(*current, password)) return &u;
  }
  return nullptr;
}

std::uint64_t world::credential_epoch(const std::string& principal) const {
  std::lock_guard lock(credentials_mutex_);
  auto it = epochs_.find(principal);
  return it == epochs_.end() ? 0 : it->second;
}

void world::change_password(const std::string& user_id, const std::string& password,
                            const std::string& keep_token) {
  std::uint64_t epoch = 0;
  {
    std::lock_guard lock(credentials_mutex_);
    changed_passwords_[user_id] = password;
    epoch = ++epochs_[user_id];
  }
  if (!keep_token.empty())
    tokens_.update(keep_token, [&](token_info& t) {
      if (t.principal == user_id) t.epoch = epoch;
    });
}

}  // namespace cxh::emulator::detail
