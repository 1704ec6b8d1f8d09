// cxharness validate --schema S.json INSTANCE.json...

#include <cxh/core/exit_code.hpp>
#include <cxh/core/file.hpp>
#include <cxh/schema/validator.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "json_input.hpp"

namespace cxh::cli {

namespace {

struct validate_args {
  std::string schema_path;
  std::vector<std::string> instances;
  std::string output = "text";
  std::string dialect = "2020-12";
  bool assert_formats = false;
  std::vector<std::string> ref_dirs;  // PREFIX=DIR
};

std::string file_uri(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return "file://" + (ec ? path : abs.lexically_normal().string());
}

// Remote $refs whose URI starts with PREFIX are read from DIR; file: URIs are read from disk.
schema::loader make_loader(const std::vector<std::string>& ref_dirs) {
  std::vector<std::pair<std::string, std::string>> maps;
  for (auto& m : ref_dirs) {
    auto eq = m.find('=');
    maps.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  return [maps](const std::string& uri) -> std::optional<std::string> {
    std::string path;
    for (auto& [prefix, dir] : maps)
      if (uri.rfind(prefix, 0) == 0) path = dir + "/" + uri.substr(prefix.size());
    if (path.empty() && uri.rfind("file://", 0) == 0) path = uri.substr(7);
    if (path.empty()) return std::nullopt;
    auto text = read_file(path);
    if (auto* s = std::get_if<std::string>(&text)) return *s;
    return std::nullopt;
  };
}

int run(const validate_args& a) {
  for (auto& m : a.ref_dirs) {
    if (m.find('=') == std::string::npos) {
      std::cerr << "cxharness validate: --ref-dir takes PREFIX=DIR, got '" << m << "'\n";
      return to_int(exit_code::usage_error);
    }
  }
  auto doc = read_json_file(a.schema_path);
  if (auto* d = std::get_if<diagnostic>(&doc)) {
    std::cerr << to_string(*d) << "\n";
    return to_int(exit_code::usage_error);
  }
  schema::options opts;
  opts.default_dialect = a.dialect == "7" ? schema::dialect::draft7 : schema::dialect::draft2020_12;
  opts.assert_formats = a.assert_formats;
  opts.load = make_loader(a.ref_dirs);
  auto compiled = schema::compile(std::get<nlohmann::json>(doc), opts, file_uri(a.schema_path));
  if (auto* problems = std::get_if<diagnostics>(&compiled)) {
    std::cerr << a.schema_path << ": the schema cannot be used:\n";
    for (auto& p : *problems) std::cerr << "  " << to_string(p) << "\n";
    return to_int(exit_code::usage_error);
  }
  const auto& s = std::get<schema::schema>(compiled);
  bool all_valid = true, input_error = false;
  nlohmann::json json_report = nlohmann::json::object();
  for (const auto& path : a.instances) {
    auto inst = read_json_file(path);
    if (auto* d = std::get_if<diagnostic>(&inst)) {
      std::cerr << to_string(*d) << "\n";
      input_error = true;
      continue;
    }
    auto errors = s.validate(std::get<nlohmann::json>(inst));
    all_valid = all_valid && errors.empty();
    if (a.output == "json") {
      json_report[path] = schema::to_basic_output(errors);
    } else if (errors.empty()) {
      std::cout << path << ": valid\n";
    } else {
      std::cout << path << ": invalid, " << errors.size() << " error(s)\n";
      std::string text = schema::to_text(errors);
      std::size_t start = 0;
      while (start < text.size()) {
        auto nl = text.find('\n', start);
        std::cout << "  " << text.substr(start, nl - start) << "\n";
        start = nl + 1;
      }
    }
  }
  if (a.output == "json") std::cout << json_report.dump(2) << "\n";
  if (input_error) return to_int(exit_code::usage_error);
  return to_int(all_valid ? exit_code::ok : exit_code::check_failed);
}

}  // namespace

runner add_validate_command(CLI::App& app) {
  auto args = std::make_shared<validate_args>();
  auto* cmd = app.add_subcommand("validate", "Validate JSON documents against a JSON Schema");
  cmd->add_option("--schema,-s", args->schema_path, "The schema (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("instances", args->instances, "JSON documents to validate")->required();
  cmd->add_option("--output,-o", args->output, "text (default) or json (2020-12 basic output)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--draft", args->dialect, "Dialect when the schema has no $schema: 2020-12 or 7")
      ->check(CLI::IsMember({"2020-12", "7"}));
  cmd->add_flag("--assert-formats", args->assert_formats, "Treat 'format' as an assertion");
  cmd->add_option("--ref-dir", args->ref_dirs,
                  "PREFIX=DIR: read $refs whose URI starts with PREFIX from DIR (repeatable)");
  cmd->footer(
      "Exit codes: 0 every instance valid, 1 an instance invalid, 2 usage error, unreadable\n"
      "file, or a schema that is not valid (not JSON, fails its meta-schema, a $ref that does not\n"
      "resolve, a $ref cycle).");
  return [args] { return run(*args); };
}

}  // namespace cxh::cli
