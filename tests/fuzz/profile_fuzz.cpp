// libFuzzer target: arbitrary bytes as a load profile (YAML) -> parse_profile. Nothing may
// crash, hang, exhaust memory or throw.
#include <cstdint>
#include <cxh/load/profile.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cxh::load::parse_profile(text, "fuzz.yaml");
  return 0;
}
