// The lint rule on requirements: a verdict must name the page line it enforces, so every case
// says what it checks and every MUST says where the pages say so.
#include <cxh/scenario/parse.hpp>

namespace cxh::scenario {

namespace {

// The API reference pages are 000 (Openmedia) to 004 (Web Services v2 full reference).
constexpr int last_page = 4;

// "003:12" or "003:12-20" -> 3; -1 when the page number is not three digits.
int page_of(const std::string& cite) {
  if (cite.size() < 4 || cite[3] != ':') return -1;
  int page = 0;
  for (int i = 0; i < 3; ++i) {
    if (cite[i] < '0' || cite[i] > '9') return -1;
    page = page * 10 + (cite[i] - '0');
  }
  return page;
}

void check_case(const test_case& c, diagnostics& out) {
  if (c.requirements.empty()) {
    out.push_back({c.at.str(), "case '" + c.name + "' states no requirement",
                   "a case without requirements is MUST and cites nothing: add requirements: "
                   "[{id: X-1, level: MUST, text: ..., cite: \"000:123\"}]"});
    return;
  }
  for (const auto& r : c.requirements) {
    if (r.level == "MUST" && r.cite.empty()) {
      out.push_back(
          {r.at.str(), "MUST requirement '" + r.id + "' cites no page line",
           "add cite: \"NNN:LINE\" (or a list) naming the line of /work/shared/spec/NNN_*.txt "
           "that states it, or lower its level"});
    }
    for (const auto& cite : r.cite) {
      int page = page_of(cite);
      if (page < 0 || page > last_page) {
        out.push_back({r.at.str(),
                       "requirement '" + r.id + "' cites '" + cite + "', which names no page",
                       "the pages are 000 (Openmedia) to 004 (Web Services v2 full reference)"});
      }
    }
  }
}

}  // namespace

diagnostics check_citations(const std::vector<suite>& suites) {
  diagnostics out;
  for (const auto& s : suites)
    for (const auto& c : s.cases) check_case(c, out);
  return out;
}

}  // namespace cxh::scenario
