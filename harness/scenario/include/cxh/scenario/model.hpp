#pragma once
// A conformance suite as the runner executes it (the YAML format: scenarios/README.md).
#include <chrono>
#include <cxh/scenario/yaml_json.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cxh::scenario {

struct body_assertion {
  enum class op { equals, not_equals, exists, matches, type, contains, length };
  std::string pointer;
  op kind = op::equals;
  nlohmann::json value;
  position at;
};

struct header_assertion {
  std::string name;
  enum class op { equals, matches, absent } kind = op::equals;
  std::string value;
  position at;
};

// `expect.raw_body`: the response body byte for byte (downloads, non-JSON answers).
struct raw_body_assertion {
  std::optional<std::string> equals;  // templated
  std::optional<std::size_t> length;
  position at;
};

// `capture: {var: /pointer}` or `{var: [/first, /second]}`: the first source present wins, so
// a suite can accept each documented shape of a value (`/data/ids/0/id` or `/data/ids/0`).
struct capture {
  std::string variable;
  std::vector<std::string> sources;  // JSON pointers or header:Name, tried in order
};

struct event_expectation {
  enum class source { cometd, webhook } from = source::cometd;
  std::string channel;  // CometD channel, or the webhook receiver's name
  nlohmann::json match = nlohmann::json::object();  // subset the message must contain
  std::chrono::milliseconds within{5000};
  position at;
};

// `auth:` of a step. Defaults: the credentials the operation's security asks for.
struct auth_override {
  bool none = false;
  std::optional<std::string> api_key, bearer;
  std::optional<std::pair<std::string, std::string>> basic;  // username, password
  std::optional<std::string> signature;                      // "bad" | "missing"
};

struct step {
  std::string name;
  std::string call;                  // operationId, or empty with method + path
  std::string method, literal_path;  // `request:`
  std::string operation_name;        // WS v2 operationName added to the body
  std::map<std::string, nlohmann::json> path_params, query, headers, form;
  std::optional<nlohmann::json> body;
  std::optional<std::string> raw_body;
  std::string content_type;
  auth_override auth;
  std::vector<int> expect_status;  // empty: any documented status
  std::vector<body_assertion> body_checks;
  std::vector<header_assertion> header_checks;
  std::optional<raw_body_assertion> raw_body_check;
  std::vector<event_expectation> events;
  std::optional<std::chrono::milliseconds> budget;
  bool auto_checks = true;
  std::vector<capture> captures;
  position at;
};

struct requirement {
  std::string id;
  std::string level;  // MUST, SHOULD, MAY, INFO
  std::string text;
  std::vector<std::string> cite;  // page lines that state it: "000:123", "002:7341-7345"
  position at;                    // where the requirement is written
};

struct test_case {
  std::string name;
  std::vector<std::string> tags;
  std::vector<requirement> requirements;
  std::vector<step> steps;
  position at;
};

struct suite {
  std::string name;
  std::string description;
  std::string file;
  std::vector<std::string> tags;
  nlohmann::json variables = nlohmann::json::object();
  std::vector<step> setup, teardown;
  std::vector<test_case> cases;
};

}  // namespace cxh::scenario
