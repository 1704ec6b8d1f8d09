#pragma once

#include <cxh/openapi/spec.hpp>

namespace cxh::openapi {

struct lint_report {
  cxh::diagnostics problems;  // each names file#pointer (or file:line:col) and what is wrong
  std::size_t openapi_documents = 0;
  std::size_t schema_documents = 0;
  std::size_t operations = 0;
  std::size_t schemas = 0;  // schemas compiled
};

// Checks a set of documents: OpenAPI ones against the OpenAPI 3.1 schema (embedded), JSON Schema
// ones against their meta-schema; every $ref resolves, every schema compiles, operationIds and
// x-catalog-ids are unique. `load` serves $refs to documents outside the set.
lint_report lint(const std::vector<document_source>& docs, schema::loader load = {});

}  // namespace cxh::openapi
