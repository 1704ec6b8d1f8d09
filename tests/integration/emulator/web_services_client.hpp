#pragma once

// A Web Services v2 client for the emulator's tests: Basic-authenticated requests as agent1 or
// agent2, each answer checked against the documented responses of its operation.

#include "emulator_test_support.hpp"

namespace ws_test {

using namespace emulator_test;

inline const char* const agent1_id = "00000000-0000-4000-8000-000000000001";
inline const char* const agent2_id = "00000000-0000-4000-8000-000000000002";

inline ce::config two_agents(std::size_t max_objects = 100000) {
  ce::config c;
  c.users.push_back({"agent2", "agent2-password", agent2_id});
  c.max_objects = max_objects;
  return c;
}

struct reply {
  int status = 0;
  json body;  // null when the body is not JSON
  cxh::http::response res;
};

struct client {
  fixture f;
  explicit client(ce::config c = two_agents()) : f(std::move(c)) {}

  cxh::http::request request(const std::string& method, const std::string& target, const json& body,
                             const std::string& as) const {
    cxh::http::request r;
    r.method = method;
    r.target = "/api/v2" + target;
    r.fields.set("Authorization", "Basic " + cxh::http::base64_encode(as + ":" + as + "-password"));
    if (!body.is_null()) {
      r.fields.set("Content-Type", "application/json");
      r.body = body.dump();
    }
    return r;
  }

  // Sends and checks that the answer is one the operation (or a documented variant of the
  // same wire operation) documents, with a body its schema accepts.
  reply send(const cxh::http::request& r) const {
    reply out;
    out.res = f.em->handle(r);
    out.status = out.res.status;
    out.body = json::parse(out.res.body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    json parsed = json::parse(r.body, nullptr, false);
    auto m = f.em->spec().find(r.method, r.path(), parsed.is_discarded() ? nullptr : &parsed);
    std::string problems;
    for (const auto* op : m.operations)
      for (const auto& other : f.em->spec().operations())
        if (other.full_path() == op->full_path() && other.method == op->method &&
            other.operation_name == op->operation_name) {
          auto p = judge(other, out.res, false);
          if (p.empty()) return out;
          problems += other.operation_id + ": " + p + "\n";
        }
    ADD_FAILURE() << r.method << " " << r.target << " " << r.body << " -> " << out.status << " "
                  << out.res.body << "\n"
                  << (problems.empty() ? "no documented operation" : problems);
    return out;
  }

  reply send(const std::string& method, const std::string& target, const json& body = nullptr,
             const std::string& as = "agent1") const {
    return send(request(method, target, body, as));
  }
  reply get(const std::string& target, const std::string& as = "agent1") const {
    return send("GET", target, nullptr, as);
  }
  // POST {"operationName": name, ...extra}.
  reply op(const std::string& target, const std::string& name, json extra = json::object(),
           const std::string& as = "agent1") const {
    extra["operationName"] = name;
    return send("POST", target, extra, as);
  }

  // Sends without the judge, for answers it refuses by design (a full store is a 503).
  reply send_unjudged(const cxh::http::request& r) const {
    reply out;
    out.res = f.em->handle(r);
    out.status = out.res.status;
    out.body = json::parse(out.res.body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    return out;
  }
  // Whether the body validates against what the operation documents for its status.
  bool documented_body(const reply& r, const char* operation_id) const {
    const auto* op = f.em->spec().by_operation_id(operation_id);
    const auto* doc = op ? op->response_for(r.status) : nullptr;
    const auto* media = doc ? doc->find_media("application/json") : nullptr;
    return media && media->body && media->body->validate(r.body).empty();
  }

  // Whether the answer validates against one named variant (the envelope a section prints).
  bool answers_as(const reply& r, const char* operation_id) const {
    const auto* op = f.em->spec().by_operation_id(operation_id);
    return op && judge(*op, r.res, false).empty();
  }

  // The agent's interactions with fields=*, by channel and state.
  json interactions(const std::string& as = "agent1") const {
    return get("/me/interactions?fields=*", as).body.value("interactions", json::array());
  }
  std::string interaction_id(const std::string& channel, const std::string& state,
                             const std::string& as = "agent1") const {
    for (const auto& i : interactions(as))
      if (i.value("channel", "") == channel && i.value("state", "") == state)
        return i.value("id", "");
    return "";
  }
};

// The last path segment of a URI.
inline std::string tail(const std::string& uri) {
  return uri.substr(uri.rfind('/') + 1);
}

}  // namespace ws_test
