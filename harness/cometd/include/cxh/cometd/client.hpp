#pragma once

// A Bayeux 1.0 client (long-polling transport) for scenarios: handshake, a connect loop on its
// own thread that honours the server's advice, subscribe / unsubscribe / publish / disconnect,
// re-handshake and re-subscribe on 402::Unknown client, cookies and extra headers. Received
// messages are kept per channel, so a check can wait for "the right event within a deadline"
// even if it arrived before the wait began. Every failure is a value with a message.
// The server's advice is clamped (follow_advice) and answers nested deeper than 256 levels are
// refused before parsing.

#include <chrono>
#include <cstdint>
#include <cxh/core/json_match.hpp>
#include <cxh/http/client.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxh::cometd {

using nlohmann::json;

struct options {
  std::string url;                  // the Bayeux endpoint: http://host/statistics/v3/notifications
  http::headers headers;            // sent with every request (x-api-key, Authorization...)
  bool append_message_type = true;  // meta messages go to url + "/handshake" etc. (CometD's way)
  std::chrono::milliseconds request_timeout{10000};  // non-connect requests
  std::chrono::milliseconds connect_margin{10000};   // added to advice.timeout for /meta/connect
  std::chrono::milliseconds max_backoff{5000};       // retry delay cap after transport errors
  std::size_t history_per_channel = 10000;           // received messages kept; oldest dropped
};

// The server's advice (Bayeux 1.0 section 5) as the connect loop follows it.
struct advice {
  std::string reconnect = "retry";
  std::chrono::milliseconds timeout{30000}, interval{0};
  // Bayeux leaves both to the server; without a bound a hostile one parks the client.
  static constexpr std::chrono::milliseconds max_timeout{300000};  // a held /meta/connect
  static constexpr std::chrono::milliseconds max_interval{60000};  // pause between connects
};

// `current` updated by a server's advice object: numbers clamped to [0, max], values that are
// not finite numbers and reconnect words other than retry, handshake and none ignored.
advice follow_advice(const json& given, advice current);

// Empty error: success.
struct status {
  std::string error;
  bool ok() const { return error.empty(); }
  explicit operator bool() const { return ok(); }
};

// Messages delivered on one subscribed channel, in arrival order.
class stream {
 public:
  // The next message not yet taken, waiting up to `within`.
  std::optional<json> next(std::chrono::milliseconds within);
  std::vector<json> all() const;  // everything received so far (taken or not)

 private:
  friend class client;
  struct state;
  std::shared_ptr<state> s_;
  std::size_t taken_ = 0;
};

struct counters {
  std::uint64_t handshakes = 0, connects = 0, rehandshakes = 0, transport_errors = 0, messages = 0;
};

class client {
 public:
  explicit client(options opts, std::shared_ptr<http::client> http = nullptr);
  ~client();  // stops the connect loop; does not send /meta/disconnect (call disconnect())
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Handshakes and starts the connect loop. Errors: unreachable, refused (with the server's
  // error), malformed answer.
  status handshake();
  // Subscribes and waits for the server's reply; the stream sees every later message.
  std::variant<stream, std::string> subscribe(const std::string& channel);
  status unsubscribe(const std::string& channel);
  status publish(const std::string& channel, const json& data);
  status disconnect();

  // Waits until a message on `channel` (index >= from; 0: also the ones already received)
  // satisfies `match`, or `within` passes.
  std::optional<json> await(const std::string& channel,
                            const std::function<bool(const json&)>& match,
                            std::chrono::milliseconds within, std::size_t from = 0);
  // Same, with a JSON subset pattern matched against the message's data.
  std::optional<json> await(const std::string& channel, const json& pattern,
                            std::chrono::milliseconds within, std::size_t from = 0);
  std::vector<json> received(const std::string& channel) const;
  std::size_t received_count(const std::string& channel) const;  // a `from` for await

  std::string client_id() const;
  bool connected() const;          // handshaken and not stopped
  std::string last_error() const;  // the connect loop's latest problem, if any
  counters stats() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

// Subset matching (cxh/core/json_match.hpp).
using cxh::json_contains;

}  // namespace cxh::cometd
