// `meshctl waypoint list|status` tables over a WaypointModel, as istioctl
// prints them (ambient.md §2: tabwriter padding 5, sorted by namespace and
// name, only gatewayClassName istio-waypoint, "No waypoints found." when
// the namespace holds no Gateway at all).
#pragma once

#include <ostream>
#include <string>

#include "lib/ambient/waypoints.h"
#include "lib/core/status.h"

namespace meshctl::ambient {

struct WaypointTableOptions {
  std::string ns = "default";  // ignored with all_namespaces
  bool all_namespaces = false;
  bool wide = false;  // list: + ADDRESS, EFFECTIVE TYPE, BOUND
  bool wait = true;   // status: istioctl's --wait (default true)
};

void PrintWaypointList(const WaypointModel& m, const WaypointTableOptions& o, std::ostream& out);

// One row per waypoint: the Programmed condition when it is True, else the
// last condition listed (carried over from the previous waypoint when a
// Gateway has none, as istioctl's loop variable is). With `wait`, a
// waypoint that is not programmed is Unavailable "timed out while
// retrieving status for waypoint\t<ns>/<name>" and nothing is printed:
// saved state cannot become ready, so there is nothing to wait for.
core::Status PrintWaypointStatus(const WaypointModel& m, const WaypointTableOptions& o, std::ostream& out);

}  // namespace meshctl::ambient
