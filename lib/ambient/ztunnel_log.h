// `meshctl ztunnel-config log`: checking --level the way istioctl does and
// turning it into the query ztunnel's admin POST /logging accepts
// (ambient.md §1.6). ztunnel takes `off|error|warn|info|debug|trace` or
// comma-separated `target=level` clauses; istioctl forwards `target:level`
// unchanged, which ztunnel rejects, so meshctl rewrites it to `target=level`.
#pragma once

#include <string>

#include "lib/core/status.h"

namespace meshctl::ambient {

// Checks --level ("debug", "access:debug,info", "ztunnel::pool=trace"):
// InvalidArgument "unrecognized logging level: X" as istioctl says it.
core::Status ValidateZtunnelLogLevel(const std::string& level);

// The query for POST /logging: "level=<value>" with warning->warn,
// critical->error and logger:level->logger=level, or "level=info&reset"
// for --reset. The value is percent-encoded.
core::Result<std::string> ZtunnelLogQuery(const std::string& level, bool reset);

}  // namespace meshctl::ambient
