#include "lib/xds/status_table.h"

#include <algorithm>
#include <set>

#include "lib/xds/tab_writer.h"

namespace meshctl::xds {

namespace {

const std::vector<std::string>& CoreOrder() {
  // The order istioctl lists subscribed types in: CDS, LDS, EDS, RDS.
  static const std::vector<std::string> k = {
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
  };
  return k;
}

const TypeSync* Find(const ProxySync& p, const std::string& url) {
  for (const auto& t : p.types)
    if (t.type_url == url) return &t;
  return nullptr;
}

std::string Default(const std::vector<ProxySync>& rows) {
  // Global type order: the core four that any row subscribes to, then every
  // other subscribed type URL, sorted as strings.
  std::set<std::string> seen;
  for (const auto& p : rows)
    for (const auto& t : p.types)
      if (t.state != SyncState::kIgnored) seen.insert(t.type_url);
  std::vector<std::string> order;
  for (const auto& c : CoreOrder())
    if (seen.count(c)) order.push_back(c);
  for (const auto& u : seen)
    if (std::find(CoreOrder().begin(), CoreOrder().end(), u) == CoreOrder().end()) order.push_back(u);

  TabWriter w(5);
  w.Row({"NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES"});
  for (const auto& p : rows) {
    std::vector<std::string> names;
    for (const auto& u : order) {
      const TypeSync* t = Find(p, u);
      if (t && t->state != SyncState::kIgnored) names.push_back(ShortTypeName(u));
    }
    std::string sub = std::to_string(names.size());
    if (!names.empty()) {
      sub += " (";
      for (size_t i = 0; i < names.size(); ++i) sub += (i ? "," : "") + names[i];
      sub += ")";
    }
    w.Row({p.name, p.cluster, p.istiod, p.version, sub});
  }
  return w.Format();
}

std::string Verbose(const std::vector<ProxySync>& rows, std::chrono::system_clock::time_point now) {
  std::set<std::string> cols = {
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
      "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
  };
  for (const auto& p : rows)
    for (const auto& t : p.types) cols.insert(t.type_url);
  TabWriter w(5);
  std::vector<std::string> header = {"NAME", "CLUSTER"};
  for (const auto& c : cols) header.push_back(ShortTypeName(c));
  header.push_back("ISTIOD");
  header.push_back("VERSION");
  w.Row(header);
  for (const auto& p : rows) {
    std::vector<std::string> r = {p.name, p.cluster};
    for (const auto& c : cols) {
      const TypeSync* t = Find(p, c);
      r.push_back(t ? CellText(*t, now) : "IGNORED");
    }
    r.push_back(p.istiod);
    r.push_back(p.version);
    w.Row(std::move(r));
  }
  return w.Format();
}

}  // namespace

std::string RenderStatusTable(std::vector<ProxySync> rows, int verbosity, std::chrono::system_clock::time_point now) {
  std::stable_sort(rows.begin(), rows.end(), [](const ProxySync& a, const ProxySync& b) { return a.name < b.name; });
  return verbosity > 0 ? Verbose(rows, now) : Default(rows);
}

}  // namespace meshctl::xds
