// Endpoint views: `proxy-config eds` reads the EndpointsConfigDump
// (NAME / STATUS / LOCALITY / CLUSTER); `proxy-config endpoint` reads
// /clusters?format=json (ENDPOINT / STATUS / OUTLIER CHECK / CLUSTER).
#include <algorithm>

#include "lib/core/strings.h"
#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

// "ip:port", the pipe path or "envoy://listener/id" for an Address message
// (istioctl's eds NAME column).
std::string FormatAddress(const JsonView& addr) {
  if (addr["socket_address"].IsObject()) {
    JsonView sa = addr["socket_address"];
    return Cat(sa["address"].Str(), ":", std::to_string(sa["port_value"].Int(0)));
  }
  if (addr["pipe"].IsObject()) return std::string(addr["pipe"]["path"].Str());
  if (addr["envoy_internal_address"].IsObject()) {
    JsonView ia = addr["envoy_internal_address"];
    return Cat("envoy://", ia["server_listener_name"].Str(), "/", ia["endpoint_id"].Str());
  }
  return "";
}

std::string HealthName(const JsonView& v) {
  if (v.IsString()) return std::string(v.Str());
  static const char* const kNames[] = {"UNKNOWN", "HEALTHY", "UNHEALTHY", "DRAINING", "TIMEOUT", "DEGRADED"};
  int64_t n = v.Int(0);
  return (n >= 0 && n < 6) ? kNames[n] : std::to_string(n);
}

std::string LocalityText(const JsonView& l) {
  std::string out(l["region"].Str());
  if (!l["zone"].Str().empty()) out += Cat("/", l["zone"].Str());
  if (!l["sub_zone"].Str().empty()) out += Cat("/", l["sub_zone"].Str());
  return out;
}

bool EdsEndpointMatches(const EndpointFilter& f, const JsonView& lb, std::string_view cluster) {
  JsonView addr = lb["endpoint"]["address"];
  if (!f.address.empty()) {
    std::string a = addr["envoy_internal_address"].IsObject() ? "" : FormatAddress(addr);
    if (!core::EqualsIgnoreCase(a, f.address)) return false;
  }
  if (f.port != 0 && addr["socket_address"]["port_value"].Int(0) != f.port) return false;
  if (!f.cluster.empty() && !core::EqualsIgnoreCase(cluster, f.cluster)) return false;
  if (!f.status.empty() && !core::EqualsIgnoreCase(HealthName(lb["health_status"]), f.status)) return false;
  return true;
}

struct EdsEntry {
  SubsetKey key;
  JsonView cla;
  // Per locality group: the lb_endpoints that pass the filter.
  std::vector<std::vector<JsonView>> kept;
};

core::Result<std::vector<EdsEntry>> SelectEdsEntries(const ConfigDump& dump, const EndpointFilter& filter) {
  ASSIGN_OR_RETURN(std::vector<JsonView> all, dump.EndpointConfigs());
  std::vector<EdsEntry> entries;
  for (const auto& cla : all) {
    std::string_view cluster = cla["cluster_name"].Str();
    EdsEntry e{ParseSubsetKey(cluster), cla, {}};
    size_t count = 0;
    cla["endpoints"].ForEach([&](JsonView group) {
      std::vector<JsonView> kept;
      group["lb_endpoints"].ForEach([&](JsonView lb) {
        if (EdsEndpointMatches(filter, lb, cluster)) kept.push_back(lb);
      });
      count += kept.size();
      e.kept.push_back(std::move(kept));
    });
    if (count > 0) entries.push_back(std::move(e));
  }
  std::stable_sort(entries.begin(), entries.end(), [](const EdsEntry& a, const EdsEntry& b) {
    if (a.key.fqdn != b.key.fqdn) return a.key.fqdn < b.key.fqdn;
    if (a.key.subset != b.key.subset) return a.key.subset < b.key.subset;
    if (a.key.port != b.key.port) return a.key.port < b.key.port;
    return a.key.direction < b.key.direction;
  });
  return entries;
}

}  // namespace

core::Result<nlohmann::ordered_json> SelectEds(const ConfigDump& dump, const EndpointFilter& filter) {
  ASSIGN_OR_RETURN(std::vector<EdsEntry> entries, SelectEdsEntries(dump, filter));
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : entries) {
    nlohmann::ordered_json cla = ToNlohmann(e.cla);
    cla.erase("@type");  // a message in a list, as istioctl prints it
    if (cla.contains("endpoints")) {
      auto& groups = cla["endpoints"];
      for (size_t i = 0; i < groups.size() && i < e.kept.size(); ++i) {
        nlohmann::ordered_json lbs = nlohmann::ordered_json::array();
        for (const auto& lb : e.kept[i]) lbs.push_back(ToNlohmann(lb));
        const char* key = groups[i].contains("lbEndpoints") ? "lbEndpoints" : "lb_endpoints";
        if (lbs.empty()) {
          groups[i].erase(key);
        } else {
          groups[i][key] = std::move(lbs);
        }
      }
    }
    out.push_back(std::move(cla));
  }
  return out;
}

core::Status PrintEdsSummary(const ConfigDump& dump, const EndpointFilter& filter, bool prefixed, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<EdsEntry> entries, SelectEdsEntries(dump, filter));
  TabWriter w(5);
  w.Row({"NAME", "STATUS", "LOCALITY", "CLUSTER"});
  for (const auto& e : entries) {
    std::string cluster(e.cla["cluster_name"].Str());
    size_t gi = 0;
    e.cla["endpoints"].ForEach([&](JsonView group) {
      std::string locality = LocalityText(group["locality"]);
      for (const auto& lb : e.kept[gi]) {
        std::vector<std::string> addrs = {FormatAddress(lb["endpoint"]["address"])};
        lb["endpoint"]["additional_addresses"].ForEach(
            [&](JsonView a) { addrs.push_back(FormatAddress(a["address"])); });
        w.Row({Cat(prefixed ? "endpoint/" : "", core::Join(addrs, ",")), HealthName(lb["health_status"]), locality,
               cluster});
      }
      ++gi;
    });
  }
  w.Flush(out);
  return core::Status::Ok();
}

// ---- /clusters?format=json

namespace {

struct HostRow {
  std::string address;
  int64_t port;
  std::string cluster;
  std::string status;
  bool outlier_failed;
};

// The /clusters ENDPOINT address: the IP, "unix://<path>" or "envoy://...".
std::string HostAddress(const JsonView& addr) {
  if (addr["socket_address"].IsObject()) return std::string(addr["socket_address"]["address"].Str());
  if (addr["pipe"].IsObject()) return Cat("unix://", addr["pipe"]["path"].Str());
  return FormatAddress(addr);
}

bool HostMatches(const EndpointFilter& f, const HostRow& h) {
  if (!f.address.empty() && !core::EqualsIgnoreCase(h.address, f.address)) return false;
  if (f.port != 0 && h.port != f.port) return false;
  if (!f.cluster.empty() && !core::EqualsIgnoreCase(h.cluster, f.cluster)) return false;
  if (!f.status.empty() && !core::EqualsIgnoreCase(h.status, f.status)) return false;
  return true;
}

HostRow MakeHostRow(const JsonView& host, std::string_view cluster) {
  JsonView addr = host["address"];
  return HostRow{HostAddress(addr), addr["socket_address"]["port_value"].Int(0), std::string(cluster),
                 HealthName(host["health_status"]["eds_health_status"]),
                 host["health_status"]["failed_outlier_check"].Bool(false)};
}

}  // namespace

core::Result<nlohmann::ordered_json> SelectClusterEndpoints(const JsonView& clusters, const EndpointFilter& filter) {
  if (!clusters.IsObject()) return core::DataError("/clusters?format=json: expected a JSON object");
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  clusters["cluster_statuses"].ForEach([&](JsonView cs) {
    std::string_view name = cs["name"].Str();
    nlohmann::ordered_json hosts = nlohmann::ordered_json::array();
    cs["host_statuses"].ForEach([&](JsonView h) {
      if (HostMatches(filter, MakeHostRow(h, name))) hosts.push_back(ToNlohmann(h));
    });
    if (hosts.empty()) return;
    nlohmann::ordered_json c = ToNlohmann(cs);
    c[cs["hostStatuses"].present() ? "hostStatuses" : "host_statuses"] = std::move(hosts);
    out.push_back(std::move(c));
  });
  return out;
}

core::Status PrintEndpointSummary(const JsonView& clusters, const EndpointFilter& filter, std::ostream& out) {
  if (!clusters.IsObject()) return core::DataError("/clusters?format=json: expected a JSON object");
  std::vector<HostRow> rows;
  clusters["cluster_statuses"].ForEach([&](JsonView cs) {
    std::string_view name = cs["name"].Str();
    cs["host_statuses"].ForEach([&](JsonView h) {
      HostRow r = MakeHostRow(h, name);
      if (HostMatches(filter, r)) rows.push_back(std::move(r));
    });
  });
  std::stable_sort(rows.begin(), rows.end(), [](const HostRow& a, const HostRow& b) {
    if (a.address != b.address) return a.address < b.address;
    if (a.port != b.port) return a.port < b.port;
    return a.cluster < b.cluster;
  });
  TabWriter w(5);
  w.Row({"ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER"});
  for (const auto& r : rows) {
    std::string endpoint = r.address.find("://") != std::string::npos ? r.address
                                                                      : Cat(r.address, ":", std::to_string(r.port));
    w.Row({endpoint, r.status, r.outlier_failed ? "FAILED" : "OK", r.cluster});
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
