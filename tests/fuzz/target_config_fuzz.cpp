// libFuzzer target: arbitrary bytes as a target config (--config, YAML or JSON) ->
// parse_target_config. Nothing may crash, hang, exhaust memory or throw.
#include <cstdint>
#include <cxh/runner/target.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cxh::runner::parse_target_config(text, "fuzz.yaml");
  return 0;
}
