#include <cxh/openapi/spec.hpp>
#include <string_view>
#include <utility>

namespace cxh::openapi {

namespace detail {
// Generated from schemas/ (every document but meta/) by cmake/embed_json.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_schemas();
}  // namespace detail

std::vector<document_source> spec_set::embedded_documents() {
  static constexpr std::string_view prefix = "https://cxharness.dev/schemas/";
  std::vector<document_source> out;
  for (const auto& [uri, text] : detail::embedded_schemas()) {
    out.push_back(
        {std::string(uri), "schemas/" + std::string(uri.substr(prefix.size())), std::string(text)});
  }
  return out;
}

}  // namespace cxh::openapi
