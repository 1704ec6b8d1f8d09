#pragma once
// The profile compiled for the request path: templates parsed, operations resolved, static
// requests serialised once.

#include <cxh/load/engine.hpp>
#include <cxh/load/template.hpp>
#include <cxh/openapi/spec.hpp>
#include <string>
#include <vector>

namespace cxh::load::detail {

struct prepared_step {
  std::size_t index = 0;  // in the run's step list (statistics)
  std::string method;
  text_template target;  // base prefix + path + query
  std::vector<std::pair<std::string, text_template>> headers;
  text_template body;
  bool has_body = false;
  std::string fixed_head;    // literal header lines (credentials, content type)
  std::string static_bytes;  // the whole request when nothing varies; else empty
  std::vector<std::pair<std::string, std::string>> capture;
  std::vector<int> expect;
  const openapi::operation* op = nullptr;
  bool needs_body = false;  // captures or checks read the body
};

struct prepared_flow {
  double weight = 1;
  std::vector<prepared_step> steps;
};

struct plan {
  std::vector<prepared_flow> flows;
  std::vector<double> cumulative_weight;
  std::vector<step_info> steps;
  std::string host_header;
};

// Serialises one request of a step into out (cleared first). A variable never captured renders
// empty and is named in *missing.
void render_request(const plan& pl, const prepared_step& s, const render_context& ctx,
                    std::string& out, std::string* missing);

// Builds the plan; an error names the step (file:line:col).
std::variant<plan, std::string> prepare(const run_options& opts, const std::string& host_header,
                                        const std::string& base_path);

}  // namespace cxh::load::detail
