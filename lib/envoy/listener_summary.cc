// `proxy-config listener`: ADDRESSES / PORT / MATCH / DESTINATION (one row
// per filter chain, padding 1) or ADDRESSES / PORT / TYPE (--verbose=false).
#include <algorithm>

#include "lib/core/strings.h"
#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

constexpr std::string_view kHcm = "envoy.filters.network.http_connection_manager";
constexpr std::string_view kTcpProxy = "envoy.filters.network.tcp_proxy";
constexpr std::string_view kBlackHole = "BlackHoleCluster";

std::vector<JsonView> AllChains(const JsonView& listener) {
  std::vector<JsonView> chains = listener["filter_chains"].Items();
  if (listener["default_filter_chain"].IsObject()) chains.push_back(listener["default_filter_chain"]);
  return chains;
}

std::string MainAddress(const JsonView& listener) { return std::string(listener["address"]["socket_address"]["address"].Str()); }
int Port(const JsonView& listener) {
  return static_cast<int>(listener["address"]["socket_address"]["port_value"].Int(0));
}

std::vector<std::string> Addresses(const JsonView& listener) {
  std::vector<std::string> out = {MainAddress(listener)};
  listener["additional_addresses"].ForEach(
      [&](JsonView a) { out.emplace_back(a["address"]["socket_address"]["address"].Str()); });
  return out;
}

std::vector<std::string> Strings(const JsonView& arr) {
  std::vector<std::string> out;
  arr.ForEach([&](JsonView v) { out.emplace_back(v.Str()); });
  return out;
}

std::string DescribeAlpn(const std::vector<std::string>& alpn) {
  struct Known {
    const char* label;
    std::vector<std::string> protocols;
  };
  static const std::vector<Known> kKnown = {
      {"HTTP TLS", {"http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"}},
      {"Istio HTTP Plain", {"istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"}},
      {"TCP TLS", {"istio-peer-exchange", "istio"}},
      {"HTTP", {"http/1.0", "http/1.1", "h2c"}},
  };
  for (const auto& k : kKnown) {
    if (k.protocols == alpn) return k.label;
  }
  return core::Join(alpn, ",");
}

std::string DescribeRouteMatch(const JsonView& match) {
  std::vector<std::string> conds;
  if (match["prefix"].IsString()) conds.push_back(Cat(match["prefix"].Str(), "*"));
  if (match["path_separated_prefix"].IsString()) {
    conds.push_back(Cat("PathPrefix:", match["path_separated_prefix"].Str()));
  }
  if (match["path"].IsString()) conds.emplace_back(match["path"].Str());
  if (match["safe_regex"].IsObject()) conds.push_back(Cat("regex ", match["safe_regex"]["regex"].Str()));
  return core::Join(conds, " ");
}

std::string MatchAllCluster(const JsonView& rc) {
  if (rc["virtual_hosts"].size() != 1) return "";
  JsonView vh = rc["virtual_hosts"].At(0);
  if (vh["domains"].size() != 1 || vh["domains"].At(0).Str() != "*") return "";
  if (vh["routes"].size() != 1) return "";
  JsonView r = vh["routes"].At(0);
  if (r["match"]["prefix"].Str() != "/") return "";
  JsonView cluster = r["route"]["cluster"];
  if (!cluster.IsString()) return "";
  std::string c(cluster.Str());
  return c.find("Cluster") != std::string::npos ? c : Cat("Cluster: ", c);
}

std::string DescribeInlineRoute(const JsonView& rc) {
  std::string all = MatchAllCluster(rc);
  if (!all.empty()) return all;
  std::vector<std::string> vhosts;
  rc["virtual_hosts"].ForEach([&](JsonView vh) {
    std::vector<std::string> domains = Strings(vh["domains"]);
    std::string d = (domains.size() == 1 && domains[0] == "*") ? "" : core::Join(domains, "/");
    std::vector<std::string> routes;
    vh["routes"].ForEach([&](JsonView r) { routes.push_back(DescribeRouteMatch(r["match"])); });
    std::string rs = core::Join(routes, ", ");
    vhosts.push_back(d.empty() ? rs : Cat(d, " ", rs));
  });
  return Cat("Inline Route: ", core::Join(vhosts, "; "));
}

}  // namespace

std::string ListenerType(const JsonView& listener) {
  int http = 0, tcp = 0;
  for (const auto& chain : AllChains(listener)) {
    chain["filters"].ForEach([&](JsonView f) {
      std::string_view name = f["name"].Str();
      if (name == kHcm) {
        ++http;
      } else if (name == kTcpProxy) {
        if (f["typed_config"].Minified().find(kBlackHole) == std::string::npos) ++tcp;
      }
    });
  }
  if (http > 0) return tcp > 0 ? "HTTP+TCP" : "HTTP";
  return tcp > 0 ? "TCP" : "UNKNOWN";
}

std::string DescribeFilterChainMatch(const JsonView& match) {
  std::vector<std::string> conds;
  if (match["server_names"].size() > 0) conds.push_back(Cat("SNI: ", core::Join(Strings(match["server_names"]), ",")));
  if (!match["transport_protocol"].Str().empty()) {
    conds.push_back(Cat("Trans: ", match["transport_protocol"].Str()));
  }
  if (match["application_protocols"].size() > 0) {
    conds.push_back(Cat("App: ", DescribeAlpn(Strings(match["application_protocols"]))));
  }
  std::string port;
  if (match["destination_port"].present()) port = Cat(":", std::to_string(match["destination_port"].Int(0)));
  if (match["prefix_ranges"].size() > 0) {
    std::vector<std::string> pf;
    match["prefix_ranges"].ForEach([&](JsonView p) {
      pf.push_back(Cat(p["address_prefix"].Str(), "/", std::to_string(p["prefix_len"].Int(0))));
    });
    conds.push_back(Cat("Addr: ", core::Join(pf, ","), port));
  } else if (!port.empty()) {
    conds.push_back(Cat("Addr: *", port));
  }
  if (conds.empty()) return "ALL";
  return core::Join(conds, "; ");
}

std::string DescribeFilterChainDestination(const JsonView& chain) {
  std::string result;
  bool done = false;
  chain["filters"].ForEach([&](JsonView f) {
    if (done) return;
    std::string_view name = f["name"].Str();
    JsonView tc = f["typed_config"];
    if (name == kHcm) {
      if (tc["rds"].IsObject()) {
        result = Cat("Route: ", tc["rds"]["route_config_name"].Str());
      } else if (tc["route_config"].IsObject()) {
        result = DescribeInlineRoute(tc["route_config"]);
      } else {
        result = "HTTP";
      }
      done = true;
    } else if (name == kTcpProxy) {
      if (tc.Minified().find(kBlackHole) != std::string::npos) return;
      std::string cluster(tc["cluster"].Str());
      result = cluster.find("Cluster") != std::string::npos ? cluster : Cat("Cluster: ", cluster);
      done = true;
    }
  });
  return done ? result : "Non-HTTP/Non-TCP";
}

core::Result<std::vector<JsonView>> SelectListeners(const ConfigDump& dump, const ListenerFilter& filter) {
  ASSIGN_OR_RETURN(std::vector<JsonView> all, dump.Listeners());
  if (all.empty()) return core::Failed("no listeners found");
  struct Keyed {
    int port;
    std::string address;
    std::string type;
    JsonView listener;
  };
  std::vector<Keyed> keyed;
  for (const auto& l : all) {
    std::string type = ListenerType(l);
    int port = Port(l);
    if (!filter.address.empty()) {
      bool any = false;
      for (const auto& a : Addresses(l)) any |= core::EqualsIgnoreCase(a, filter.address);
      if (!any) continue;
    }
    if (filter.port != 0 && port != filter.port) continue;
    if (!filter.type.empty() && !core::EqualsIgnoreCase(type, filter.type)) continue;
    keyed.push_back({port, MainAddress(l), std::move(type), l});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.port != b.port) return a.port < b.port;
    if (a.address != b.address) return a.address < b.address;
    return a.type < b.type;
  });
  std::vector<JsonView> out;
  for (auto& k : keyed) out.push_back(k.listener);
  return out;
}

core::Status PrintListenerSummary(const ConfigDump& dump, const ListenerFilter& filter, bool prefixed,
                                  std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<JsonView> listeners, SelectListeners(dump, filter));
  TabWriter w(1);
  std::vector<std::string> header;
  if (prefixed) header.push_back("NAME");
  if (filter.verbose) {
    header.insert(header.end(), {"ADDRESSES", "PORT", "MATCH", "DESTINATION"});
  } else {
    header.insert(header.end(), {"ADDRESSES", "PORT", "TYPE"});
  }
  w.Row(header);
  for (const auto& l : listeners) {
    std::string addresses = core::Join(Addresses(l), ",");
    std::string port = std::to_string(Port(l));
    std::string name = Cat("listener/", l["name"].Str());
    if (!filter.verbose) {
      std::vector<std::string> row;
      if (prefixed) row.push_back(name);
      row.insert(row.end(), {addresses, port, ListenerType(l)});
      w.Row(std::move(row));
      continue;
    }
    struct ChainRow {
      std::string match;
      std::string destination;
    };
    std::vector<ChainRow> rows;
    for (const auto& chain : AllChains(l)) {
      rows.push_back({DescribeFilterChainMatch(chain["filter_chain_match"]), DescribeFilterChainDestination(chain)});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ChainRow& a, const ChainRow& b) { return a.destination > b.destination; });
    for (const auto& r : rows) {
      std::vector<std::string> row;
      if (prefixed) row.push_back(name);
      row.insert(row.end(), {addresses, port, r.match, r.destination});
      w.Row(std::move(row));
    }
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
