#include <cxh/core/atomic_file.hpp>
#include <cxh/reporters/reporters.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace cxh::reporters {

std::optional<report_target> parse_report_spec(std::string_view spec, std::string* why) {
  auto fail = [&](std::string m) -> std::optional<report_target> {
    if (why) *why = std::move(m);
    return std::nullopt;
  };
  auto colon = spec.find(':');
  if (colon == std::string_view::npos) {
    return fail("expected FORMAT:PATH (console, junit, json or html), e.g. junit:reports/run.xml");
  }
  std::string_view name = spec.substr(0, colon);
  report_target t;
  t.path = std::string(spec.substr(colon + 1));
  if (name == "console") {
    t.kind = format::console;
  } else if (name == "junit") {
    t.kind = format::junit;
  } else if (name == "json") {
    t.kind = format::json;
  } else if (name == "html") {
    t.kind = format::html;
  } else {
    return fail("unknown format '" + std::string(name) +
                "'; expected console, junit, json or html");
  }
  if (t.path.empty()) return fail("no path after '" + std::string(name) + ":' (use - for stdout)");
  return t;
}

std::string write_report(const report_target& target, const runner::run_result& r) {
  auto emit = [&](std::ostream& out) {
    switch (target.kind) {
      case format::console:
        write_console(r, out, false);
        break;
      case format::junit:
        write_junit(r, out);
        break;
      case format::json:
        write_json(r, out);
        break;
      case format::html:
        write_html(r, out);
        break;
    }
  };
  if (target.path == "-") {
    emit(std::cout);
    return "";
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(target.path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec) return "cannot create " + p.parent_path().string() + ": " + ec.message();
  // Written whole to a temporary file, then renamed over the path (symlinks are replaced).
  std::ostringstream out;
  emit(out);
  if (auto why = cxh::write_file_atomically(target.path, out.str()); !why.empty())
    return "cannot write " + target.path + ": " + why;
  return "";
}

}  // namespace cxh::reporters
