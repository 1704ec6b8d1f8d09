#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cxh::openapi::detail {

// "/a/{id}/ext_{x}" as segments; each segment a literal, or prefix{param}suffix.
class path_template {
 public:
  explicit path_template(std::string_view text);
  // Matches split concrete segments; fills params (percent-decoded) on success.
  bool match(const std::vector<std::string_view>& parts,
             std::map<std::string, std::string>* params) const;
  // Literal characters: a template with more of them is the more specific match.
  std::size_t literal_weight() const { return literal_weight_; }

 private:
  struct segment {
    std::string prefix, param, suffix;
    bool has_param = false;
  };
  std::vector<segment> segments_;
  std::size_t literal_weight_ = 0;
};

// "/a/b/" -> {"a", "b"}: empty segments (double or trailing slashes) are dropped.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace cxh::openapi::detail
