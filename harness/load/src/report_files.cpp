// .hgrm files and the .hlog interval log (report.hpp).

#include <cctype>
#include <chrono>
#include <cxh/core/atomic_file.hpp>
#include <cxh/load/report.hpp>
#include <filesystem>
#include <fstream>

namespace cxh::load {
namespace {

// Tags and file names: letters, digits, '.', '-', '_' only (an hlog tag ends at ',' or space).
std::string safe_name(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    out += std::isalnum(c) || c == '.' || c == '-' || c == '_' ? char(c) : '_';
  return out.empty() ? "_" : out;
}

}  // namespace

std::string write_hgrm_files(const std::string& dir, const run_result& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir + ": " + ec.message();
  auto write = [&](const std::string& name, const histogram::hdr& h) -> std::string {
    auto path = (std::filesystem::path(dir) / (safe_name(name) + ".hgrm")).string();
    // Microseconds recorded, milliseconds printed. Temporary file + rename: no symlink followed.
    auto why = cxh::write_file_atomically(path, histogram::to_hgrm(h, 1000.0));
    return why.empty() ? std::string() : "cannot write " + path + ": " + why;
  };
  histogram::hdr all = make_histogram();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    auto m = r.totals.ops[i].merged();
    all.add(m.corrected);
    if (auto e = write(r.steps[i].name, m.corrected); !e.empty()) return e;
  }
  return write("all", all);
}

struct hlog_sink::impl {
  std::ofstream out;
  std::unique_ptr<histogram::hlog_writer> writer;
  bool header = false;
};

std::variant<std::unique_ptr<hlog_sink>, std::string> hlog_sink::open(const std::string& path) {
  std::unique_ptr<hlog_sink> s(new hlog_sink());
  s->impl_ = std::make_unique<impl>();
  s->impl_->out.open(path);
  if (!s->impl_->out) return "cannot write " + path;
  s->impl_->writer = std::make_unique<histogram::hlog_writer>(s->impl_->out);
  return s;
}

hlog_sink::~hlog_sink() = default;

void hlog_sink::write(const interval_view& v) {
  if (!impl_->header) {
    double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    impl_->writer->write_header(now - v.start_s,
                                "cxharness load: corrected response time, microseconds");
    impl_->header = true;
  }
  for (std::size_t i = 0; i < v.stats->ops.size(); ++i) {
    auto m = v.stats->ops[i].merged();
    m.corrected.tag = safe_name((*v.steps)[i].name);
    // Max column in milliseconds (values are microseconds).
    impl_->writer->write_interval(m.corrected, v.start_s, v.length_s, 1000.0);
  }
  impl_->out.flush();
}

}  // namespace cxh::load
