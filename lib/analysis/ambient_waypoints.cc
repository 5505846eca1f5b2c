// Ambient-mode checks meshctl adds (no Istio analyzer does this; ambient.md
// §3 "known gaps", §6.2), on the binding model of lib/ambient/waypoints.h:
//   ambient.waypoint   use-waypoint targets that are missing or not ready
//       (MSH0701), refused by the listener's allowedRoutes (MSH0702), of the
//       wrong traffic type (MSH0703); bad waypoint labels (MSH0704); waypoint
//       Gateways without an HBONE listener or of another class (MSH0705);
//       waypoints nothing binds to (MSH0706); HTTPRoutes on Services of an
//       ambient namespace that bind to no waypoint, which nothing applies
//       (MSH0709); Services with a waypoint that an ingress Gateway's
//       HTTPRoute sends to without istio.io/ingress-use-waypoint, so ingress
//       traffic skips the waypoint (MSH0710).
//   ambient.namespace  use-waypoint on a namespace that is not ambient
//       (MSH0707); ambient together with sidecar injection (MSH0708).
#include <cctype>
#include <set>

#include "lib/ambient/waypoints.h"
#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

namespace kinds = model::kinds;

std::string LabelPath(std::string_view key) { return "metadata.labels['" + std::string(key) + "']"; }

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool ValidTrafficType(std::string_view t) { return t == "service" || t == "workload" || t == "all" || t == "none"; }

class WaypointBindingAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "ambient.waypoint",
        "",
        "Checks that istio.io/use-waypoint labels bind to a ready waypoint that accepts them",
        {kinds::kNamespace, kinds::kService, kinds::kServiceEntry, kinds::kPod, kinds::kWorkloadEntry,
         kinds::kK8sGateway, kinds::kGatewayClass, kinds::kAuthorizationPolicy, kinds::kHTTPRoute},
        {"MSH0701", "MSH0702", "MSH0703", "MSH0704", "MSH0705", "MSH0706", "MSH0709", "MSH0710"},
        false,
        {kinds::kK8sGateway}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    const model::Snapshot& snap = ctx.snapshot;
    ambient::WaypointModel wm = ambient::BuildWaypointModel(snap);

    // Labels on any object that can carry them.
    for (const model::Resource& r : snap.resources()) {
      if (ambient::BindingKind(r).empty()) continue;
      if (r.HasLabel(ambient::kUseWaypointNamespace) && !r.HasLabel(ambient::kUseWaypoint)) {
        sink.Report("MSH0704", r, LabelPath(ambient::kUseWaypointNamespace),
                    {std::string(ambient::kUseWaypointNamespace) + " is set without " +
                     std::string(ambient::kUseWaypoint) + "; it has no effect"});
      }
    }

    for (const ambient::Waypoint& w : wm.waypoints) {
      const model::Resource& gw = *w.gateway;
      if (!w.traffic_label.empty() && !ValidTrafficType(w.traffic_label)) {
        sink.Report("MSH0704", gw, LabelPath(ambient::kWaypointFor),
                    {std::string(ambient::kWaypointFor) + "=" + w.traffic_label +
                     " is not one of service, workload, all, none"});
      }
      if (!w.is_waypoint_class()) continue;
      if (w.name == "none") {
        sink.Report("MSH0704", gw, "metadata.name",
                    {std::string("the name \"none\" is reserved: ") + std::string(ambient::kUseWaypoint) +
                     "=none opts out of waypoints, so nothing can bind to this one"});
      }
      if (!w.hbone_listener) sink.Report("MSH0705", gw, "spec.listeners", {gw.FullName(), "has no listener with port 15008 and protocol HBONE"});
      bool bound = !wm.BoundTo(w).empty();
      for (const model::Resource* ap : snap.OfKind(kinds::kAuthorizationPolicy)) {
        const yaml::Node* refs = ap->spec && ap->spec->IsMap() ? ap->spec->Get("targetRefs") : nullptr;
        if (!refs || !refs->IsSeq()) continue;
        for (const auto& ref : refs->children()) {
          if (Scalar(&ref, "kind") == "Gateway" && Scalar(&ref, "name") == w.name && ap->ns == w.ns) bound = true;
        }
      }
      if (!bound) sink.Report("MSH0706", gw, "", {gw.FullName()});
    }

    // An HTTPRoute whose parent is a Service: in ambient mode only a waypoint
    // applies it (ztunnel is L4), so a parent Service of an ambient namespace
    // that binds to no waypoint makes the route dead (istiod says so only in
    // the ResolvedWaypoints condition's message).
    for (const model::Resource* route : snap.OfKind(kinds::kHTTPRoute)) {
      const yaml::Node* parents = route->spec && route->spec->IsMap() ? route->spec->Get("parentRefs") : nullptr;
      if (!parents || !parents->IsSeq()) continue;
      for (size_t i = 0; i < parents->children().size(); ++i) {
        const yaml::Node& ref = parents->children()[i];
        if (Scalar(&ref, "kind") != "Service" || !Scalar(&ref, "group").empty()) continue;
        std::string ns = Scalar(&ref, "namespace");
        if (ns.empty()) ns = route->ns;
        const model::Resource* svc = snap.Find(kinds::kService, ns, Scalar(&ref, "name"));
        if (!svc || !NamespaceInAmbientMode(snap.Find(kinds::kNamespace, "", ns))) continue;
        bool bound = false;
        for (const ambient::Binding& b : wm.bindings) {
          if (b.object != svc) continue;
          const ambient::Waypoint* w = wm.Find(b.waypoint_ns, b.waypoint_name);
          bound = w && ambient::TrafficTypeServes(w->traffic_type, "service");
        }
        if (!bound) {
          sink.Report("MSH0709", *route, "spec.parentRefs[" + std::to_string(i) + "].name",
                      {route->FullName(), svc->FullName()});
        }
      }
    }

    // Ingress: a Gateway that is not a waypoint calls the Service directly
    // unless istio.io/ingress-use-waypoint=true is on the Service, else on its
    // Namespace (istiod's ingressUseWaypointFromLabels).
    for (const model::Resource* route : snap.OfKind(kinds::kHTTPRoute)) {
      const yaml::Node* parents = route->spec && route->spec->IsMap() ? route->spec->Get("parentRefs") : nullptr;
      if (!parents || !parents->IsSeq()) continue;
      std::string ingress;
      for (const auto& ref : parents->children()) {
        std::string kind = Scalar(&ref, "kind"), group = Scalar(&ref, "group");
        if (!(kind.empty() || kind == "Gateway") || !(group.empty() || group == "gateway.networking.k8s.io")) continue;
        std::string ns = Scalar(&ref, "namespace");
        const ambient::Waypoint* gw = wm.Find(ns.empty() ? std::string(route->ns) : ns, Scalar(&ref, "name"));
        if (gw && !gw->is_waypoint_class()) ingress = gw->ns + "/" + gw->name;
      }
      if (ingress.empty()) continue;
      const yaml::Node* rules = route->spec->Get("rules");
      if (!rules || !rules->IsSeq()) continue;
      for (size_t r = 0; r < rules->children().size(); ++r) {
        const yaml::Node* backends = rules->children()[r].IsMap() ? rules->children()[r].Get("backendRefs") : nullptr;
        if (!backends || !backends->IsSeq()) continue;
        for (size_t i = 0; i < backends->children().size(); ++i) {
          const yaml::Node& be = backends->children()[i];
          std::string kind = Scalar(&be, "kind");
          if (!(kind.empty() || kind == "Service") || !Scalar(&be, "group").empty()) continue;
          std::string ns = Scalar(&be, "namespace");
          const model::Resource* svc = snap.Find(kinds::kService, ns.empty() ? std::string(route->ns) : ns, Scalar(&be, "name"));
          if (!svc) continue;
          const ambient::Waypoint* w = nullptr;
          for (const ambient::Binding& b : wm.bindings) {
            if (b.object == svc) w = wm.Find(b.waypoint_ns, b.waypoint_name);
          }
          if (!w || !ambient::TrafficTypeServes(w->traffic_type, "service")) continue;
          const model::Resource* ns_res = snap.Find(kinds::kNamespace, "", svc->ns);
          std::string_view use = svc->HasLabel("istio.io/ingress-use-waypoint") || !ns_res
                                     ? svc->Label("istio.io/ingress-use-waypoint")
                                     : ns_res->Label("istio.io/ingress-use-waypoint");
          if (EqualFold(use, "true")) continue;
          sink.Report("MSH0710", *route,
                      "spec.rules[" + std::to_string(r) + "].backendRefs[" + std::to_string(i) + "].name",
                      {ingress, svc->FullName(), w->ns + "/" + w->name});
        }
      }
    }

    for (const ambient::Binding& b : wm.bindings) {
      const model::Resource& obj = *b.object;
      std::string_view kind = ambient::BindingKind(obj);
      std::string target = b.waypoint_ns + "/" + b.waypoint_name;
      std::string path = LabelPath(ambient::kUseWaypoint);
      const ambient::Waypoint* w = wm.Find(b.waypoint_ns, b.waypoint_name);
      // Readiness and attachment are properties of the label: report them
      // where it is written, once (a Namespace for what it passes down).
      if (!b.inherited) {
        if (!w) {
          sink.Report("MSH0701", obj, path, {target, "does not exist"});
          continue;
        }
        if (!w->ready()) sink.Report("MSH0701", obj, path, {target, "has no address in its status (not programmed)"});
        if (!w->is_waypoint_class()) {
          sink.Report("MSH0705", obj, path,
                      {target, "has gatewayClassName \"" + w->gateway_class + "\", not istio-waypoint"});
        }
        std::string home = kind == "namespace" ? obj.name : obj.ns;
        bool known = true;
        const model::Resource* ns_res = snap.Find(kinds::kNamespace, "", home);
        if (!ambient::AttachmentAllowed(*w, home, ns_res, known) && known) {
          sink.Report("MSH0702", obj, path, {target, home, w->allowed_from});
        }
      }
      if (!w || kind == "namespace") continue;
      // Services are checked whether the label is their own or inherited;
      // workloads only for their own label (istiod is silent otherwise).
      if (kind == "workload" && b.inherited) continue;
      if (!ambient::TrafficTypeServes(w->traffic_type, kind)) {
        sink.Report("MSH0703", obj, b.inherited ? "" : path,
                    {std::string(obj.kind) + " " + obj.FullName(), target, w->traffic_type + " (" + w->traffic_source + ")",
                     std::string(kind)});
      }
    }
  }
};

class AmbientNamespaceAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{"ambient.namespace",
                                    "",
                                    "Checks that namespaces using waypoints are ambient and not also injected",
                                    {kinds::kNamespace},
                                    {"MSH0707", "MSH0708"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* ns : ctx.snapshot.OfKind(kinds::kNamespace)) {
      bool ambient_label = ns->Label(ambient::kDataplaneMode) == "ambient";
      std::string_view wp = ns->Label(ambient::kUseWaypoint);
      if (ns->HasLabel(ambient::kUseWaypoint) && wp != "none" && !ambient_label) {
        sink.Report("MSH0707", *ns, LabelPath(ambient::kUseWaypoint), {ns->name, std::string(wp)});
      }
      if (!ambient_label) continue;
      std::vector<std::string> sidecar;
      if (ns->Label("istio-injection") == "enabled") sidecar.push_back("istio-injection=enabled");
      if (!ns->Label("istio.io/rev").empty()) sidecar.push_back("istio.io/rev=" + std::string(ns->Label("istio.io/rev")));
      if (!sidecar.empty()) {
        sink.Report("MSH0708", *ns, LabelPath(ambient::kDataplaneMode), {ns->name, sidecar});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewWaypointBindingAnalyzer() { return std::make_unique<WaypointBindingAnalyzer>(); }
std::unique_ptr<Analyzer> NewAmbientNamespaceAnalyzer() { return std::make_unique<AmbientNamespaceAnalyzer>(); }

}  // namespace meshctl::analysis
