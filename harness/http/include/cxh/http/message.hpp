#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxh::http {

class deferred;  // deferred.hpp

// Header fields in arrival order; names compare case-insensitively.
class headers {
 public:
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  void set(std::string_view name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct request {
  std::string method;  // upper case as sent
  std::string target;  // path and query, as sent
  headers fields;
  std::string body;
  std::string remote;  // peer address, for logs

  std::string_view path() const;   // target without the query
  std::string_view query() const;  // after '?', empty if none
  // One query parameter, percent-decoded ('+' as space); nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
};

// What the connection does besides answering: faults that a handler may ask for.
enum class connection_fault { none, reset_before_response, close_after_response, stall_forever };

struct response {
  int status = 200;
  headers fields;
  std::string body;
  std::chrono::milliseconds delay{0};      // wait before sending (latency injection)
  std::chrono::milliseconds body_pace{0};  // send the body in small chunks this far apart
  connection_fault fault = connection_fault::none;
  // Set: the real answer comes later (a long poll); the fields above are ignored (deferred.hpp).
  std::shared_ptr<deferred> later;

  static response json(int status, std::string body);
};

bool iequals(std::string_view a, std::string_view b);
std::string percent_decode(std::string_view s, bool plus_as_space);

}  // namespace cxh::http
