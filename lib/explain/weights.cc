#include "lib/explain/weights.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "lib/analysis/common.h"
#include "lib/core/strings.h"
#include "lib/explain/render.h"
#include "lib/model/kinds.h"

namespace meshctl::explain {

namespace {

using analysis::Dig;
using analysis::Scalar;
using envoy::JsonView;

std::string Fqdn(std::string_view ns, std::string_view host, std::string_view domain) {
  if (host.empty() || host[0] == '*' || host.find('.') != std::string_view::npos) {
    // name.ns and name.ns.svc are short forms too
    std::vector<std::string> parts = core::Split(host, '.');
    if (parts.size() == 2) return fmt::format("{}.{}.svc.{}", parts[0], parts[1], domain);
    if (parts.size() == 3 && parts[2] == "svc") return fmt::format("{}.{}.svc.{}", parts[0], parts[1], domain);
    return std::string(host);
  }
  return fmt::format("{}.{}.svc.{}", host, ns, domain);
}

// The port Istio puts in the cluster name when the destination names none:
// the Service's only port, else 0 (any port; matched by host and subset).
int64_t OnlyPort(const model::Snapshot& snap, const std::string& fqdn, std::string_view domain) {
  for (const model::Resource* s : snap.OfKind(model::kinds::kService)) {
    if (fmt::format("{}.{}.svc.{}", s->name, s->ns, domain) != fqdn) continue;
    const yaml::Node* ports = Dig(s, {"spec", "ports"});
    const yaml::Node* port = ports && ports->IsSeq() && ports->size() == 1 ? Dig(ports->at(0), {"port"}) : nullptr;
    if (port) return port->AsInt().value_or(0);
  }
  return 0;
}

std::vector<Split> Normalize(std::vector<std::pair<std::string, int64_t>> weights) {
  int64_t total = 0;
  for (const auto& [c, w] : weights) total += w;
  std::vector<Split> out;
  for (const auto& [c, w] : weights) {
    double share = weights.size() == 1 ? 100 : total > 0 ? 100.0 * static_cast<double>(w) / static_cast<double>(total) : 0;
    if (share <= 0) continue;  // Istio leaves weight-0 destinations out
    out.push_back({c, share});
  }
  std::sort(out.begin(), out.end(), [](const Split& a, const Split& b) { return a.cluster < b.cluster; });
  return out;
}

// Cluster names match when equal, or when the intended one has port `*`
// (a destination without a port on a multi-port service: one route per port).
bool SameCluster(const std::string& intended, const std::string& programmed) {
  if (intended == programmed) return true;
  std::vector<std::string> a = core::Split(intended, '|'), b = core::Split(programmed, '|');
  return a.size() == 4 && b.size() == 4 && a[1] == "*" && a[0] == b[0] && a[2] == b[2] && a[3] == b[3];
}

bool SameSplits(const std::vector<Split>& a, const std::vector<Split>& b) {
  if (a.size() != b.size()) return false;
  for (const Split& s : a) {
    bool found = false;
    for (const Split& t : b)
      if (SameCluster(s.cluster, t.cluster) && std::fabs(s.share - t.share) < 0.01) found = true;
    if (!found) return false;
  }
  return true;
}

size_t Overlap(const std::vector<Split>& a, const std::vector<Split>& b) {
  size_t n = 0;
  for (const Split& s : a)
    for (const Split& t : b)
      if (SameCluster(s.cluster, t.cluster)) ++n;
  return n;
}

// `field` of `r`, with the position the loader recorded.
Citation Cited(const model::Resource& r, std::string field) {
  Citation c;
  c.object = r.Origin();
  c.file = r.file;
  yaml::Mark m = r.Locate(field);
  c.line = m.line;
  c.column = m.column;
  c.field = std::move(field);
  return c;
}

struct DumpRoute {
  std::string vhost;
  std::string name;
  std::string config;
  std::vector<Split> splits;
};

std::vector<DumpRoute> RoutesFor(const envoy::ConfigDump& dump, const std::string& host) {
  std::vector<DumpRoute> out;
  auto configs = dump.RouteConfigs();
  if (!configs.ok()) return out;
  for (const JsonView& rc : *configs) {
    rc["virtual_hosts"].ForEach([&](JsonView vh) {
      bool ours = false;
      vh["domains"].ForEach([&](JsonView d) {
        std::string_view s = d.Str();
        if (s == host || (s.rfind(host + ":", 0) == 0)) ours = true;
      });
      if (!ours) return;
      int i = 0;
      vh["routes"].ForEach([&](JsonView r) {
        DumpRoute dr;
        dr.vhost = std::string(vh["name"].Str());
        dr.name = r["name"].Str().empty() ? fmt::format("routes[{}]", i) : std::string(r["name"].Str());
        dr.config = std::string(r["metadata"]["filter_metadata"]["istio"]["config"].Str());
        std::vector<std::pair<std::string, int64_t>> w;
        if (r["route"]["cluster"].present()) w.emplace_back(std::string(r["route"]["cluster"].Str()), 1);
        r["route"]["weighted_clusters"]["clusters"].ForEach(
            [&](JsonView c) { w.emplace_back(std::string(c["name"].Str()), c["weight"].Int(0)); });
        dr.splits = Normalize(w);
        out.push_back(std::move(dr));
        ++i;
      });
    });
  }
  return out;
}

}  // namespace

core::Result<WeightsReport> CompareWeights(const model::Snapshot& snap, const std::string& service,
                                           const std::vector<envoy::ConfigDump>& dumps, const WeightsOptions& opts) {
  WeightsReport report;
  report.host = Fqdn(opts.ns, core::ToLower(service), opts.cluster_domain);
  const std::string& host = report.host;
  // VirtualService http[] and tcp[] routes that send to the host.
  for (const model::Resource* vs : snap.OfKind(model::kinds::kVirtualService)) {
    for (const char* kind : {"http", "tcp", "tls"}) {
      const yaml::Node* routes = Dig(vs, {"spec", kind});
      for (size_t i = 0; routes && routes->IsSeq() && i < routes->size(); ++i) {
        const yaml::Node* dests = Dig(routes->at(i), {"route"});
        std::vector<std::pair<std::string, int64_t>> w;
        bool ours = false;
        for (size_t k = 0; dests && dests->IsSeq() && k < dests->size(); ++k) {
          const yaml::Node* d = Dig(dests->at(k), {"destination"});
          std::string h = Fqdn(vs->ns, Scalar(d, "host"), opts.cluster_domain);
          const yaml::Node* p = Dig(d, {"port", "number"});
          int64_t port = p ? p->AsInt().value_or(0) : OnlyPort(snap, h, opts.cluster_domain);
          const yaml::Node* weight = Dig(dests->at(k), {"weight"});
          w.emplace_back(fmt::format("outbound|{}|{}|{}", port ? std::to_string(port) : "*", Scalar(d, "subset"), h),
                         weight ? weight->AsInt().value_or(0) : (dests->size() == 1 ? 1 : 0));
          ours = ours || h == host;
        }
        if (!ours) continue;
        IntendedRoute ir;
        ir.Cite(Cited(*vs, fmt::format("spec.{}[{}].route", kind, i)));
        ir.splits = Normalize(w);
        report.routes.push_back(std::move(ir));
      }
    }
  }
  // HTTPRoute rules[].backendRefs (weight defaults to 1).
  for (const model::Resource* hr : snap.OfKind(model::kinds::kHTTPRoute)) {
    const yaml::Node* rules = Dig(hr, {"spec", "rules"});
    for (size_t i = 0; rules && rules->IsSeq() && i < rules->size(); ++i) {
      const yaml::Node* refs = Dig(rules->at(i), {"backendRefs"});
      std::vector<std::pair<std::string, int64_t>> w;
      bool ours = false;
      for (size_t k = 0; refs && refs->IsSeq() && k < refs->size(); ++k) {
        const yaml::Node& ref = refs->at(k);
        std::string ns = Scalar(&ref, "namespace").empty() ? std::string(hr->ns) : Scalar(&ref, "namespace");
        std::string h = fmt::format("{}.{}.svc.{}", Scalar(&ref, "name"), ns, opts.cluster_domain);
        const yaml::Node* p = Dig(ref, {"port"});
        const yaml::Node* weight = Dig(ref, {"weight"});
        w.emplace_back(fmt::format("outbound|{}||{}", p ? std::to_string(p->AsInt().value_or(0)) : "*", h),
                       weight ? weight->AsInt().value_or(1) : 1);
        ours = ours || h == host;
      }
      if (!ours) continue;
      IntendedRoute ir;
      ir.Cite(Cited(*hr, fmt::format("spec.rules[{}].backendRefs", i)));
      ir.splits = Normalize(w);
      report.routes.push_back(std::move(ir));
    }
  }
  if (report.routes.empty())
    return core::InvalidArgument(fmt::format("no VirtualService or HTTPRoute in the input routes to {}", host));
  for (const envoy::ConfigDump& dump : dumps) {
    std::vector<DumpRoute> programmed = RoutesFor(dump, host);
    for (IntendedRoute& ir : report.routes) {
      ProgrammedRoute pr;
      pr.dump = dump.source();
      // The best programmed route: the same splits, else the most clusters in common.
      const DumpRoute* best = nullptr;
      size_t best_overlap = 0;
      for (const DumpRoute& dr : programmed) {
        if (SameSplits(ir.splits, dr.splits)) {
          best = &dr;
          break;
        }
        size_t o = Overlap(ir.splits, dr.splits);
        if (o > best_overlap) best = &dr, best_overlap = o;
      }
      if (!best) {
        pr.drift = true;
        pr.note = programmed.empty() ? "no virtual host for the service in this dump"
                                     : "no route in this dump sends to these clusters";
      } else {
        pr.found = true;
        pr.virtual_host = best->vhost;
        pr.route = best->name;
        pr.splits = best->splits;
        pr.drift = !SameSplits(ir.splits, best->splits);
        if (pr.drift) pr.note = "the weights differ";
      }
      report.drift = report.drift || pr.drift;
      ir.programmed.push_back(std::move(pr));
    }
  }
  return report;
}

namespace {

std::string SplitsText(const std::vector<Split>& s) { return s.empty() ? "(none)" : SharesText(s); }

}  // namespace

void RenderWeights(const WeightsReport& report, std::ostream& out) {
  out << "Service: " << report.host << "\n";
  for (const IntendedRoute& ir : report.routes) {
    out << "\n" << ir.object << " ." << ir.field;
    if (!ir.Position().empty()) out << "  " << ir.Position();
    out << "\n  intended:   " << SplitsText(ir.splits) << "\n";
    for (const ProgrammedRoute& pr : ir.programmed) {
      out << "  " << (pr.drift ? "DRIFT" : "ok   ") << "       " << pr.dump << ": ";
      if (pr.found) out << SplitsText(pr.splits) << "  (virtual host " << pr.virtual_host << ", route " << pr.route << ")";
      if (!pr.note.empty()) out << (pr.found ? "; " : "") << pr.note;
      out << "\n";
    }
  }
  out << "\n" << (report.drift ? "Drift: some proxies do not carry the intended weights." : "No drift.") << "\n";
}

nlohmann::ordered_json WeightsJson(const WeightsReport& report) {
  auto splits = [](const std::vector<Split>& s) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const Split& x : s) a.push_back({{"cluster", x.cluster}, {"share", x.share}});
    return a;
  };
  nlohmann::ordered_json j;
  j["host"] = report.host;
  j["drift"] = report.drift;
  nlohmann::ordered_json routes = nlohmann::ordered_json::array();
  for (const IntendedRoute& ir : report.routes) {
    nlohmann::ordered_json r;
    CitationJson(ir, r);
    r["intended"] = splits(ir.splits);
    nlohmann::ordered_json ps = nlohmann::ordered_json::array();
    for (const ProgrammedRoute& pr : ir.programmed) {
      nlohmann::ordered_json p = {{"dump", pr.dump},   {"found", pr.found},
                                  {"virtualHost", pr.virtual_host}, {"route", pr.route},
                                  {"programmed", splits(pr.splits)}, {"drift", pr.drift}};
      if (!pr.note.empty()) p["note"] = pr.note;
      ps.push_back(p);
    }
    r["proxies"] = ps;
    routes.push_back(r);
  }
  j["routes"] = routes;
  return j;
}

}  // namespace meshctl::explain
