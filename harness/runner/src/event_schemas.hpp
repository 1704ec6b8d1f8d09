#pragma once
// The notification schemas of schemas/events/, by the CometD channel they arrive on
// (`x-channel`): an event a case waits for is also checked against its documented shape.
#include <cxh/openapi/spec.hpp>
#include <cxh/schema/validator.hpp>
#include <map>
#include <string>
#include <vector>

namespace cxh::runner::detail {

struct event_schema {
  std::string display;  // "schemas/events/chat-invited.json"
  std::string source;   // "002:5050" (x-source of the page)
  schema::schema body;  // the notification (the `data` of the Bayeux message)
};

class event_schemas {
 public:
  // Compiles every embedded event document that names its channel.
  event_schemas();
  // The schemas of a channel; empty when none is documented.
  const std::vector<event_schema>& for_channel(const std::string& channel) const;

 private:
  std::map<std::string, std::vector<event_schema>> by_channel_;
};

}  // namespace cxh::runner::detail
