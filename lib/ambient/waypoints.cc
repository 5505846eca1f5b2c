#include "lib/ambient/waypoints.h"

#include <algorithm>

#include "lib/analysis/common.h"
#include "lib/model/kinds.h"

namespace meshctl::ambient {

namespace kinds = model::kinds;

namespace {

std::string ScalarAt(const yaml::Node* parent, std::string_view key) {
  const yaml::Node* n = parent && parent->IsMap() ? parent->Get(key) : nullptr;
  return n && n->IsScalar() && n->type() != yaml::NodeType::kNull ? n->text() : "";
}

const yaml::Node* Status(const model::Resource& r) { return r.root && r.root->IsMap() ? r.root->Get("status") : nullptr; }

Waypoint ReadWaypoint(const model::Resource& gw, const model::Snapshot& snap) {
  Waypoint w;
  w.gateway = &gw;
  w.ns = gw.ns;
  w.name = gw.name;
  w.gateway_class = ScalarAt(gw.spec, "gatewayClassName");
  w.revision = std::string(gw.Label("istio.io/rev"));
  w.traffic_label = std::string(gw.Label(kWaypointFor));
  if (gw.HasLabel(kWaypointFor)) {
    w.traffic_type = w.traffic_label;
    w.traffic_source = "Gateway";
  } else if (const model::Resource* cls = snap.Find(kinds::kGatewayClass, "", w.gateway_class);
             cls && cls->HasLabel(kWaypointFor)) {
    w.traffic_type = std::string(cls->Label(kWaypointFor));
    w.traffic_source = "GatewayClass";
  } else {
    w.traffic_type = "service";
    w.traffic_source = "default";
  }
  const yaml::Node* status = Status(gw);
  if (const yaml::Node* addrs = status && status->IsMap() ? status->Get("addresses") : nullptr; addrs && addrs->IsSeq()) {
    for (const auto& a : addrs->children()) {
      std::string v = ScalarAt(&a, "value");
      if (!v.empty()) w.addresses.push_back(v);
    }
  }
  if (const yaml::Node* conds = status && status->IsMap() ? status->Get("conditions") : nullptr; conds && conds->IsSeq()) {
    for (const auto& c : conds->children()) {
      w.conditions.push_back({ScalarAt(&c, "type"), ScalarAt(&c, "status"), ScalarAt(&c, "reason"),
                              ScalarAt(&c, "message")});
    }
  }
  const yaml::Node* listeners = gw.spec && gw.spec->IsMap() ? gw.spec->Get("listeners") : nullptr;
  if (listeners && listeners->IsSeq()) {
    for (const auto& l : listeners->children()) {
      if (ScalarAt(&l, "port") != "15008" || ScalarAt(&l, "protocol") != "HBONE") continue;
      w.hbone_listener = true;
      const yaml::Node* ns = l.IsMap() && l.Get("allowedRoutes") ? l.Get("allowedRoutes")->Get("namespaces") : nullptr;
      std::string from = ScalarAt(ns, "from");
      if (!from.empty()) w.allowed_from = from;
      if (ns && ns->IsMap()) w.allowed_selector = ns->Get("selector");
      break;
    }
  }
  return w;
}

}  // namespace

std::string Waypoint::programmed() const {
  std::string out = "False";
  for (const auto& c : conditions)
    if (c.type == "Programmed") out = c.status;
  return out;
}

std::string_view BindingKind(const model::Resource& r) {
  if (r.Is(kinds::kService) || r.Is(kinds::kServiceEntry)) return "service";
  if (r.Is(kinds::kPod) || r.Is(kinds::kWorkloadEntry)) return "workload";
  if (r.Is(kinds::kNamespace)) return "namespace";
  return "";
}

bool TrafficTypeServes(std::string_view type, std::string_view kind) {
  if (type == "all") return true;
  return type == kind;
}

bool IsGatewayInfrastructure(const model::Resource& r) {
  std::string_view managed = r.Label("gateway.istio.io/managed");
  if (managed == "istio.io-mesh-controller" || managed == "istio.io-eastwest-controller") return true;
  return r.HasLabel("gateway.networking.k8s.io/gateway-name") || r.HasLabel("istio.io/gateway-name");
}

bool AttachmentAllowed(const Waypoint& w, const std::string& ns, const model::Resource* ns_resource, bool& known) {
  known = true;
  if (ns == w.ns || w.allowed_from == "All") return true;
  if (w.allowed_from == "Selector") {
    if (!ns_resource) {
      known = false;
      return true;
    }
    analysis::LabelMap labels = ns_resource->Labels();
    labels.emplace("kubernetes.io/metadata.name", ns);
    return w.allowed_selector && analysis::LabelSelectorMatches(w.allowed_selector, labels);
  }
  return false;  // Same (the default) or anything unknown
}

const Waypoint* WaypointModel::Find(const std::string& ns, const std::string& name) const {
  for (const auto& w : waypoints)
    if (w.ns == ns && w.name == name) return &w;
  return nullptr;
}

std::vector<const Binding*> WaypointModel::BoundTo(const Waypoint& w) const {
  std::vector<const Binding*> out;
  for (const auto& b : bindings)
    if (b.waypoint_ns == w.ns && b.waypoint_name == w.name) out.push_back(&b);
  return out;
}

std::vector<model::GroupKind> WaypointInputKinds() {
  return {kinds::kK8sGateway,    kinds::kGatewayClass,   kinds::kNamespace,
          kinds::kService,       kinds::kServiceEntry,   kinds::kPod,
          kinds::kWorkloadEntry, kinds::kAuthorizationPolicy, kinds::kHTTPRoute};
}

WaypointModel BuildWaypointModel(const model::Snapshot& snap) {
  WaypointModel m;
  for (const model::Resource* gw : snap.OfKind(kinds::kK8sGateway)) m.waypoints.push_back(ReadWaypoint(*gw, snap));
  std::sort(m.waypoints.begin(), m.waypoints.end(), [](const Waypoint& a, const Waypoint& b) {
    return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
  });
  for (const model::Resource& r : snap.resources()) {
    std::string_view kind = BindingKind(r);
    if (kind.empty() || IsGatewayInfrastructure(r)) continue;
    const model::Resource* owner = nullptr;
    bool inherited = false;
    std::string home = kind == "namespace" ? r.name : r.ns;
    if (r.HasLabel(kUseWaypoint)) {
      owner = &r;
    } else if (kind != "namespace") {
      const model::Resource* ns = snap.Find(kinds::kNamespace, "", r.ns);
      if (ns && ns->HasLabel(kUseWaypoint)) {
        owner = ns;
        inherited = true;
      }
    }
    if (!owner) continue;
    std::string name(owner->Label(kUseWaypoint));
    if (name == "none" || name.empty()) continue;
    std::string wns(owner->Label(kUseWaypointNamespace));
    if (wns.empty()) wns = inherited ? std::string(owner->name) : home;
    m.bindings.push_back({&r, owner, inherited, wns, name});
  }
  return m;
}

}  // namespace meshctl::ambient
