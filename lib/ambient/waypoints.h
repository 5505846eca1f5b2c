// Waypoints and what binds to them, read from a Snapshot the way istiod
// resolves them (ambient.md §2, pilot/pkg/serviceregistry/ambient/waypoints.go):
//   - a waypoint is a Kubernetes Gateway; it is usable once it has
//     status.addresses (istiod does not check the class);
//   - its effective traffic type is istio.io/waypoint-for on the Gateway,
//     else on its GatewayClass, else "service";
//   - an object binds through istio.io/use-waypoint (value "none" opts out;
//     istio.io/use-waypoint-namespace names another namespace), else through
//     the same labels on its Namespace.
// Used by `meshctl waypoint list|status` and the ambient analyzers
// (lib/analysis/ambient_waypoints.cc); it never knows where resources came
// from.
#pragma once

#include <string>
#include <vector>

#include "lib/model/kinds.h"
#include "lib/model/snapshot.h"

namespace meshctl::ambient {

inline constexpr std::string_view kUseWaypoint = "istio.io/use-waypoint";
inline constexpr std::string_view kUseWaypointNamespace = "istio.io/use-waypoint-namespace";
inline constexpr std::string_view kWaypointFor = "istio.io/waypoint-for";
inline constexpr std::string_view kDataplaneMode = "istio.io/dataplane-mode";
inline constexpr std::string_view kWaypointClass = "istio-waypoint";

// The kinds the waypoint model and the ambient analyzers read: what
// `meshctl waypoint` lists from a live cluster (and what a saved state
// should hold).
std::vector<model::GroupKind> WaypointInputKinds();

struct Condition {
  std::string type, status, reason, message;
};

struct Waypoint {
  const model::Resource* gateway = nullptr;
  std::string ns, name, gateway_class;
  std::string revision;            // istio.io/rev, "" when absent
  std::string traffic_label;       // istio.io/waypoint-for on the Gateway as written
  std::string traffic_type;        // effective: Gateway label, GatewayClass label, or "service"
  std::string traffic_source;      // "Gateway", "GatewayClass" or "default"
  std::vector<std::string> addresses;  // status.addresses[].value
  std::vector<Condition> conditions;   // status.conditions in order
  bool hbone_listener = false;         // a listener {port: 15008, protocol: HBONE}
  // allowedRoutes.namespaces of the HBONE listener: "Same" (default), "All"
  // or "Selector" (with `selector`).
  std::string allowed_from = "Same";
  const yaml::Node* allowed_selector = nullptr;

  bool ready() const { return !addresses.empty(); }
  bool is_waypoint_class() const { return gateway_class == kWaypointClass; }
  // The Programmed condition's status, "False" when absent (istioctl's rule).
  std::string programmed() const;
};

struct Binding {
  const model::Resource* object = nullptr;  // Namespace, Service, ServiceEntry, Pod or WorkloadEntry
  // Whose labels say it: the object itself, or its Namespace (inherited).
  const model::Resource* label_owner = nullptr;
  bool inherited = false;
  std::string waypoint_ns, waypoint_name;
};

struct WaypointModel {
  std::vector<Waypoint> waypoints;  // every Kubernetes Gateway, sorted by namespace, name
  std::vector<Binding> bindings;    // in snapshot order

  const Waypoint* Find(const std::string& ns, const std::string& name) const;
  // Bindings that name this waypoint (whether or not they would be accepted).
  std::vector<const Binding*> BoundTo(const Waypoint& w) const;
};

WaypointModel BuildWaypointModel(const model::Snapshot& snap);

// "service" for Services and ServiceEntries, "workload" for Pods and
// WorkloadEntries, "namespace" for Namespaces.
std::string_view BindingKind(const model::Resource& r);

// Whether a waypoint of traffic type `type` serves objects of `kind`
// ("service" or "workload").
bool TrafficTypeServes(std::string_view type, std::string_view kind);

// Whether the waypoint's HBONE listener admits objects of namespace `ns`
// (whose Namespace resource, if given, supplies labels for a Selector).
// `known` is false when a Selector cannot be evaluated (no Namespace).
bool AttachmentAllowed(const Waypoint& w, const std::string& ns, const model::Resource* ns_resource, bool& known);

// A Pod or Service that belongs to a waypoint or east-west gateway itself
// (never bound to a waypoint).
bool IsGatewayInfrastructure(const model::Resource& r);

}  // namespace meshctl::ambient
