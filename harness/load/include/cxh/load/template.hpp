#pragma once
// Text templates for paths, headers and bodies: ${uuid}, ${seq}, ${vu}, ${random_int(A,B)},
// ${env:NAME} (read once, at compile time), and ${name} for a variable captured by an earlier
// step of the flow. "$${" is a literal "${".

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cxh::load {

// Values a rendering draws on; owned by the connection that sends the request.
struct render_context {
  std::uint64_t seq = 0;  // unique per flow start within the run
  unsigned vu = 0;        // connection number
  std::mt19937_64* rng = nullptr;
  const std::vector<std::pair<std::string, std::string>>* vars = nullptr;  // captured
};

class text_template {
 public:
  // An error says which placeholder is wrong.
  static std::variant<text_template, std::string> compile(std::string_view text);
  bool is_static() const {
    return parts_.size() <= 1 && (parts_.empty() || parts_[0].k == literal);
  }
  // Appends the rendering to out. A variable that was never captured renders empty and sets
  // *missing to its name (when missing is given).
  void render(std::string& out, const render_context& ctx, std::string* missing = nullptr) const;
  std::string render(const render_context& ctx) const {
    std::string s;
    render(s, ctx);
    return s;
  }
  // Variables this template reads.
  std::vector<std::string> variables() const;

 private:
  enum kind { literal, uuid, seq, vu, random_int, variable };
  struct part {
    kind k = literal;
    std::string text;  // literal text, or the variable name
    std::int64_t lo = 0, hi = 0;
  };
  std::vector<part> parts_;
};

}  // namespace cxh::load
