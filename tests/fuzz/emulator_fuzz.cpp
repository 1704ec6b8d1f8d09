// libFuzzer target: raw bytes -> HTTP parser -> the emulator's handler. Any input must give a
// parse failure status or an answer; no crash, no leak, and never a 5xx unless a fault asked.

#include <cstdint>
#include <cxh/emulator/emulator.hpp>
#include <cxh/http/parse.hpp>
#include <memory>

namespace {

const cxh::emulator::emulator& target() {
  static const auto em = [] {
    auto loaded = cxh::openapi::spec_set::load(cxh::openapi::spec_set::embedded_documents());
    return std::make_unique<cxh::emulator::emulator>(
        cxh::emulator::config{}, std::get<cxh::openapi::spec_set>(std::move(loaded)));
  }();
  return *em;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto parsed = cxh::http::parse_request(raw, 8192, 65536);
  auto* req = std::get_if<cxh::http::request>(&parsed);
  if (!req) return 0;
  auto res = target().handle(*req);
  if (res.status >= 500 && res.status != 503) __builtin_trap();  // bad input is never a 5xx
  return 0;
}
