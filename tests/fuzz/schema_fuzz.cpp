// libFuzzer target: arbitrary bytes -> (schema, instance) -> compile -> validate.
// Input layout: <schema JSON> '\n' <instance JSON>; the first byte's low bit switches the
// meta-schema check, bit 1 format assertion. Nothing may crash, hang or leak.

#include <cstdint>
#include <cxh/schema/validator.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::uint8_t flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  auto nl = rest.find('\n');
  std::string_view schema_text = rest.substr(0, nl);
  std::string_view instance_text = nl == std::string_view::npos ? "null" : rest.substr(nl + 1);
  auto schema_json = nlohmann::json::parse(schema_text, nullptr, false);
  auto instance = nlohmann::json::parse(instance_text, nullptr, false);
  if (schema_json.is_discarded() || instance.is_discarded()) return 0;
  cxh::schema::options opts;
  opts.check_against_metaschema = (flags & 1) != 0;
  opts.assert_formats = (flags & 2) != 0;
  opts.max_depth = 200;
  auto compiled = cxh::schema::compile(schema_json, opts);
  if (auto* s = std::get_if<cxh::schema::schema>(&compiled)) {
    bool fast = s->is_valid(instance);
    bool full = s->validate(instance).empty();
    if (fast != full) __builtin_trap();  // the two paths must agree
  }
  return 0;
}
