// `proxy-config cluster`: SERVICE FQDN / PORT / SUBSET / DIRECTION / TYPE /
// DESTINATION RULE, padding 5.
#include <algorithm>
#include <charconv>

#include "lib/core/strings.h"
#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

int Atoi(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return (ec == std::errc() && p == s.data() + s.size()) ? v : 0;
}

std::string TrimSuffix(std::string_view s, std::string_view suffix) {
  if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) s.remove_suffix(suffix.size());
  return std::string(s);
}

size_t CountBars(std::string_view s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '|')); }

}  // namespace

bool ClusterFilter::Matches(std::string_view name) const {
  if (!fqdn.empty() && name.find(fqdn) == std::string_view::npos) return false;
  if (!direction.empty() && name.find(direction) == std::string_view::npos) return false;
  if (!subset.empty() && name.find(subset) == std::string_view::npos) return false;
  if (port != 0 && name.find(Cat("|", std::to_string(port), "|")) == std::string_view::npos) return false;
  return true;
}

SubsetKey ParseSubsetKey(std::string_view name) {
  SubsetKey k;
  if (CountBars(name) < 3) {  // istioctl only parses names with more than 3 parts
    k.fqdn = std::string(name);
    return k;
  }
  std::vector<std::string> parts;
  bool srv = name.rfind("outbound_", 0) == 0 || name.rfind("inbound_", 0) == 0;
  if (srv) {
    // SplitN(name, ".", 4)
    std::string_view rest = name;
    while (parts.size() < 3) {
      auto dot = rest.find('.');
      if (dot == std::string_view::npos) break;
      parts.emplace_back(rest.substr(0, dot));
      rest.remove_prefix(dot + 1);
    }
    parts.emplace_back(rest);
  } else {
    parts = core::Split(name, '|');
  }
  k.parsed = true;
  if (parts.size() < 4) return k;
  k.direction = TrimSuffix(parts[0], "_");
  k.port = Atoi(TrimSuffix(parts[1], "_"));
  k.subset = srv ? TrimSuffix(parts[2], "_") : parts[2];
  k.fqdn = parts[3];
  return k;
}

std::string DescribeIstioConfig(const JsonView& metadata) {
  JsonView config = metadata["filter_metadata"]["istio"]["config"];
  if (!config.present()) return "";
  std::string path(config.Str());
  if (path.empty()) return "";
  auto pieces = core::Split(path, '/');
  // /apis/networking.istio.io/<version>/namespaces/<ns>/<kind>/<name>
  if (pieces.size() == 8 && pieces[0].empty() && pieces[1] == "apis" && pieces[3].size() > 0 &&
      pieces[4] == "namespaces") {
    return Cat(pieces[7], ".", pieces[5]);
  }
  return "<unknown>";
}

core::Result<std::vector<JsonView>> SelectClusters(const ConfigDump& dump, const ClusterFilter& filter) {
  ASSIGN_OR_RETURN(std::vector<JsonView> all, dump.Clusters());
  if (all.empty()) return core::Failed("no clusters found");
  struct Keyed {
    SubsetKey key;
    JsonView cluster;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(all.size());
  for (const auto& c : all) {
    std::string_view name = c["name"].Str();
    if (!filter.Matches(name)) continue;
    SubsetKey k = ParseSubsetKey(name);
    if (!k.parsed) {
      k = SubsetKey{};
      k.fqdn = std::string(name);
    }
    keyed.push_back({std::move(k), c});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.key.fqdn != b.key.fqdn) return a.key.fqdn < b.key.fqdn;
    if (a.key.subset != b.key.subset) return a.key.subset < b.key.subset;
    if (a.key.port != b.key.port) return a.key.port < b.key.port;
    return a.key.direction < b.key.direction;
  });
  std::vector<JsonView> out;
  out.reserve(keyed.size());
  for (auto& k : keyed) out.push_back(k.cluster);
  return out;
}

namespace {

std::string ClusterType(const JsonView& c) {
  JsonView t = c["type"];
  if (t.IsString()) return std::string(t.Str());
  static const char* const kNames[] = {"STATIC", "STRICT_DNS", "LOGICAL_DNS", "EDS", "ORIGINAL_DST"};
  int64_t n = t.Int(0);
  if (n >= 0 && n < 5) return kNames[n];
  return std::to_string(n);
}

}  // namespace

core::Status PrintClusterSummary(const ConfigDump& dump, const ClusterFilter& filter, bool prefixed,
                                 std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<JsonView> clusters, SelectClusters(dump, filter));
  TabWriter w(5);
  if (prefixed) {
    w.Row({"NAME", "SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"});
  } else {
    w.Row({"SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"});
  }
  for (const auto& c : clusters) {
    std::string name(c["name"].Str());
    std::vector<std::string> row;
    if (prefixed) row.push_back(Cat("cluster/", name));
    if (CountBars(name) >= 3) {
      SubsetKey k = ParseSubsetKey(name);
      row.insert(row.end(), {k.fqdn, std::to_string(k.port), k.subset.empty() ? "-" : k.subset, k.direction});
    } else {
      row.insert(row.end(), {prefixed ? Cat("cluster/", name) : name, "-", "-", "-"});
    }
    row.push_back(ClusterType(c));
    row.push_back(DescribeIstioConfig(c["metadata"]));
    w.Row(std::move(row));
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
