#include "lib/explain/dump_walk.h"

#include <algorithm>
#include <arpa/inet.h>
#include <optional>

#include <fmt/format.h>
#include <re2/re2.h>

#include "lib/core/strings.h"

namespace meshctl::explain {

namespace {

using envoy::JsonView;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

std::optional<uint32_t> Ipv4(std::string_view s) {
  in_addr a{};
  std::string str(s);
  if (inet_pton(AF_INET, str.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

// envoy.type.matcher.v3.StringMatcher against `v`.
bool StringMatcher(JsonView m, const std::string& value, std::string* shown) {
  bool ignore_case = m["ignore_case"].Bool();
  std::string v = ignore_case ? core::ToLower(value) : value;
  auto norm = [&](std::string_view s) { return ignore_case ? core::ToLower(s) : std::string(s); };
  if (m["exact"].present()) {
    *shown = fmt::format("exact \"{}\"", m["exact"].Str());
    return v == norm(m["exact"].Str());
  }
  if (m["prefix"].present()) {
    *shown = fmt::format("prefix \"{}\"", m["prefix"].Str());
    return StartsWith(v, norm(m["prefix"].Str()));
  }
  if (m["suffix"].present()) {
    *shown = fmt::format("suffix \"{}\"", m["suffix"].Str());
    return EndsWith(v, norm(m["suffix"].Str()));
  }
  if (m["contains"].present()) {
    *shown = fmt::format("contains \"{}\"", m["contains"].Str());
    return v.find(norm(m["contains"].Str())) != std::string::npos;
  }
  if (m["safe_regex"].present()) {
    std::string re_text(m["safe_regex"]["regex"].Str());
    *shown = fmt::format("regex \"{}\"", re_text);
    RE2::Options o;
    o.set_log_errors(false);
    o.set_case_sensitive(!ignore_case);
    RE2 re(re_text, o);
    return re.ok() && RE2::FullMatch(value, re);
  }
  *shown = "(any)";
  return true;
}

class DumpWalker {
 public:
  DumpWalker(const envoy::ConfigDump& dump, const Request& req, const DumpWalkOptions& opts)
      : dump_(dump), req_(req), opts_(opts) {}

  Walk Run() {
    walk_.kind = "dump";
    walk_.source = dump_.source();
    auto listeners = dump_.Listeners();
    if ((!listeners.ok() || listeners->empty()) && dump_.RouteConfigs().ok()) {
      // A dump of routes and clusters only (a saved RDS/CDS view): the
      // route config is found by the name pilot gives it.
      RouteConfigByName();
      return std::move(walk_);
    }
    if (JsonView api = ApiListener(); api.present()) {
      HttpManager(api["api_listener"]["api_listener"], Make("D4 network filter"));
      return std::move(walk_);
    }
    JsonView listener = FindListener();
    if (!listener.present()) return std::move(walk_);
    JsonView chain = FindFilterChain(listener);
    if (!chain.present()) return std::move(walk_);
    NetworkFilter(chain);
    return std::move(walk_);
  }

 private:
  Hop Make(std::string step) {
    Hop h;
    h.step = std::move(step);
    h.file = "";
    return h;
  }

  void Fail(Hop h, std::string result, std::string message) {
    h.verdict = Verdict::kFail;
    walk_.Add(std::move(h));
    walk_.Fail(std::move(result), std::move(message));
  }

  void RouteConfigByName() {
    Hop h = Make("D1 listener");
    h.verdict = Verdict::kWarn;
    auto configs = dump_.RouteConfigs();
    std::vector<std::string> names = {std::to_string(req_.port), fmt::format("http.{}", req_.port)};
    for (const std::string& name : names)
      for (const JsonView& rc : *configs)
        if (rc["name"].Str() == name) {
          h.summary = fmt::format("the dump has no listeners: route config \"{}\" by its name", name);
          h.envoy_kind = "route config";
          h.envoy_name = name;
          walk_.Add(std::move(h));
          return VirtualHost(rc);
        }
    if (configs->size() == 1) {
      h.summary = fmt::format("the dump has no listeners: its only route config \"{}\"", (*configs)[0]["name"].Str());
      h.envoy_kind = "route config";
      h.envoy_name = std::string((*configs)[0]["name"].Str());
      walk_.Add(std::move(h));
      return VirtualHost((*configs)[0]);
    }
    h.summary = fmt::format("the dump has no listeners and no route config named {} or http.{}", req_.port, req_.port);
    Fail(h, "incomplete", "the dump cannot show where this request goes");
  }

  // ---- D1 for a proxyless gRPC client: no sockets, one API listener per
  // target, named as the client names it (xds:///svc-a, or pilot's
  // <host>:<port>), whose HTTP connection manager routes every call.
  JsonView ApiListener() {
    auto listeners = dump_.Listeners();
    if (!listeners.ok()) return {};
    std::string with_port = fmt::format("{}:{}", req_.host, req_.port);
    for (const JsonView& l : *listeners) {
      std::string_view name = l["name"].Str();
      if (!l["api_listener"].present() || (name != req_.host && name != with_port)) continue;
      Hop h = Make("D1 listener");
      h.envoy_kind = "listener";
      h.envoy_name = std::string(name);
      h.summary = fmt::format("API listener {} (a proxyless gRPC client's listener for xds:///{})", name, name);
      walk_.Add(std::move(h));
      return l;
    }
    return {};
  }

  // ---- D1
  JsonView FindListener() {
    Hop h = Make("D1 listener");
    auto listeners = dump_.Listeners();
    if (!listeners.ok()) {
      Fail(h, "no listeners", listeners.status().message());
      return {};
    }
    JsonView exact, any, virtual_outbound;
    for (const JsonView& l : *listeners) {
      JsonView sa = l["address"]["socket_address"];
      std::string_view addr = sa["address"].Str();
      int64_t port = sa["port_value"].Int(-1);
      if (l["name"].Str() == "virtualOutbound") virtual_outbound = l;
      if (port != req_.port) continue;
      if (!opts_.dest_ip.empty() && addr == opts_.dest_ip && !exact.present()) exact = l;
      if ((addr == "0.0.0.0" || addr == "::") && !any.present()) any = l;
    }
    JsonView chosen = exact.present() ? exact : any.present() ? any : virtual_outbound;
    if (!chosen.present()) {
      h.summary = fmt::format("no listener on port {} and no virtualOutbound", req_.port);
      Fail(h, "connection refused", "the proxy has no listener for this address");
      return {};
    }
    h.envoy_kind = "listener";
    h.envoy_name = std::string(chosen["name"].Str());
    h.summary = exact.present() ? fmt::format("listener {} matches {}:{} exactly", h.envoy_name, opts_.dest_ip, req_.port)
                : any.present() ? fmt::format("listener {} (0.0.0.0:{})", h.envoy_name, req_.port)
                                : fmt::format("no listener for port {}: virtualOutbound takes the connection", req_.port);
    // D2: what the listener filters find out.
    bool tls_inspector = false, http_inspector = false;
    chosen["listener_filters"].ForEach([&](JsonView f) {
      std::string_view n = f["name"].Str();
      if (n.find("tls_inspector") != std::string_view::npos) tls_inspector = true;
      if (n.find("http_inspector") != std::string_view::npos) http_inspector = true;
    });
    bool tls = req_.protocol == "tls";
    transport_ = tls && tls_inspector ? "tls" : "raw_buffer";
    if (!tls && http_inspector && req_.IsHttp())
      alpn_ = req_.protocol == "http" ? "http/1.1" : "h2c";
    sni_ = tls && tls_inspector ? (req_.sni.empty() ? req_.host : req_.sni) : "";
    h.details.push_back(fmt::format("D2 listener filters: {}{} → transport {}{}{}", tls_inspector ? "tls_inspector " : "",
                                    http_inspector ? "http_inspector" : "", transport_,
                                    alpn_.empty() ? "" : ", ALPN " + alpn_, sni_.empty() ? "" : ", SNI " + sni_));
    walk_.Add(std::move(h));
    return chosen;
  }

  // ---- D3: Envoy's FilterChainMatch order; at each step a chain that sets
  // the criterion and matches beats chains that leave it unset.
  JsonView FindFilterChain(JsonView listener) {
    Hop h = Make("D3 filter chain");
    std::vector<JsonView> chains = listener["filter_chains"].Items();
    std::vector<JsonView> left = chains;
    auto narrow = [&](auto has, auto matches) {
      std::vector<JsonView> set, unset;
      for (const JsonView& c : left) {
        JsonView m = c["filter_chain_match"];
        if (!has(m)) unset.push_back(c);
        else if (matches(m)) set.push_back(c);
      }
      left = set.empty() ? unset : set;
    };
    narrow([](JsonView m) { return m["destination_port"].present(); },
           [&](JsonView m) { return m["destination_port"].Int(-1) == req_.port; });
    auto dest = Ipv4(opts_.dest_ip);
    // Prefix ranges: the longest matching prefix wins.
    {
      int best = -1;
      std::vector<JsonView> set, unset;
      for (const JsonView& c : left) {
        JsonView pr = c["filter_chain_match"]["prefix_ranges"];
        if (pr.size() == 0) {
          unset.push_back(c);
          continue;
        }
        int len = -1;
        pr.ForEach([&](JsonView r) {
          auto net = Ipv4(r["address_prefix"].Str());
          int64_t bits = r["prefix_len"].Int(32);
          if (!net || !dest || bits < 0 || bits > 32) return;
          uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
          if ((*net & mask) == (*dest & mask)) len = std::max(len, static_cast<int>(bits));
        });
        if (len < 0) continue;
        if (len > best) {
          best = len;
          set.clear();
        }
        if (len == best) set.push_back(c);
      }
      left = set.empty() ? unset : set;
    }
    narrow([](JsonView m) { return m["server_names"].size() > 0; },
           [&](JsonView m) {
             bool ok = false;
             m["server_names"].ForEach([&](JsonView n) {
               std::string_view s = n.Str();
               if (s == sni_ || (StartsWith(s, "*.") && EndsWith(sni_, s.substr(1)))) ok = true;
             });
             return ok && !sni_.empty();
           });
    narrow([](JsonView m) { return m["transport_protocol"].present(); },
           [&](JsonView m) { return m["transport_protocol"].Str() == transport_; });
    narrow([](JsonView m) { return m["application_protocols"].size() > 0; },
           [&](JsonView m) {
             bool ok = false;
             m["application_protocols"].ForEach([&](JsonView p) { ok = ok || (!alpn_.empty() && p.Str() == alpn_); });
             return ok;
           });
    JsonView chosen;
    if (!left.empty()) {
      chosen = left.front();
    } else if (listener["default_filter_chain"].present()) {
      chosen = listener["default_filter_chain"];
      h.details.push_back("no filter chain matches: the default_filter_chain takes it");
    }
    if (!chosen.present()) {
      h.summary = fmt::format("none of the {} filter chains matches (port {}, transport {}{})", chains.size(),
                              req_.port, transport_, alpn_.empty() ? "" : ", ALPN " + alpn_);
      Fail(h, "connection closed", "no filter chain matches: Envoy closes the connection");
      return {};
    }
    std::string name(chosen["name"].Str());
    h.envoy_kind = "filter chain";
    h.envoy_name = name.empty() ? "(unnamed)" : name;
    h.summary = fmt::format("filter chain {} of {}", name.empty() ? "(unnamed)" : name, chains.size());
    JsonView m = chosen["filter_chain_match"];
    if (m.present() && m.size() > 0) h.details.push_back("match " + m.Minified());
    if (transport_ == "raw_buffer" && chosen["transport_socket"]["name"].Str().find("tls") != std::string_view::npos) {
      h.summary += "; it expects TLS but the request is plaintext";
      Fail(h, "connection reset", "plaintext into a TLS filter chain");
      return {};
    }
    walk_.Add(std::move(h));
    return chosen;
  }

  // ---- D4
  void NetworkFilter(JsonView chain) {
    Hop h = Make("D4 network filter");
    JsonView hcm, tcp;
    chain["filters"].ForEach([&](JsonView f) {
      std::string_view n = f["name"].Str();
      std::string_view type = f["typed_config"]["@type"].Str();
      if (!hcm.present() && (n.find("http_connection_manager") != std::string_view::npos ||
                             type.find("HttpConnectionManager") != std::string_view::npos))
        hcm = f["typed_config"];
      if (!tcp.present() && (n.find("tcp_proxy") != std::string_view::npos ||
                             type.find("TcpProxy") != std::string_view::npos))
        tcp = f["typed_config"];
    });
    if (hcm.present()) return HttpManager(hcm, std::move(h));
    if (tcp.present()) {
      h.envoy_kind = "tcp_proxy";
      h.envoy_name = std::string(tcp["stat_prefix"].Str());
      h.summary = "tcp_proxy (no HTTP routing)";
      walk_.Add(std::move(h));
      std::vector<std::pair<std::string, int64_t>> clusters;
      if (tcp["cluster"].present()) clusters.emplace_back(std::string(tcp["cluster"].Str()), 0);
      tcp["weighted_clusters"]["clusters"].ForEach(
          [&](JsonView c) { clusters.emplace_back(std::string(c["name"].Str()), c["weight"].Int(0)); });
      return Clusters(clusters);
    }
    h.summary = "the filter chain has neither an HTTP connection manager nor tcp_proxy";
    Fail(h, "incomplete", "no network filter meshctl can follow");
  }

  // The HTTP connection manager `hcm` (a filter's or an API listener's
  // typed config): its RDS route config from the dump, or its inline one.
  void HttpManager(JsonView hcm, Hop h) {
    JsonView rds = hcm["rds"];
    h.envoy_kind = "route config";
    if (rds.present()) {
      std::string name(rds["route_config_name"].Str());
      h.envoy_name = name;
      h.summary = fmt::format("HTTP connection manager, RDS route config \"{}\"", name);
      walk_.Add(std::move(h));
      auto configs = dump_.RouteConfigs();
      if (!configs.ok()) {
        Hop m = Make("D5 virtual host");
        m.summary = configs.status().message();
        Fail(m, "incomplete", "the dump has no routes section: the walk stops here");
        return;
      }
      for (const JsonView& rc : *configs)
        if (rc["name"].Str() == name) return VirtualHost(rc);
      Hop m = Make("D5 virtual host");
      m.summary = fmt::format("route config \"{}\" is not in the dump (RDS not received)", name);
      Fail(m, "404 NR", "the route config is missing: Envoy answers 404 (NR)");
      return;
    }
    h.envoy_name = "(inline)";
    h.summary = "HTTP connection manager with an inline route config";
    walk_.Add(std::move(h));
    return VirtualHost(hcm["route_config"]);
  }

  // ---- D5: exact, then *.suffix (longest), then prefix* (longest), then *.
  void VirtualHost(JsonView rc) {
    Hop h = Make("D5 virtual host");
    std::string authority = core::ToLower(req_.Authority());
    bool ignore_port = rc["ignore_port_in_host_matching"].Bool();
    if (ignore_port) {
      size_t colon = authority.rfind(':');
      if (colon != std::string::npos && authority.find(']') == std::string::npos) authority = authority.substr(0, colon);
    }
    JsonView exact, suffix, prefix, star;
    size_t suffix_len = 0, prefix_len = 0;
    rc["virtual_hosts"].ForEach([&](JsonView vh) {
      vh["domains"].ForEach([&](JsonView d) {
        std::string dom = core::ToLower(d.Str());
        if (dom == "*") {
          if (!star.present()) star = vh;
        } else if (dom == authority) {
          if (!exact.present()) exact = vh;
        } else if (StartsWith(dom, "*") && EndsWith(authority, dom.substr(1)) && authority.size() > dom.size() - 1) {
          if (dom.size() > suffix_len) suffix = vh, suffix_len = dom.size();
        } else if (EndsWith(dom, "*") && StartsWith(authority, dom.substr(0, dom.size() - 1)) &&
                   authority.size() > dom.size() - 1) {
          if (dom.size() > prefix_len) prefix = vh, prefix_len = dom.size();
        }
      });
    });
    JsonView vh = exact.present() ? exact : suffix.present() ? suffix : prefix.present() ? prefix : star;
    if (!vh.present()) {
      h.summary = fmt::format("no virtual host of route config \"{}\" has a domain for {}", rc["name"].Str(), authority);
      Fail(h, "404 NR", "no virtual host matches: Envoy answers 404 (NR)");
      return;
    }
    h.envoy_kind = "virtual host";
    h.envoy_name = std::string(vh["name"].Str());
    h.summary = fmt::format("virtual host {} ({} domain for \"{}\"{})", h.envoy_name,
                            exact.present() ? "exact" : suffix.present() ? "suffix" : prefix.present() ? "prefix" : "*",
                            authority, ignore_port ? ", port ignored" : "");
    walk_.Add(std::move(h));
    Route(vh);
  }

  bool HeaderMatches(JsonView hm, std::string* shown) const {
    std::string name(hm["name"].Str());
    std::optional<std::string> v = req_.Header(name);
    if (!v && hm["treat_missing_header_as_empty"].Bool()) v = "";
    bool invert = hm["invert_match"].Bool();
    bool ok;
    std::string what;
    if (hm["present_match"].present()) {
      ok = v.has_value() == hm["present_match"].Bool();
      what = "present";
    } else if (!v) {
      ok = false;
      what = "(absent)";
    } else if (hm["string_match"].present()) {
      ok = StringMatcher(hm["string_match"], *v, &what);
    } else if (hm["exact_match"].present()) {
      ok = *v == hm["exact_match"].Str();
      what = fmt::format("exact \"{}\"", hm["exact_match"].Str());
    } else if (hm["prefix_match"].present()) {
      ok = StartsWith(*v, hm["prefix_match"].Str());
      what = fmt::format("prefix \"{}\"", hm["prefix_match"].Str());
    } else if (hm["suffix_match"].present()) {
      ok = EndsWith(*v, hm["suffix_match"].Str());
      what = fmt::format("suffix \"{}\"", hm["suffix_match"].Str());
    } else if (hm["safe_regex_match"].present()) {
      RE2::Options o;
      o.set_log_errors(false);
      RE2 re(std::string(hm["safe_regex_match"]["regex"].Str()), o);
      ok = re.ok() && RE2::FullMatch(*v, re);
      what = fmt::format("regex \"{}\"", hm["safe_regex_match"]["regex"].Str());
    } else {
      ok = true;  // no matcher: the header must be present
      what = "present";
    }
    if (invert) ok = !ok;
    *shown = fmt::format("header {} {}{} vs {}", name, invert ? "not " : "", what, v ? "\"" + *v + "\"" : "(absent)");
    return ok;
  }

  bool RouteMatches(JsonView m, std::vector<std::string>& lines) const {
    bool all = true;
    bool cs = !m["case_sensitive"].present() || m["case_sensitive"].Bool();
    std::string path = cs ? req_.path : core::ToLower(req_.path);
    auto cmp = [&](std::string_view s) { return cs ? std::string(s) : core::ToLower(s); };
    auto note = [&](bool ok, const std::string& what) {
      lines.push_back(fmt::format("  {} {}", ok ? "✓" : "✗", what));
      all = all && ok;
    };
    if (m["prefix"].present()) note(StartsWith(path, cmp(m["prefix"].Str())), fmt::format("prefix \"{}\"", m["prefix"].Str()));
    if (m["path"].present()) note(path == cmp(m["path"].Str()), fmt::format("path \"{}\"", m["path"].Str()));
    if (m["safe_regex"].present()) {
      RE2::Options o;
      o.set_log_errors(false);
      o.set_case_sensitive(cs);
      RE2 re(std::string(m["safe_regex"]["regex"].Str()), o);
      note(re.ok() && RE2::FullMatch(req_.path, re), fmt::format("regex \"{}\"", m["safe_regex"]["regex"].Str()));
    }
    if (m["path_separated_prefix"].present()) {
      std::string p = cmp(m["path_separated_prefix"].Str());
      bool ok = path == p || StartsWith(path, p + "/") || StartsWith(path, p + "?");
      note(ok, fmt::format("path_separated_prefix \"{}\"", m["path_separated_prefix"].Str()));
    }
    m["headers"].ForEach([&](JsonView hm) {
      std::string shown;
      bool ok = HeaderMatches(hm, &shown);
      note(ok, shown);
    });
    m["query_parameters"].ForEach([&](JsonView q) {
      std::string name(q["name"].Str());
      auto it = req_.query.find(name);
      bool ok;
      std::string what;
      if (q["present_match"].present()) {
        ok = (it != req_.query.end()) == q["present_match"].Bool();
        what = "present";
      } else if (it == req_.query.end()) {
        ok = false;
        what = q["string_match"].Minified();
      } else {
        ok = StringMatcher(q["string_match"], it->second, &what);
      }
      note(ok, fmt::format("query {} {} vs {}", name, what, it == req_.query.end() ? "(absent)" : "\"" + it->second + "\""));
    });
    lines.insert(lines.begin(), fmt::format(" path {}", req_.path));
    return all;
  }

  // ---- D6
  void Route(JsonView vh) {
    int index = 0;
    std::vector<std::string> skipped;
    JsonView chosen;
    std::vector<std::string> lines;
    vh["routes"].ForEach([&](JsonView r) {
      if (chosen.present()) return;
      std::vector<std::string> l;
      if (RouteMatches(r["match"], l)) {
        chosen = r;
        lines = l;
      } else {
        std::string name(r["name"].Str());
        skipped.push_back(fmt::format("routes[{}] {} does not match: {}", index, name.empty() ? "(unnamed)" : name,
                                      r["match"].Minified()));
        ++index;
      }
    });
    Hop h = Make("D6 route");
    h.details = skipped;
    if (!chosen.present()) {
      h.summary = fmt::format("none of the {} routes of {} matches", vh["routes"].size(), vh["name"].Str());
      Fail(h, "404 NR", "no route matches: Envoy answers 404 (NR)");
      return;
    }
    h.details.insert(h.details.end(), lines.begin(), lines.end());
    std::string name(chosen["name"].Str());
    h.envoy_kind = "route";
    h.envoy_name = name.empty() ? "(unnamed)" : name;
    std::string_view config = chosen["metadata"]["filter_metadata"]["istio"]["config"].Str();
    h.summary = fmt::format("routes[{}] {} matches{}", index, h.envoy_name,
                            config.empty() ? "" : fmt::format(" (from {})", config));
    if (!config.empty()) h.object = std::string(config);
    if (chosen["redirect"].present()) {
      walk_.Add(std::move(h));
      walk_.outcome.reached = true;
      walk_.outcome.result = "redirect";
      walk_.outcome.message = "Envoy answers with a redirect";
      return;
    }
    if (chosen["direct_response"].present()) {
      int64_t status = chosen["direct_response"]["status"].Int(0);
      walk_.Add(std::move(h));
      walk_.outcome.reached = status < 400;
      walk_.outcome.result = "direct response";
      walk_.outcome.message = fmt::format("Envoy answers {} itself", status);
      if (status >= 400) walk_.outcome.cause_hop = walk_.hops.back().number;
      return;
    }
    JsonView action = chosen["route"];
    std::vector<std::pair<std::string, int64_t>> clusters;
    if (action["cluster"].present()) clusters.emplace_back(std::string(action["cluster"].Str()), 0);
    action["weighted_clusters"]["clusters"].ForEach(
        [&](JsonView c) { clusters.emplace_back(std::string(c["name"].Str()), c["weight"].Int(0)); });
    if (clusters.empty()) {
      h.summary += "; its action names no cluster";
      Fail(h, "404 NR", "a route without a cluster");
      return;
    }
    walk_.Add(std::move(h));
    Clusters(clusters);
  }

  // ---- D7/D8 per cluster
  void Clusters(const std::vector<std::pair<std::string, int64_t>>& clusters) {
    int64_t total = 0;
    for (const auto& [n, w] : clusters) total += w;
    auto all = dump_.Clusters();
    auto eds = dump_.EndpointConfigs();
    walk_.outcome.reached = true;
    walk_.outcome.result = "routed";
    for (const auto& [name, weight] : clusters) {
      Destination d;
      d.cluster = name;
      d.weight = weight;
      d.share = clusters.size() == 1 ? 100 : total > 0 ? 100.0 * static_cast<double>(weight) / static_cast<double>(total) : 0;
      std::vector<std::string> parts = core::Split(name, '|');
      if (parts.size() == 4) {
        d.port = std::atoll(parts[1].c_str());
        d.subset = parts[2];
        d.host = parts[3];
      }
      if (d.share <= 0 && clusters.size() > 1) continue;
      Hop h = Make("D7 cluster");
      h.branch = name;
      h.envoy_kind = "cluster";
      h.envoy_name = name;
      JsonView cluster;
      if (all.ok())
        for (const JsonView& c : *all)
          if (c["name"].Str() == name) cluster = c;
      if (!all.ok()) {
        h.verdict = Verdict::kWarn;
        h.summary = "the dump has no clusters section: " + all.status().message();
        walk_.Add(std::move(h));
        walk_.outcome.destinations.push_back(d);
        continue;
      }
      if (!cluster.present()) {
        h.summary = fmt::format("{}{}: no such cluster in the dump", clusters.size() > 1 ? fmt::format("weight {} → {:.4g}%; ", weight, d.share) : "", name);
        h.verdict = Verdict::kFail;
        d.reached = false;
        d.failure = "503 NC";
        walk_.Add(std::move(h));
        Note(fmt::format("{}: cluster not found (503 NC)", name));
        walk_.outcome.destinations.push_back(d);
        continue;
      }
      std::string type(cluster["type"].Str());
      if (type.empty() && cluster["cluster_type"].present()) type = std::string(cluster["cluster_type"]["name"].Str());
      if (type.empty()) type = "STATIC";
      std::string tls = "plaintext";
      cluster["transport_socket_matches"].ForEach([&](JsonView m) {
        if (m["match"]["tlsMode"].Str() == "istio") tls = "auto-mTLS (transport_socket_matches tlsMode-istio)";
      });
      if (cluster["transport_socket"]["name"].Str().find("tls") != std::string_view::npos) {
        std::string_view sni = cluster["transport_socket"]["typed_config"]["sni"].Str();
        tls = fmt::format("TLS{}", sni.empty() ? "" : fmt::format(" (SNI {})", sni));
      }
      h.summary = fmt::format("{}type {}, {}, lb {}", clusters.size() > 1 ? fmt::format("weight {} → {:.4g}%; ", weight, d.share) : "", type, tls,
                              cluster["lb_policy"].present() ? cluster["lb_policy"].Str() : "ROUND_ROBIN");
      std::string_view config = cluster["metadata"]["filter_metadata"]["istio"]["config"].Str();
      if (!config.empty()) h.object = std::string(config);
      if (cluster["outlier_detection"].present()) h.details.push_back("outlier detection " + cluster["outlier_detection"].Minified());
      walk_.Add(std::move(h));
      Endpoints(cluster, type, eds, d);
      walk_.outcome.destinations.push_back(d);
    }
    double failed = 0;
    std::string first;
    for (const auto& d : walk_.outcome.destinations)
      if (!d.reached) {
        failed += d.share;
        if (first.empty()) first = d.failure;
      }
    if (!first.empty()) {
      walk_.outcome.reached = false;
      walk_.outcome.result = first;
      walk_.outcome.message = fmt::format("{:.4g}% of requests fail: {}", failed, walk_.outcome.message);
    } else {
      std::vector<std::string> parts;
      for (const auto& d : walk_.outcome.destinations) parts.push_back(fmt::format("{} {:.4g}%", d.cluster, d.share));
      walk_.outcome.message = core::Join(parts, ", ");
    }
  }

  void Note(const std::string& message) {
    if (walk_.outcome.cause_hop) return;
    walk_.outcome.cause_hop = walk_.hops.back().number;
    walk_.outcome.message = message;
  }

  void Endpoints(JsonView cluster, const std::string& type, const core::Result<std::vector<JsonView>>& eds,
                 Destination& d) {
    Hop h = Make("D8 endpoints");
    h.branch = d.cluster;
    h.envoy_kind = "cluster";
    h.envoy_name = d.cluster;
    if (type == "ORIGINAL_DST" || d.cluster == "PassthroughCluster") {
      h.summary = "original destination: the address the client dialled";
      d.endpoints = 1;
      walk_.Add(std::move(h));
      return;
    }
    JsonView cla;
    if (type == "EDS") {
      std::string_view service = cluster["eds_cluster_config"]["service_name"].Str();
      if (service.empty()) service = cluster["name"].Str();
      if (eds.ok())
        for (const JsonView& e : *eds)
          if (e["cluster_name"].Str() == service) cla = e;
      if (!eds.ok()) {
        h.verdict = Verdict::kWarn;
        h.summary = "the dump holds no endpoints (save it with /config_dump?include_eds)";
        d.endpoints = -1;
        walk_.Add(std::move(h));
        return;
      }
    } else {
      cla = cluster["load_assignment"];
    }
    int healthy = 0, total = 0;
    cla["endpoints"].ForEach([&](JsonView locality) {
      locality["lb_endpoints"].ForEach([&](JsonView ep) {
        ++total;
        std::string_view status = ep["health_status"].Str();
        JsonView sa = ep["endpoint"]["address"]["socket_address"];
        h.details.push_back(fmt::format("{}:{} {}", sa["address"].Str(), sa["port_value"].Int(0),
                                        status.empty() ? "UNKNOWN" : status));
        if (status.empty() || status == "HEALTHY" || status == "UNKNOWN") ++healthy;
      });
    });
    d.endpoints = healthy;
    if (type == "STRICT_DNS" || type == "LOGICAL_DNS") {
      h.summary = fmt::format("{} DNS endpoint{}", total, total == 1 ? "" : "s");
      walk_.Add(std::move(h));
      if (total == 0) d.endpoints = 1;
      return;
    }
    if (healthy == 0) {
      h.summary = fmt::format("no healthy endpoint ({} in total)", total);
      h.verdict = Verdict::kFail;
      d.reached = false;
      d.failure = "503 UH";
      walk_.Add(std::move(h));
      Note(fmt::format("{}: no healthy upstream (503 UH)", d.cluster));
      return;
    }
    h.summary = fmt::format("{} healthy endpoint{} of {}", healthy, healthy == 1 ? "" : "s", total);
    walk_.Add(std::move(h));
  }

  const envoy::ConfigDump& dump_;
  const Request& req_;
  const DumpWalkOptions& opts_;
  std::string transport_ = "raw_buffer";
  std::string alpn_;
  std::string sni_;
  Walk walk_;
};

}  // namespace

void WalkDestinationDump(const envoy::ConfigDump& dump, const Request& req, int64_t port, bool mtls, Walk& walk) {
  Hop h;
  h.step = "D9 destination";
  h.branch = "destination " + dump.source();
  auto listeners = dump.Listeners();
  JsonView inbound;
  if (listeners.ok())
    for (const JsonView& l : *listeners)
      if (l["name"].Str() == "virtualInbound") inbound = l;
  if (!inbound.present()) {
    h.verdict = Verdict::kWarn;
    h.summary = "the destination dump has no virtualInbound listener (not a sidecar, or listeners not saved)";
    walk.Add(std::move(h));
    return;
  }
  std::vector<JsonView> for_port, catch_all;
  inbound["filter_chains"].ForEach([&](JsonView c) {
    JsonView m = c["filter_chain_match"];
    if (m["destination_port"].present()) {
      if (m["destination_port"].Int(-1) == port) for_port.push_back(c);
    } else {
      catch_all.push_back(c);
    }
  });
  const std::vector<JsonView>& chains = for_port.empty() ? catch_all : for_port;
  bool tls = false, plain = false;
  for (const JsonView& c : chains) {
    std::string_view t = c["filter_chain_match"]["transport_protocol"].Str();
    if (t == "tls" && c["transport_socket"].present()) tls = true;
    if (t == "raw_buffer" || t.empty()) plain = true;
  }
  std::string mode = tls && plain ? "PERMISSIVE" : tls ? "STRICT" : plain ? "DISABLE" : "none";
  h.envoy_kind = "listener";
  h.envoy_name = "virtualInbound";
  // The chain the client's connection takes: TLS with Istio's ALPN, or plaintext.
  bool http = req.IsHttp();
  const JsonView* chosen = nullptr;
  for (const JsonView& c : chains) {
    JsonView m = c["filter_chain_match"];
    std::string_view t = m["transport_protocol"].Str();
    bool transport_ok = mtls ? (t == "tls" && c["transport_socket"].present()) : (t == "raw_buffer" || t.empty());
    if (!transport_ok) continue;
    bool alpn_ok = m["application_protocols"].size() == 0;
    m["application_protocols"].ForEach([&](JsonView p) {
      std::string_view a = p.Str();
      if (mtls && (http ? a == "istio-http/1.1" : a == "istio-peer-exchange" || a == "istio")) alpn_ok = true;
      if (!mtls && http && a == "http/1.1") alpn_ok = true;
    });
    if (alpn_ok && !chosen) chosen = &c;
  }
  h.summary = fmt::format("{} filter chain{} for port {}: {} at the server; the client sends {}", chains.size(),
                          chains.size() == 1 ? "" : "s", port, mode, mtls ? "mTLS" : "plaintext");
  if (!chosen) {
    h.verdict = Verdict::kFail;
    walk.Add(std::move(h));
    walk.outcome.reached = false;
    walk.outcome.result = "503 UC";
    walk.outcome.message = fmt::format("the destination takes no {} connection on port {} (connection reset)",
                                       mtls ? "mTLS" : "plaintext", port);
    walk.outcome.cause_hop = walk.hops.back().number;
    return;
  }
  std::string name(chosen->operator[]("name").Str());
  h.details.push_back(fmt::format("filter chain {} {}", name.empty() ? "(unnamed)" : name,
                                  chosen->operator[]("filter_chain_match").Minified()));
  auto policies = [&](JsonView rbac, const char* where) {
    JsonView rules = rbac["typed_config"]["rules"];
    if (!rules.present()) return;
    std::string action(rules["action"].Str());
    std::vector<std::string> names;
    rules["policies"].ForEachField([&](std::string_view k, JsonView) { names.emplace_back(k); });
    h.details.push_back(fmt::format("{} rbac {}: {}", where, action.empty() ? "ALLOW" : action,
                                    names.empty() ? "(no policies)" : core::Join(names, ", ")));
  };
  chosen->operator[]("filters").ForEach([&](JsonView f) {
    std::string_view n = f["name"].Str();
    if (n == "envoy.filters.network.rbac") policies(f, "network");
    f["typed_config"]["http_filters"].ForEach([&](JsonView hf) {
      if (hf["name"].Str() == "envoy.filters.http.rbac") policies(hf, "http");
      if (hf["name"].Str() == "envoy.filters.http.ext_authz") h.details.push_back("http ext_authz (CUSTOM)");
    });
  });
  walk.Add(std::move(h));
}

Walk WalkDump(const envoy::ConfigDump& dump, const Request& req, const DumpWalkOptions& opts) {
  DumpWalker w(dump, req, opts);
  return w.Run();
}

}  // namespace meshctl::explain
