#pragma once
// Cases generated from the specification alone, per operation: negative requests (no
// credentials, a wrong API key or password, a bad signature, malformed JSON, a missing required
// field, a wrong type, an unknown id) that must be refused with a documented 4xx, and positive
// GETs that must succeed with a documented 2xx, signed requests whose non-canonical JSON bytes
// must be accepted. Run like any suite (name "generated"). Each kind's passing statuses, and
// why, are stated beside the code that makes it (src/generate.cpp).
#include <cxh/openapi/spec.hpp>
#include <cxh/scenario/model.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace cxh::runner {

struct generate_options {
  bool negatives = true;
  bool positives = true;
  // Values the run has for path parameters and required headers, by parameter name (--var
  // channelId=..., the config's `variables:`): credential cases then name a real resource and
  // expect exactly the refusal; the signed-bytes case needs them (no case without).
  std::map<std::string, nlohmann::json> known;
};

scenario::suite generate_cases(const openapi::spec_set& spec, const generate_options& opts = {});

}  // namespace cxh::runner
