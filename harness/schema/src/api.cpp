// The public face: compiler, schema, one-shot compile.

#include <algorithm>
#include <cxh/schema/validator.hpp>

#include "engine.hpp"
#include "uri.hpp"

namespace cxh::schema {

using detail::engine;

compiler::compiler(options opts) : engine_(std::make_shared<engine>()) {
  engine_->opts = std::move(opts);
}
compiler::~compiler() = default;
compiler::compiler(compiler&&) noexcept = default;
compiler& compiler::operator=(compiler&&) noexcept = default;

namespace {
constexpr std::size_t kMaxDocumentDepth = 512;
}

std::size_t json_depth(const nlohmann::json& value) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&value, 1}};
  while (!stack.empty()) {
    auto [j, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    if (j->is_structured())
      for (const auto& child : *j) stack.emplace_back(&child, d + 1);
  }
  return deepest;
}

cxh::diagnostics compiler::add_document(const std::string& uri, const nlohmann::json& document) {
  if (json_depth(document) > kMaxDocumentDepth)
    return {
        {uri, "document nested deeper than " + std::to_string(kMaxDocumentDepth) + " levels", ""}};
  return add_document(uri, nlohmann::json(document));
}

cxh::diagnostics compiler::add_document(const std::string& uri, nlohmann::json&& document) {
  if (json_depth(document) > kMaxDocumentDepth)
    return {
        {uri, "document nested deeper than " + std::to_string(kMaxDocumentDepth) + " levels", ""}};
  if (!detail::resolve_uri(uri, "")) {
    return {{uri, "not an absolute URI", "documents are registered under absolute URIs"}};
  }
  engine_->problems.clear();
  auto found = engine_->add_document(uri, std::move(document), false);
  found.insert(found.end(), engine_->problems.begin(), engine_->problems.end());
  engine_->problems.clear();
  return found;
}

std::variant<schema, cxh::diagnostics> compiler::compile(const std::string& uri) {
  auto& e = *engine_;
  e.problems.clear();
  const nlohmann::json* target = e.locate(uri, uri);
  if (!target) {
    if (e.problems.empty()) e.problems.push_back({uri, "no schema is known by this URI", ""});
    return std::move(e.problems);
  }
  const detail::node* root = e.compile_node(*target);
  e.compile_dynamic_anchors();
  if (e.problems.empty()) e.check_cycles(root);
  if (!e.problems.empty()) {
    auto out = std::move(e.problems);
    e.problems.clear();
    return out;
  }
  return schema(engine_, root);
}

std::variant<schema, cxh::diagnostics> compile(const nlohmann::json& document, const options& opts,
                                               const std::string& base_uri) {
  compiler c(opts);
  auto problems = c.add_document(base_uri, document);
  if (!problems.empty()) return problems;
  return c.compile(base_uri);
}

bool schema::is_valid(const nlohmann::json& instance) const {
  detail::eval_ctx c;
  c.eng = engine_.get();
  c.max_depth = engine_->opts.max_depth;
  return detail::eval_node(*root_, instance, c, nullptr);
}

std::vector<error> schema::validate(const nlohmann::json& instance) const {
  std::vector<error> errors;
  detail::eval_ctx c;
  c.full = true;
  c.errors = &errors;
  c.eng = engine_.get();
  c.max_depth = engine_->opts.max_depth;
  bool ok = detail::eval_node(*root_, instance, c, nullptr);
  if (!ok && errors.empty()) {
    errors.push_back({"", "", root_->absolute_location, "the instance is not valid"});
  }
  return errors;
}

}  // namespace cxh::schema
