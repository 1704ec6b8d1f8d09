#include <chrono>
#include <cstdlib>
#include <cxh/scenario/templating.hpp>
#include <random>

namespace cxh::scenario {

namespace {

std::atomic<std::uint64_t> sequence{0};

std::string make_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32),
                unsigned((a >> 16) & 0xffff), unsigned(a & 0xffff), unsigned(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return out;
}

}  // namespace

nlohmann::json template_context::lookup(const std::string& name, std::string& error) const {
  if (name == "uuid") return make_uuid();
  if (name == "seq") return ++sequence;
  if (name == "now_ms") {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  if (name.rfind("env:", 0) == 0) {
    const char* v = std::getenv(name.c_str() + 4);
    if (!v) {
      if (error.empty()) error = "environment variable " + name.substr(4) + " is not set";
      return "";
    }
    return std::string(v);
  }
  auto it = variables.find(name);
  if (it == variables.end()) {
    if (error.empty()) error = "variable '" + name + "' is not defined (nor captured earlier)";
    return "";
  }
  return *it;
}

std::string template_context::expand_string(const std::string& text, std::string& error) const {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find("${", i);
    if (open == std::string::npos) break;
    auto close = text.find('}', open + 2);
    if (close == std::string::npos) break;
    out.append(text, i, open - i);
    auto v = lookup(text.substr(open + 2, close - open - 2), error);
    out += v.is_string() ? v.get<std::string>() : v.dump();
    i = close + 1;
  }
  out.append(text, i);
  return out;
}

nlohmann::json template_context::expand(const nlohmann::json& value, std::string& error) const {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s.size() > 3 && s.rfind("${", 0) == 0 && s.back() == '}' &&
        s.find("${", 2) == std::string::npos) {
      return lookup(s.substr(2, s.size() - 3), error);
    }
    return expand_string(s, error);
  }
  if (value.is_array()) {
    auto out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(expand(v, error));
    return out;
  }
  if (value.is_object()) {
    auto out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) out[k] = expand(v, error);
    return out;
  }
  return value;
}

}  // namespace cxh::scenario
