#include "connection_limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cxh/http/server.hpp>

namespace cxh::http::detail {

std::size_t clamp_to_descriptor_limit(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return wanted;
  auto soft = static_cast<std::size_t>(lim.rlim_cur);
  std::size_t headroom = 64 + soft / 32;
  std::size_t usable = soft > headroom ? soft - headroom : 1;
  return std::max<std::size_t>(1, std::min(wanted, usable));
}

std::size_t effective_per_peer_cap(std::size_t configured, std::size_t max_connections) {
  std::size_t cap = configured ? configured : max_connections - max_connections / 10;
  return std::clamp<std::size_t>(cap, 1, std::max<std::size_t>(1, max_connections));
}

std::string peer_key(const boost::asio::ip::address& a) {
  if (a.is_v6() && !a.to_v6().is_v4_mapped()) {
    auto bytes = a.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return a.to_string();
}

bool peer_counts::try_acquire(const std::string& peer, std::size_t cap) {
  std::lock_guard lock(mutex_);
  auto& n = open_[peer];
  if (n >= cap) return false;
  ++n;
  return true;
}

void peer_counts::release(const std::string& peer) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(peer);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

}  // namespace cxh::http::detail

namespace cxh::http {

bool is_loopback_address(const std::string& address) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(address, ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).is_loopback();
  return a.is_loopback();
}

}  // namespace cxh::http
