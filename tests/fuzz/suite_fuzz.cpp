// libFuzzer target: arbitrary bytes as a scenario suite (YAML) -> parse_suite. Nothing may
// crash, hang, exhaust memory (alias bombs meet the YAML budget) or throw.
#include <cstdint>
#include <cxh/scenario/parse.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cxh::scenario::parse_suite(text, "fuzz.yaml");
  return 0;
}
