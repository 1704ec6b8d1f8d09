#include <cxh/webhook/certify.hpp>
#include <cxh/webhook/sender.hpp>
#include <cxh/webhook/signature.hpp>

namespace cxh::webhook {

namespace {

constexpr const char* page = "spec/002_b62a95316013058d.txt:";

struct webhook_type {
  const char* name;
  const char* operation_id;
  const char* answer_source;     // "respond with 2XX / 200 OK"
  const char* signature_source;  // "should verify this signature"
  const char* deadline_source;   // the answer deadline (TPM: 10 s; Interactions: none printed)
  bool needs_message_id;
  bool needs_200;
};

const webhook_type types[] = {
    {"third-party-messaging", "thirdPartyMessagingWebhookSendMessage", "7274", "7286", "7273", true,
     false},
    {"interactions", "interactionsWebhookSendEvents", "3118", "3123", "3118", false, true},
};

}  // namespace

bool certify_result::passed() const {
  for (const auto& c : checks) {
    if (!c.passed && c.level == "MUST") return false;
  }
  return !unreachable;
}

certify_result certify(const openapi::spec_set& spec, const certify_options& opts) {
  certify_result out;
  http::client_options co;
  co.verify_tls = !opts.insecure;
  co.ca_file = opts.ca_file;
  co.request_timeout = opts.deadline;
  auto client = std::make_shared<http::client>(co);
  retry_policy once;
  once.max_attempts = 1;
  once.deadline = opts.deadline;
  sender send(once, client);
  auto deadline_ms = std::to_string(opts.deadline.count()) + " ms";

  for (const auto& t : types) {
    if (!opts.types.empty() &&
        std::find(opts.types.begin(), opts.types.end(), t.name) == opts.types.end()) {
      continue;
    }
    const auto* op = spec.by_operation_id(t.operation_id);
    if (!op || op->request.empty()) continue;
    auto add = [&](std::string name, const char* level, bool passed, std::string expected,
                   std::string actual, std::string line) {
      out.checks.push_back({t.name, std::move(name), level, passed, std::move(expected),
                            std::move(actual), page + line});
    };
    std::vector<nlohmann::json> bodies = op->request.front().examples;
    for (const auto& body_json : bodies) {
      const std::string body = body_json.dump();
      auto r = send.deliver(opts.url, opts.secret, body);
      const auto& a = r.attempts.front();
      // No answer at all (refused, unresolvable) is unreachable; a late answer is a finding.
      bool late = a.error.rfind("deadline exceeded", 0) == 0;
      if (a.status == 0 && !late && out.checks.empty()) {
        out.unreachable = true;
        add("the endpoint answers", "MUST", false, "an HTTP answer", a.error, t.answer_source);
        return out;
      }
      std::string got = a.status ? std::to_string(a.status) : a.error;
      if (t.needs_200) {
        add("a signed webhook is answered 200 OK", "MUST", a.status == 200, "200", got,
            t.answer_source);
      } else {
        add("a signed webhook is answered 2xx", "MUST", a.status >= 200 && a.status < 300, "2xx",
            got, t.answer_source);
      }
      add("the answer comes within the deadline", "MUST",
          a.status != 0 && a.elapsed_ms <= opts.deadline.count(), "<= " + deadline_ms,
          a.status ? std::to_string(static_cast<long long>(a.elapsed_ms)) + " ms" : a.error,
          t.deadline_source);
      if (t.needs_message_id && a.status >= 200 && a.status < 300) {
        bool has = r.answer && r.answer->is_object() && r.answer->contains("messageId") &&
                   (*r.answer)["messageId"].is_string() &&
                   !(*r.answer)["messageId"].get<std::string>().empty();
        add("the answer carries the messageId", "MUST", has, "{\"messageId\": \"...\"}",
            r.answer ? r.answer->dump().substr(0, 200) : "no JSON body", "7276");
      }
    }
    // A receiver that does not check signatures accepts forged webhooks.
    const std::string body = bodies.empty() ? "{}" : bodies.front().dump();
    auto forged = send.deliver(opts.url, opts.secret + "-not-the-secret", body);
    int fs = forged.attempts.front().status;
    add("a wrong X-Hub-Signature is refused", "SHOULD", fs >= 400 && fs < 500, "4xx",
        fs ? std::to_string(fs) : forged.attempts.front().error, t.signature_source);
    http::client_request unsigned_req;
    unsigned_req.method = "POST";
    unsigned_req.url = opts.url;
    unsigned_req.body = body;
    unsigned_req.fields.set("Content-Type", "application/json");
    auto bare = client->send(unsigned_req);
    int bs = bare.ok() ? bare.response->status : 0;
    add("a webhook without X-Hub-Signature is refused", "SHOULD", bs >= 400 && bs < 500, "4xx",
        bs ? std::to_string(bs) : bare.error, t.signature_source);
  }
  return out;
}

}  // namespace cxh::webhook
