// istioctl's proxy-status tables (spec §1.6): the default
// `NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES` table and the verbose
// one-column-per-type table, tabwriter padding 5.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lib/xds/sync_status.h"

namespace meshctl::xds {

// Sorts rows by NAME (stable) and renders them; verbosity 0 or 1.
std::string RenderStatusTable(std::vector<ProxySync> rows, int verbosity, std::chrono::system_clock::time_point now);

}  // namespace meshctl::xds
