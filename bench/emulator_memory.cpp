// Memory of the emulator's state: N Openmedia creates through the handler (no sockets), then
// the resident set. Prints bytes per stored interaction and checks the store stayed bounded.
//   emulator_memory [CREATES=1000000] [MAX_OBJECTS=100000]

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cxh/emulator/emulator.hpp>
#include <fstream>
#include <string>

namespace {

std::size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t creates = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::size_t max_objects = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  auto loaded = cxh::openapi::spec_set::load(cxh::openapi::spec_set::embedded_documents());
  cxh::emulator::config cfg;
  cfg.max_objects = max_objects;
  cxh::emulator::emulator em(cfg, std::get<cxh::openapi::spec_set>(std::move(loaded)));
  cxh::http::request req;
  req.method = "POST";
  req.target = "/nexus/v3/openmedia/chat/interactions";
  req.fields.add("x-api-key", "demo-api-key");
  req.fields.add("Content-Type", "application/json");
  std::size_t before = rss_bytes(), ok = 0, full = 0;
  for (std::size_t i = 0; i < creates; ++i) {
    req.body = R"({"data":{"externalId":"ext-)" + std::to_string(i) +
               R"(","userData":{"queue":"sales","n":)" + std::to_string(i) + "}}}";
    auto res = em.handle(req);
    if (res.status == 200)
      ++ok;
    else
      ++full;
  }
  std::size_t after = rss_bytes();
  double per = ok ? static_cast<double>(after - before) / static_cast<double>(ok) : 0;
  std::printf(
      "creates %zu: stored %zu, refused (state full) %zu; RSS %.1f MB -> %.1f MB; %.0f bytes per "
      "stored interaction\n",
      creates, ok, full, before / 1e6, after / 1e6, per);
  bool bounded = ok <= max_objects;
  std::printf("%s: the store holds at most max_objects=%zu\n", bounded ? "OK" : "FAIL",
              max_objects);
  return bounded ? 0 : 1;
}
