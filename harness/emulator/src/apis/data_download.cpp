// Filled in by the data_download handler work: until then every data_download operation gets the documented
// response from the generic path in emulator.cpp.

#include "../world.hpp"

namespace cxh::emulator::detail {

void add_data_download_handlers(std::unordered_map<std::string, api_handler>& table) { (void)table; }

}  // namespace cxh::emulator::detail
