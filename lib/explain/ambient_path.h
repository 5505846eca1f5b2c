// explain's ambient path (ambient.md §6.3): a request from a workload that
// ztunnel captures, walked through a ztunnel /config_dump the way ztunnel
// handles it, and printed as one more Walk (kind "ambient"):
//   Z1 source ztunnel   the client workload, its identity (HBONE = captured)
//   Z2 destination      service-addressed (a VIP or a service hostname),
//                       workload-addressed (a pod IP) or passthrough
//   Z3 waypoint         the service's (or workload's) waypoint: HBONE to its
//                       pod :15008, CONNECT to the original VIP:port; the
//                       AuthorizationPolicies whose targetRefs it enforces
//                       (from the config snapshot, when there is one)
//   Z4 endpoint         the healthy endpoints, the target port
//   Z5 destination      ztunnel's L4 authorization (`assert_rbac`): the
//      ztunnel          Global, Namespace and workload policies, with the
//                       identity it sees: the client's, or the waypoint's
//                       after a waypoint
// plus bypass warnings: a waypoint that cannot be resolved, pod-IP
// addressing of a service-only waypoint, and no ALLOW limiting the
// destination to the waypoint's identity (clients can go around it).
//
// To add a rule: a step in ambient_path.cc that appends a Hop and, when the
// connection ends there, calls Walk::Fail with ztunnel's reason.
#pragma once

#include <string>

#include "lib/ambient/ztunnel_dump.h"
#include "lib/explain/request.h"
#include "lib/explain/walk.h"
#include "lib/model/snapshot.h"

namespace meshctl::explain {

struct AmbientPathOptions {
  std::string trust_domain = "cluster.local";  // when a workload names none
  // The config the command loaded, if any: AuthorizationPolicies with
  // targetRefs are enforced by waypoints and never reach ztunnel's dump.
  const model::Snapshot* snapshot = nullptr;
};

// The client workload in the dump: `req.from` as the workload's name or
// workloadName, in `req.from_ns`; nullptr when absent.
const ambient::ZWorkload* FindAmbientSource(const ambient::ZtunnelDump& dump, const Request& req);

// Whether ztunnel captures the client: it is in the dump with protocol HBONE.
bool IsAmbientSource(const ambient::ZtunnelDump& dump, const Request& req);

// Walks `req` through `dump`. The walk's outcome is "allowed" when the
// destination ztunnel accepts the connection, "Passthrough" for an
// address ztunnel does not know, and a failure ("RBAC: ...",
// "NoHealthyUpstream", "UnknownWaypoint", "not ambient") otherwise.
Walk WalkAmbient(const ambient::ZtunnelDump& dump, const Request& req, const AmbientPathOptions& opts);

}  // namespace meshctl::explain
