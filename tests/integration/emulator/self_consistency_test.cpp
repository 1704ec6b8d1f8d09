// The emulator against its own schemas: every documented operation is called with a valid
// request (the documented example where there is one) and with invalid ones (no credentials,
// malformed JSON); every answer must be a documented status whose body validates, never a 5xx.

#include "emulator_test_support.hpp"

using namespace emulator_test;

TEST(EmulatorSelfConsistency, EveryOperationAnswersAsDocumented) {
  std::vector<std::string> failures;
  std::size_t exercised = 0;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook) continue;
    ++exercised;
    auto req = valid_request(op);
    auto res = env().em->handle(req);
    auto problem = judge(op, res, false);
    if (!problem.empty() && !op.operation_name.empty()) {
      // Variants of one wire operation (DND in two sections, Accept per media): the answer
      // may follow any of them.
      for (const auto& other : env().em->spec().operations())
        if (other.full_path() == op.full_path() && other.method == op.method &&
            other.operation_name == op.operation_name && judge(other, res, false).empty())
          problem.clear();
    }
    if (!problem.empty())
      failures.push_back(op.method + " " + op.full_path() + " [" + op.operation_id +
                         "]: " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
  std::cout << "valid requests: " << exercised << " operations, " << failures.size()
            << " failing\n";
}

TEST(EmulatorSelfConsistency, MissingCredentialsAreRefusedAsDocumented) {
  std::vector<std::string> failures;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook || !op.security || op.security->empty()) continue;
    bool open = false;  // an alternative with no scheme ({}) means "no auth needed"
    for (const auto& alt : *op.security) open = open || alt.empty();
    if (open) continue;
    auto req = valid_request(op);
    req.fields = {};
    if (!op.request.empty()) req.fields.set("Content-Type", op.request.front().content_type);
    auto res = env().em->handle(req);
    auto problem = judge(op, res, true);
    if (res.status != 401 && res.status != 403)
      problem += " (status " + std::to_string(res.status) + ")";
    if (!problem.empty()) failures.push_back(op.method + " " + op.full_path() + ": " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
}

TEST(EmulatorSelfConsistency, MalformedJsonIsA4xxInTheApiEnvelope) {
  std::vector<std::string> failures;
  for (const auto& op : env().em->spec().operations()) {
    if (op.webhook || op.request.empty() ||
        op.request.front().content_type.find("json") == std::string::npos)
      continue;
    auto req = valid_request(op);
    req.body = "{\"truncated\": ";
    authenticate(op, req);  // signatures cover the body
    auto res = env().em->handle(req);
    auto problem = judge(op, res, true);
    if (!problem.empty() && !op.operation_name.empty()) {
      // Malformed JSON names no operationName: any envelope the path documents is right.
      for (const auto& other : env().em->spec().operations())
        if (other.full_path() == op.full_path() && other.method == op.method &&
            judge(other, res, true).empty())
          problem.clear();
    }
    if (!problem.empty()) failures.push_back(op.method + " " + op.full_path() + ": " + problem);
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
}
