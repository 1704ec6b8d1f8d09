#pragma once

namespace cxh {

constexpr const char* version() {
  return CXH_VERSION;
}

}  // namespace cxh
