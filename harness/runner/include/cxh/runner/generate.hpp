#pragma once
// Cases generated from the specification alone, per operation: negative requests (no
// credentials, a wrong API key or password, a bad signature, malformed JSON, a missing required
// field, a wrong type, an unknown id) that must be refused with a documented 4xx, and positive
// GETs that must succeed with a documented 2xx. Run like any suite (name "generated").
#include <cxh/openapi/spec.hpp>
#include <cxh/scenario/model.hpp>

namespace cxh::runner {

struct generate_options {
  bool negatives = true;
  bool positives = true;
};

scenario::suite generate_cases(const openapi::spec_set& spec, const generate_options& opts = {});

}  // namespace cxh::runner
