#include "lib/explain/config_walk.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <re2/re2.h>

#include "lib/analysis/common.h"
#include "lib/analysis/workloads.h"
#include "lib/core/strings.h"
#include "lib/model/kinds.h"
#include "lib/model/protocol.h"

namespace meshctl::explain {

namespace {

using analysis::Dig;
using analysis::LabelMap;
using analysis::Scalar;
using analysis::ScalarList;
using analysis::StringMap;
namespace kinds = model::kinds;

// ---- small helpers

std::string Fqdn(std::string_view ns, std::string_view host, std::string_view domain) {
  if (host.empty() || host[0] == '*' || host.find('.') != std::string_view::npos) return std::string(host);
  return fmt::format("{}.{}.svc.{}", host, ns, domain);
}

std::string CreationTime(const model::Resource* r) { return Scalar(Dig(r, {"metadata", "creationTimestamp"})); }

// pilot's sortConfigByCreationTime: oldest first, then name, then namespace.
void SortByCreation(std::vector<const model::Resource*>& rs) {
  std::stable_sort(rs.begin(), rs.end(), [](const model::Resource* a, const model::Resource* b) {
    std::string ta = CreationTime(a), tb = CreationTime(b);
    if (ta != tb) return ta < tb;
    if (a->name != b->name) return a->name < b->name;
    return a->ns < b->ns;
  });
}

// A hop that cites `path` of `r`.
Hop At(const model::Resource* r, std::string path) {
  Hop h;
  if (!r) return h;
  h.object = r->Origin();
  h.field = path.empty() ? "" : "." + path;
  h.file = r->file;
  yaml::Mark m = path.empty() ? r->start : r->Locate(path);
  h.line = m.line;
  h.column = m.column;
  return h;
}

bool ExportedTo(const std::vector<std::string>& export_to, std::string_view owner_ns, std::string_view client_ns) {
  if (export_to.empty()) return true;
  for (const auto& e : export_to) {
    if (e == "*") return true;
    if (e == "." && owner_ns == client_ns) return true;
    if (e == "~") continue;
    if (e == client_ns) return true;
  }
  return false;
}

// ---- services

struct SvcPort {
  int64_t number = 0;
  std::string name;
  model::Protocol protocol = model::Protocol::kUnsupported;
  int64_t target_port = 0;  // 0: the same as number (or a named port)
  size_t index = 0;
};

struct Service {
  const model::Resource* r = nullptr;
  bool service_entry = false;
  std::string host;  // the FQDN (or the ServiceEntry host that matched)
  std::string vip;
  std::vector<SvcPort> ports;
  LabelMap selector;
  bool mesh_external = false;
  std::string resolution;
  std::vector<std::string> export_to;
  size_t host_index = 0;  // ServiceEntry: which spec.hosts entry

  const SvcPort* Port(int64_t p) const {
    for (const auto& sp : ports)
      if (sp.number == p) return &sp;
    return nullptr;
  }
  std::string PortsText() const {
    std::vector<std::string> out;
    for (const auto& p : ports) out.push_back(std::to_string(p.number));
    return core::Join(out, ", ");
  }
};

std::vector<std::string> DefaultExportTo(const yaml::Node* mesh, std::string_view key) {
  std::vector<std::string> v = ScalarList(Dig(mesh, {key}));
  return v.empty() ? std::vector<std::string>{"*"} : v;
}

std::vector<Service> AllServices(const model::Snapshot& snap, std::string_view domain, const yaml::Node* mesh) {
  std::vector<Service> out;
  for (const model::Resource* r : snap.OfKind(kinds::kService)) {
    Service s;
    s.r = r;
    s.host = fmt::format("{}.{}.svc.{}", r->name, r->ns, domain);
    s.vip = Scalar(Dig(r, {"spec", "clusterIP"}));
    s.selector = StringMap(Dig(r, {"spec", "selector"}));
    std::string annotation(r->Annotation("networking.istio.io/exportTo"));
    if (!annotation.empty()) {
      for (auto& e : core::Split(annotation, ',')) s.export_to.emplace_back(core::Trim(e));
    } else {
      s.export_to = DefaultExportTo(mesh, "defaultServiceExportTo");
    }
    const yaml::Node* ports = Dig(r, {"spec", "ports"});
    for (size_t i = 0; ports && ports->IsSeq() && i < ports->size(); ++i) {
      const yaml::Node& p = ports->at(i);
      SvcPort sp;
      sp.index = i;
      sp.number = Dig(p, {"port"}) ? Dig(p, {"port"})->AsInt().value_or(0) : 0;
      sp.name = Scalar(&p, "name");
      const yaml::Node* app = Dig(p, {"appProtocol"});
      std::optional<std::string_view> app_protocol;
      if (app && app->IsString()) app_protocol = app->text();
      sp.protocol = model::ConvertServicePortProtocol(sp.number, sp.name, Scalar(&p, "protocol"), app_protocol);
      const yaml::Node* tp = Dig(p, {"targetPort"});
      if (tp && tp->IsInt()) sp.target_port = tp->AsInt().value_or(0);
      s.ports.push_back(sp);
    }
    out.push_back(std::move(s));
  }
  for (const model::Resource* r : snap.OfKind(kinds::kServiceEntry)) {
    std::vector<std::string> hosts = ScalarList(Dig(r, {"spec", "hosts"}));
    std::vector<std::string> addresses = ScalarList(Dig(r, {"spec", "addresses"}));
    std::vector<std::string> export_to = ScalarList(Dig(r, {"spec", "exportTo"}));
    if (export_to.empty()) export_to = DefaultExportTo(mesh, "defaultServiceExportTo");
    for (size_t hi = 0; hi < hosts.size(); ++hi) {
      const std::string& h = hosts[hi];
      Service s;
      s.r = r;
      s.service_entry = true;
      s.host = h;
      s.host_index = hi;
      s.vip = addresses.empty() ? "" : addresses.front();
      s.mesh_external = Scalar(Dig(r, {"spec", "location"})) == "MESH_EXTERNAL";
      s.resolution = Scalar(Dig(r, {"spec", "resolution"}));
      s.export_to = export_to;
      s.selector = StringMap(Dig(r, {"spec", "workloadSelector", "labels"}));
      const yaml::Node* ports = Dig(r, {"spec", "ports"});
      for (size_t i = 0; ports && ports->IsSeq() && i < ports->size(); ++i) {
        const yaml::Node& p = ports->at(i);
        SvcPort sp;
        sp.index = i;
        sp.number = Dig(p, {"number"}) ? Dig(p, {"number"})->AsInt().value_or(0) : 0;
        sp.name = Scalar(&p, "name");
        sp.protocol = model::ParseProtocol(Scalar(&p, "protocol"));
        const yaml::Node* tp = Dig(p, {"targetPort"});
        if (tp && tp->IsInt()) sp.target_port = tp->AsInt().value_or(0);
        s.ports.push_back(sp);
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

// How a client in `client_ns` names a Service (httproute.go's domains):
// the FQDN, name.ns, name.ns.svc, the bare name in its own namespace, the VIP.
bool NamesService(const Service& s, std::string_view host, std::string_view client_ns, std::string_view domain) {
  if (!s.vip.empty() && s.vip != "None" && host == s.vip) return true;
  if (s.service_entry) return analysis::HostsMatch(s.host, host) && (s.host[0] == '*' || host[0] != '*');
  const auto& r = *s.r;
  if (host == s.host) return true;
  if (host == r.name + "." + r.ns || host == r.name + "." + r.ns + ".svc") return true;
  if (host == r.name && r.ns == client_ns) return true;
  return false;
}

// ---- the walk state

struct Source {
  const model::Resource* r = nullptr;
  std::string ns;
  LabelMap labels;
  std::string service_account = "default";
  bool gateway = false;
  // A Gateway API Gateway (gateway.networking.k8s.io) the request enters;
  // then `gateway` is set too.
  const model::Resource* k8s_gateway = nullptr;
};

constexpr model::GroupKind kEndpointSlice{"discovery.k8s.io", "EndpointSlice"};

// --from gateway/NAME, as istioctl names a managed Gateway API gateway.
bool NamesK8sGateway(std::string_view kind) {
  return kind == "gateway" || kind == "gateways" || kind == "gtw" || kind == "gateway.gateway.networking.k8s.io";
}

constexpr char kGatewayNameLabel[] = "gateway.networking.k8s.io/gateway-name";

struct Branch {
  std::string host;  // FQDN of the destination
  std::string subset;
  int64_t port = 0;
  int64_t weight = 0;
  double share = 100;
  const model::Resource* vs = nullptr;
  std::string dest_path;  // field path of the destination
};

class ConfigWalker {
 public:
  ConfigWalker(const model::Snapshot& snap, const Request& req, const ConfigWalkOptions& opts)
      : snap_(snap), req_(req), opts_(opts), domain_(opts.cluster_domain) {
    root_ns_ = Scalar(Dig(opts.mesh_config, {"rootNamespace"}));
    if (root_ns_.empty()) root_ns_ = "istio-system";
    mode_ = Scalar(Dig(opts.mesh_config, {"outboundTrafficPolicy", "mode"}));
    if (mode_.empty()) mode_ = "ALLOW_ANY";
    services_ = AllServices(snap, domain_, opts.mesh_config);
    trust_domain_ = Scalar(Dig(opts.mesh_config, {"trustDomain"}));
    if (trust_domain_.empty()) trust_domain_ = "cluster.local";
  }

  core::Result<Walk> Run() {
    walk_.kind = "config";
    RETURN_IF_ERROR(FindSource());
    if (src_.gateway) {
      if (!(src_.k8s_gateway ? K8sGatewayStep() : GatewayStep())) return std::move(walk_);
    } else {
      SidecarStep();
      if (!ServiceStep()) return std::move(walk_);
      ListenerStep();
    }
    std::vector<Branch> branches;
    if (!RouteSteps(branches)) return std::move(walk_);
    walk_.outcome.reached = true;
    walk_.outcome.result = "routed";
    for (const Branch& b : branches) DestinationSteps(b);
    Summarize();
    return std::move(walk_);
  }

 private:
  // ---- O1
  core::Status FindSource() {
    std::string name = req_.from, ns = req_.from_ns.empty() ? "default" : req_.from_ns;
    Hop h;
    h.step = "O1 source";
    if (name.empty()) {
      src_.ns = ns;
      h.summary = fmt::format("a sidecar in namespace {} (no --from: no labels, service account default)", ns);
      h.verdict = Verdict::kWarn;
      walk_.Add(std::move(h));
      return core::Status::Ok();
    }
    const model::Resource* found = nullptr;
    if (name == "ingress" || name == "ingressgateway" || name == "istio-ingressgateway") {
      std::string gw_ns = req_.from_ns.empty() ? root_ns_ : req_.from_ns;
      for (const auto& gk : analysis::WorkloadKinds()) {
        for (const model::Resource* w : snap_.OfKindIn(gk, gw_ns)) {
          const yaml::Node* labels = analysis::PodLabels(*w);
          if (labels && StringMap(labels)["istio"] == "ingressgateway" && !analysis::HasOwner(*w)) found = w;
          if (found) break;
        }
        if (found) break;
      }
      if (!found) {
        // The default ingress gateway, as installed, when the input does not hold it.
        src_.ns = gw_ns;
        src_.labels = {{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}};
        src_.gateway = true;
        walk_.source_ns = gw_ns;
        walk_.source_selector = "istio=ingressgateway";
        h.summary = fmt::format("the ingress gateway in {} (not in the input: labels istio=ingressgateway assumed)", gw_ns);
        h.verdict = Verdict::kWarn;
        walk_.Add(std::move(h));
        return core::Status::Ok();
      }
    } else if (NamesK8sGateway(req_.from_kind)) {
      found = snap_.Find(kinds::kK8sGateway, ns, name);
      if (!found)
        return core::DataError(fmt::format("--from {}/{}: no Gateway (gateway.networking.k8s.io) {} in namespace {} "
                                           "in the input",
                                           req_.from_kind, req_.from, name, ns));
      return K8sGatewaySource(found, nullptr);
    } else {
      found = snap_.Find(kinds::kPod, ns, name);
      for (const auto& gk : analysis::WorkloadKinds())
        if (!found) found = snap_.Find(gk, ns, name);
      if (!found) {
        // A pod named after its Deployment (reviews-v1-5d8f7c-abcde) is found by prefix.
        for (const model::Resource* p : snap_.OfKindIn(kinds::kPod, ns))
          if (!found && p->name.rfind(name + "-", 0) == 0) found = p;
      }
      if (!found) {
        if (const model::Resource* gw = snap_.Find(kinds::kK8sGateway, ns, name)) return K8sGatewaySource(gw, nullptr);
        return core::DataError(fmt::format("--from {}: no Pod or workload {} in namespace {} in the input", req_.from,
                                           name, ns));
      }
      // A pod of a managed Gateway API gateway enters that Gateway.
      std::string gw_name = StringMap(analysis::PodLabels(*found))[kGatewayNameLabel];
      if (const model::Resource* gw = gw_name.empty() ? nullptr : snap_.Find(kinds::kK8sGateway, found->ns, gw_name))
        return K8sGatewaySource(gw, found);
    }
    std::string path;
    const yaml::Node* labels = analysis::PodLabels(*found, &path);
    src_.r = found;
    src_.ns = found->ns;
    walk_.source_kind = found->kind;
    walk_.source_name = found->name;
    walk_.source_ns = found->ns;
    src_.labels = StringMap(labels);
    const yaml::Node* spec = analysis::PodSpec(*found);
    std::string sa = Scalar(Dig(spec, {"serviceAccountName"}));
    if (!sa.empty()) src_.service_account = sa;
    auto it = src_.labels.find("istio");
    src_.gateway = it != src_.labels.end() && (it->second == "ingressgateway" || it->second == "egressgateway");
    Hop at = At(found, path);
    at.step = "O1 source";
    at.summary = fmt::format("{} {} in {} (service account {}; labels {}){}", found->kind, found->name, src_.ns,
                             src_.service_account, analysis::SelectorString(src_.labels),
                             src_.gateway ? "; a gateway: the request starts at its listeners" : "");
    if (!src_.gateway && analysis::PodMeshMembership(*found, snap_) == analysis::MeshMembership::kNotInMesh) {
      at.verdict = Verdict::kWarn;
      at.details.push_back("the workload has no sidecar: the request leaves it unrouted (Istio config does not apply)");
    }
    walk_.Add(std::move(at));
    return core::Status::Ok();
  }

  // O1 for a Gateway API Gateway: Istio runs it as a deployment whose pods
  // carry gateway.networking.k8s.io/gateway-name=<name> (`pod`, when the
  // input holds one, is where it was found).
  core::Status K8sGatewaySource(const model::Resource* gw, const model::Resource* pod) {
    src_.k8s_gateway = gw;
    src_.gateway = true;
    src_.r = pod;
    src_.ns = gw->ns;
    src_.labels = pod ? StringMap(analysis::PodLabels(*pod)) : LabelMap{{kGatewayNameLabel, gw->name}};
    walk_.source_kind = pod ? pod->kind : "";
    walk_.source_name = pod ? pod->name : "";
    walk_.source_ns = gw->ns;
    walk_.source_selector = std::string(kGatewayNameLabel) + "=" + gw->name;
    Hop h = At(gw, "spec.gatewayClassName");
    h.step = "O1 source";
    h.summary = fmt::format("Gateway {} (Gateway API, class {}){}: the request starts at its listeners",
                            gw->FullName(), Scalar(Dig(gw, {"spec", "gatewayClassName"})),
                            pod ? fmt::format(", run by {} {}", pod->kind, pod->name) : "");
    walk_.Add(std::move(h));
    return core::Status::Ok();
  }

  // ---- O2
  void SidecarStep() {
    std::vector<const model::Resource*> with_selector, without;
    for (const model::Resource* s : snap_.OfKindIn(kinds::kSidecar, src_.ns)) {
      const yaml::Node* sel = Dig(s, {"spec", "workloadSelector", "labels"});
      if (sel && sel->size() > 0) {
        if (analysis::SelectorMatches(StringMap(sel), src_.labels)) with_selector.push_back(s);
      } else {
        without.push_back(s);
      }
    }
    SortByCreation(with_selector);
    SortByCreation(without);
    const model::Resource* chosen = nullptr;
    std::string why;
    if (!with_selector.empty()) {
      chosen = with_selector.front();
      why = "its workloadSelector matches the source";
    } else if (!without.empty()) {
      chosen = without.front();
      why = "the namespace's selector-less Sidecar";
    } else {
      std::vector<const model::Resource*> root;
      for (const model::Resource* s : snap_.OfKindIn(kinds::kSidecar, root_ns_))
        if (!Dig(s, {"spec", "workloadSelector"})) root.push_back(s);
      SortByCreation(root);
      if (!root.empty()) {
        chosen = root.front();
        why = "the root namespace's Sidecar";
      }
    }
    sidecar_ = chosen;
    if (!chosen) {
      Hop h;
      h.step = "O2 sidecar";
      h.summary = "no Sidecar applies: the default egress scope */* imports every exported service";
      egress_hosts_ = {"*/*"};
      walk_.Add(std::move(h));
      return;
    }
    const yaml::Node* egress = Dig(chosen, {"spec", "egress"});
    int index = -1;
    for (size_t i = 0; egress && egress->IsSeq() && i < egress->size(); ++i) {
      const yaml::Node* port = Dig(egress->at(i), {"port", "number"});
      if (port && port->AsInt().value_or(-1) == req_.port) {
        index = static_cast<int>(i);
        break;
      }
    }
    if (index < 0)
      for (size_t i = 0; egress && egress->IsSeq() && i < egress->size(); ++i)
        if (!Dig(egress->at(i), {"port"})) {
          index = static_cast<int>(i);
          break;
        }
    std::string path = index >= 0 ? fmt::format("spec.egress[{}].hosts", index) : "spec";
    Hop h = At(chosen, path);
    h.step = "O2 sidecar";
    if (index >= 0) {
      egress_hosts_ = ScalarList(Dig(egress->at(static_cast<size_t>(index)), {"hosts"}));
      egress_path_ = path;
      h.summary = fmt::format("Sidecar {} ({}); egress listener [{}] hosts: {}", chosen->FullName(), why, index,
                              core::Join(egress_hosts_, ", "));
    } else if (egress && egress->size() > 0) {
      egress_hosts_.clear();
      egress_path_ = "spec.egress";
      h.verdict = Verdict::kWarn;
      h.summary = fmt::format("Sidecar {} ({}) has no egress listener for port {} and no catch-all", chosen->FullName(),
                              why, req_.port);
    } else {
      egress_hosts_ = {"*/*"};
      h.summary = fmt::format("Sidecar {} ({}) sets no egress: */*", chosen->FullName(), why);
    }
    std::string mode = Scalar(Dig(chosen, {"spec", "outboundTrafficPolicy", "mode"}));
    if (!mode.empty()) {
      mode_ = mode;
      mode_from_ = chosen;
      h.details.push_back("outboundTrafficPolicy.mode " + mode + " (from this Sidecar)");
    }
    walk_.Add(std::move(h));
  }

  // sidecar.go: `ns/dns` entries; `*` any namespace, `.` the Sidecar's, `~` none.
  bool Imported(const Service& s) const {
    std::string svc_ns = s.r->ns;
    for (const auto& entry : egress_hosts_) {
      size_t slash = entry.find('/');
      std::string ns = slash == std::string::npos ? "*" : entry.substr(0, slash);
      std::string dns = slash == std::string::npos ? entry : entry.substr(slash + 1);
      if (ns == "~") continue;
      if (ns == ".") ns = sidecar_ ? std::string(sidecar_->ns) : src_.ns;
      if (ns != "*" && ns != svc_ns) continue;
      if (dns == "*" || analysis::HostSubsetOf(s.host, dns) || analysis::HostsMatch(s.host, dns)) return true;
    }
    return false;
  }

  void NoService(const std::string& why, const Hop* cite) {
    Hop h = cite ? *cite : Hop{};
    h.step = "O3 service";
    h.details.push_back(why);
    if (mode_ == "REGISTRY_ONLY") {
      h.verdict = Verdict::kFail;
      h.summary = fmt::format("{} is not a known service and outboundTrafficPolicy is REGISTRY_ONLY", req_.host);
      h.envoy_kind = "cluster";
      h.envoy_name = "BlackHoleCluster";
      if (mode_from_) {
        h.Cite(At(mode_from_, "spec.outboundTrafficPolicy.mode"));
      }
      walk_.Add(std::move(h));
      walk_.Fail("502 BlackHole", "virtual host block_all: Envoy answers 502 (BlackHoleCluster)");
    } else {
      h.verdict = Verdict::kWarn;
      h.summary = fmt::format("{} is not a known service; outboundTrafficPolicy ALLOW_ANY passes it through", req_.host);
      h.envoy_kind = "cluster";
      h.envoy_name = "PassthroughCluster";
      walk_.Add(std::move(h));
      walk_.outcome.reached = true;
      walk_.outcome.result = "Passthrough";
      walk_.outcome.message = "virtual host allow_any → PassthroughCluster: the original destination, no Istio routing";
      Destination d;
      d.cluster = "PassthroughCluster";
      d.host = req_.host;
      d.port = req_.port;
      d.share = 100;
      walk_.outcome.destinations.push_back(d);
    }
  }

  // ---- O3
  bool ServiceStep() {
    const Service* chosen = nullptr;
    const Service* hidden_export = nullptr;
    const Service* hidden_sidecar = nullptr;
    for (const Service& s : services_) {
      if (!NamesService(s, req_.host, src_.ns, domain_)) continue;
      if (!ExportedTo(s.export_to, s.r->ns, src_.ns)) {
        if (!hidden_export) hidden_export = &s;
        continue;
      }
      if (!Imported(s)) {
        if (!hidden_sidecar) hidden_sidecar = &s;
        continue;
      }
      chosen = &s;
      break;
    }
    if (!chosen) {
      if (hidden_sidecar) {
        Hop cite = At(sidecar_, egress_path_);
        NoService(fmt::format("{} {} exists but the Sidecar's egress hosts do not import it", hidden_sidecar->r->Origin(),
                              hidden_sidecar->host),
                  &cite);
      } else if (hidden_export) {
        bool annotation = !hidden_export->service_entry;
        Hop cite = At(hidden_export->r, annotation ? "metadata.annotations['networking.istio.io/exportTo']"
                                                   : "spec.exportTo");
        NoService(fmt::format("{} is not exported to namespace {}", hidden_export->r->Origin(), src_.ns), &cite);
      } else {
        NoService(fmt::format("no Service or ServiceEntry in the input is named {} from namespace {}", req_.host,
                              src_.ns),
                  nullptr);
      }
      return false;
    }
    svc_ = chosen;
    const SvcPort* port = chosen->Port(req_.port);
    if (!port) {
      Hop cite = At(chosen->r, "spec.ports");
      svc_ = nullptr;
      NoService(fmt::format("{} has no port {} (ports: {}): no listener on this port carries it", chosen->host,
                            req_.port, chosen->PortsText()),
                &cite);
      return false;
    }
    svc_port_ = *port;
    if (!chosen->vip.empty() && chosen->vip != "None") walk_.dest_ip = chosen->vip;
    Hop h = At(chosen->r, chosen->service_entry ? fmt::format("spec.hosts[{}]", chosen->host_index)
                                                : fmt::format("spec.ports[{}]", port->index));
    h.step = "O3 service";
    std::string proto(model::ProtocolName(port->protocol));
    h.summary = fmt::format("{} port {} ({}, protocol {})", chosen->host, port->number,
                            port->name.empty() ? "unnamed" : port->name,
                            port->protocol == model::Protocol::kUnsupported ? "auto-detected" : proto);
    if (port->protocol == model::Protocol::kUnsupported) {
      h.verdict = Verdict::kWarn;
      h.details.push_back(fmt::format(
          "port name \"{}\" has no protocol prefix and no appProtocol: Envoy sniffs the protocol (name it http-…)",
          port->name));
    }
    if (chosen->service_entry) h.details.push_back(fmt::format("ServiceEntry host {}{}", chosen->host,
                                                               chosen->mesh_external ? " (MESH_EXTERNAL)" : ""));
    walk_.Add(std::move(h));
    return true;
  }

  bool HttpPort() const {
    if (!req_.IsHttp()) return false;
    if (!svc_) return true;
    return model::IsHTTP(svc_port_.protocol) || svc_port_.protocol == model::Protocol::kUnsupported;
  }

  // ---- O4
  void ListenerStep() {
    Hop h;
    h.step = "O4 listener";
    if (HttpPort()) {
      h.envoy_kind = "listener";
      h.envoy_name = fmt::format("0.0.0.0_{}", req_.port);
      h.summary = fmt::format("HTTP listener 0.0.0.0_{}, HTTP connection manager with RDS route config \"{}\"",
                              req_.port, req_.port);
      h.details.push_back(fmt::format("route config: {}", req_.port));
    } else {
      std::string vip = svc_ && !svc_->vip.empty() && svc_->vip != "None" ? svc_->vip : "0.0.0.0";
      h.envoy_kind = "listener";
      h.envoy_name = fmt::format("{}_{}", vip, req_.port);
      h.summary = fmt::format("TCP listener {}_{} with tcp_proxy (no HTTP routing: headers and paths are not seen)",
                              vip, req_.port);
    }
    walk_.Add(std::move(h));
  }

  // ---- O2 for a gateway: the Gateway server for this port and host.
  bool GatewayStep() {
    // The gateway Service maps the port the client dials to the pod's port.
    int64_t target = req_.port;
    for (const Service& s : services_) {
      if (s.service_entry || s.selector.empty() || !analysis::SelectorMatches(s.selector, src_.labels)) continue;
      if (const SvcPort* p = s.Port(req_.port)) {
        if (p->target_port) target = p->target_port;
        break;
      }
    }
    std::vector<const model::Resource*> gws;
    for (const model::Resource* g : snap_.OfKind(kinds::kGateway)) {
      LabelMap sel = StringMap(Dig(g, {"spec", "selector"}));
      if (analysis::SelectorMatches(sel, src_.labels)) gws.push_back(g);
    }
    SortByCreation(gws);
    for (const model::Resource* g : gws) {
      const yaml::Node* servers = Dig(g, {"spec", "servers"});
      for (size_t i = 0; servers && servers->IsSeq() && i < servers->size(); ++i) {
        const yaml::Node& srv = servers->at(i);
        const yaml::Node* num = Dig(srv, {"port", "number"});
        if (!num || num->AsInt().value_or(-1) != req_.port) continue;
        std::vector<std::string> hosts = ScalarList(Dig(srv, {"hosts"}));
        for (size_t j = 0; j < hosts.size(); ++j) {
          std::string dns = hosts[j];
          size_t slash = dns.find('/');
          if (slash != std::string::npos) dns = dns.substr(slash + 1);
          if (!analysis::HostsMatch(dns, req_.host)) continue;
          gateway_ = g;
          server_host_ = dns;
          std::string proto = core::ToUpper(Scalar(Dig(srv, {"port", "protocol"})));
          Hop h = At(g, fmt::format("spec.servers[{}].hosts[{}]", i, j));
          h.step = "O2 gateway";
          h.envoy_kind = "listener";
          h.envoy_name = fmt::format("0.0.0.0_{}", target);
          bool https = proto == "HTTPS";
          std::string rds = https ? fmt::format("https.{}.{}.{}.{}", req_.port, Scalar(Dig(srv, {"port", "name"})),
                                                g->name, g->ns)
                                  : fmt::format("http.{}", target);
          rds_ = rds;
          h.summary = fmt::format("Gateway {} server [{}] port {} ({}) host {}; route config \"{}\"", g->FullName(), i,
                                  req_.port, proto.empty() ? "?" : proto, hosts[j], rds);
          walk_.Add(std::move(h));
          return true;
        }
      }
    }
    Hop h;
    h.step = "O2 gateway";
    h.verdict = Verdict::kFail;
    h.summary = fmt::format("no Gateway selecting the source has a server on port {} for host {}", req_.port, req_.host);
    if (!gws.empty()) {
      h.Cite(At(gws.front(), "spec.servers"));
    }
    walk_.Add(std::move(h));
    walk_.Fail("404 NR", "the gateway has no listener or virtual host for this port and host");
    return false;
  }

  // ---- O2 for a Gateway API Gateway: the listener for this port and host
  // (an exact hostname before a wildcard before none, as Gateway API
  // requires); Istio serves an HTTP listener as route config http.<port>.
  bool K8sGatewayStep() {
    const model::Resource* gw = src_.k8s_gateway;
    const yaml::Node* listeners = Dig(gw, {"spec", "listeners"});
    int best = -1, best_rank = -1;
    for (size_t i = 0; listeners && listeners->IsSeq() && i < listeners->size(); ++i) {
      const yaml::Node& l = listeners->at(i);
      const yaml::Node* port = Dig(l, {"port"});
      if (!port || port->AsInt().value_or(-1) != req_.port) continue;
      std::string hostname = Scalar(&l, "hostname");
      int rank = hostname.empty() ? 0 : hostname == req_.host ? 2 : analysis::HostsMatch(hostname, req_.host) ? 1 : -1;
      if (rank > best_rank) best = static_cast<int>(i), best_rank = rank;
    }
    Hop h;
    h.step = "O2 gateway";
    if (best < 0) {
      h.Cite(At(gw, "spec.listeners"));
      h.verdict = Verdict::kFail;
      h.summary = fmt::format("Gateway {} has no listener on port {} for host {}", gw->FullName(), req_.port, req_.host);
      walk_.Add(std::move(h));
      walk_.Fail("404 NR", "the gateway has no listener or virtual host for this port and host");
      return false;
    }
    listener_ = &listeners->at(static_cast<size_t>(best));
    listener_path_ = fmt::format("spec.listeners[{}]", best);
    std::string proto = core::ToUpper(Scalar(listener_, "protocol"));
    std::string hostname = Scalar(listener_, "hostname");
    h.Cite(At(gw, listener_path_ + (hostname.empty() ? ".port" : ".hostname")));
    h.envoy_kind = "listener";
    h.envoy_name = fmt::format("0.0.0.0_{}", req_.port);
    h.summary = fmt::format("Gateway {} listener {} port {} ({}) hostname {}", gw->FullName(),
                            Scalar(listener_, "name"), req_.port, proto, hostname.empty() ? "(any)" : hostname);
    if (proto != "HTTP" && proto != "HTTPS") {
      h.verdict = Verdict::kWarn;
      h.summary += fmt::format(": {} listeners (TLSRoute, TCPRoute) are not walked", proto);
      walk_.Add(std::move(h));
      walk_.Fail("incomplete", "meshctl walks HTTP and HTTPS listeners of a Gateway API Gateway");
      return false;
    }
    rds_ = proto == "HTTP" ? fmt::format("http.{}", req_.port) : "";
    h.details.push_back(proto == "HTTP" ? "route config: " + rds_
                                        : "an HTTPS server: Istio gives it a route config of its own (https.<port>.…)");
    walk_.Add(std::move(h));
    return true;
  }

  // Whether the listener's allowedRoutes admit an HTTPRoute from `ns`
  // (namespaces.from Same by default, All, or a Selector over the
  // Namespace's labels; kinds, when listed, must name HTTPRoute). `why`
  // says what refused it.
  bool AllowedRoute(const std::string& ns, std::string* why) const {
    const yaml::Node* allowed = Dig(*listener_, {"allowedRoutes"});
    const yaml::Node* kinds = Dig(allowed, {"kinds"});
    if (kinds && kinds->IsSeq() && kinds->size() > 0) {
      bool http = false;
      for (size_t i = 0; i < kinds->size(); ++i) http = http || Scalar(&kinds->at(i), "kind") == "HTTPRoute";
      if (!http) {
        *why = "allowedRoutes.kinds does not list HTTPRoute";
        return false;
      }
    }
    std::string from = Scalar(Dig(allowed, {"namespaces"}), "from");
    if (from.empty() || from == "Same") {
      *why = fmt::format("allowedRoutes admits routes from {} only", src_.k8s_gateway->ns);
      return ns == src_.k8s_gateway->ns;
    }
    if (from == "All") return true;
    if (from == "Selector") {
      const model::Resource* n = snap_.Find(kinds::kNamespace, "", ns);
      LabelMap sel = StringMap(Dig(allowed, {"namespaces", "selector", "matchLabels"}));
      *why = n ? fmt::format("namespace {} does not have the labels {} allowedRoutes selects", ns,
                             analysis::SelectorString(sel))
               : fmt::format("namespace {} is not in the input (allowedRoutes selects namespaces by label)", ns);
      return n && analysis::SelectorMatches(sel, StringMap(Dig(n, {"metadata", "labels"})));
    }
    *why = "allowedRoutes.namespaces.from " + from + " is not Same, All or Selector";
    return false;
  }

  // O5 for a Gateway API Gateway: the HTTPRoutes whose parentRefs attach to
  // the listener (name, namespace, sectionName, port), admitted by its
  // allowedRoutes, whose hostnames take the request's host. 1: routed,
  // 0: failed.
  int K8sGatewayRouteSteps(std::vector<Branch>& branches) {
    const model::Resource* gw = src_.k8s_gateway;
    std::vector<const model::Resource*> routes;
    std::vector<std::string> refused;
    for (const model::Resource* hr : snap_.OfKind(kinds::kHTTPRoute)) {
      const yaml::Node* parents = Dig(hr, {"spec", "parentRefs"});
      bool attached = false;
      size_t ref = 0;
      for (size_t i = 0; parents && parents->IsSeq() && i < parents->size() && !attached; ++i) {
        ref = i;
        const yaml::Node& p = parents->at(i);
        std::string kind = Scalar(&p, "kind"), group = Scalar(&p, "group");
        std::string ns = Scalar(&p, "namespace").empty() ? std::string(hr->ns) : Scalar(&p, "namespace");
        std::string section = Scalar(&p, "sectionName");
        const yaml::Node* port = Dig(p, {"port"});
        attached = (kind.empty() || kind == "Gateway") && (group.empty() || group == kinds::kK8sGateway.group) &&
                   Scalar(&p, "name") == gw->name && ns == gw->ns &&
                   (section.empty() || section == Scalar(listener_, "name")) &&
                   (!port || port->AsInt().value_or(-1) == req_.port);
      }
      if (!attached) continue;
      std::string why;
      if (!AllowedRoute(hr->ns, &why)) {
        refused.push_back(fmt::format("{} is attached but refused: {}  {}", hr->FullName(), why,
                                      At(hr, fmt::format("spec.parentRefs[{}]", ref)).Position()));
        continue;
      }
      std::vector<std::string> hostnames = ScalarList(Dig(hr, {"spec", "hostnames"}));
      bool host_ok = hostnames.empty();
      for (const auto& name : hostnames) host_ok = host_ok || analysis::HostsMatch(name, req_.host);
      if (!host_ok) {
        refused.push_back(fmt::format("{} hostnames {} do not take {}  {}", hr->FullName(),
                                      core::Join(hostnames, ", "), req_.host, At(hr, "spec.hostnames").Position()));
        continue;
      }
      routes.push_back(hr);
    }
    SortByCreation(routes);
    Hop h = routes.empty() ? At(gw, listener_path_) : At(routes.front(), "spec.parentRefs");
    h.step = "O5 virtual service";
    h.envoy_kind = "virtual host";
    h.envoy_name = fmt::format("{}:{}", req_.host, req_.port);
    h.details = refused;
    if (routes.empty()) {
      h.verdict = Verdict::kFail;
      h.summary = fmt::format("no HTTPRoute attached to listener {} of Gateway {} takes host {}",
                              Scalar(listener_, "name"), gw->FullName(), req_.host);
      walk_.Add(std::move(h));
      walk_.Fail("404 NR", "the gateway's route config has no virtual host for this host");
      return 0;
    }
    std::vector<std::string> names;
    for (const auto* r : routes) names.push_back(r->FullName());
    h.summary = fmt::format("HTTPRoute{} {} (parentRef Gateway {} listener {}) build virtual host {}{}",
                            routes.size() == 1 ? "" : "s", core::Join(names, ", "), gw->FullName(),
                            Scalar(listener_, "name"), h.envoy_name,
                            rds_.empty() ? "" : fmt::format(" in route config \"{}\"", rds_));
    walk_.Add(std::move(h));
    return MatchHttpRouteRules(routes, branches);
  }

  // ---- O5/O6
  bool VsBoundHere(const model::Resource* vs, std::string* path) const {
    std::vector<std::string> gws = ScalarList(Dig(vs, {"spec", "gateways"}));
    if (gws.empty()) {
      *path = "spec.hosts";
      return !src_.gateway;
    }
    for (size_t i = 0; i < gws.size(); ++i) {
      if (GatewayNameMatches(gws[i], vs->ns)) {
        *path = fmt::format("spec.gateways[{}]", i);
        return true;
      }
    }
    return false;
  }

  bool GatewayNameMatches(const std::string& name, const std::string& vs_ns) const {
    if (!src_.gateway) return name == "mesh";
    if (!gateway_) return false;
    std::string full = name.find('/') == std::string::npos ? vs_ns + "/" + name : name;
    return full == gateway_->ns + "/" + gateway_->name;
  }

  // The FQDN the VirtualService's route should claim.
  std::string TargetHost() const { return src_.gateway ? req_.host : svc_->host; }

  bool RouteSteps(std::vector<Branch>& branches) {
    if (src_.k8s_gateway) return K8sGatewayRouteSteps(branches) == 1;
    std::string target = TargetHost();
    std::vector<const model::Resource*> candidates;
    std::map<const model::Resource*, std::string> host_path, host_name;
    for (const model::Resource* vs : snap_.OfKind(kinds::kVirtualService)) {
      std::string gw_path;
      if (!VsBoundHere(vs, &gw_path)) continue;
      std::vector<std::string> export_to = ScalarList(Dig(vs, {"spec", "exportTo"}));
      if (export_to.empty()) export_to = DefaultExportTo(opts_.mesh_config, "defaultVirtualServiceExportTo");
      if (!src_.gateway && !ExportedTo(export_to, vs->ns, src_.ns)) continue;
      std::vector<std::string> hosts = ScalarList(Dig(vs, {"spec", "hosts"}));
      for (size_t i = 0; i < hosts.size(); ++i) {
        std::string h = src_.gateway ? hosts[i] : Fqdn(vs->ns, hosts[i], domain_);
        if (analysis::HostsMatch(h, target)) {
          candidates.push_back(vs);
          host_path[vs] = fmt::format("spec.hosts[{}]", i);
          host_name[vs] = h;
          break;
        }
      }
    }
    SortByCreation(candidates);
    // A gateway's virtual host is named after the narrower of the server's
    // host and the VirtualService's (pilot's gateway.go): `*:80` for both `*`.
    std::string vhost_host = src_.gateway ? req_.host : svc_->host;
    if (src_.gateway && !candidates.empty()) {
      const std::string& vs_host = host_name[candidates.front()];
      vhost_host = analysis::HostSubsetOf(vs_host, server_host_) ? vs_host : server_host_;
    }
    std::string vhost = fmt::format("{}:{}", vhost_host, req_.port);
    std::string rds = src_.gateway ? rds_ : std::to_string(req_.port);
    if (!src_.gateway && !HttpPort()) return TcpRoute(candidates, branches);
    if (candidates.empty() && !src_.gateway) {
      int r = HttpRouteSteps(branches);
      if (r >= 0) return r == 1;
    }
    if (candidates.empty()) {
      Hop h;
      h.step = "O5 virtual service";
      h.envoy_kind = "virtual host";
      h.envoy_name = vhost;
      if (src_.gateway) {
        h.verdict = Verdict::kFail;
        h.summary = fmt::format("no VirtualService bound to the gateway claims {}", req_.host);
        walk_.Add(std::move(h));
        walk_.Fail("404 NR", "the gateway's route config has no virtual host for this host");
        return false;
      }
      h.summary = fmt::format("no VirtualService claims {}: route \"default\" to all of its endpoints", svc_->host);
      h.details.push_back(fmt::format("route config {}, virtual host {}, route default", rds, vhost));
      walk_.Add(std::move(h));
      Branch b;
      b.host = svc_->host;
      b.port = req_.port;
      branches.push_back(b);
      Hop r;
      r.step = "O6 route";
      r.envoy_kind = "route";
      r.envoy_name = "default";
      r.summary = "the default route sends every request to the service";
      walk_.Add(std::move(r));
      return true;
    }
    const model::Resource* vs = candidates.front();
    Hop h = At(vs, host_path[vs]);
    h.step = "O5 virtual service";
    h.envoy_kind = "virtual host";
    h.envoy_name = vhost;
    h.summary = fmt::format("VirtualService {} builds virtual host {} in route config \"{}\"", vs->FullName(), vhost, rds);
    for (size_t i = 1; i < candidates.size(); ++i) {
      h.verdict = Verdict::kWarn;
      Hop other = At(candidates[i], host_path[candidates[i]]);
      h.details.push_back(fmt::format("{} also claims the host ({}:{}:{}) and is dropped (DuplicatedDomains): {} is "
                                      "older or sorts first by name",
                                      candidates[i]->Origin(), other.file, other.line, other.column, vs->FullName()));
    }
    walk_.Add(std::move(h));
    return MatchRoutes(vs, branches);
  }

  bool TcpRoute(const std::vector<const model::Resource*>& candidates, std::vector<Branch>& branches) {
    for (const model::Resource* vs : candidates) {
      const yaml::Node* tcp = Dig(vs, {"spec", "tcp"});
      for (size_t i = 0; tcp && tcp->IsSeq() && i < tcp->size(); ++i) {
        const yaml::Node* matches = Dig(tcp->at(i), {"match"});
        bool ok = !matches || !matches->IsSeq() || matches->size() == 0;
        for (size_t j = 0; !ok && j < matches->size(); ++j) {
          const yaml::Node* port = Dig(matches->at(j), {"port"});
          ok = !port || port->AsInt().value_or(-1) == req_.port;
        }
        if (!ok) continue;
        Hop h = At(vs, fmt::format("spec.tcp[{}]", i));
        h.step = "O6 route";
        h.summary = fmt::format("VirtualService {} tcp[{}]", vs->FullName(), i);
        walk_.Add(std::move(h));
        return AddDestinations(vs, fmt::format("spec.tcp[{}]", i), Dig(tcp->at(i), {"route"}), branches);
      }
    }
    Hop h;
    h.step = "O6 route";
    h.summary = fmt::format("TCP: {}", svc_->host);
    walk_.Add(std::move(h));
    Branch b;
    b.host = svc_->host;
    b.port = req_.port;
    branches.push_back(b);
    return true;
  }

  // One StringMatch (exact / prefix / regex) against `value`.
  static bool StringMatch(const yaml::Node* m, const std::optional<std::string>& value, bool ignore_case,
                          std::string* shown) {
    if (!m || !m->IsMap()) {
      *shown = "(any)";
      return value.has_value();
    }
    std::string v = value.value_or("");
    if (ignore_case) v = core::ToLower(v);
    if (const yaml::Node* e = m->Get("exact")) {
      std::string want = ignore_case ? core::ToLower(e->text()) : e->text();
      *shown = "exact \"" + e->text() + "\"";
      return value && v == want;
    }
    if (const yaml::Node* p = m->Get("prefix")) {
      std::string want = ignore_case ? core::ToLower(p->text()) : p->text();
      *shown = "prefix \"" + p->text() + "\"";
      return value && v.rfind(want, 0) == 0;
    }
    if (const yaml::Node* r = m->Get("regex")) {
      *shown = "regex \"" + r->text() + "\"";
      RE2::Options o;
      o.set_log_errors(false);
      o.set_case_sensitive(!ignore_case);
      RE2 re(r->text(), o);
      return value && re.ok() && RE2::FullMatch(*value, re);
    }
    *shown = "(present)";
    return value.has_value();
  }

  // One match entry: every condition with its result, ANDed.
  bool EvalMatch(const yaml::Node& m, const model::Resource* vs, const std::string& path,
                 std::vector<std::string>& lines) {
    bool all = true;
    auto note = [&](bool ok, const std::string& field, const std::string& what) {
      // Cite the leaf (`exact: jason`) rather than the key above it.
      std::string at = path + "." + field;
      if (const yaml::Node* n = vs->Find(at); n && n->IsMap())
        for (const char* k : {"exact", "prefix", "regex"})
          if (n->Get(k)) {
            at += std::string(".") + k;
            break;
          }
      yaml::Mark mark = vs->Locate(at);
      lines.push_back(fmt::format("  {} {} {}  {}:{}:{}", ok ? "✓" : "✗", field, what, vs->file, mark.line,
                                  mark.column));
      all = all && ok;
    };
    bool ignore_case = m.Get("ignoreUriCase") && m.Get("ignoreUriCase")->AsBool().value_or(false);
    if (const yaml::Node* uri = m.Get("uri")) {
      std::string shown;
      bool ok = StringMatch(uri, req_.path, ignore_case, &shown);
      note(ok, "uri", shown + " vs \"" + req_.path + "\"");
    }
    for (const char* k : {"scheme", "method", "authority"}) {
      if (const yaml::Node* sm = m.Get(k)) {
        std::string shown;
        std::optional<std::string> v = std::string(k) == "scheme"   ? req_.scheme
                                       : std::string(k) == "method" ? req_.method
                                                                    : req_.Authority();
        bool ok = StringMatch(sm, v, false, &shown);
        note(ok, k, shown + " vs \"" + *v + "\"");
      }
    }
    if (const yaml::Node* hs = m.Get("headers"); hs && hs->IsMap()) {
      for (size_t i = 0; i < hs->size(); ++i) {
        std::string name = hs->KeyAt(i).text();
        std::string shown;
        std::optional<std::string> v = req_.Header(name);
        bool ok = StringMatch(&hs->ValueAt(i), v, false, &shown);
        note(ok, analysis::KeyPath("headers", name), shown + " vs " + (v ? "\"" + *v + "\"" : "(absent)"));
      }
    }
    if (const yaml::Node* hs = m.Get("withoutHeaders"); hs && hs->IsMap()) {
      for (size_t i = 0; i < hs->size(); ++i) {
        std::string name = hs->KeyAt(i).text();
        std::string shown;
        std::optional<std::string> v = req_.Header(name);
        bool ok = !StringMatch(&hs->ValueAt(i), v, false, &shown);
        note(ok, analysis::KeyPath("withoutHeaders", name), "not " + shown + " vs " + (v ? "\"" + *v + "\"" : "(absent)"));
      }
    }
    if (const yaml::Node* qs = m.Get("queryParams"); qs && qs->IsMap()) {
      for (size_t i = 0; i < qs->size(); ++i) {
        std::string name = qs->KeyAt(i).text();
        auto it = req_.query.find(name);
        std::optional<std::string> v;
        if (it != req_.query.end()) v = it->second;
        std::string shown;
        bool ok = StringMatch(&qs->ValueAt(i), v, false, &shown);
        note(ok, analysis::KeyPath("queryParams", name), shown + " vs " + (v ? "\"" + *v + "\"" : "(absent)"));
      }
    }
    if (const yaml::Node* p = m.Get("port")) {
      int64_t want = p->AsInt().value_or(-1);
      note(want == req_.port, "port", fmt::format("{} vs {}", want, req_.port));
    }
    if (const yaml::Node* sl = m.Get("sourceLabels"); sl && sl->IsMap()) {
      LabelMap want = StringMap(sl);
      note(analysis::SelectorMatches(want, src_.labels), "sourceLabels",
           analysis::SelectorString(want) + " vs " + analysis::SelectorString(src_.labels));
    }
    if (const yaml::Node* sn = m.Get("sourceNamespace")) {
      note(sn->text() == src_.ns, "sourceNamespace", "\"" + sn->text() + "\" vs \"" + src_.ns + "\"");
    }
    if (const yaml::Node* gw = m.Get("gateways"); gw && gw->IsSeq()) {
      bool ok = false;
      for (const auto& g : ScalarList(gw)) ok = ok || GatewayNameMatches(g, vs->ns);
      note(ok, "gateways", "[" + core::Join(ScalarList(gw), ", ") + "] vs " +
                               (src_.gateway && gateway_ ? gateway_->ns + "/" + gateway_->name : std::string("mesh")));
    }
    if (lines.empty()) lines.push_back("  ✓ (an empty match: every request)");
    return all;
  }

  // Does http entry `route` of `vs` match? Fills `which` with the match index (-1: no match list).
  bool EvalRoute(const yaml::Node& route, const model::Resource* vs, const std::string& path, int& which,
                 std::vector<std::string>& lines) {
    const yaml::Node* matches = route.Get("match");
    which = -1;
    if (!matches || !matches->IsSeq() || matches->size() == 0) {
      lines.push_back("  ✓ no match: every request");
      return true;
    }
    for (size_t j = 0; j < matches->size(); ++j) {
      std::vector<std::string> sub;
      std::string mp = fmt::format("{}.match[{}]", path, j);
      bool ok = EvalMatch(matches->at(j), vs, mp, sub);
      lines.push_back(fmt::format(" match[{}]{}:", j, ok ? " matches" : " does not match"));
      lines.insert(lines.end(), sub.begin(), sub.end());
      if (ok) {
        which = static_cast<int>(j);
        return true;
      }
    }
    return false;
  }

  bool MatchRoutes(const model::Resource* vs, std::vector<Branch>& branches) {
    const yaml::Node* http = Dig(vs, {"spec", "http"});
    for (size_t i = 0; http && http->IsSeq() && i < http->size(); ++i) {
      std::string path = fmt::format("spec.http[{}]", i);
      std::vector<std::string> lines;
      int which = -1;
      bool ok = EvalRoute(http->at(i), vs, path, which, lines);
      const yaml::Node* delegate = Dig(http->at(i), {"delegate"});
      if (ok && delegate) {
        Hop h = At(vs, path + ".delegate");
        h.step = "O6 route";
        h.details = lines;
        std::string dname = Scalar(delegate, "name");
        std::string dns = Scalar(delegate, "namespace");
        if (dns.empty()) dns = vs->ns;
        const model::Resource* d = snap_.Find(kinds::kVirtualService, dns, dname);
        std::vector<std::string> export_to = d ? ScalarList(Dig(d, {"spec", "exportTo"})) : std::vector<std::string>{};
        if (!d || Dig(d, {"spec", "hosts"}) || !ExportedTo(export_to, d->ns, vs->ns)) {
          h.verdict = Verdict::kWarn;
          h.summary = fmt::format("http[{}] delegates to {}/{}, which is {}: the route is dropped", i, dns, dname,
                                  !d ? "missing" : Dig(d, {"spec", "hosts"}) ? "not a delegate (it sets hosts)"
                                                                             : "not exported to " + vs->ns);
          walk_.Add(std::move(h));
          continue;
        }
        h.summary = fmt::format("http[{}] matches and delegates to VirtualService {}/{}", i, dns, dname);
        walk_.Add(std::move(h));
        const yaml::Node* dhttp = Dig(d, {"spec", "http"});
        for (size_t k = 0; dhttp && dhttp->IsSeq() && k < dhttp->size(); ++k) {
          std::string dpath = fmt::format("spec.http[{}]", k);
          std::vector<std::string> dlines;
          int dwhich = -1;
          // The merged match is the root match AND the delegate match.
          if (!EvalRoute(dhttp->at(k), d, dpath, dwhich, dlines)) continue;
          return RouteAction(d, dhttp->at(k), dpath, dwhich, dlines, branches, vs);
        }
        Hop miss = At(d, "spec.http");
        miss.step = "O6 route";
        miss.verdict = Verdict::kFail;
        miss.summary = fmt::format("no route of delegate {} matches the request", d->FullName());
        walk_.Add(std::move(miss));
        walk_.Fail("404 NR", "no route matches: Envoy answers 404 (NR)");
        return false;
      }
      if (!ok) {
        Hop h = At(vs, path + ".match");
        h.step = "O6 route";
        h.verdict = Verdict::kOk;
        h.summary = fmt::format("http[{}]{} does not match", i, RouteName(http->at(i)));
        h.details = lines;
        walk_.Add(std::move(h));
        continue;
      }
      return RouteAction(vs, http->at(i), path, which, lines, branches, nullptr);
    }
    Hop h = At(vs, "spec.http");
    h.step = "O6 route";
    h.verdict = Verdict::kFail;
    h.envoy_kind = "virtual host";
    h.envoy_name = fmt::format("{}:{}", TargetHost(), req_.port);
    h.summary = fmt::format("no http route of {} matches; the virtual host has no default route", vs->FullName());
    walk_.Add(std::move(h));
    walk_.Fail("404 NR", "no route matches: Envoy answers 404 (NR)");
    return false;
  }

  // ---- Gateway API (GAMMA): HTTPRoutes whose parentRefs name the Service.
  struct GammaMatch {
    const model::Resource* route;
    size_t rule;
    int match;  // -1: a rule without matches
    const yaml::Node* node;
    int exact;  // 1 for an Exact path
    size_t prefix_len;
    bool method;
    size_t headers, query;
  };

  bool PathMatches(const yaml::Node* path, std::string* shown) const {
    std::string type = Scalar(path, "type");
    std::string value = Scalar(path, "value");
    if (type.empty()) type = "PathPrefix";
    if (value.empty()) value = "/";
    *shown = type + " \"" + value + "\"";
    if (type == "Exact") return req_.path == value;
    if (type == "RegularExpression") {
      RE2::Options o;
      o.set_log_errors(false);
      RE2 re(value, o);
      return re.ok() && RE2::FullMatch(req_.path, re);
    }
    // PathPrefix is element-wise: /foo matches /foo and /foo/bar, not /foobar.
    std::string v = value.size() > 1 && value.back() == '/' ? value.substr(0, value.size() - 1) : value;
    if (v == "/") return true;
    return req_.path == v || req_.path.rfind(v + "/", 0) == 0;
  }

  // 1: routed (branches filled), 0: failed (404), -1: no HTTPRoute for the service.
  int HttpRouteSteps(std::vector<Branch>& branches) {
    std::vector<const model::Resource*> routes;
    for (const model::Resource* hr : snap_.OfKind(kinds::kHTTPRoute)) {
      const yaml::Node* parents = Dig(hr, {"spec", "parentRefs"});
      for (size_t i = 0; parents && parents->IsSeq() && i < parents->size(); ++i) {
        const yaml::Node& p = parents->at(i);
        std::string ns = Scalar(&p, "namespace").empty() ? std::string(hr->ns) : Scalar(&p, "namespace");
        const yaml::Node* port = Dig(p, {"port"});
        if (Scalar(&p, "kind") == "Service" && Scalar(&p, "name") == svc_->r->name && ns == svc_->r->ns &&
            (!port || port->AsInt().value_or(-1) == req_.port) && !svc_->service_entry) {
          routes.push_back(hr);
          break;
        }
      }
    }
    if (routes.empty()) return -1;
    SortByCreation(routes);
    Hop h = At(routes.front(), "spec.parentRefs");
    h.step = "O5 virtual service";
    h.envoy_kind = "virtual host";
    h.envoy_name = fmt::format("{}:{}", svc_->host, req_.port);
    std::vector<std::string> names;
    for (const auto* r : routes) names.push_back(r->FullName());
    h.summary = fmt::format("HTTPRoute{} {} (Gateway API, parentRef Service {}) build virtual host {}",
                            routes.size() == 1 ? "" : "s", core::Join(names, ", "), svc_->r->FullName(), h.envoy_name);
    walk_.Add(std::move(h));
    return MatchHttpRouteRules(routes, branches);
  }

  // O6 over HTTPRoute rules (oldest route first): Gateway API precedence
  // picks the match; its weighted backendRefs become the branches.
  // 1: routed, 0: failed (404, or 500 without a backend).
  int MatchHttpRouteRules(const std::vector<const model::Resource*>& routes, std::vector<Branch>& branches) {
    // Gateway API precedence: Exact path, longest prefix, method, most
    // headers, most query params, then the oldest route, then rule order.
    std::vector<GammaMatch> all;
    for (const model::Resource* hr : routes) {
      const yaml::Node* rules = Dig(hr, {"spec", "rules"});
      for (size_t i = 0; rules && rules->IsSeq() && i < rules->size(); ++i) {
        const yaml::Node* matches = Dig(rules->at(i), {"matches"});
        if (!matches || !matches->IsSeq() || matches->size() == 0) {
          all.push_back({hr, i, -1, nullptr, 0, 1, false, 0, 0});
          continue;
        }
        for (size_t j = 0; j < matches->size(); ++j) {
          const yaml::Node& m = matches->at(j);
          std::string type = Scalar(Dig(m, {"path"}), "type");
          std::string value = Scalar(Dig(m, {"path"}), "value");
          all.push_back({hr, i, static_cast<int>(j), &m, type == "Exact" ? 1 : 0, value.empty() ? 1 : value.size(),
                         Dig(m, {"method"}) != nullptr, Dig(m, {"headers"}) ? Dig(m, {"headers"})->size() : 0,
                         Dig(m, {"queryParams"}) ? Dig(m, {"queryParams"})->size() : 0});
        }
      }
    }
    std::stable_sort(all.begin(), all.end(), [](const GammaMatch& a, const GammaMatch& b) {
      if (a.exact != b.exact) return a.exact > b.exact;
      if (a.prefix_len != b.prefix_len) return a.prefix_len > b.prefix_len;
      if (a.method != b.method) return a.method;
      if (a.headers != b.headers) return a.headers > b.headers;
      return a.query > b.query;
    });
    for (const GammaMatch& gm : all) {
      std::string path = gm.match >= 0 ? fmt::format("spec.rules[{}].matches[{}]", gm.rule, gm.match)
                                       : fmt::format("spec.rules[{}]", gm.rule);
      std::vector<std::string> lines;
      bool ok = true;
      auto note = [&](bool pass, const std::string& field, const std::string& what) {
        yaml::Mark mark = gm.route->Locate(path + "." + field);
        lines.push_back(fmt::format("  {} {} {}  {}:{}:{}", pass ? "✓" : "✗", field, what, gm.route->file, mark.line,
                                    mark.column));
        ok = ok && pass;
      };
      if (gm.node) {
        std::string shown;
        bool p = PathMatches(Dig(*gm.node, {"path"}), &shown);
        note(p, Dig(*gm.node, {"path", "value"}) ? "path.value" : "path", shown + " vs \"" + req_.path + "\"");
        if (const yaml::Node* m = Dig(*gm.node, {"method"})) note(m->text() == req_.method, "method", m->text());
        for (const char* key : {"headers", "queryParams"}) {
          const yaml::Node* list = Dig(*gm.node, {key});
          for (size_t k = 0; list && list->IsSeq() && k < list->size(); ++k) {
            const yaml::Node& e = list->at(k);
            std::string name = Scalar(&e, "name"), value = Scalar(&e, "value"), type = Scalar(&e, "type");
            std::optional<std::string> v;
            if (std::string(key) == "headers") {
              v = req_.Header(name);
            } else if (auto it = req_.query.find(name); it != req_.query.end()) {
              v = it->second;
            }
            bool pass = false;
            if (v && type == "RegularExpression") {
              RE2::Options o;
              o.set_log_errors(false);
              RE2 re(value, o);
              pass = re.ok() && RE2::FullMatch(*v, re);
            } else if (v) {
              pass = *v == value;
            }
            note(pass, fmt::format("{}[{}]", key, k),
                 fmt::format("{} {} \"{}\" vs {}", name, type.empty() ? "Exact" : type, value,
                             v ? "\"" + *v + "\"" : "(absent)"));
          }
        }
      } else {
        lines.push_back("  ✓ no matches: every request (PathPrefix /)");
      }
      if (!ok) continue;
      Hop r = At(gm.route, path);
      r.step = "O6 route";
      r.envoy_kind = "route";
      r.envoy_name = fmt::format("{}.{}.{}", gm.route->ns, gm.route->name, gm.rule);
      r.summary = fmt::format("HTTPRoute {} rules[{}] matches first (Gateway API precedence)", gm.route->FullName(),
                              gm.rule);
      r.details = lines;
      const yaml::Node* rule = &Dig(gm.route, {"spec", "rules"})->at(gm.rule);
      if (Dig(*rule, {"filters"})) r.details.push_back("filters are not modelled (header changes, redirects, mirrors)");
      walk_.Add(std::move(r));
      const yaml::Node* refs = Dig(*rule, {"backendRefs"});
      int64_t total = 0;
      for (size_t k = 0; refs && refs->IsSeq() && k < refs->size(); ++k) {
        const yaml::Node* w = Dig(refs->at(k), {"weight"});
        total += w ? w->AsInt().value_or(1) : 1;
      }
      for (size_t k = 0; refs && refs->IsSeq() && k < refs->size(); ++k) {
        const yaml::Node& ref = refs->at(k);
        Branch b;
        b.vs = gm.route;
        b.dest_path = fmt::format("spec.rules[{}].backendRefs[{}]", gm.rule, k);
        std::string ns = Scalar(&ref, "namespace").empty() ? std::string(gm.route->ns) : Scalar(&ref, "namespace");
        b.host = fmt::format("{}.{}.svc.{}", Scalar(&ref, "name"), ns, domain_);
        const yaml::Node* port = Dig(ref, {"port"});
        b.port = port ? port->AsInt().value_or(0) : 0;
        const yaml::Node* w = Dig(ref, {"weight"});
        b.weight = w ? w->AsInt().value_or(1) : 1;
        b.share = total > 0 ? 100.0 * static_cast<double>(b.weight) / static_cast<double>(total) : 0;
        if (b.share <= 0) continue;
        branches.push_back(b);
      }
      if (branches.empty()) {
        walk_.hops.back().verdict = Verdict::kFail;
        walk_.Fail("500", "the rule has no backend with weight: Envoy answers 500");
        return 0;
      }
      return 1;
    }
    Hop miss = At(routes.front(), "spec.rules");
    miss.step = "O6 route";
    miss.verdict = Verdict::kFail;
    miss.summary = "no HTTPRoute rule matches the request";
    walk_.Add(std::move(miss));
    walk_.Fail("404 NR", "no route matches: Envoy answers 404 (NR)");
    return 0;
  }

  static std::string RouteName(const yaml::Node& route) {
    std::string name = Scalar(&route, "name");
    return name.empty() ? "" : " (" + name + ")";
  }

  bool RouteAction(const model::Resource* vs, const yaml::Node& route, const std::string& path, int which,
                   const std::vector<std::string>& lines, std::vector<Branch>& branches, const model::Resource* root) {
    Hop h = At(vs, which >= 0 ? fmt::format("{}.match[{}]", path, which) : path);
    h.step = "O6 route";
    h.details = lines;
    h.envoy_kind = "route";
    std::string name = Scalar(&route, "name");
    const yaml::Node* matches = route.Get("match");
    std::string match_name = which >= 0 && matches ? Scalar(&matches->at(static_cast<size_t>(which)), "name") : "";
    h.envoy_name = name.empty() ? "(unnamed)" : match_name.empty() ? name : name + "." + match_name;
    h.summary = fmt::format("{}{} matches first{}", path.substr(5), RouteName(route),
                            root ? " (through delegation from " + root->FullName() + ")" : "");
    if (const yaml::Node* redirect = route.Get("redirect")) {
      h.details.push_back("action: redirect " + Scalar(redirect, "uri") + " " + Scalar(redirect, "authority"));
      walk_.Add(std::move(h));
      walk_.outcome.reached = true;
      walk_.outcome.result = "redirect";
      walk_.outcome.message = "Envoy answers with a redirect (" +
                              (Scalar(redirect, "redirectCode").empty() ? "301" : Scalar(redirect, "redirectCode")) +
                              ")";
      return false;
    }
    if (const yaml::Node* dr = route.Get("directResponse")) {
      walk_.Add(std::move(h));
      walk_.outcome.reached = true;
      walk_.outcome.result = "direct response";
      walk_.outcome.message = "Envoy answers " + Scalar(dr, "status") + " itself";
      return false;
    }
    if (const yaml::Node* fault = route.Get("fault")) {
      if (fault->Get("abort")) h.details.push_back("fault: aborts with " + Scalar(Dig(fault, {"abort", "httpStatus"})) +
                                                   " for " + Scalar(Dig(fault, {"abort", "percentage", "value"})) +
                                                   "% of requests");
      if (fault->Get("delay")) h.details.push_back("fault: delays by " + Scalar(Dig(fault, {"delay", "fixedDelay"})));
    }
    walk_.Add(std::move(h));
    return AddDestinations(vs, path, route.Get("route"), branches);
  }

  bool AddDestinations(const model::Resource* vs, const std::string& path, const yaml::Node* route,
                       std::vector<Branch>& branches) {
    if (!route || !route->IsSeq() || route->size() == 0) {
      Hop h = At(vs, path);
      h.step = "O6 route";
      h.verdict = Verdict::kFail;
      h.summary = "the route has no destination";
      walk_.Add(std::move(h));
      walk_.Fail("404 NR", "a route without destinations");
      return false;
    }
    int64_t total = 0;
    for (size_t i = 0; i < route->size(); ++i) {
      const yaml::Node* w = Dig(route->at(i), {"weight"});
      total += w ? w->AsInt().value_or(0) : 0;
    }
    for (size_t i = 0; i < route->size(); ++i) {
      Branch b;
      b.vs = vs;
      b.dest_path = fmt::format("{}.route[{}].destination", path, i);
      const yaml::Node* d = Dig(route->at(i), {"destination"});
      b.host = Fqdn(vs->ns, Scalar(d, "host"), domain_);
      b.subset = Scalar(d, "subset");
      const yaml::Node* p = Dig(d, {"port", "number"});
      b.port = p ? p->AsInt().value_or(0) : 0;
      const yaml::Node* w = Dig(route->at(i), {"weight"});
      b.weight = w ? w->AsInt().value_or(0) : 0;
      if (route->size() == 1) b.share = 100;
      else b.share = total > 0 ? 100.0 * static_cast<double>(b.weight) / static_cast<double>(total) : 0;
      if (b.share <= 0 && route->size() > 1) continue;  // weight 0: no traffic
      branches.push_back(b);
    }
    return true;
  }

  // ---- O7–O12 for one weighted destination
  const Service* FindService(const std::string& host) const {
    for (const Service& s : services_)
      if (s.host == host || (!s.service_entry && s.r->name + "." + s.r->ns == host)) return &s;
    for (const Service& s : services_)
      if (s.service_entry && analysis::HostsMatch(s.host, host)) return &s;
    return nullptr;
  }

  struct DrChoice {
    std::vector<const model::Resource*> rules;  // same host, merged in this order
    std::string why;
  };

  DrChoice FindDestinationRule(const std::string& host) const {
    std::vector<std::string> order = {src_.ns};
    const Service* s = FindService(host);
    if (s && s->r->ns != src_.ns) order.push_back(s->r->ns);
    if (root_ns_ != src_.ns && (!s || s->r->ns != root_ns_)) order.push_back(root_ns_);
    for (size_t k = 0; k < order.size(); ++k) {
      const std::string& ns = order[k];
      std::vector<const model::Resource*> exact, wild, selected;
      std::string best_wild;
      for (const model::Resource* dr : snap_.OfKindIn(kinds::kDestinationRule, ns)) {
        std::vector<std::string> export_to = ScalarList(Dig(dr, {"spec", "exportTo"}));
        if (export_to.empty()) export_to = DefaultExportTo(opts_.mesh_config, "defaultDestinationRuleExportTo");
        if (ns != src_.ns && !ExportedTo(export_to, ns, src_.ns)) continue;
        const yaml::Node* sel = Dig(dr, {"spec", "workloadSelector", "matchLabels"});
        if (sel && sel->size() > 0) {
          if (ns != src_.ns || !analysis::SelectorMatches(StringMap(sel), src_.labels)) continue;
        }
        std::string h = Fqdn(dr->ns, Scalar(Dig(dr, {"spec", "host"})), domain_);
        if (h == host) {
          (sel && sel->size() > 0 ? selected : exact).push_back(dr);
        } else if (!h.empty() && h[0] == '*' && analysis::HostsMatch(h, host)) {
          if (h.size() > best_wild.size()) {
            best_wild = h;
            wild.clear();
          }
          if (h == best_wild) wild.push_back(dr);
        }
      }
      const char* level = k == 0 ? "the client's namespace" : (order[k] == root_ns_ ? "the root namespace"
                                                                                     : "the service's namespace");
      for (auto* list : {&selected, &exact, &wild}) {
        if (list->empty()) continue;
        SortByCreation(*list);
        DrChoice c;
        c.rules = *list;
        c.why = fmt::format("{} {}{}", level, ns,
                            list == &selected ? ", workloadSelector matches the client"
                            : list == &wild   ? ", most specific wildcard host " + best_wild
                                              : "");
        return c;
      }
    }
    return {};
  }

  static void MergePolicy(const yaml::Node* over, std::map<std::string, std::pair<const yaml::Node*, std::string>>& into,
                          const std::string& from) {
    if (!over || !over->IsMap()) return;
    for (size_t i = 0; i < over->size(); ++i) {
      std::string key = over->KeyAt(i).text();
      if (key == "portLevelSettings") continue;
      into[key] = {&over->ValueAt(i), from};
    }
  }

  static const yaml::Node* PortLevel(const yaml::Node* policy, int64_t port, size_t* index) {
    const yaml::Node* pls = Dig(policy, {"portLevelSettings"});
    for (size_t i = 0; pls && pls->IsSeq() && i < pls->size(); ++i) {
      const yaml::Node* n = Dig(pls->at(i), {"port", "number"});
      if (n && n->AsInt().value_or(-1) == port) {
        *index = i;
        return &pls->at(i);
      }
    }
    return nullptr;
  }

  struct Endpoint {
    const model::Resource* r;
    LabelMap labels;
    bool sidecar;
    bool ready;
    int count;
    std::string where;  // file:line:col of what decided readiness, when it was not the Pod
  };

  std::vector<Endpoint> FindEndpoints(const Service& s, const LabelMap& subset, std::string* how) const {
    std::vector<Endpoint> out;
    LabelMap sel = s.selector;
    for (const auto& [k, v] : subset) sel[k] = v;
    if (s.service_entry) {
      const yaml::Node* eps = Dig(s.r, {"spec", "endpoints"});
      for (size_t i = 0; eps && eps->IsSeq() && i < eps->size(); ++i) {
        LabelMap l = StringMap(Dig(eps->at(i), {"labels"}));
        if (!analysis::SelectorMatches(subset, l)) continue;
        out.push_back({s.r, l, l["security.istio.io/tlsMode"] == "istio", true, 1, ""});
      }
      if (!s.selector.empty()) {
        for (const model::Resource* we : snap_.OfKindIn(kinds::kWorkloadEntry, s.r->ns)) {
          LabelMap l = StringMap(Dig(we, {"spec", "labels"}));
          if (analysis::SelectorMatches(sel, l)) out.push_back({we, l, true, true, 1, ""});
        }
        for (const model::Resource* p : snap_.OfKindIn(kinds::kPod, s.r->ns)) {
          LabelMap l = StringMap(Dig(p, {"metadata", "labels"}));
          if (analysis::SelectorMatches(sel, l)) out.push_back({p, l, analysis::InMesh(*p, snap_), PodReady(p), 1, ""});
        }
      }
      if (out.empty() && !eps && s.selector.empty() && subset.empty() &&
          (s.resolution == "DNS" || s.resolution == "NONE" || s.resolution.empty() || s.resolution == "DNS_ROUND_ROBIN")) {
        *how = s.resolution == "NONE" || s.resolution.empty() ? "resolution NONE: the address the client dialled"
                                                              : "resolution DNS: " + s.host + " itself";
        out.push_back({s.r, {}, false, true, 1, ""});
      }
      return out;
    }
    if (FromEndpointSlices(s, subset, out)) {
      *how = "EndpointSlices";
      return out;
    }
    if (s.selector.empty()) {
      *how = "the Service has no selector (its EndpointSlices are not in the input)";
      return out;
    }
    bool any_pod = false;
    for (const model::Resource* p : snap_.OfKindIn(kinds::kPod, s.r->ns)) {
      LabelMap l = StringMap(Dig(p, {"metadata", "labels"}));
      if (analysis::SelectorMatches(s.selector, l)) any_pod = true;
      if (!analysis::SelectorMatches(sel, l)) continue;
      out.push_back({p, l, analysis::InMesh(*p, snap_), PodReady(p), 1, ""});
    }
    if (any_pod) {
      *how = "Pods";
      return out;
    }
    // No Pods given: the workloads' pod templates stand for them.
    *how = "workloads' pod templates (no Pods in the input)";
    for (const auto& gk : analysis::WorkloadKinds()) {
      if (gk == kinds::kPod) continue;
      for (const model::Resource* w : snap_.OfKindIn(gk, s.r->ns)) {
        if (analysis::HasOwner(*w)) continue;
        LabelMap l = StringMap(analysis::PodLabels(*w));
        if (!analysis::SelectorMatches(sel, l)) continue;
        const yaml::Node* replicas = Dig(w, {"spec", "replicas"});
        int n = replicas ? static_cast<int>(replicas->AsInt().value_or(1)) : 1;
        out.push_back({w, l, analysis::InMesh(*w, snap_), n > 0, n, ""});
      }
    }
    return out;
  }

  // The Service's EndpointSlices (label kubernetes.io/service-name), which
  // is what Istio builds endpoints from: each endpoint is ready unless
  // conditions.ready is false (unset means ready), and has the labels of
  // the Pod its targetRef names when the input holds it (a subset cannot
  // select an endpoint whose labels are unknown). False when the input has
  // no slice for the Service.
  bool FromEndpointSlices(const Service& s, const LabelMap& subset, std::vector<Endpoint>& out) const {
    bool any = false;
    for (const model::Resource* es : snap_.OfKindIn(kEndpointSlice, s.r->ns)) {
      if (es->Label("kubernetes.io/service-name") != s.r->name) continue;
      any = true;
      const yaml::Node* eps = Dig(es, {"endpoints"});
      for (size_t i = 0; eps && eps->IsSeq() && i < eps->size(); ++i) {
        const yaml::Node& e = eps->at(i);
        const yaml::Node* ref = Dig(e, {"targetRef"});
        const model::Resource* pod =
            Scalar(ref, "kind") == "Pod"
                ? snap_.Find(kinds::kPod, Scalar(ref, "namespace").empty() ? std::string(es->ns) : Scalar(ref, "namespace"),
                             Scalar(ref, "name"))
                : nullptr;
        LabelMap labels = pod ? StringMap(Dig(pod, {"metadata", "labels"})) : LabelMap{};
        if (!analysis::SelectorMatches(subset, labels)) continue;
        const yaml::Node* ready = Dig(e, {"conditions", "ready"});
        bool is_ready = !ready || ready->ToScalarString() != "false";
        std::string where =
            At(es, fmt::format("endpoints[{}]{}", i, ready ? ".conditions.ready" : "")).Position();
        const model::Resource* r = pod ? pod : es;
        out.push_back({r, labels, analysis::InMesh(*r, snap_), is_ready, 1, where});
      }
    }
    return any;
  }

  static bool PodReady(const model::Resource* p) {
    std::string phase = Scalar(Dig(p, {"status", "phase"}));
    if (!phase.empty() && phase != "Running") return false;
    const yaml::Node* conds = Dig(p, {"status", "conditions"});
    for (size_t i = 0; conds && conds->IsSeq() && i < conds->size(); ++i)
      if (Scalar(&conds->at(i), "type") == "Ready") return Scalar(&conds->at(i), "status") == "True";
    return true;
  }

  void BranchFail(Destination& d, Hop h, const std::string& failure, const std::string& message) {
    h.verdict = Verdict::kFail;
    d.reached = false;
    d.failure = failure;
    walk_.Add(std::move(h));
    if (walk_.outcome.cause_hop == 0) {
      walk_.outcome.cause_hop = walk_.hops.back().number;
      walk_.outcome.message = message;
    }
  }

  void DestinationSteps(const Branch& b) {
    Destination d;
    d.host = b.host;
    d.subset = b.subset;
    d.weight = b.weight;
    d.share = b.share;
    const Service* s = FindService(b.host);
    int64_t port = b.port;
    if (!port) port = s && s->ports.size() == 1 ? s->ports.front().number : req_.port;
    d.port = port;
    d.cluster = fmt::format("outbound|{}|{}|{}", port, b.subset, b.host);
    std::string branch = d.cluster;
    auto tag = [&](Hop h) {
      h.branch = branch;
      return h;
    };
    // O7
    Hop c = tag(At(b.vs, b.dest_path));
    c.step = "O7 cluster";
    c.envoy_kind = "cluster";
    c.envoy_name = d.cluster;
    c.summary = b.weight || b.share < 100 ? fmt::format("weight {} → {:.4g}% of requests", b.weight, b.share)
                                          : std::string("all requests");
    if (!s || !ExportedTo(s->export_to, s->r->ns, src_.ns)) {
      c.summary += fmt::format("; {} is not a service the proxy knows", b.host);
      BranchFail(d, std::move(c), "503 NC", fmt::format("{}: no cluster for an unknown host (503 NC)", b.host));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    if (!s->Port(port) && !s->ports.empty()) {
      c.summary += fmt::format("; {} has no port {}", b.host, port);
      BranchFail(d, std::move(c), "503 NC", fmt::format("{} has no port {}: no cluster (503 NC)", b.host, port));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    walk_.Add(std::move(c));
    // O8
    DrChoice dr = FindDestinationRule(b.host);
    const yaml::Node* subset_node = nullptr;
    std::string subset_path;
    const model::Resource* subset_owner = nullptr;
    const yaml::Node* top_policy = nullptr;
    const model::Resource* top_owner = nullptr;
    if (dr.rules.empty()) {
      Hop h = tag(Hop{});
      h.step = "O8 destination rule";
      h.summary = fmt::format("no DestinationRule for {}: default policy", b.host);
      if (!b.subset.empty()) {
        Hop at = tag(At(b.vs, b.dest_path + ".subset"));
        at.step = h.step;
        at.envoy_kind = "cluster";
        at.envoy_name = d.cluster;
        at.summary = fmt::format("subset {} is used but no DestinationRule defines subsets for {}", b.subset, b.host);
        BranchFail(d, std::move(at), "503 NC", fmt::format("unknown subset {}: cluster {} does not exist (503 NC)",
                                                           b.subset, d.cluster));
        walk_.outcome.destinations.push_back(d);
        return;
      }
      walk_.Add(std::move(h));
    } else {
      const model::Resource* first = dr.rules.front();
      Hop h = tag(At(first, "spec.host"));
      h.step = "O8 destination rule";
      h.summary = fmt::format("DestinationRule {} ({})", first->FullName(), dr.why);
      for (size_t i = 1; i < dr.rules.size(); ++i)
        h.details.push_back(fmt::format("merged with {}: subsets added, the first traffic policy wins",
                                        dr.rules[i]->Origin()));
      for (const model::Resource* r : dr.rules) {
        if (!top_policy) {
          top_policy = Dig(r, {"spec", "trafficPolicy"});
          if (top_policy) top_owner = r;
        }
        const yaml::Node* subsets = Dig(r, {"spec", "subsets"});
        for (size_t i = 0; !subset_node && subsets && subsets->IsSeq() && i < subsets->size(); ++i)
          if (!b.subset.empty() && Scalar(&subsets->at(i), "name") == b.subset) {
            subset_node = &subsets->at(i);
            subset_owner = r;
            subset_path = fmt::format("spec.subsets[{}]", i);
          }
      }
      if (!b.subset.empty() && !subset_node) {
        Hop at = tag(At(b.vs, b.dest_path + ".subset"));
        at.step = "O8 destination rule";
        at.envoy_kind = "cluster";
        at.envoy_name = d.cluster;
        std::vector<std::string> names;
        for (const model::Resource* r : dr.rules) {
          const yaml::Node* subsets = Dig(r, {"spec", "subsets"});
          for (size_t i = 0; subsets && subsets->IsSeq() && i < subsets->size(); ++i)
            names.push_back(Scalar(&subsets->at(i), "name"));
        }
        at.summary = fmt::format("subset {} is not defined by {} (subsets: {})", b.subset, first->FullName(),
                                 names.empty() ? "none" : core::Join(names, ", "));
        at.details.push_back(h.summary + (h.Position().empty() ? "" : " at " + h.Position()));
        BranchFail(d, std::move(at), "503 NC", fmt::format("unknown subset {}: cluster {} does not exist (503 NC)",
                                                           b.subset, d.cluster));
        walk_.outcome.destinations.push_back(d);
        return;
      }
      walk_.Add(std::move(h));
    }
    // O9
    std::map<std::string, std::pair<const yaml::Node*, std::string>> policy;
    size_t pl_index = 0;
    if (top_policy) {
      const yaml::Node* pl = PortLevel(top_policy, port, &pl_index);
      if (pl) MergePolicy(pl, policy, fmt::format("{} trafficPolicy.portLevelSettings[{}] (replaces the top level)",
                                                  top_owner->Origin(), pl_index));
      else MergePolicy(top_policy, policy, top_owner->Origin() + " trafficPolicy");
    }
    if (subset_node) {
      const yaml::Node* sp = Dig(subset_node, {"trafficPolicy"});
      size_t spl = 0;
      const yaml::Node* pl = PortLevel(sp, port, &spl);
      MergePolicy(sp, policy, fmt::format("{} {}.trafficPolicy", subset_owner->Origin(), subset_path));
      if (pl) MergePolicy(pl, policy, fmt::format("{} {}.trafficPolicy.portLevelSettings[{}]", subset_owner->Origin(),
                                                  subset_path, spl));
    }
    std::string tls_mode;
    if (auto it = policy.find("tls"); it != policy.end()) tls_mode = Scalar(it->second.first, "mode");
    std::string how;
    LabelMap subset_labels = StringMap(Dig(subset_node, {"labels"}));
    std::vector<Endpoint> eps = FindEndpoints(*s, subset_labels, &how);
    bool any_sidecar = false, all_sidecar = !eps.empty();
    for (const auto& e : eps) {
      any_sidecar = any_sidecar || e.sidecar;
      all_sidecar = all_sidecar && e.sidecar;
    }
    // O11's mode decides auto-mTLS (DISABLE means plaintext), so look it up first.
    const Endpoint* server = nullptr;
    for (const auto& e : eps)
      if (e.ready && !server) server = &e;
    std::string pa_mode = "PERMISSIVE";
    Hop pa_hop = tag(Hop{});
    int64_t target_port = s->Port(port) && s->Port(port)->target_port ? s->Port(port)->target_port : port;
    if (server && server->sidecar) pa_mode = PeerAuthMode(server->labels, s->r->ns, target_port, pa_hop);
    if (server && !server->sidecar)
      pa_hop.summary = "the destination has no sidecar: PeerAuthentication does not apply, it takes plaintext";
    bool auto_mtls = tls_mode.empty();
    bool mtls;
    std::string tls_text;
    bool auto_enabled = Scalar(Dig(opts_.mesh_config, {"enableAutoMtls"})) != "false";
    if (!auto_mtls) {
      mtls = tls_mode == "ISTIO_MUTUAL";
      tls_text = "tls.mode " + tls_mode + " (" + policy["tls"].second + ")";
    } else if (!auto_enabled) {
      mtls = false;
      tls_text = "plaintext (no tls.mode and enableAutoMtls is false)";
    } else if (s->mesh_external) {
      mtls = false;
      tls_text = "plaintext (auto-mTLS does not apply to MESH_EXTERNAL services)";
    } else if (pa_mode == "DISABLE") {
      mtls = false;
      tls_text = "plaintext (auto-mTLS: PeerAuthentication DISABLE at the destination)";
    } else {
      mtls = any_sidecar;
      tls_text = any_sidecar ? "ISTIO_MUTUAL by auto-mTLS (endpoints labelled security.istio.io/tlsMode=istio)"
                             : "plaintext by auto-mTLS (the endpoints have no sidecar)";
    }
    d.mtls = mtls;
    Hop p = tag(Hop{});
    p.step = "O9 policy";
    p.envoy_kind = "cluster";
    p.envoy_name = d.cluster;
    p.summary = "TLS: " + tls_text;
    if (!policy.empty()) {
      auto first = policy.begin()->second.second;
      p.object = first;
    }
    for (const auto& [key, val] : policy) {
      if (key == "tls") continue;
      std::string text = val.first->IsScalar() ? val.first->text() : "";
      if (key == "loadBalancer") text = Scalar(val.first, "simple");
      p.details.push_back(fmt::format("{}{}{} from {}", key, text.empty() ? "" : " ", text, val.second));
    }
    if (auto it = policy.find("tls"); it != policy.end()) {
      // cite the line where tls.mode is written
      const model::Resource* owner = subset_owner && it->second.second.rfind(subset_owner->Origin(), 0) == 0 &&
                                             it->second.second.find("subsets[") != std::string::npos
                                         ? subset_owner
                                         : top_owner;
      Hop at = At(owner, "");
      yaml::Mark m = it->second.first->mark();
      p.object = owner->Origin();
      p.field = " tls.mode (" + it->second.second + ")";
      p.file = at.file;
      p.line = m.line;
      p.column = m.column;
    }
    walk_.Add(std::move(p));
    // O10
    int ready = 0;
    for (const auto& e : eps)
      if (e.ready) ready += e.count;
    d.endpoints = ready;
    Hop e = tag(Hop{});
    e.step = "O10 endpoints";
    e.envoy_kind = "cluster";
    e.envoy_name = d.cluster;
    LabelMap sel = s->selector;
    for (const auto& [k, v] : subset_labels) sel[k] = v;
    if (subset_node) {
      e.Cite(At(subset_owner, subset_path + ".labels"));
    } else if (!s->service_entry) {
      e.Cite(At(s->r, "spec.selector"));
    }
    for (const auto& ep : eps)
      e.details.push_back(fmt::format("{} {}{}{}{}", ep.r->kind, ep.r->FullName(),
                                      ep.count > 1 ? fmt::format(" ×{}", ep.count) : "", ep.ready ? "" : " (not ready)",
                                      ep.sidecar ? " (sidecar)" : " (no sidecar)") +
                          (ep.where.empty() ? "" : "  " + ep.where));
    if (ready == 0) {
      e.summary = fmt::format("no ready endpoint has labels {} ({})", analysis::SelectorString(sel),
                              how.empty() ? "none in the input" : how);
      BranchFail(d, std::move(e), "503 UH", fmt::format("{}: no healthy upstream (503 UH)", d.cluster));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    e.summary = fmt::format("{} ready endpoint{} with labels {} (from {})", ready, ready == 1 ? "" : "s",
                            analysis::SelectorString(sel), how);
    walk_.Add(std::move(e));
    // O11
    pa_hop.step = "O11 peer authentication";
    if (pa_hop.summary.empty()) pa_hop.summary = "no PeerAuthentication applies: PERMISSIVE (the default)";
    pa_hop.summary += mtls ? "; the client sends mTLS" : "; the client sends plaintext";
    bool strict = pa_mode == "STRICT";
    if (strict && !mtls) {
      pa_hop.details.push_back("STRICT at the server, plaintext from the client: the connection is reset");
      BranchFail(d, std::move(pa_hop), "503 UC", fmt::format("{}: STRICT mTLS at the destination but the client "
                                                             "sends plaintext (connection reset, 503 UC/URX)",
                                                             d.cluster));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    if (!auto_mtls && mtls && server && !server->sidecar) {
      pa_hop.details.push_back("ISTIO_MUTUAL toward a workload without a sidecar: it cannot terminate mTLS");
      BranchFail(d, std::move(pa_hop), "503 UF",
                 fmt::format("{}: ISTIO_MUTUAL toward a workload without a sidecar (503 UF)", d.cluster));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    if (!auto_mtls && mtls && pa_mode == "DISABLE") {
      pa_hop.details.push_back("ISTIO_MUTUAL from the client, DISABLE at the server: the handshake fails");
      BranchFail(d, std::move(pa_hop), "503 UF",
                 fmt::format("{}: the client sends mTLS, the server's PeerAuthentication is DISABLE", d.cluster));
      walk_.outcome.destinations.push_back(d);
      return;
    }
    walk_.Add(std::move(pa_hop));
    // O12
    if (server && server->sidecar) {
      std::string failure;
      Hop az = Authorize(*server, s->r->ns, target_port, mtls, failure);
      az.branch = branch;
      if (!failure.empty()) {
        BranchFail(d, std::move(az), failure, fmt::format("{}: denied by authorization policy (403 RBAC)", d.cluster));
        walk_.outcome.destinations.push_back(d);
        return;
      }
      walk_.Add(std::move(az));
    } else if (server) {
      Hop az = tag(Hop{});
      az.step = "O12 authorization";
      az.summary = "the destination has no sidecar: no AuthorizationPolicy is enforced";
      walk_.Add(std::move(az));
    }
    walk_.outcome.destinations.push_back(d);
  }

  // O11: mesh (root namespace), namespace, then workload; oldest at each level.
  std::string PeerAuthMode(const LabelMap& labels, const std::string& ns, int64_t target_port, Hop& hop) const {
    auto pick = [&](const std::string& in, bool selector) -> const model::Resource* {
      std::vector<const model::Resource*> rs;
      for (const model::Resource* pa : snap_.OfKindIn(kinds::kPeerAuthentication, in)) {
        const yaml::Node* sel = Dig(pa, {"spec", "selector", "matchLabels"});
        bool has = sel && sel->size() > 0;
        if (has != selector) continue;
        if (has && !analysis::SelectorMatches(StringMap(sel), labels)) continue;
        rs.push_back(pa);
      }
      SortByCreation(rs);
      return rs.empty() ? nullptr : rs.front();
    };
    std::string mode = "PERMISSIVE";
    const model::Resource* levels[3] = {pick(root_ns_, false), ns == root_ns_ ? nullptr : pick(ns, false),
                                        pick(ns, true)};
    const char* names[3] = {"mesh", "namespace", "workload"};
    for (int i = 0; i < 3; ++i) {
      const model::Resource* pa = levels[i];
      if (!pa) continue;
      std::string m = Scalar(Dig(pa, {"spec", "mtls", "mode"}));
      std::string path = "spec.mtls.mode";
      if (i == 2) {
        const yaml::Node* plm = Dig(pa, {"spec", "portLevelMtls"});
        for (size_t k = 0; plm && plm->IsMap() && k < plm->size(); ++k) {
          if (plm->KeyAt(k).text() == std::to_string(target_port)) {
            std::string pm = Scalar(Dig(plm->ValueAt(k), {"mode"}));
            if (!pm.empty() && pm != "UNSET") {
              m = pm;
              path = fmt::format("spec.portLevelMtls['{}'].mode", target_port);
            }
          }
        }
      }
      if (m.empty() || m == "UNSET") {
        hop.details.push_back(fmt::format("{} level: {} leaves the mode UNSET (inherits)", names[i], pa->Origin()));
        continue;
      }
      mode = m;
      hop.Cite(At(pa, path));
      hop.summary = fmt::format("{} at the destination (the {} level: {})", mode, names[i], pa->FullName());
    }
    return mode;
  }

  // ---- O12
  bool ValuesMatch(const std::vector<std::string>& patterns, const std::string& v) const {
    for (const auto& p : patterns) {
      if (p == "*" || p == v) return true;
      if (p.size() > 1 && p.back() == '*' && v.rfind(p.substr(0, p.size() - 1), 0) == 0) return true;
      if (p.size() > 1 && p.front() == '*' && v.size() >= p.size() - 1 &&
          v.compare(v.size() - (p.size() - 1), p.size() - 1, p.substr(1)) == 0)
        return true;
    }
    return false;
  }

  // One field pair (`x` / `notX`): absent matches; `values` are what the request has.
  bool FieldMatches(const yaml::Node* n, std::string_view key, std::string_view not_key,
                    const std::vector<std::string>& values, bool known, bool& unknown) const {
    const yaml::Node* pos = Dig(n, {key});
    const yaml::Node* neg = Dig(n, {not_key});
    if (!pos && !neg) return true;
    if (!known) {
      unknown = true;
      return false;
    }
    bool any = false;
    for (const auto& v : values) any = any || ValuesMatch(ScalarList(pos), v);
    if (pos && !any) return false;
    if (neg)
      for (const auto& v : values)
        if (ValuesMatch(ScalarList(neg), v)) return false;
    return true;
  }

  bool RuleMatches(const yaml::Node& rule, int64_t target_port, bool mtls, bool& unknown) const {
    std::string principal = fmt::format("{}/ns/{}/sa/{}", trust_domain_, src_.ns, src_.service_account);
    const yaml::Node* from = Dig(rule, {"from"});
    if (from && from->IsSeq() && from->size() > 0) {
      bool any = false;
      for (size_t i = 0; i < from->size(); ++i) {
        const yaml::Node* s = Dig(from->at(i), {"source"});
        bool ok = FieldMatches(s, "principals", "notPrincipals", {principal}, mtls, unknown) &&
                  FieldMatches(s, "namespaces", "notNamespaces", {src_.ns}, mtls, unknown) &&
                  FieldMatches(s, "requestPrincipals", "notRequestPrincipals", {}, false, unknown) &&
                  FieldMatches(s, "ipBlocks", "notIpBlocks", {}, false, unknown) &&
                  FieldMatches(s, "remoteIpBlocks", "notRemoteIpBlocks", {}, false, unknown);
        any = any || ok;
      }
      if (!any) return false;
    }
    const yaml::Node* to = Dig(rule, {"to"});
    if (to && to->IsSeq() && to->size() > 0) {
      bool any = false;
      for (size_t i = 0; i < to->size(); ++i) {
        const yaml::Node* o = Dig(to->at(i), {"operation"});
        bool http = HttpPort();
        bool ok = FieldMatches(o, "hosts", "notHosts", {req_.Authority(), req_.host}, http, unknown) &&
                  FieldMatches(o, "ports", "notPorts", {std::to_string(target_port)}, true, unknown) &&
                  FieldMatches(o, "methods", "notMethods", {req_.method}, http, unknown) &&
                  FieldMatches(o, "paths", "notPaths", {req_.path}, http, unknown);
        any = any || ok;
      }
      if (!any) return false;
    }
    const yaml::Node* when = Dig(rule, {"when"});
    for (size_t i = 0; when && when->IsSeq() && i < when->size(); ++i) {
      std::string key = Scalar(&when->at(i), "key");
      std::optional<std::string> v;
      bool known = true;
      if (key.rfind("request.headers[", 0) == 0 && key.back() == ']')
        v = req_.Header(key.substr(16, key.size() - 17));
      else if (key == "source.namespace" && mtls)
        v = src_.ns;
      else if (key == "source.principal" && mtls)
        v = principal;
      else if (key == "destination.port")
        v = std::to_string(target_port);
      else if (key == "request.method" || key == "request.http.method")
        v = req_.method;
      else
        known = false;
      if (!known) {
        unknown = true;
        return false;
      }
      std::vector<std::string> vals = ScalarList(Dig(when->at(i), {"values"}));
      std::vector<std::string> nots = ScalarList(Dig(when->at(i), {"notValues"}));
      if (!vals.empty() && (!v || !ValuesMatch(vals, *v))) return false;
      if (!nots.empty() && v && ValuesMatch(nots, *v)) return false;
    }
    return true;
  }

  Hop Authorize(const Endpoint& server, const std::string& ns, int64_t target_port, bool mtls, std::string& failure) {
    Hop h;
    h.step = "O12 authorization";
    std::vector<const model::Resource*> policies;
    for (const std::string& in : {root_ns_, ns}) {
      if (in == root_ns_ && in == ns && !policies.empty()) break;
      for (const model::Resource* ap : snap_.OfKindIn(kinds::kAuthorizationPolicy, in)) {
        if (Dig(ap, {"spec", "targetRefs"}) || Dig(ap, {"spec", "targetRef"})) {
          h.details.push_back(ap->Origin() + " uses targetRefs (waypoints/gateways): not applied to a sidecar");
          continue;
        }
        const yaml::Node* sel = Dig(ap, {"spec", "selector", "matchLabels"});
        if (sel && sel->size() > 0 && (in == root_ns_ && in != ns)) {
          if (!analysis::SelectorMatches(StringMap(sel), server.labels)) continue;
        } else if (sel && sel->size() > 0 && !analysis::SelectorMatches(StringMap(sel), server.labels)) {
          continue;
        }
        policies.push_back(ap);
      }
    }
    if (policies.empty()) {
      h.summary = "no AuthorizationPolicy applies: allowed";
      return h;
    }
    // CUSTOM, then DENY, then ALLOW (builder.go); AUDIT does not decide.
    std::vector<const model::Resource*> allow;
    for (const char* action : {"CUSTOM", "DENY", "ALLOW"}) {
      for (const model::Resource* ap : policies) {
        std::string a = Scalar(Dig(ap, {"spec", "action"}));
        if (a.empty()) a = "ALLOW";
        if (a != action) continue;
        if (a == "ALLOW") {
          allow.push_back(ap);
          continue;
        }
        const yaml::Node* rules = Dig(ap, {"spec", "rules"});
        for (size_t i = 0; rules && rules->IsSeq() && i < rules->size(); ++i) {
          bool unknown = false;
          bool m = RuleMatches(rules->at(i), target_port, mtls, unknown);
          if (a == "CUSTOM" && (m || unknown)) {
            Hop at = At(ap, fmt::format("spec.rules[{}]", i));
            at.step = h.step;
            at.verdict = Verdict::kWarn;
            at.summary = fmt::format("CUSTOM {} (provider {}) decides this request: meshctl cannot ask it",
                                     ap->FullName(), Scalar(Dig(ap, {"spec", "provider", "name"})));
            at.details = h.details;
            return at;
          }
          if (a == "DENY" && (m || unknown)) {
            Hop at = At(ap, fmt::format("spec.rules[{}]", i));
            at.step = h.step;
            at.summary = fmt::format("DENY {} rules[{}] {}", ap->FullName(), i,
                                     m ? "matches the request" : "may match (a condition meshctl cannot evaluate)");
            at.details = h.details;
            if (m) {
              failure = "403 RBAC";
              return at;
            }
            at.verdict = Verdict::kWarn;
            return at;
          }
        }
      }
    }
    if (allow.empty()) {
      h.summary = "no DENY matches and no ALLOW policy applies: allowed";
      return h;
    }
    bool maybe = false;
    for (const model::Resource* ap : allow) {
      const yaml::Node* rules = Dig(ap, {"spec", "rules"});
      for (size_t i = 0; rules && rules->IsSeq() && i < rules->size(); ++i) {
        bool unknown = false;
        if (RuleMatches(rules->at(i), target_port, mtls, unknown)) {
          Hop at = At(ap, fmt::format("spec.rules[{}]", i));
          at.step = h.step;
          at.summary = fmt::format("ALLOW {} rules[{}] matches the request", ap->FullName(), i);
          at.details = h.details;
          return at;
        }
        maybe = maybe || unknown;
      }
    }
    Hop at = At(allow.front(), "spec");
    at.step = h.step;
    std::vector<std::string> names;
    for (const auto* ap : allow) names.push_back(ap->FullName());
    at.details = h.details;
    if (maybe) {
      at.verdict = Verdict::kWarn;
      at.summary = "ALLOW policies (" + core::Join(names, ", ") +
                   ") match only through conditions meshctl cannot evaluate (JWT, IP): maybe 403";
      return at;
    }
    at.summary = "ALLOW policies apply (" + core::Join(names, ", ") + ") and none matches the request: 403";
    if (!mtls) at.details.push_back("the client sends plaintext: principals and namespaces are unknown to the server");
    failure = "403 RBAC";
    return at;
  }

  void Summarize() {
    Outcome& o = walk_.outcome;
    if (o.result != "routed") return;
    double failed = 0;
    std::string first_failure;
    for (const auto& d : o.destinations)
      if (!d.reached) {
        failed += d.share;
        if (first_failure.empty()) first_failure = d.failure;
      }
    if (first_failure.empty()) {
      o.reached = true;
      std::vector<std::string> parts;
      for (const auto& d : o.destinations) parts.push_back(fmt::format("{} {:.4g}%", d.cluster, d.share));
      o.message = core::Join(parts, ", ");
      return;
    }
    o.reached = false;
    o.result = first_failure;
    o.message = fmt::format("{:.4g}% of requests fail: {}", failed, o.message);
  }

  const model::Snapshot& snap_;
  const Request& req_;
  const ConfigWalkOptions& opts_;
  std::string domain_;
  std::string root_ns_;
  std::string mode_;
  const model::Resource* mode_from_ = nullptr;
  std::string trust_domain_;
  std::vector<Service> services_;
  Source src_;
  const model::Resource* sidecar_ = nullptr;
  std::vector<std::string> egress_hosts_;
  std::string egress_path_;
  const Service* svc_ = nullptr;
  SvcPort svc_port_;
  const model::Resource* gateway_ = nullptr;
  std::string server_host_;  // the Istio Gateway server host the request matched
  // The Gateway API listener the request entered, and its field path.
  const yaml::Node* listener_ = nullptr;
  std::string listener_path_;
  std::string rds_;
  Walk walk_;
};

}  // namespace

core::Result<Walk> WalkConfig(const model::Snapshot& snap, const Request& req, const ConfigWalkOptions& opts) {
  ConfigWalker w(snap, req, opts);
  return w.Run();
}

}  // namespace meshctl::explain
