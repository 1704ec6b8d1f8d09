#pragma once
// What a conformance run produced: the model every reporter (reporters/) reads. Plain data, no
// behaviour, so reporters depend on nothing but this header. Secrets never reach it: request
// summaries are redacted before they are stored here.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxh::runner {

// Certification level of a requirement or a check (RFC 2119 words, as the pages use them).
enum class level { must, should, may, info };

// One check on one response: an automatic rule ("status.documented", "body.schema",
// "envelope.engage.code", ...) or a scenario assertion ("assert.body", "assert.status",
// "event.cometd", ...).
struct check_result {
  std::string rule;   // stable identifier, e.g. "body.schema"
  std::string title;  // one line for people: "body matches the 200 schema"
  bool passed = true;
  level severity = level::must;
  std::string expected;  // "200 or 201", "status.code in {0,1,2}"
  std::string actual;    // "404", "status.code = 7"
  std::string detail;    // further lines (schema errors with their instance pointers...)
  std::string source;    // the page and line the rule enforces: "spec/openmedia.md:142"
};

// The request a step sent and what came back, for failure details. Header values that carry
// credentials are replaced by "<redacted>"; bodies are truncated at 4 KiB.
struct exchange {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string request_body;
  int status = 0;  // 0 when no response was read
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
  double elapsed_ms = 0;
};

enum class outcome {
  passed,   // every check passed
  failed,   // a check failed: the target does not conform
  errored,  // the harness could not complete it (target unreachable, timeout, bad scenario)
  skipped,  // filtered out or a prerequisite failed
  not_run,  // a step after one that did not pass, or a case after the run's deadline
  finding,  // a case at SHOULD/MAY/INFO whose check failed: reported, never fails the run
};

struct step_result {
  std::string name;
  std::string operation_id;  // empty when the step named method + path without an operation
  std::string
      operation_key;  // "POST /engage/v3/openmedia/interactions" (the template), for coverage
  outcome result = outcome::passed;
  std::string error;  // errored: what went wrong; not_run: "depends on step 2 'create'"
  std::vector<check_result> checks;
  std::optional<exchange> http;
};

struct requirement {
  std::string id;  // "OM-LIFECYCLE-1"
  level strength = level::must;
  std::string text;
  std::vector<std::string> cite;  // page lines that state it: "000:123", "002:7341-7345"
};

struct case_result {
  std::string suite;
  std::string name;
  std::string file;  // scenario file and line of the case, "scenarios/openmedia.yaml:12"
  std::vector<std::string> tags;
  std::vector<requirement> requirements;
  outcome result = outcome::passed;
  std::string error;  // errored or skipped: why
  std::vector<step_result> steps;
  double elapsed_ms = 0;
  level strength = level::must;  // the strongest requirement's (MUST without requirements)
};

// One documented operation and how often the run exercised it.
struct coverage_entry {
  std::string operation_key;  // "GET /statistics/v3/subscriptions/{id}"
  std::string operation_id;
  std::string api;     // the document / family, "statistics"
  std::string source;  // "spec/statistics.md:88"
  unsigned calls = 0;
  unsigned failed_calls = 0;  // calls with at least one failed check
};

struct run_result {
  std::string tool_version;
  std::string target;      // base URL, or "embedded emulator"
  std::string started_at;  // RFC 3339 UTC
  double duration_ms = 0;
  std::vector<std::string> suites;
  std::vector<case_result> cases;
  std::vector<coverage_entry> coverage;  // every documented operation, called or not

  struct totals {
    unsigned passed = 0, failed = 0, errored = 0, skipped = 0, not_run = 0, findings = 0;
  };
  totals count() const {
    totals t;
    for (const auto& c : cases) {
      switch (c.result) {
        case outcome::passed:
          ++t.passed;
          break;
        case outcome::failed:
          ++t.failed;
          break;
        case outcome::errored:
          ++t.errored;
          break;
        case outcome::skipped:
          ++t.skipped;
          break;
        case outcome::not_run:
          ++t.not_run;
          break;
        case outcome::finding:
          ++t.findings;
          break;
      }
    }
    return t;
  }
};

inline const char* to_string(outcome o) {
  switch (o) {
    case outcome::passed:
      return "passed";
    case outcome::failed:
      return "failed";
    case outcome::errored:
      return "errored";
    case outcome::skipped:
      return "skipped";
    case outcome::not_run:
      return "not_run";
    case outcome::finding:
      return "finding";
  }
  return "?";
}
inline const char* to_string(level l) {
  switch (l) {
    case level::must:
      return "MUST";
    case level::should:
      return "SHOULD";
    case level::may:
      return "MAY";
    case level::info:
      return "INFO";
  }
  return "?";
}

}  // namespace cxh::runner
