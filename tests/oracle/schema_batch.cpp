// Validates batches of instances with cxh::schema, for the differential test against ajv.
//
//   schema_batch [--remotes DIR] FILE
//
// FILE holds an array of groups {"schema": ..., "instances": [...], "draft": "2020-12"|"7",
// "remotes": true|false}. Each schema is compiled once; stdout gets one JSON array with one element
// a group: {"compiled": bool, "error": "<first diagnostic>", "results": [bool per instance]}.
// Every result is computed twice, with is_valid (fast path) and with validate().empty() (full
// output); the indexes where the two disagree are listed in "internal_mismatch", and an exception
// (a bug: the validator reports problems as values) in "internal_error" with a null result.
// A group with "remotes": true resolves http://localhost:1234/<path> to DIR/<path>.
// Exit 0 after printing the results; 2 when FILE cannot be read or is not such an array.

#include <cxh/core/file.hpp>
#include <cxh/schema/validator.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view remote_prefix = "http://localhost:1234/";

struct args {
  fs::path input;
  fs::path remotes;
};

// Maps http://localhost:1234/<path> to remotes/<path>, as the official suite's remotes/ expects.
cxh::schema::loader remote_loader(const fs::path& remotes) {
  return [remotes](const std::string& uri) -> std::optional<std::string> {
    if (uri.rfind(remote_prefix, 0) != 0) return std::nullopt;
    std::string rest = uri.substr(remote_prefix.size());
    if (rest.find("..") != std::string::npos) return std::nullopt;  // stay inside remotes/
    auto text = cxh::read_file((remotes / rest).string());
    if (auto* s = std::get_if<std::string>(&text)) return *s;
    return std::nullopt;
  };
}

// Checks the shape of one group; returns what is wrong, or an empty string.
std::string check_group(const json& group) {
  if (!group.is_object()) return "a group must be an object";
  if (!group.contains("schema")) return "a group needs \"schema\"";
  auto instances = group.find("instances");
  if (instances == group.end() || !instances->is_array())
    return "a group needs \"instances\", an array";
  auto draft = group.find("draft");
  if (draft != group.end() && *draft != "2020-12" && *draft != "7")
    return "\"draft\" must be \"2020-12\" or \"7\"";
  auto remotes = group.find("remotes");
  if (remotes != group.end() && !remotes->is_boolean()) return "\"remotes\" must be a boolean";
  return {};
}

json run_group(const json& group, const fs::path& remotes) {
  json out = json::object();
  cxh::schema::options opts;
  if (group.value("draft", std::string("2020-12")) == "7")
    opts.default_dialect = cxh::schema::dialect::draft7;
  if (group.value("remotes", false) && !remotes.empty()) opts.load = remote_loader(remotes);

  std::optional<cxh::schema::schema> compiled;
  try {
    auto result = cxh::schema::compile(group.at("schema"), opts);
    if (auto* s = std::get_if<cxh::schema::schema>(&result)) {
      compiled = *s;
    } else {
      const auto& problems = std::get<cxh::diagnostics>(result);
      out["error"] = problems.empty() ? std::string("rejected without a diagnostic")
                                      : cxh::to_string(problems.front());
    }
  } catch (const std::exception& e) {
    out["error"] = std::string("exception while compiling: ") + e.what();
  }
  out["compiled"] = compiled.has_value();
  json results = json::array();
  json mismatch = json::array();
  json internal_error = json::array();
  const auto& instances = group.at("instances");
  for (std::size_t i = 0; i < instances.size(); ++i) {
    if (!compiled) {
      results.push_back(false);
      continue;
    }
    try {
      bool fast = compiled->is_valid(instances[i]);
      bool full = compiled->validate(instances[i]).empty();
      if (fast != full) mismatch.push_back(i);
      results.push_back(full);
    } catch (const std::exception& e) {
      results.push_back(nullptr);
      internal_error.push_back({{"index", i}, {"what", e.what()}});
    }
  }
  out["results"] = std::move(results);
  if (!mismatch.empty()) out["internal_mismatch"] = std::move(mismatch);
  if (!internal_error.empty()) out["internal_error"] = std::move(internal_error);
  return out;
}

int usage() {
  std::cerr << "usage: schema_batch [--remotes DIR] FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--remotes" && i + 1 < argc)
      a.remotes = argv[++i];
    else if (!s.empty() && s[0] != '-' && a.input.empty())
      a.input = s;
    else
      return usage();
  }
  if (a.input.empty()) return usage();

  auto text = cxh::read_file(a.input.string());
  if (auto* d = std::get_if<cxh::diagnostic>(&text)) {
    std::cerr << "schema_batch: " << cxh::to_string(*d) << "\n";
    return 2;
  }
  json groups;
  try {
    groups = json::parse(std::get<std::string>(text));
  } catch (const json::exception& e) {
    std::cerr << "schema_batch: " << a.input.string() << ": not JSON: " << e.what() << "\n";
    return 2;
  }
  if (!groups.is_array()) {
    std::cerr << "schema_batch: " << a.input.string() << ": expected an array of groups\n";
    return 2;
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (auto problem = check_group(groups[i]); !problem.empty()) {
      std::cerr << "schema_batch: " << a.input.string() << ": group " << i << ": " << problem
                << "\n";
      return 2;
    }
  }

  json out = json::array();
  for (const auto& group : groups) out.push_back(run_group(group, a.remotes));
  // Diagnostics may quote bytes of the input that are not UTF-8: replace them, never throw.
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}
