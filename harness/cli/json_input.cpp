#include "json_input.hpp"

#include <cxh/core/file.hpp>

namespace cxh::cli {

std::variant<nlohmann::json, diagnostic> parse_json(const std::string& text,
                                                    const std::string& where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t line = 1, col = 1;
    std::size_t upto = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < upto; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line..".
    auto colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return diagnostic{where + ":" + std::to_string(line) + ":" + std::to_string(col),
                      "not valid JSON: " + what, ""};
  }
}

std::variant<nlohmann::json, diagnostic> read_json_file(const std::string& path) {
  auto text = read_file(path);
  if (auto* d = std::get_if<diagnostic>(&text)) return *d;
  return parse_json(std::get<std::string>(text), path);
}

}  // namespace cxh::cli
