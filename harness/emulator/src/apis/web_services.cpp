// Filled in by the web_services handler work: until then every web_services operation gets the documented
// response from the generic path in emulator.cpp.

#include "../world.hpp"

namespace cxh::emulator::detail {

void add_web_services_handlers(std::unordered_map<std::string, api_handler>& table) { (void)table; }

}  // namespace cxh::emulator::detail
