// RSS of the load engine with N connections open to a target (default 1000): a closed-model
// run with N connections, VmRSS read from /proc/self/status while it runs.
// Usage: load_rss BASE_URL [CONNECTIONS] [SECONDS] [PATH]

#include <cxh/load/engine.hpp>
#include <fstream>
#include <iostream>
#include <string>

namespace {

long vm_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: load_rss BASE_URL [CONNECTIONS] [SECONDS] [PATH]\n";
    return 2;
  }
  unsigned n = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 1000;
  double secs = argc > 3 ? std::stod(argv[3]) : 3;
  cxh::load::profile p;
  p.name = "rss";
  p.executor = cxh::load::executor_kind::constant_concurrency;
  p.duration_s = secs;
  p.connections = n;
  p.threads = 2;
  cxh::load::flow f;
  f.name = "get";
  cxh::load::step s;
  s.name = "get";
  s.method = "GET";
  s.path = argc > 4 ? argv[4] : "/";
  f.steps.push_back(s);
  p.mix.push_back(f);
  cxh::load::run_options o;
  o.prof = p;
  o.target = argv[1];
  long peak = 0;
  o.on_interval = [&](const cxh::load::interval_view&) { peak = std::max(peak, vm_rss_kb()); };
  auto r = cxh::load::run(o);
  if (auto* e = std::get_if<std::string>(&r)) {
    std::cerr << *e << "\n";
    return 3;
  }
  const auto& res = std::get<cxh::load::run_result>(r);
  std::cout << "connections " << n << ", requests " << res.totals.ops[0].completed << ", failed "
            << res.totals.ops[0].failed << ", peak VmRSS " << peak / 1024.0 << " MB\n";
  return peak / 1024 < 64 ? 0 : 1;
}
