#pragma once

// How many connections the server holds, and from whom: the descriptor limit bounds the total,
// and a per-peer cap keeps one client (one address) from taking every slot.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cxh::http::detail {

// `wanted`, lowered to what RLIMIT_NOFILE's soft limit allows less some headroom (listening
// socket, outbound webhook connections, files): past it accept() fails with EMFILE.
std::size_t clamp_to_descriptor_limit(std::size_t wanted);

// The per-peer cap in effect: `configured`, or (0) nine tenths of max_connections, and never
// above max_connections or below 1.
std::size_t effective_per_peer_cap(std::size_t configured, std::size_t max_connections);

// Who a connection counts against: its address; an IPv6 address by its /64 (one host may use a
// whole /64, RFC 4291 section 2.5.1).
std::string peer_key(const boost::asio::ip::address& a);

// Open connections per peer; thread-safe.
class peer_counts {
 public:
  bool try_acquire(const std::string& peer, std::size_t cap);
  void release(const std::string& peer);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

// One connection's place in peer_counts, given back when the connection ends (moved into the
// connection's coroutine, so it lives exactly as long as the connection).
class peer_slot {
 public:
  peer_slot(peer_counts& counts, std::string peer) : counts_(&counts), peer_(std::move(peer)) {}
  peer_slot(peer_slot&& o) noexcept : counts_(o.counts_), peer_(std::move(o.peer_)) {
    o.counts_ = nullptr;
  }
  peer_slot(const peer_slot&) = delete;
  peer_slot& operator=(const peer_slot&) = delete;
  peer_slot& operator=(peer_slot&&) = delete;
  ~peer_slot() {
    if (counts_) counts_->release(peer_);
  }

 private:
  peer_counts* counts_;
  std::string peer_;
};

}  // namespace cxh::http::detail
