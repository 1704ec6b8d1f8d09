#include "embedded.hpp"

#include <utility>
#include <vector>

namespace cxh::schema::detail {

// Generated from schemas/meta/ by cmake/embed_json.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_meta_schemas();

std::optional<std::string_view> embedded_document(const std::string& uri) {
  for (const auto& [id, text] : embedded_meta_schemas()) {
    if (id == uri) return text;
  }
  return std::nullopt;
}

}  // namespace cxh::schema::detail
