#include "event_schemas.hpp"

namespace cxh::runner::detail {

event_schemas::event_schemas() {
  const auto docs = openapi::spec_set::embedded_documents();
  std::map<std::string, const std::string*> text_of;
  for (const auto& d : docs) text_of[d.uri] = &d.text;
  schema::options opts;
  opts.check_against_metaschema = false;  // lint checks them; this is the run's hot start
  opts.load = [&](const std::string& uri) -> std::optional<std::string> {
    auto it = text_of.find(uri.substr(0, uri.find('#')));
    if (it == text_of.end()) return std::nullopt;
    return *it->second;
  };
  for (const auto& d : docs) {
    if (d.display.rfind("schemas/events/", 0) != 0) continue;
    auto doc = nlohmann::json::parse(d.text, nullptr, false);
    if (!doc.is_object()) continue;
    auto ch = doc.find("x-channel");
    if (ch == doc.end() || !ch->is_string()) continue;
    auto compiled = schema::compile(doc, opts, d.uri);
    auto* s = std::get_if<schema::schema>(&compiled);
    if (!s) continue;  // `cxharness lint` reports a document that does not compile
    std::string source;
    if (auto x = doc.find("x-source"); x != doc.end() && x->is_object())
      source = x->value("seed", "").substr(0, 3) + ":" + std::to_string(x->value("line", 0));
    by_channel_[ch->get<std::string>()].push_back({d.display, source, *s});
  }
}

const std::vector<event_schema>& event_schemas::for_channel(const std::string& channel) const {
  static const std::vector<event_schema> none;
  auto it = by_channel_.find(channel);
  return it == by_channel_.end() ? none : it->second;
}

}  // namespace cxh::runner::detail
