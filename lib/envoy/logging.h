// `proxy-config log`: turning --level / --reset into Envoy's POST /logging
// queries, with istioctl's validation (logger names must appear in Envoy's
// listing, levels from a fixed set; names are checked before levels).
#pragma once

#include <string>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::envoy {

// Envoy's levels plus istioctl's `warn` alias; "" when `level` is unknown.
std::string CanonicalLogLevel(const std::string& level);

// The queries to POST, in order ("level=debug" first when a bare level is
// given, then "<logger>=<level>" per logger). `listing` is the body of a
// bare POST /logging. Errors (Failed, exit 1, as istioctl):
// "unrecognized logger name: X", "unrecognized logging level: X".
// `reset` gives {"level=warning"}.
core::Result<std::vector<std::string>> BuildLogQueries(const std::string& level_flag, bool reset,
                                                       const std::string& listing);

}  // namespace meshctl::envoy
