#pragma once

#include <cxh/openapi/spec.hpp>
#include <deque>

#include "path_template.hpp"

namespace cxh::openapi {

struct spec_set::data {
  std::deque<nlohmann::json> documents;  // the raw documents; operations point into them
  std::vector<std::string> uris;         // documents[i]'s retrieval URI
  std::vector<operation> operations;
  struct path_entry {
    detail::path_template tmpl;
    std::string full;                  // server + template
    std::vector<std::size_t> members;  // indexes into operations
  };
  std::vector<path_entry> paths;
};

}  // namespace cxh::openapi
