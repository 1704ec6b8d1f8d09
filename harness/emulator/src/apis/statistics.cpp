// Filled in by the statistics handler work: until then every statistics operation gets the documented
// response from the generic path in emulator.cpp.

#include "../world.hpp"

namespace cxh::emulator::detail {

void add_statistics_handlers(std::unordered_map<std::string, api_handler>& table) { (void)table; }

}  // namespace cxh::emulator::detail
