#pragma once
// The runner's default CometD event source: one Bayeux client per server (Statistics,
// Web Services v2), authenticated like the REST calls, subscribed on first use.
#include <cxh/runner/runner.hpp>

#include "auth.hpp"

namespace cxh::runner::detail {

std::shared_ptr<event_source> make_cometd_source(const openapi::spec_set& spec,
                                                 const target_config& target, authenticator& auth);

}  // namespace cxh::runner::detail
