// The byte budget of uploaded media (max_media_bytes): every store that keeps uploaded bytes
// (Third-Party Messaging media, Web Services v2 attachments) draws from it, so memory is bounded
// in bytes, not only in objects.

#include <algorithm>

#include "world.hpp"

namespace cxh::emulator::detail {

bool world::reserve_media(std::size_t bytes) {
  std::size_t now = media_bytes_.load();
  do {
    if (bytes > cfg_.max_media_bytes || now > cfg_.max_media_bytes - bytes) return false;
  } while (!media_bytes_.compare_exchange_weak(now, now + bytes));
  return true;
}

void world::release_media(std::size_t bytes) {
  media_bytes_.fetch_sub(std::min(bytes, media_bytes_.load()));
}

}  // namespace cxh::emulator::detail
