#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cxh::schema::detail {

// A regular expression with ECMA-262 semantics as far as Boost.Regex allows (see
// harness/schema/REGEX.md for the gaps). Matching works on code points, not bytes, so "."
// matches one character of a UTF-8 string. Unanchored: like RegExp.prototype.test.
class ecma_regex {
 public:
  // nullopt with *error set when the pattern does not compile.
  static std::optional<ecma_regex> compile(std::string_view pattern, std::string* error);
  // false also when the match is too complex to finish (catastrophic backtracking).
  bool search(std::string_view utf8) const;
  // Boost.Regex matches without recursion and throws past its complexity bound (a state count
  // that grows with the subject's length): gave_up says so, with Boost's reason in *why.
  enum class result { match, no_match, gave_up };
  result test(std::string_view utf8, std::string* why = nullptr) const;

 private:
  struct impl;
  std::shared_ptr<const impl> impl_;
};

// UTF-8 to code points; invalid sequences become U+FFFD.
std::wstring utf8_to_wide(std::string_view s);

}  // namespace cxh::schema::detail
