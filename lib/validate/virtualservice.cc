// VirtualService rules (spec §5.1).
#include <map>
#include <set>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"
#include "lib/validate/schema.h"

namespace meshctl::validate {

namespace {

using core::GoQuote;

struct VsContext {
  const model::Resource& r;
  Findings& out;
  bool gateway_semantics = false;
  bool delegate_vs = false;
};

// H-GWNAMES (rule 4 / 31).
void CheckGatewayNames(const Node* gws, const std::string& path, bool gateway_semantics, Findings& out) {
  if (!gws) return;
  for (size_t i = 0; i < gws->size(); ++i) {
    std::string g = gws->at(i).IsScalar() ? gws->at(i).text() : "";
    std::string p = Idx(path, i);
    auto slash = g.find('/');
    if (slash == std::string::npos) {
      if (g.find('.') != std::string::npos) {
        auto parts = core::Split(g, '.');
        out.Warning(p, fmt::format("using legacy gatewayName format {}; prefer the <namespace>/<name> format: {}",
                                   GoQuote(g), GoQuote(parts[1] + "/" + parts[0])));
      }
      if (auto e = CheckFQDN(g); !e.empty()) out.Error(p, e);
      return;
    }
    std::string ns = g.substr(0, slash), name = g.substr(slash + 1);
    if (ns.empty() || name.empty()) out.Error(p, "config namespace and gateway name cannot be empty");
    if (!IsDNS1123Label(ns)) out.Error(p, fmt::format("invalid value for namespace: {}", GoQuote(ns)));
    if (!IsDNS1123Label(name) && !gateway_semantics)
      out.Error(p, fmt::format("invalid value for gateway name: {}", GoQuote(name)));
  }
}

// Rules 33-35.
void CheckHeaders(const Node* headers, const std::string& path, Findings& out) {
  if (!headers) return;
  auto ops = [&](const Node* op, const std::string& p, bool request) {
    if (!op) return;
    for (std::string_view which : {"set", "add"}) {
      const Node* m = Get(op, which);
      if (!m) continue;
      for (size_t i = 0; i < m->size(); ++i) {
        std::string k = m->KeyAt(i).ToScalarString();
        std::string kp = Key(Path(p, which), k);
        auto e = request ? CheckHeaderWithAuthorityName(k) : CheckHeaderOperationName(k);
        if (!e.empty()) out.Error(kp, e);
        if (auto ve = CheckHeaderValue(m->ValueAt(i).text()); !ve.empty()) out.Error(kp, ve);
      }
    }
    if (const Node* rm = Get(op, "remove"))
      for (size_t i = 0; i < rm->size(); ++i)
        if (auto e = CheckHeaderOperationName(rm->at(i).text()); !e.empty()) out.Error(Idx(Path(p, "remove"), i), e);
  };
  ops(Get(headers, "request"), Path(path, "request"), true);
  ops(Get(headers, "response"), Path(path, "response"), false);
}

bool IsJwtClaimKey(std::string_view k) {
  constexpr std::string_view kPrefix = "@request.auth.claims";
  return k.size() >= kPrefix.size() && core::EqualsIgnoreCase(k.substr(0, kPrefix.size()), kPrefix);
}

void CheckMatch(const Node* m, const std::string& path, Findings& out) {
  for (std::string_view which : {"headers", "withoutHeaders"}) {
    const Node* hs = Get(m, which);
    if (!hs) continue;
    for (size_t i = 0; i < hs->size(); ++i) {
      std::string k = hs->KeyAt(i).ToScalarString();
      std::string kp = Key(Path(path, which), k);
      if (auto e = CheckMatchHeaderName(k); !e.empty()) out.Error(kp, e);
      const Node& v = hs->ValueAt(i);
      if (which == "withoutHeaders" && Str(&v, "regex") == "*" && Has(&v, "regex")) continue;
      CheckStringMatch(&v, which, kp, out);
    }
  }
  if (const Node* uri = Get(m, "uri"))
    if (const Node* re = Get(uri, "regex"))
      if (auto e = CheckRegex(re->text(), "uri"); !e.empty()) out.Error(Path(path, "uri.regex"), e);
  for (std::string_view which : {"scheme", "method", "authority"})
    CheckStringMatch(Get(m, which), which, Path(path, which), out);
  if (const Node* qp = Get(m, "queryParams"))
    for (size_t i = 0; i < qp->size(); ++i)
      CheckStringMatch(&qp->ValueAt(i), "queryParams", Key(Path(path, "queryParams"), qp->KeyAt(i).ToScalarString()),
                       out);
  if (int64_t port = Int(m, "port"); port != 0)
    if (auto e = CheckPort(port); !e.empty()) out.Error(Path(path, "port"), e);
  CheckLabels(Get(m, "sourceLabels"), Path(path, "sourceLabels"), out);
  CheckGatewayNames(Get(m, "gateways"), Path(path, "gateways"), false, out);
  if (const Node* sn = Get(m, "sourceNamespace"))
    if (!IsDNS1123Label(sn->text()))
      out.Error(Path(path, "sourceNamespace"), fmt::format("sourceNamespace match {} is invalid", sn->text()));
}

std::string PercentF(double v) { return fmt::format("{:.6f}", v); }

void CheckPercentage(const Node* p, const std::string& path, Findings& out) {
  if (!p) return;
  double v = Num(p, "value");
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001))
    out.Error(path, fmt::format("percentage {} is neither 0.0, nor in range [0.0001, 100.0]", GoFloat(v)));
}

void CheckDurationOf(const Node* m, std::string_view key, const std::string& path, Findings& out) {
  if (auto d = Dur(m, key))
    if (auto e = CheckDuration(*d); !e.empty()) out.Error(Path(path, key), e);
}

const std::set<std::string, std::less<>>& GrpcCodes() {
  static const std::set<std::string, std::less<>> k = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return k;
}

void CheckFault(const Node* f, const std::string& path, Findings& out) {
  if (!f) return;
  const Node* abort = Get(f, "abort");
  const Node* delay = Get(f, "delay");
  if (!abort && !delay) out.Error(path, "HTTP fault injection must have an abort and/or a delay");
  if (abort) {
    std::string p = Path(path, "abort");
    CheckPercentage(Get(abort, "percentage"), Path(p, "percentage"), out);
    bool any = false;
    if (const Node* hs = Get(abort, "httpStatus")) {
      any = true;
      int64_t s = hs->AsInt().value_or(0);
      if (s < 200 || s > 600) out.Error(Path(p, "httpStatus"), fmt::format("HTTP status {} is not in range 200-599", s));
    }
    if (const Node* gs = Get(abort, "grpcStatus")) {
      any = true;
      if (!GrpcCodes().count(gs->text()))
        out.Error(Path(p, "grpcStatus"),
                  fmt::format("gRPC status {} is not supported. See "
                              "https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported "
                              "codes, for example 'NOT_FOUND'",
                              GoQuote(gs->text())));
    }
    if (Has(abort, "http2Error")) {
      any = true;
      out.Error(Path(p, "http2Error"), "HTTP/2 abort fault injection not supported yet");
    }
    if (!any) out.Warning(p, "abort configured, but error type not set");
  }
  if (delay) {
    std::string p = Path(path, "delay");
    CheckPercentage(Get(delay, "percentage"), Path(p, "percentage"), out);
    int64_t pct = Int(delay, "percent");
    if (pct < 0 || pct > 100) out.Error(Path(p, "percent"), fmt::format("percentage {} is not in range 0..100", pct));
    CheckDurationOf(delay, "fixedDelay", p, out);
    if (Has(delay, "exponentialDelay")) {
      CheckDurationOf(delay, "exponentialDelay", p, out);
      out.Error(Path(p, "exponentialDelay"), "exponentialDelay not supported yet");
    }
  }
}

void CheckCors(const Node* c, const std::string& path, Findings& out) {
  if (!c) return;
  if (const Node* origins = Get(c, "allowOrigins")) {
    for (size_t i = 0; i < origins->size(); ++i) {
      const Node& o = origins->at(i);
      std::string p = Idx(Path(path, "allowOrigins"), i);
      if (const Node* re = Get(&o, "regex"); re && !re->text().empty()) {
        if (auto e = CheckRegex(re->text(), "corsPolicy.allowOrigins"); !e.empty()) out.Error(p, e);
      } else if (Str(&o, "exact").empty() && Str(&o, "prefix").empty()) {
        out.Error(p, "'' is not a valid match type for CORS allow origins");
      }
    }
  }
  static const std::set<std::string, std::less<>> kMethods = {"GET",     "HEAD",    "POST",  "PUT", "PATCH",
                                                              "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"};
  auto methods = StrList(c, "allowMethods");
  for (size_t i = 0; i < methods.size(); ++i)
    if (!kMethods.count(methods[i]))
      out.Error(Idx(Path(path, "allowMethods"), i), fmt::format("{} is not a supported HTTP method", GoQuote(methods[i])));
  for (std::string_view which : {"allowHeaders", "exposeHeaders"}) {
    auto hs = StrList(c, which);
    for (size_t i = 0; i < hs.size(); ++i)
      if (auto e = CheckCorsHeaderName(hs[i]); !e.empty()) out.Error(Idx(Path(path, which), i), e);
  }
  if (auto d = Dur(c, "maxAge")) {
    if (auto e = CheckDuration(*d); !e.empty()) out.Error(Path(path, "maxAge"), e);
    if (*d % 1'000'000'000 != 0)
      out.Error(Path(path, "maxAge"), "max_age duration is accurate only to seconds precision");
  }
}

void CheckRedirect(const Node* red, const Node* matches, const std::string& path, Findings& out) {
  if (!red) return;
  bool uri = !Str(red, "uri").empty();
  bool prefix = !Str(red, "prefixRewrite").empty();
  if (uri && prefix) {
    out.Error(path, "redirect may only specify one of uri or prefix_rewrite");
    return;
  }
  if (prefix && matches) {
    // Only a match that has a uri, of another type than prefix (Istio's
    // `match.Uri != nil && !isPrefix`); header-only matches are fine.
    for (const auto& m : matches->children()) {
      const Node* uri = Get(&m, "uri");
      if (uri && !uri->IsNull() && !Has(uri, "prefix")) {
        out.Error(path, "redirect prefix_rewrite requires all URI matches to use prefix match type");
        return;
      }
    }
  }
  if (!uri && !prefix && Str(red, "authority").empty() && !Has(red, "port") && !Has(red, "derivePort") &&
      Str(red, "scheme").empty()) {
    out.Error(path, "redirect must specify URI, authority, scheme, or port");
    return;
  }
  int64_t code = Int(red, "redirectCode");
  if (code != 0 && (code < 300 || code > 399)) {
    out.Error(Path(path, "redirectCode"), fmt::format("{} is not a valid redirect code, must be 3xx", code));
    return;
  }
  std::string scheme = Str(red, "scheme");
  if (!scheme.empty() && scheme != "http" && scheme != "https") {
    out.Error(Path(path, "scheme"), "invalid redirect scheme, must be \"http\" or \"https\"");
    return;
  }
  if (int64_t port = Int(red, "port"); port > 0)
    if (auto e = CheckPort(port); !e.empty()) out.Error(Path(path, "port"), e);
}

size_t Base64DecodedSize(std::string_view s) {
  size_t n = 0, pad = 0;
  for (char c : s) {
    if (c == '=') ++pad;
    else if (c != '\n' && c != '\r') ++n;
  }
  return (n + pad) / 4 * 3 - pad + ((n + pad) % 4 ? ((n + pad) % 4) - 1 : 0);
}

void CheckDirectResponse(const Node* dr, const std::string& path, Findings& out) {
  if (!dr) return;
  if (const Node* body = Get(dr, "body")) {
    size_t size = 0;
    if (const Node* s = Get(body, "string")) size = s->text().size();
    else if (const Node* b = Get(body, "bytes")) size = Base64DecodedSize(b->text());
    if (size > 1 << 20)
      out.Error(Path(path, "body"), "large direct_responses may impact control plane performance, must be less than 1MB");
    else if (size > 100 << 10)
      out.Warning(Path(path, "body"), "large direct_responses may impact control plane performance");
  }
  int64_t status = Int(dr, "status");
  if (status < 200 || status > 600)
    out.Error(Path(path, "status"), fmt::format("HTTP status {} is not in range 200-599", status));
}

void CheckRewrite(const Node* rw, const std::string& path, Findings& out) {
  if (!rw) return;
  bool uri = !Str(rw, "uri").empty();
  const Node* rr = Get(rw, "uriRegexRewrite");
  if (uri && rr) {
    out.Error(path, "rewrite may only contain one of URI or UriRegexRewrite");
    return;
  }
  if (!uri && !rr && Str(rw, "authority").empty()) {
    out.Error(path,
              "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
              "UriRegexRewrite may be specified");
    return;
  }
  if (rr) {
    std::string p = Path(path, "uriRegexRewrite");
    if (Str(rr, "match").empty() || Str(rr, "rewrite").empty()) {
      out.Error(p, "UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified");
    } else if (auto e = CheckRegex(Str(rr, "match"), "HTTPRewrite.UriRegexRewrite.Match"); !e.empty()) {
      out.Error(Path(p, "match"), "UriRegexRewrite has errors\n" + e);
    }
  }
}

void CheckAuthorityRewrite(const Node* rw, const Node* headers, const std::string& path, Findings& out) {
  std::string current = Str(rw, "authority");
  const Node* req = Get(headers, "request");
  for (std::string_view which : {"set", "add"}) {
    const Node* m = Get(req, which);
    if (!m) continue;
    for (size_t i = 0; i < m->size(); ++i) {
      std::string k = m->KeyAt(i).ToScalarString();
      if (!(core::EqualsIgnoreCase(k, "host") || k == ":authority")) continue;
      std::string v = m->ValueAt(i).text();
      if (!current.empty()) {
        out.Error(Key(Path(Path(path, "headers.request"), which), k),
                  fmt::format("authority header cannot be set multiple times: have {}, attempting to set {}",
                              GoQuote(current), GoQuote(v)));
        return;
      }
      current = v;
    }
  }
}

void CheckMirrors(const Node* http, const std::string& path, Findings& out) {
  if (const Node* mp = Get(http, "mirrorPercent")) {
    int64_t v = mp->AsInt().value_or(0);
    if (v > 100)
      out.Error(Path(path, "mirrorPercent"), fmt::format("mirror_percent must have a max value of 100 (it has {})", v));
    out.Warning(Path(path, "mirrorPercent"), "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
  }
  if (const Node* mp = Get(http, "mirrorPercentage")) {
    double v = Num(mp, "value");
    if (v > 100)
      out.Error(Path(path, "mirrorPercentage"),
                fmt::format("mirror_percentage must have a max value of 100 (it has {})", PercentF(v)));
    if (v < 0)
      out.Error(Path(path, "mirrorPercentage"),
                fmt::format("mirror_percentage must have a min value of 0 (it has {})", PercentF(v)));
  }
  CheckDestination(Get(http, "mirror"), Path(path, "mirror"), out);
  if (const Node* ms = Get(http, "mirrors")) {
    for (size_t i = 0; i < ms->size(); ++i) {
      const Node& m = ms->at(i);
      std::string p = Idx(Path(path, "mirrors"), i);
      const Node* d = Get(&m, "destination");
      if (!d) out.Error(p, "destination is required for mirrors");
      else CheckDestination(d, Path(p, "destination"), out);
      if (const Node* pc = Get(&m, "percentage")) {
        double v = Num(pc, "value");
        if (v > 100)
          out.Error(Path(p, "percentage"), fmt::format("mirror percentage must have a max value of 100 (it has {})", PercentF(v)));
        if (v < 0)
          out.Error(Path(p, "percentage"), fmt::format("mirror percentage must have a min value of 0 (it has {})", PercentF(v)));
      }
    }
  }
}

void CheckRouteDestinations(const Node* routes, const std::string& path, bool http, bool gateway_semantics,
                            Findings& out) {
  if (!routes) return;
  int64_t total = 0;
  for (size_t i = 0; i < routes->size(); ++i) {
    const Node& rd = routes->at(i);
    std::string p = Idx(path, i);
    const Node* d = Get(&rd, "destination");
    if (!d) {
      out.Error(p, "destination is required");
    }
    if (http) CheckHeaders(Get(&rd, "headers"), Path(p, "headers"), out);
    if (d && !gateway_semantics) CheckDestination(d, Path(p, "destination"), out);
    int64_t w = Int(&rd, "weight");
    if (w < 0) out.Error(Path(p, "weight"), fmt::format("weight {} < 0", w));
    total += w;
  }
  if (routes->size() > 1 && total == 0) out.Error(path, "total destination weight = 0");
}

void CheckHTTPRoute(const VsContext& c, const Node* http, const std::string& path) {
  Findings& out = c.out;
  std::string name = Str(http, "name");
  bool root = Has(http, "delegate");
  if (root) {
    if (Has(http, "redirect")) out.Error(path, fmt::format("root HTTP route {} must not specify redirect", name));
    if (Has(http, "route")) out.Error(path, fmt::format("root HTTP route {} must not specify route", name));
  }
  if (c.delegate_vs && root) out.Error(Path(path, "delegate"), "delegate HTTP route cannot contain delegate");
  // Go's nil checks: a key given as null is absent; `route: []` is no route.
  auto set = [&](std::string_view k) {
    const Node* n = Get(http, k);
    return n && !n->IsNull();
  };
  bool has_route = Len(http, "route") > 0, has_red = set("redirect"), has_dr = set("directResponse");
  bool has_fault = set("fault"), has_rw = set("rewrite");
  if (!root) {
    // Istio's order: a redirect's conflicts, else a direct response's, else a route is required.
    if (has_red) {
      if (has_route) out.Error(path, "HTTP route cannot contain both route and redirect");
      if (has_fault) out.Error(path, "HTTP route cannot contain both fault and redirect");
      if (has_rw) out.Error(path, "HTTP route rule cannot contain both rewrite and redirect");
      if (has_dr) out.Error(path, "HTTP route rule cannot contain both direct_response and redirect");
    } else if (has_dr) {
      if (has_route) out.Error(path, "HTTP route cannot contain both route and direct_response");
      if (has_fault) out.Error(path, "HTTP route cannot contain both fault and direct_response");
      if (has_rw) out.Error(path, "HTTP route rule cannot contain both rewrite and direct_response");
    } else if (!has_route) {
      out.Error(path, "HTTP route, redirect or direct_response is required");
    }
  }
  if (Has(http, "mirror") && Has(http, "mirrors")) out.Error(path, "HTTP route cannot contain both mirror and mirrors");
  CheckHeaders(Get(http, "headers"), Path(path, "headers"), out);
  CheckCors(Get(http, "corsPolicy"), Path(path, "corsPolicy"), out);
  CheckFault(Get(http, "fault"), Path(path, "fault"), out);
  if (const Node* ms = Get(http, "match"))
    for (size_t i = 0; i < ms->size(); ++i) CheckMatch(&ms->at(i), Idx(Path(path, "match"), i), out);
  CheckMirrors(http, path, out);
  CheckRedirect(Get(http, "redirect"), Get(http, "match"), Path(path, "redirect"), out);
  CheckDirectResponse(Get(http, "directResponse"), Path(path, "directResponse"), out);
  CheckRetry(Get(http, "retries"), Path(path, "retries"), out);
  CheckRewrite(Get(http, "rewrite"), Path(path, "rewrite"), out);
  CheckAuthorityRewrite(Get(http, "rewrite"), Get(http, "headers"), path, out);
  CheckRouteDestinations(Get(http, "route"), Path(path, "route"), true, c.gateway_semantics, out);
  CheckDurationOf(http, "timeout", path, out);
}

void CheckL4Common(const Node* m, const std::string& path, Findings& out) {
  for (const auto& s : StrList(m, "destinationSubnets"))
    if (auto e = CheckSubnet(s); !e.empty()) out.Error(Path(path, "destinationSubnets"), e);
  if (int64_t port = Int(m, "port"); port != 0)
    if (auto e = CheckPort(port); !e.empty()) out.Error(Path(path, "port"), e);
  CheckLabels(Get(m, "sourceLabels"), Path(path, "sourceLabels"), out);
  CheckGatewayNames(Get(m, "gateways"), Path(path, "gateways"), false, out);
}

// Canonical JSON-ish text of a match without its name, for duplicate detection.
void Canonical(const Node& n, std::string& s, bool top) {
  if (n.IsMap()) {
    std::map<std::string, const Node*> keys;
    for (size_t i = 0; i < n.size(); ++i) {
      std::string k = n.KeyAt(i).ToScalarString();
      if (top && k == "name") continue;
      keys[k] = &n.ValueAt(i);
    }
    s += '{';
    for (const auto& [k, v] : keys) {
      s += k;
      s += ':';
      Canonical(*v, s, false);
      s += ',';
    }
    s += '}';
  } else if (n.IsSeq()) {
    s += '[';
    for (const auto& c : n.children()) {
      Canonical(c, s, false);
      s += ',';
    }
    s += ']';
  } else {
    s += GoQuote(n.ToScalarString());
  }
}

// Everything of an HTTP match but its name and uri, for the prefix-overlap check.
std::string MatchWithoutUri(const Node& m) {
  std::string s;
  for (std::string_view k : {"port", "method", "authority", "headers", "queryParams", "withoutHeaders"}) {
    s += k;
    s += '=';
    if (const Node* v = Get(&m, k)) Canonical(*v, s, false);
    s += ';';
  }
  return s;
}

void AnalyzeUnreachable(const Node* routes, const std::string& path, bool names, Findings& out) {
  if (!routes) return;
  struct PrefixMatch {
    std::string prefix, rest, route_name, match_name;
  };
  std::vector<PrefixMatch> prefixes;
  std::map<std::string, size_t> seen;
  int empty_at = -1;
  for (size_t i = 0; i < routes->size(); ++i) {
    const Node& r = routes->at(i);
    std::string rp = Idx(path, i);
    std::string rname = names && !Str(&r, "name").empty() ? GoQuote(Str(&r, "name")) : fmt::format("#{}", i);
    if (empty_at >= 0) {
      out.AnalysisWarning(rp, fmt::format("virtualService rule {} not used (route without matches defined before)", rname));
      continue;
    }
    const Node* ms = Get(&r, "match");
    if (!ms || ms->size() == 0) {
      if (i + 1 < routes->size())
        out.AnalysisWarning(rp, fmt::format("virtualService rule {} not used (only the last rule can have no matches)", rname));
      empty_at = static_cast<int>(i);
      continue;
    }
    size_t dups = 0;
    for (size_t j = 0; j < ms->size(); ++j) {
      std::string key;
      Canonical(ms->at(j), key, true);
      auto it = seen.find(key);
      if (it != seen.end()) {
        const Node& prev = routes->at(it->second);
        std::string pname = names && !Str(&prev, "name").empty() ? GoQuote(Str(&prev, "name"))
                                                                   : fmt::format("#{}", it->second);
        std::string mname = names && !Str(&ms->at(j), "name").empty() ? GoQuote(Str(&ms->at(j), "name"))
                                                                        : fmt::format("#{}", j);
        out.AnalysisWarning(Idx(Path(rp, "match"), j),
                    fmt::format("virtualService rule {} match {} is not used (duplicate/overlapping match in rule {})",
                                rname, mname, pname));
        ++dups;
        continue;
      }
      seen.emplace(std::move(key), i);
      if (!names) continue;  // prefix analysis is for HTTP routes only
      const Node& m = ms->at(j);
      const Node* prefix = Get(Get(&m, "uri"), "prefix");
      if (!prefix) continue;
      std::string mname = !Str(&m, "name").empty() ? GoQuote(Str(&m, "name")) : fmt::format("#{}", j);
      std::string rest = MatchWithoutUri(m);
      for (const auto& earlier : prefixes) {
        if (earlier.rest == rest && prefix->text().rfind(earlier.prefix, 0) == 0) {
          out.AnalysisWarning(Idx(Path(rp, "match"), j),
                      fmt::format("virtualService rule {} match {} of prefix {} is not used (duplicate/overlapping "
                                  "match in rule {} of prefix {} on {})",
                                  rname, mname, prefix->text(), earlier.match_name, earlier.prefix,
                                  earlier.route_name));
          break;
        }
      }
      prefixes.push_back({prefix->text(), std::move(rest), rname, mname});
    }
    if (dups == ms->size())
      out.AnalysisWarning(rp, fmt::format("virtualService rule {} not used (all matches used by prior rules)", rname));
  }
}

}  // namespace

void ValidateVirtualService(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  const Node* spec = r.spec;
  VsContext c{r, out};
  c.gateway_semantics = r.Annotation("internal.istio.io/route-semantics") == "gateway";
  auto hosts = StrList(spec, "hosts");
  auto gateways = StrList(spec, "gateways");
  c.delegate_vs = hosts.empty();
  if (c.delegate_vs) {
    if (!gateways.empty()) out.Error("spec.gateways", "delegate virtual service must have no gateways specified");
    if (Len(spec, "tls")) out.Error("spec.tls", "delegate virtual service must have no tls route specified");
    if (Len(spec, "tcp")) out.Error("spec.tcp", "delegate virtual service must have no tcp route specified");
  }
  bool mesh = false;
  for (const auto& g : gateways) mesh = mesh || g == "mesh";
  bool applies_to_gateway = !gateways.empty() && !mesh;
  bool applies_to_mesh = !applies_to_gateway;
  CheckGatewayNames(Get(spec, "gateways"), "spec.gateways", c.gateway_semantics, out);

  if (!applies_to_gateway) {
    if (const Node* https = Get(spec, "http")) {
      for (size_t i = 0; i < https->size(); ++i) {
        const Node* ms = Get(&https->at(i), "match");
        if (!ms) continue;
        for (size_t j = 0; j < ms->size(); ++j)
          for (std::string_view which : {"headers", "withoutHeaders"}) {
            const Node* hs = Get(&ms->at(j), which);
            if (!hs) continue;
            for (size_t k = 0; k < hs->size(); ++k) {
              std::string key = hs->KeyAt(k).ToScalarString();
              if (IsJwtClaimKey(key))
                out.Error(Key(Path(Idx(Path(Idx("spec.http", i), "match"), j), which), key),
                          fmt::format("JWT claim based routing (key: {}) is only supported for gateway, found no "
                                      "gateways: [{}]",
                                      key, core::Join(gateways, " ")));
            }
          }
      }
    }
  }

  bool sni_aware = false;
  if (const Node* tls = Get(spec, "tls"))
    for (const auto& t : tls->children())
      if (const Node* ms = Get(&t, "match"))
        for (const auto& m : ms->children()) sni_aware = sni_aware || Len(&m, "sniHosts") > 0;
  bool all_valid = true;
  for (size_t i = 0; i < hosts.size(); ++i) {
    const std::string& h = hosts[i];
    std::string p = Idx("spec.hosts", i);
    std::string e = applies_to_gateway ? CheckWildcardDomainGw(h, sni_aware) : CheckWildcardDomain(h);
    if (!e.empty() && !IsIP(h)) {
      out.Error(p, e);
      all_valid = false;
    } else if (applies_to_mesh && h == "*") {
      out.Error(p, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
      all_valid = false;
    }
  }
  if (all_valid)
    for (const auto& [i, j] : MatchingHostPairs(hosts))
      out.Error(Idx("spec.hosts", j), fmt::format("duplicate hosts in virtual service: {} & {}", hosts[i], hosts[j]));

  if (!Len(spec, "http") && !Len(spec, "tcp") && !Len(spec, "tls"))
    out.Error("spec", "http, tcp or tls must be provided in virtual service");

  if (const Node* https = Get(spec, "http"))
    for (size_t i = 0; i < https->size(); ++i) CheckHTTPRoute(c, &https->at(i), Idx("spec.http", i));

  if (const Node* tls = Get(spec, "tls")) {
    for (size_t i = 0; i < tls->size(); ++i) {
      const Node& t = tls->at(i);
      std::string p = Idx("spec.tls", i);
      const Node* ms = Get(&t, "match");
      if (!ms) out.Error(p, "TLS route must have at least one match condition");
      if (ms) {
        for (size_t j = 0; j < ms->size(); ++j) {
          const Node& m = ms->at(j);
          std::string mp = Idx(Path(p, "match"), j);
          auto snis = StrList(&m, "sniHosts");
          if (snis.empty()) out.Error(mp, "TLS match must have at least one SNI host");
          for (size_t k = 0; k < snis.size(); ++k) {
            const std::string& sni = snis[k];
            std::string sp = Idx(Path(mp, "sniHosts"), k);
            // As Istio's validateSniHost: the domain check first; only a
            // name it rejects may be an IP address (then a warning, and no
            // subset check); an IPv4 address passes as a name and must be
            // one of the hosts like any other SNI host.
            std::string e = applies_to_gateway ? CheckWildcardDomainGw(sni, true) : CheckWildcardDomain(sni);
            if (!e.empty()) {
              if (IsIP(sni)) {
                out.Warning(sp, fmt::format("using an IP address ({}) goes against SNI spec and most clients do not "
                                            "support this",
                                            GoQuote(sni)));
              } else {
                out.Error(sp, e);
              }
              continue;
            }
            bool matched = false;
            for (const auto& h : hosts) matched = matched || HostSubsetOf(sni, h);
            if (!matched)
              out.Error(sp, fmt::format("SNI host {} is not a compatible subset of any of the virtual service hosts: "
                                        "[{}]",
                                        GoQuote(sni), core::Join(hosts, ", ")));
          }
          CheckL4Common(&m, mp, out);
        }
      }
      if (!Len(&t, "route")) out.Error(p, "TLS route is required");
      CheckRouteDestinations(Get(&t, "route"), Path(p, "route"), false, false, out);
    }
  }
  if (const Node* tcp = Get(spec, "tcp")) {
    for (size_t i = 0; i < tcp->size(); ++i) {
      const Node& t = tcp->at(i);
      std::string p = Idx("spec.tcp", i);
      if (const Node* ms = Get(&t, "match"))
        for (size_t j = 0; j < ms->size(); ++j) CheckL4Common(&ms->at(j), Idx(Path(p, "match"), j), out);
      if (!Len(&t, "route")) out.Error(p, "TCP route is required");
      CheckRouteDestinations(Get(&t, "route"), Path(p, "route"), false, false, out);
    }
  }
  CheckExportTo(r.ns, Get(spec, "exportTo"), false, false, "spec.exportTo", out);
  AnalyzeUnreachable(Get(spec, "http"), "spec.http", true, out);
  AnalyzeUnreachable(Get(spec, "tcp"), "spec.tcp", false, out);
  AnalyzeUnreachable(Get(spec, "tls"), "spec.tls", false, out);
  (void)ctx;
}

}  // namespace meshctl::validate
