#pragma once

#include <cxh/openapi/spec.hpp>

namespace cxh::emulator::detail {

// A simple instance of a raw schema: const, examples, default or enum where given, else the
// required members of objects, minItems items, strings shaped by format. Best effort: the
// caller validates it against the compiled schema before sending it.
nlohmann::json synthesize(const openapi::spec_set& spec, const nlohmann::json& schema,
                          const std::string& base_uri, int depth = 0,
                          const nlohmann::json* outer_props = nullptr);

}  // namespace cxh::emulator::detail
