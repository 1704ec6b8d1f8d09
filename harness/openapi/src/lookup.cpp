// Request -> operation, and status -> documented response.

#include <algorithm>
#include <cctype>
#include <cxh/openapi/spec.hpp>

#include "spec_data.hpp"

namespace cxh::openapi {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view strip_params(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  return t;
}

}  // namespace

std::string to_string(match_kind k) {
  switch (k) {
    case match_kind::found:
      return "found";
    case match_kind::ambiguous:
      return "ambiguous";
    case match_kind::unknown_path:
      return "unknown path";
    case match_kind::method_not_allowed:
      return "method not documented for this path";
    case match_kind::unknown_operation_name:
      return "unknown operationName";
  }
  return "?";
}

const response* operation::response_for(int status) const {
  std::string exact = std::to_string(status);
  std::string range = std::to_string(status / 100) + "XX";
  const response* fallback = nullptr;
  for (const auto& r : responses) {
    if (r.status == exact) return &r;
    if (iequals(r.status, range)) fallback = &r;
  }
  if (fallback) return fallback;
  for (const auto& r : responses)
    if (r.status == "default") return &r;
  return nullptr;
}

const media* response::find_media(std::string_view content_type) const {
  auto type = strip_params(content_type);
  auto slash = type.find('/');
  const media* family = nullptr;
  const media* any = nullptr;
  for (const auto& m : content) {
    if (iequals(m.content_type, type)) return &m;
    if (slash != std::string_view::npos && m.content_type.size() > 2 &&
        m.content_type.substr(m.content_type.size() - 2) == "/*" &&
        iequals(std::string_view(m.content_type).substr(0, m.content_type.size() - 1),
                type.substr(0, slash + 1)))
      family = &m;
    if (m.content_type == "*/*") any = &m;
  }
  return family ? family : any;
}

match spec_set::find(std::string_view method, std::string_view path,
                     const nlohmann::json* body) const {
  match out;
  auto q = path.find_first_of("?#");
  auto parts = detail::split_path(path.substr(0, q));
  const data::path_entry* best = nullptr;
  std::vector<const data::path_entry*> ties;
  for (const auto& p : data_->paths) {
    if (!p.tmpl.match(parts, nullptr)) continue;
    if (!best || p.tmpl.literal_weight() > best->tmpl.literal_weight()) {
      best = &p;
      ties.clear();
    } else if (p.tmpl.literal_weight() == best->tmpl.literal_weight()) {
      ties.push_back(&p);
    }
  }
  if (!best) {
    out.detail = "no documented path matches " + std::string(path.substr(0, q));
    return out;
  }
  best->tmpl.match(parts, &out.path_params);
  std::vector<const operation*> by_method;
  for (const auto* p : {best}) {
    for (auto i : p->members)
      if (iequals(data_->operations[i].method, method)) by_method.push_back(&data_->operations[i]);
  }
  for (const auto* p : ties) {
    for (auto i : p->members)
      if (iequals(data_->operations[i].method, method)) by_method.push_back(&data_->operations[i]);
  }
  if (by_method.empty()) {
    out.kind = match_kind::method_not_allowed;
    out.detail = std::string(method) + " is not documented for " + best->full;
    return out;
  }
  // operationName dispatch (Web Services v2): the body names the operation.
  bool dispatch = std::any_of(by_method.begin(), by_method.end(),
                              [](auto* o) { return !o->operation_name.empty(); });
  std::vector<const operation*> candidates = by_method;
  if (dispatch) {
    std::string name;
    if (body && body->is_object()) {
      auto n = body->find("operationName");
      if (n != body->end() && n->is_string()) name = n->get<std::string>();
    }
    candidates.clear();
    for (auto* o : by_method)
      if (!name.empty() && o->operation_name == name) candidates.push_back(o);
    if (candidates.empty()) {
      // A placeholder entry ("{operationName}") takes any name; else the plain operation.
      for (auto* o : by_method) {
        bool placeholder = !o->operation_name.empty() && o->operation_name.front() == '{';
        if ((placeholder && !name.empty()) || (o->operation_name.empty() && name.empty()))
          candidates.push_back(o);
      }
    }
    if (candidates.empty()) {
      out.kind = match_kind::unknown_operation_name;
      out.operations = by_method;  // context: the operations this path and method do have
      out.detail = name.empty() ? "the body has no operationName, which " + best->full + " requires"
                                : "operationName '" + name + "' is not documented for " +
                                      std::string(method) + " " + best->full;
      return out;
    }
  }
  if (candidates.size() > 1 && body) {
    // Variants of one wire operation (Accept for voice, e-mail, chat): keep those whose
    // request schema takes this body.
    std::vector<const operation*> fitting;
    for (auto* o : candidates) {
      bool fits = o->request.empty() || !o->request.front().body ||
                  o->request.front().body->is_valid(*body);
      if (fits) fitting.push_back(o);
    }
    if (!fitting.empty()) candidates = fitting;
  }
  out.operations = candidates;
  out.kind = candidates.size() == 1 ? match_kind::found : match_kind::ambiguous;
  if (out.kind == match_kind::ambiguous) {
    out.detail = std::to_string(candidates.size()) + " documented operations match";
  }
  return out;
}

}  // namespace cxh::openapi
