#include "lib/xds/status_table.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

#include "lib/envoy/tabwriter.h"

namespace meshctl::xds {

namespace {

// istioctl prints its tables through Go's text/tabwriter: the shared
// reimplementation in lib/envoy.
std::string Flushed(envoy::TabWriter& w) {
  std::ostringstream out;
  w.Flush(out);
  return out.str();
}

}  // namespace

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
  // other subscribed type URL, sorted as strings. A mesh has a handful of
  // distinct types, so small vectors beat sets here (5,000-row tables).
  std::vector<std::string> seen;
  for (const auto& p : rows)
    for (const auto& t : p.types)
      if (t.state != SyncState::kIgnored && std::find(seen.begin(), seen.end(), t.type_url) == seen.end())
        seen.push_back(t.type_url);
  std::sort(seen.begin(), seen.end());
  std::vector<std::string> order;
  for (const auto& c : CoreOrder())
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) order.push_back(c);
  for (const auto& u : seen)
    if (std::find(CoreOrder().begin(), CoreOrder().end(), u) == CoreOrder().end()) order.push_back(u);
  std::vector<std::string> short_names;
  for (const auto& u : order) short_names.push_back(ShortTypeName(u));

  envoy::TabWriter w(5);
  w.Row({"NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES"});
  std::vector<bool> has(order.size());
  for (const auto& p : rows) {
    std::fill(has.begin(), has.end(), false);
    size_t n = 0;
    for (const auto& t : p.types) {
      if (t.state == SyncState::kIgnored) continue;
      size_t i = std::find(order.begin(), order.end(), t.type_url) - order.begin();
      if (i < order.size() && !has[i]) {
        has[i] = true;
        ++n;
      }
    }
    std::string sub = std::to_string(n);
    if (n > 0) {
      sub += " (";
      bool first = true;
      for (size_t i = 0; i < order.size(); ++i) {
        if (!has[i]) continue;
        if (!first) sub += ',';
        sub += short_names[i];
        first = false;
      }
      sub += ")";
    }
    w.Row({p.name, p.cluster, p.istiod, p.version, std::move(sub)});
  }
  return Flushed(w);
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
  envoy::TabWriter w(5);
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
  return Flushed(w);
}

}  // namespace

std::string RenderStatusTable(std::vector<ProxySync> rows, int verbosity, std::chrono::system_clock::time_point now) {
  std::stable_sort(rows.begin(), rows.end(), [](const ProxySync& a, const ProxySync& b) { return a.name < b.name; });
  return verbosity > 0 ? Verbose(rows, now) : Default(rows);
}

}  // namespace meshctl::xds
