#include <cxh/core/bounded_dump.hpp>
#include <vector>

namespace cxh {

namespace {

struct frame {
  const nlohmann::json* value;
  nlohmann::json::const_iterator next;
  bool first = true;
};

class dumper {
 public:
  dumper(dump_limits limits, const string_scrub& scrub) : limits_(limits), scrub_(scrub) {}

  std::string run(const nlohmann::json& root) {
    emit(root);
    while (!stack_.empty() && !full()) step();
    if (full()) return cut_text(std::move(out_), limits_.max_bytes);
    return std::move(out_);
  }

 private:
  bool full() const { return out_.size() > limits_.max_bytes; }

  void string(const std::string& s) {
    out_ += nlohmann::json(scrub_ ? scrub_(s) : s)
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // Writes a scalar, or opens a container (pushing a frame) unless it is too deep.
  void emit(const nlohmann::json& v) {
    if (v.is_string()) return string(v.get_ref<const std::string&>());
    if (!v.is_structured()) {
      out_ += v.dump();
      return;
    }
    const bool object = v.is_object();
    if (stack_.size() >= limits_.max_depth) {
      out_ += object ? "{...}" : "[...]";
      return;
    }
    out_ += object ? '{' : '[';
    stack_.push_back({&v, v.cbegin()});
  }

  // Writes the next member or element of the innermost open container, or closes it.
  void step() {
    auto& top = stack_.back();
    if (top.next == top.value->cend()) {
      out_ += top.value->is_object() ? '}' : ']';
      stack_.pop_back();
      return;
    }
    if (!top.first) out_ += ',';
    top.first = false;
    if (top.value->is_object()) {
      string(top.next.key());
      out_ += ':';
    }
    const nlohmann::json& child = *top.next;
    ++top.next;
    emit(child);  // may push: `top` is not used after this
  }

  dump_limits limits_;
  const string_scrub& scrub_;
  std::vector<frame> stack_;
  std::string out_;
};

}  // namespace

std::string bounded_dump(const nlohmann::json& value, dump_limits limits,
                         const string_scrub& scrub) {
  return dumper(limits, scrub).run(value);
}

std::string cut_text(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t at = max_bytes;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  text.resize(at);
  text += "...";
  return text;
}

std::size_t json_nesting_depth(std::string_view text, std::size_t stop_after) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > stop_after) return stop_after + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace cxh
