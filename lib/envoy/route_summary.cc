// `proxy-config route`: NAME / VHOST NAME / DOMAINS / MATCH / VIRTUAL SERVICE
// (one row per route, padding 5) or NAME / VIRTUAL HOSTS (--verbose=false).
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "lib/core/strings.h"
#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

std::optional<long long> Numeric(std::string_view s) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string MatchText(const JsonView& match) {
  std::vector<std::string> conds;
  if (!match["prefix"].Str().empty()) conds.push_back(Cat(match["prefix"].Str(), "*"));
  if (!match["path_separated_prefix"].Str().empty()) {
    conds.push_back(Cat("PathPrefix:", match["path_separated_prefix"].Str()));
  }
  if (!match["path"].Str().empty()) conds.emplace_back(match["path"].Str());
  if (match["safe_regex"].IsObject()) conds.push_back(Cat("regex ", match["safe_regex"]["regex"].Str()));
  return core::Join(conds, " ");
}

}  // namespace

std::string DescribeRouteDomains(const std::vector<std::string>& domains) {
  if (domains.empty()) return "";
  if (domains.size() == 1) return domains[0];
  // Drop host:port forms (a bracketed IPv6 address without a port stays).
  std::vector<std::string> kept;
  for (const auto& d : domains) {
    bool ipv6 = !d.empty() && d.front() == '[' && d.back() == ']';
    if (!ipv6 && d.find(':') != std::string::npos) continue;
    kept.push_back(d);
  }
  std::set<std::string> present(kept.begin(), kept.end());
  std::vector<std::string> unique;
  for (const auto& d : kept) {
    if (EndsWith(d, ".svc.cluster.local") && present.count(d.substr(0, d.size() - 18))) continue;
    if (EndsWith(d, ".svc") && present.count(d.substr(0, d.size() - 4))) continue;
    unique.push_back(d);
  }
  if (unique.size() > 2) {
    return Cat(unique[0], ", ", unique[1], " + ", std::to_string(unique.size() - 2), " more...");
  }
  return core::Join(unique, ", ");
}

core::Result<std::vector<JsonView>> SelectRoutes(const ConfigDump& dump, const RouteFilter& filter) {
  ASSIGN_OR_RETURN(std::vector<JsonView> all, dump.RouteConfigs());
  if (all.empty()) return core::Failed("no routes found");
  struct Keyed {
    std::optional<long long> number;
    JsonView route;
  };
  std::vector<Keyed> keyed;
  for (const auto& r : all) {
    if (!filter.name.empty() && r["name"].Str() != filter.name) continue;
    keyed.push_back({Numeric(r["name"].Str()), r});
  }
  // istioctl orders numeric names and calls every other pair "not less";
  // Go's insertion sort (what sort.Slice runs on short lists) then keeps
  // the input order around non-numeric names. Same algorithm here.
  auto less = [](const Keyed& a, const Keyed& b) { return a.number && b.number && *a.number < *b.number; };
  bool all_numeric = std::all_of(keyed.begin(), keyed.end(), [](const Keyed& k) { return k.number.has_value(); });
  if (all_numeric) {
    std::stable_sort(keyed.begin(), keyed.end(), less);  // same result, O(n log n)
  } else {
    for (size_t i = 1; i < keyed.size(); ++i) {
      for (size_t j = i; j > 0 && less(keyed[j], keyed[j - 1]); --j) std::swap(keyed[j], keyed[j - 1]);
    }
  }
  std::vector<JsonView> out;
  for (auto& k : keyed) out.push_back(k.route);
  return out;
}

core::Status PrintRouteSummary(const ConfigDump& dump, const RouteFilter& filter, bool prefixed, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<JsonView> routes, SelectRoutes(dump, filter));
  TabWriter w(5);
  if (filter.verbose) {
    w.Row({"NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE"});
  } else {
    w.Row({"NAME", "VIRTUAL HOSTS"});
  }
  for (const auto& rc : routes) {
    std::string name = Cat(prefixed ? "route/" : "", rc["name"].Str());
    if (!filter.verbose) {
      w.Row({name, std::to_string(rc["virtual_hosts"].size())});
      continue;
    }
    rc["virtual_hosts"].ForEach([&](JsonView vh) {
      std::vector<std::string> domains;
      vh["domains"].ForEach([&](JsonView d) { domains.emplace_back(d.Str()); });
      std::string vhname(vh["name"].Str());
      std::string dom = DescribeRouteDomains(domains);
      if (vh["routes"].size() == 0) {
        w.Row({name, vhname, dom, "/*", "404"});
        return;
      }
      vh["routes"].ForEach([&](JsonView r) {
        if (r["route"]["cluster"].Str() == "PassthroughCluster") return;
        w.Row({name, vhname, dom, MatchText(r["match"]), DescribeIstioConfig(r["metadata"])});
      });
    });
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
