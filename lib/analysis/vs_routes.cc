#include "lib/analysis/vs_routes.h"

namespace meshctl::analysis {

namespace {

std::string Text(const yaml::Node* n) { return n && !n->IsNull() ? n->ToScalarString() : ""; }

}  // namespace

std::vector<RouteDestination> RouteDestinations(const model::Resource& vs) {
  std::vector<RouteDestination> out;
  if (!vs.spec || !vs.spec->IsMap()) return out;
  for (const char* kind : {"http", "tcp", "tls"}) {
    const yaml::Node* routes = vs.spec->Get(kind);
    if (!routes || !routes->IsSeq()) continue;
    for (size_t i = 0; i < routes->size(); ++i) {
      const yaml::Node* route = routes->at(i).Get("route");
      if (!route || !route->IsSeq()) continue;
      for (size_t j = 0; j < route->size(); ++j) {
        // A route entry without destination still counts (host ""), as in
        // Istio, where it is reported as a host that does not exist.
        const yaml::Node* dest = route->at(j).IsMap() ? route->at(j).Get("destination") : nullptr;
        if (dest && !dest->IsMap()) dest = nullptr;
        RouteDestination d;
        d.host = dest ? Text(dest->Get("host")) : "";
        d.subset = dest ? Text(dest->Get("subset")) : "";
        d.route_kind = kind;
        d.route_index = i;
        d.entry_index = j;
        d.destination = dest;
        out.push_back(std::move(d));
      }
    }
  }
  const yaml::Node* http = vs.spec->Get("http");
  if (http && http->IsSeq()) {
    for (size_t i = 0; i < http->size(); ++i) {
      const yaml::Node& r = http->at(i);
      if (const yaml::Node* m = r.Get("mirror"); m && m->IsMap()) {
        RouteDestination d;
        d.host = Text(m->Get("host"));
        d.subset = Text(m->Get("subset"));
        d.mirror = true;
        d.route_index = i;
        d.where = RouteDestination::Where::kMirror;
        d.destination = m;
        out.push_back(std::move(d));
      }
      if (const yaml::Node* ms = r.Get("mirrors"); ms && ms->IsSeq()) {
        for (size_t j = 0; j < ms->size(); ++j) {
          const yaml::Node* dest = ms->at(j).Get("destination");
          if (!dest || !dest->IsMap()) continue;
          RouteDestination d;
          d.host = Text(dest->Get("host"));
          d.subset = Text(dest->Get("subset"));
          d.mirror = true;
          d.route_index = i;
          d.where = RouteDestination::Where::kMirrors;
          d.entry_index = j;
          d.destination = dest;
          out.push_back(std::move(d));
        }
      }
    }
  }
  return out;
}

std::string RouteDestination::HostPath() const {
  std::string head = "spec." + std::string(route_kind) + "[" + std::to_string(route_index) + "]";
  switch (where) {
    case Where::kRoute: return head + ".route[" + std::to_string(entry_index) + "].destination.host";
    case Where::kMirror: return head + ".mirror.host";
    case Where::kMirrors: return head + ".mirrors[" + std::to_string(entry_index) + "].destination.host";
  }
  return head;
}

HostName ResolveHost(const std::string& default_ns, const std::string& host) {
  static const std::string kSuffix = ".svc.cluster.local";
  if (host.size() > kSuffix.size() && host.compare(host.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    std::string head = host.substr(0, host.size() - kSuffix.size());
    // `^(.+)\.(.+)\.svc\.cluster\.local$`: greedy first group, so the
    // namespace is the last label before the suffix.
    auto dot = head.rfind('.');
    if (dot != std::string::npos && dot > 0 && dot + 1 < head.size()) return {head.substr(dot + 1), head.substr(0, dot)};
  }
  if (auto slash = host.find('/'); slash != std::string::npos) return {host.substr(0, slash), host.substr(slash + 1)};
  return {default_ns, host};
}

}  // namespace meshctl::analysis
