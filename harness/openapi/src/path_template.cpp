#include "path_template.hpp"

namespace cxh::openapi::detail {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

path_template::path_template(std::string_view text) {
  for (auto part : split_path(text)) {
    segment s;
    auto open = part.find('{');
    auto close = open == std::string_view::npos ? open : part.find('}', open);
    if (open != std::string_view::npos && close != std::string_view::npos) {
      s.has_param = true;
      s.prefix = std::string(part.substr(0, open));
      s.param = std::string(part.substr(open + 1, close - open - 1));
      s.suffix = std::string(part.substr(close + 1));
      literal_weight_ += s.prefix.size() + s.suffix.size();
    } else {
      s.prefix = std::string(part);
      literal_weight_ += s.prefix.size() + 1;  // a literal segment beats any parameter
    }
    segments_.push_back(std::move(s));
  }
}

bool path_template::match(const std::vector<std::string_view>& parts,
                          std::map<std::string, std::string>* params) const {
  if (parts.size() != segments_.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& s = segments_[i];
    std::string_view p = parts[i];
    if (!s.has_param) {
      if (p != s.prefix) return false;
      continue;
    }
    if (p.size() <= s.prefix.size() + s.suffix.size()) return false;
    if (p.substr(0, s.prefix.size()) != s.prefix) return false;
    if (p.substr(p.size() - s.suffix.size()) != s.suffix) return false;
    found[s.param] =
        decode(p.substr(s.prefix.size(), p.size() - s.prefix.size() - s.suffix.size()));
  }
  if (params) *params = std::move(found);
  return true;
}

}  // namespace cxh::openapi::detail
