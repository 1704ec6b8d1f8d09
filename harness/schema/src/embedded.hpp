#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxh::schema::detail {

// The official meta-schemas compiled into the binary (generated from schemas/meta/ at build
// time), looked up by their $id without a fragment.
std::optional<std::string_view> embedded_document(const std::string& uri);

}  // namespace cxh::schema::detail
