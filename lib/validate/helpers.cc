#include "lib/validate/helpers.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "lib/core/strings.h"
#include "lib/model/protocol.h"
#include "lib/validate/schema.h"

namespace meshctl::validate {

using core::GoQuote;

// ---------------------------------------------------------------------------
// accessors

const Node* Get(const Node* m, std::string_view key) { return m && m->IsMap() ? m->Get(key) : nullptr; }
bool Has(const Node* m, std::string_view key) { return Get(m, key) != nullptr; }

std::string Str(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  return n && n->IsScalar() && !n->IsNull() ? n->text() : std::string();
}

int64_t Int(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  if (!n) return 0;
  if (auto v = n->AsInt()) return *v;
  if (auto d = n->AsDouble()) return static_cast<int64_t>(*d);
  return 0;
}

double Num(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  if (!n) return 0;
  return n->AsDouble().value_or(0);
}

bool Bool(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  return n && n->AsBool().value_or(false);
}

std::string Enum(const Node* m, std::string_view key, std::string_view dflt) {
  const Node* n = Get(m, key);
  return n ? n->text() : std::string(dflt);
}

size_t Len(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  return n && (n->IsMap() || n->IsSeq()) ? n->size() : 0;
}

std::optional<int64_t> Dur(const Node* m, std::string_view key) {
  const Node* n = Get(m, key);
  if (!n || !n->IsString()) return std::nullopt;
  return ParseGoDuration(n->text());
}

std::vector<std::string> StrList(const Node* m, std::string_view key) {
  std::vector<std::string> out;
  const Node* n = Get(m, key);
  if (!n || !n->IsSeq()) return out;
  for (const auto& c : n->children()) out.push_back(c.IsScalar() ? c.text() : std::string());
  return out;
}

std::string GoFloat(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e21) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

std::string Path(std::string_view base, std::string_view key) {
  std::string s(base);
  if (!s.empty()) s += '.';
  s += key;
  return s;
}
std::string Idx(std::string_view base, size_t i) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, i).ptr;
  std::string s;
  s.reserve(base.size() + static_cast<size_t>(end - digits) + 2);
  s.append(base).append(1, '[').append(digits, end).append(1, ']');
  return s;
}
std::string Key(std::string_view base, std::string_view key) {
  std::string s;
  s.reserve(base.size() + key.size() + 4);
  s.append(base).append("['").append(key).append("']");
  return s;
}

// ---------------------------------------------------------------------------
// names and hosts

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go strconv.Atoi succeeds.
bool GoAtoiOK(std::string_view s) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (!IsDigit(s[i])) return false;
  return s.size() <= 19;
}

std::string CheckDNS1123Preconditions(std::string_view s) {
  if (s.size() > 255) return fmt::format("domain name {} too long (max 255)", GoQuote(s));
  if (s.empty()) return "empty domain name not allowed";
  return "";
}

std::string ValidateDNS1123Labels(std::string_view domain) {
  auto parts = core::Split(domain, '.');
  const std::string& tld = parts.back();
  if (GoAtoiOK(tld))
    return fmt::format("domain name {} invalid (top level domain {} cannot be all-numeric)", GoQuote(domain),
                       GoQuote(tld));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i == parts.size() - 1 && parts[i].empty()) return "";
    if (!IsDNS1123Label(parts[i]))
      return fmt::format("domain name {} invalid (label {} invalid)", GoQuote(domain), GoQuote(parts[i]));
  }
  return "";
}

}  // namespace

bool IsDNS1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '-') return false;
  return true;
}

bool IsWildcardDNS1123Label(std::string_view s) {
  if (s.size() > 63) return false;
  if (s == "*") return true;
  if (s.substr(0, 2) == "*-") s.remove_prefix(2);
  else if (!s.empty() && s[0] == '*') s.remove_prefix(1);
  return IsDNS1123Label(s);
}

std::string CheckPort(int64_t port) {
  if (port < 1 || port > 65535) return fmt::format("port number {} must be in the range 1..65535", port);
  return "";
}

std::string CheckFQDN(std::string_view s) {
  if (auto e = CheckDNS1123Preconditions(s); !e.empty()) return e;
  return ValidateDNS1123Labels(s);
}

std::string CheckWildcardDomain(std::string_view s) {
  if (auto e = CheckDNS1123Preconditions(s); !e.empty()) return e;
  auto dot = s.find('.');
  std::string_view first = s.substr(0, dot);
  if (!IsWildcardDNS1123Label(first))
    return fmt::format("domain name {} invalid (label {} invalid)", GoQuote(s), GoQuote(first));
  if (dot != std::string_view::npos) return ValidateDNS1123Labels(s.substr(dot + 1));
  return "";
}

std::string CheckWildcardDomainGw(std::string_view s, bool sni) {
  if (sni && s.substr(0, 9) == "outbound_") {
    auto parts = core::Split(s, '_');
    if (parts.size() < 4)
      return fmt::format("domain name {} invalid, should follow 'outbound_.<PORT>_._.<HOSTNAME>' format", s);
    if (parts[0] != "outbound")
      return fmt::format("domain name {} invalid (label {} invalid)", GoQuote(s), GoQuote(parts[0]));
    auto trim_dots = [](std::string_view v) {
      while (!v.empty() && v.front() == '.') v.remove_prefix(1);
      while (!v.empty() && v.back() == '.') v.remove_suffix(1);
      return std::string(v);
    };
    std::string port = trim_dots(parts[1]);
    if (std::none_of(port.begin(), port.end(), IsDigit))
      return fmt::format(
          "domain name {} invalid (label {} invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format",
          GoQuote(s), GoQuote(port));
    std::string host = trim_dots(parts[3]);
    if (std::none_of(host.begin(), host.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      return fmt::format(
          "domain name {} invalid (label {} invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format",
          GoQuote(s), GoQuote(host));
    return "";
  }
  return CheckWildcardDomain(s);
}

std::string CheckPartialWildcard(std::string_view s) {
  if (s.find('*') != std::string_view::npos && s.size() != 1 && s.substr(0, 2) != "*.")
    return fmt::format("partial wildcard {} not allowed", GoQuote(s));
  return "";
}

namespace {

bool ParseIPv4(std::string_view s) {
  auto parts = core::Split(s, '.');
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 3) return false;
    if (p.size() > 1 && p[0] == '0') return false;
    for (char c : p)
      if (!IsDigit(c)) return false;
    if (std::stoi(p) > 255) return false;
  }
  return true;
}

bool ParseIPv6(std::string_view s, bool allow_zone) {
  auto pct = s.find('%');
  if (pct != std::string_view::npos) {
    if (!allow_zone || pct + 1 == s.size()) return false;
    s = s.substr(0, pct);
  }
  if (s.find(':') == std::string_view::npos) return false;
  unsigned char buf[16];
  std::string tmp(s);
  return inet_pton(AF_INET6, tmp.c_str(), buf) == 1;
}

}  // namespace

bool IsIP(std::string_view s) { return ParseIPv4(s) || ParseIPv6(s, true); }

std::string CheckIP(std::string_view s) {
  if (IsIP(s)) return "";
  return fmt::format("{} is not a valid IP", s);
}

std::string CheckSubnet(std::string_view s) {
  if (std::count(s.begin(), s.end(), '/') == 1) {
    auto slash = s.find('/');
    std::string_view addr = s.substr(0, slash), bits = s.substr(slash + 1);
    bool v4 = ParseIPv4(addr);
    bool v6 = !v4 && ParseIPv6(addr, false);
    bool ok = (v4 || v6) && !bits.empty() && bits.size() <= 3 &&
              std::all_of(bits.begin(), bits.end(), IsDigit) && !(bits.size() > 1 && bits[0] == '0');
    if (ok) {
      int b = std::stoi(std::string(bits));
      ok = b <= (v4 ? 32 : 128);
    }
    if (!ok) return fmt::format("{} is not a valid CIDR block", GoQuote(s));
    return "";
  }
  return CheckIP(s);
}

std::string CheckDuration(int64_t ns) {
  if (ns < 1'000'000) return "duration must be greater than 1ms";
  if (ns % 1'000'000 != 0) return "only durations to ms precision are supported";
  return "";
}

std::string CheckPortName(std::string_view s) {
  if (!IsDNS1123Label(s)) return fmt::format("invalid port name: {}", s);
  return "";
}

std::string CheckProtocol(std::string_view s) {
  if (s.empty()) return "";
  if (model::ParseProtocol(s) == model::Protocol::kUnsupported) return fmt::format("unsupported protocol: {}", s);
  return "";
}

std::string CheckUnixAddress(std::string_view path) {
  if (path.empty()) return "unix address must not be empty";
  if (path[0] == '@') return "";
  if (path[0] != '/' || path.back() == '/') return fmt::format("{} is not an absolute path to a file", path);
  return "";
}

bool HostMatches(std::string_view a, std::string_view b) {
  bool aw = !a.empty() && a[0] == '*';
  bool bw = !b.empty() && b[0] == '*';
  if (aw) {
    if (bw) {
      // both wildcards: the longer suffix must end with the shorter one
      return a.size() > b.size() ? a.substr(a.size() - (b.size() - 1)) == b.substr(1)
                                 : b.substr(b.size() - (a.size() - 1)) == a.substr(1);
    }
    return b.size() >= a.size() - 1 && b.substr(b.size() - (a.size() - 1)) == a.substr(1);
  }
  if (bw) return a.size() >= b.size() - 1 && a.substr(a.size() - (b.size() - 1)) == b.substr(1);
  return a == b;
}

std::vector<std::pair<size_t, size_t>> MatchingHostPairs(const std::vector<std::string>& hosts, size_t limit) {
  // HostMatches(a, b) holds when a == b, or one of them is a wildcard
  // `*SUFFIX` and the other (as written) ends with SUFFIX.
  std::unordered_map<std::string_view, std::vector<size_t>> exact;
  std::unordered_map<std::string_view, std::vector<size_t>> by_suffix;  // wildcard suffix -> hosts
  std::set<size_t> suffix_lengths;
  for (size_t i = 0; i < hosts.size(); ++i) {
    std::string_view h = hosts[i];
    exact[h].push_back(i);
    if (!h.empty() && h[0] == '*') {
      by_suffix[h.substr(1)].push_back(i);
      suffix_lengths.insert(h.size() - 1);
    }
  }
  std::vector<std::pair<size_t, size_t>> pairs;
  auto add = [&](size_t a, size_t b) {
    if (a != b) pairs.emplace_back(std::min(a, b), std::max(a, b));
  };
  for (const auto& [h, idx] : exact)
    for (size_t x = 1; x < idx.size() && pairs.size() <= 4 * limit; ++x)
      for (size_t y = 0; y < x && pairs.size() <= 4 * limit; ++y) add(idx[y], idx[x]);
  for (size_t j = 0; j < hosts.size() && pairs.size() <= 4 * limit; ++j) {
    std::string_view h = hosts[j];
    for (size_t len : suffix_lengths) {
      if (len > h.size()) break;
      auto it = by_suffix.find(h.substr(h.size() - len));
      if (it == by_suffix.end()) continue;
      for (size_t i : it->second) {
        add(i, j);
        if (pairs.size() > 4 * limit) break;
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (pairs.size() > limit) pairs.resize(limit);
  return pairs;
}

bool HostSubsetOf(std::string_view a, std::string_view b) {
  bool aw = !a.empty() && a[0] == '*';
  bool bw = !b.empty() && b[0] == '*';
  if (bw) {
    std::string_view suffix = b.substr(1);
    if (aw) return a.size() >= b.size() && a.substr(a.size() - suffix.size()) == suffix;
    return a.size() >= suffix.size() && a.substr(a.size() - suffix.size()) == suffix;
  }
  if (aw) return false;
  return a == b;
}

// ---------------------------------------------------------------------------
// labels and selectors

namespace {

// ((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])
bool IsQualifiedName(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool IsDNS1123Subdomainish(std::string_view s) {
  for (const auto& l : core::Split(s, '.'))
    if (!IsDNS1123Label(l)) return false;
  return true;
}

}  // namespace

std::vector<std::string> LabelErrors(const Node* labels) {
  std::vector<std::string> errs;
  if (!labels || !labels->IsMap()) return errs;
  for (size_t i = 0; i < labels->size(); ++i) {
    std::string k = labels->KeyAt(i).ToScalarString();
    std::string v = labels->ValueAt(i).IsScalar() ? labels->ValueAt(i).text() : std::string();
    auto slash = k.find('/');
    std::string_view name = k, prefix;
    bool ok = true;
    if (slash != std::string::npos) {
      prefix = std::string_view(k).substr(0, slash);
      name = std::string_view(k).substr(slash + 1);
      ok = !prefix.empty() && IsDNS1123Subdomainish(prefix);
    }
    ok = ok && IsQualifiedName(name);
    if (!ok) errs.push_back(fmt::format("invalid tag key: {}", GoQuote(k)));
    else if (prefix.size() > 253) errs.push_back(fmt::format("invalid tag key: {} (DNS prefix is too long)", GoQuote(k)));
    else if (name.size() > 63) errs.push_back(fmt::format("invalid tag key: {} (name is too long)", GoQuote(k)));
    if (!v.empty() && !IsQualifiedName(v)) errs.push_back(fmt::format("invalid tag value: {}", GoQuote(v)));
  }
  return errs;
}

void CheckLabels(const Node* labels, const std::string& path, Findings& out) {
  for (auto& e : LabelErrors(labels)) out.Error(path, std::move(e));
}

namespace {

// Returns true when an error was reported.
bool SelectorEntryErrors(const Node* labels, const std::string& path, Findings& out) {
  bool any = false;
  if (!labels || !labels->IsMap()) return false;
  for (size_t i = 0; i < labels->size(); ++i) {
    std::string k = labels->KeyAt(i).ToScalarString();
    std::string v = labels->ValueAt(i).IsScalar() ? labels->ValueAt(i).text() : std::string();
    std::string kv = k + "=" + v;
    if (k.empty()) {
      out.Error(Key(path, k), fmt::format("empty key is not supported in selector: {}", GoQuote(kv)));
      any = true;
    }
    if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
      out.Error(Key(path, k), fmt::format("wildcard is not supported in selector: {}", GoQuote(kv)));
      any = true;
    }
  }
  return any;
}

}  // namespace

void CheckSelector(const Node* sel, const std::string& path, Findings& out) {
  if (!sel) return;
  const Node* labels = Get(sel, "matchLabels");
  SelectorEntryErrors(labels, Path(path, "matchLabels"), out);
  if (!labels || labels->size() == 0) out.Warning(path, "workload selector specified without labels");
}

bool CheckAlphaSelector(const Node* sel, const std::string& path, Findings& out,
                        std::string_view no_labels_warning) {
  if (!sel) return true;
  const Node* labels = Get(sel, "labels");
  if (SelectorEntryErrors(labels, Path(path, "labels"), out)) return false;
  if (!labels || labels->size() == 0) out.Warning(path, std::string(no_labels_warning));
  return true;
}

void CheckOneSelector(const Node* spec, Findings& out) {
  int n = (Has(spec, "selector") ? 1 : 0) + (Has(spec, "targetRef") ? 1 : 0) + (Len(spec, "targetRefs") ? 1 : 0);
  if (n > 1) out.Error("spec", "only one of targetRefs or workloadSelector can be set");
}

namespace {

void CheckOneTargetRef(const Node* ref, const std::string& path, Findings& out) {
  if (Str(ref, "name").empty()) out.Error(path, "targetRef name must be set");
  if (!Str(ref, "namespace").empty())
    out.Error(Path(path, "namespace"), "targetRef namespace must not be set; cross namespace referencing is not supported");
  // Istio compares the canonical group ("" is "core") but prints it as written.
  std::string written_group = Str(ref, "group");
  std::string kind = Str(ref, "kind");
  std::string group = written_group.empty() ? "core" : written_group;
  bool ok = (group == "core" && kind == "Service") || (group == "networking.istio.io" && kind == "ServiceEntry") ||
            (group == "gateway.networking.k8s.io" && (kind == "Gateway" || kind == "GatewayClass"));
  if (!ok)
    out.Error(path, fmt::format("targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
                                "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] "
                                "but was {}/{}",
                                written_group, kind));
}

}  // namespace

void CheckTargetRefs(const Node* spec, Findings& out) {
  if (const Node* r = Get(spec, "targetRef")) CheckOneTargetRef(r, "spec.targetRef", out);
  if (const Node* rs = Get(spec, "targetRefs"); rs && rs->IsSeq())
    for (size_t i = 0; i < rs->size(); ++i) CheckOneTargetRef(&rs->at(i), Idx("spec.targetRefs", i), out);
}

void CheckExportTo(std::string_view ns, const Node* export_to, bool is_service_entry, bool dr_with_selector,
                   const std::string& path, Findings& out) {
  if (!export_to || !export_to->IsSeq() || export_to->size() == 0) return;
  std::set<std::string> seen;
  size_t errors_before = out.size();
  bool had_error = false;
  for (size_t i = 0; i < export_to->size(); ++i) {
    std::string e = export_to->at(i).IsScalar() ? export_to->at(i).text() : std::string();
    std::string key = e == "." ? std::string(ns) : e;
    std::string p = Idx(path, i);
    if (seen.count(key)) {
      had_error = true;
      if (key != e)
        out.Error(p, fmt::format("duplicate entries in exportTo: . and current namespace {}", ns));
      else
        out.Error(p, fmt::format("duplicate entries in exportTo for entry {}", e));
      continue;
    }
    if (is_service_entry && e == "~") {
      seen.insert(key);
      continue;
    }
    if (key == "~") {
      had_error = true;
      out.Error(p, "exportTo ~ (none) is not allowed for Istio configuration objects");
    } else if (key != "." && key != "*" && !IsDNS1123Label(key)) {
      had_error = true;
      out.Error(p, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
    } else {
      seen.insert(key);
    }
  }
  (void)errors_before;
  if (dr_with_selector && !had_error) {
    if (seen.size() > 1)
      out.Error(path, "destination rule with workload selector cannot have multiple entries in exportTo");
    else if (!seen.count(std::string(ns)))
      out.Error(path, "destination rule with workload selector cannot have exportTo beyond current namespace");
  }
  if (seen.count("*") && seen.size() > 1)
    out.Error(path, "cannot have both public (*) and non-public exportTo values for a resource");
  if (seen.count("~") && seen.size() > 1) out.Error(path, "cannot export service entry to no one (~) and someone");
}

// ---------------------------------------------------------------------------
// HTTP names and values

namespace {

bool IsTokenChar(char c) {
  return IsAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

bool IsJwtClaimHeader(std::string_view n) {
  constexpr std::string_view kPrefix = "@request.auth.claims";
  if (n.size() < kPrefix.size() || !core::EqualsIgnoreCase(n.substr(0, kPrefix.size()), kPrefix)) return false;
  std::string_view rest = n.substr(kPrefix.size());
  if (rest.empty()) return false;
  if (rest[0] == '.') {
    rest.remove_prefix(1);
    for (const auto& part : core::Split(rest, '.'))
      if (part.empty()) return false;
    return true;
  }
  if (rest[0] == '[') {
    while (!rest.empty()) {
      if (rest[0] != '[') return false;
      auto close = rest.find(']');
      if (close == std::string_view::npos || close == 1) return false;
      rest.remove_prefix(close + 1);
    }
    return true;
  }
  return false;
}

}  // namespace

std::string CheckMatchHeaderName(std::string_view n) {
  if (n.empty()) return "header name cannot be empty";
  if (IsJwtClaimHeader(n)) return "";
  if (n == ":method" || n == ":scheme" || n == ":authority" || n == ":path" || n == ":status") return "";
  if (!IsToken(n)) return fmt::format("header name {} is not a valid header name", n);
  return "";
}

std::string CheckHeaderWithAuthorityName(std::string_view n) {
  if (n.empty()) return "header name cannot be empty";
  bool is_host = core::EqualsIgnoreCase(n, "host");
  if ((n[0] == ':' || is_host) && !(n == ":authority" || is_host))
    return fmt::format("invalid header {}: header cannot have \":\" prefix", GoQuote(n));
  return "";
}

std::string CheckHeaderOperationName(std::string_view n) {
  if (n.empty()) return "header name cannot be empty";
  if (core::EqualsIgnoreCase(n, "host")) return fmt::format("invalid header {}: cannot set Host header", GoQuote(n));
  if (n[0] == ':') return fmt::format("invalid header {}: header cannot have \":\" prefix", GoQuote(n));
  return "";
}

std::string CheckCorsHeaderName(std::string_view n) {
  if (n.empty()) return "header name cannot be empty";
  if (n == "*") return "";
  if (!IsToken(n)) return fmt::format("header name {} is not a valid header name", n);
  return "";
}

bool IsStrictHeaderName(std::string_view n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) { return IsAlnum(c) || c == '-' || c == '_'; });
}

std::string CheckHeaderValue(std::string_view v) {
  for (char c : v) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u <= 0x08) || (u >= 0x0A && u <= 0x1F) || u == 0x7F)
      return fmt::format("header value configuration {} is invalid", v);
  }
  const std::string kPrefix = fmt::format("header value configuration {} is invalid: invalid header configuration. ", v);
  auto is_ws = [](char c) { return c == ' ' || c == '\t'; };
  size_t i = 0;
  while (i < v.size()) {
    if (v[i] != '%') {
      ++i;
      continue;
    }
    if (i + 1 < v.size() && v[i + 1] == '%') {
      i += 2;
      continue;
    }
    if (i + 1 >= v.size()) return kPrefix + "Un-escaped %";
    // a variable: %NAME% or %NAME(args)% or %NAME(["a","b"])%
    size_t j = i + 1;
    while (j < v.size() && v[j] != '%' && v[j] != '(') ++j;
    if (j >= v.size()) return kPrefix + fmt::format("Un-terminated variable expression '{}'", v.substr(i + 1));
    if (v[j] == '%') {
      i = j + 1;
      continue;
    }
    // '(' : JSON array arguments when followed by '[', else plain text up to ")%"
    size_t k = j + 1;
    if (k < v.size() && v[k] == '[') {
      ++k;
      enum { kExpectString, kInString, kExpectDelim, kExpectParen, kExpectPct, kDone } st = kExpectString;
      for (; k < v.size() && st != kDone; ++k) {
        char c = v[k];
        switch (st) {
          case kExpectString:
            if (is_ws(c)) break;
            if (c != '"') return kPrefix + fmt::format("Expecting '\"', but found '{}'", c);
            st = kInString;
            break;
          case kInString:
            if (c == '\\') {
              if (k + 1 >= v.size()) return kPrefix + "Un-terminated backslash in JSON string";
              ++k;
            } else if (c == '"') {
              st = kExpectDelim;
            }
            break;
          case kExpectDelim:
            if (is_ws(c)) break;
            if (c == ',') st = kExpectString;
            else if (c == ']') st = kExpectParen;
            else return kPrefix + fmt::format("Expecting ',', ']', or whitespace after '{}', but found '{}'",
                                              v.substr(i, k - i), c);
            break;
          case kExpectParen:
            if (is_ws(c)) break;
            if (c != ')')
              return kPrefix + fmt::format("Expecting ')' or whitespace after '{}', but found '{}'",
                                           v.substr(i, k - i), c);
            st = kExpectPct;
            break;
          case kExpectPct:
            if (is_ws(c)) break;
            if (c != '%')
              return kPrefix + fmt::format("Expecting '%' or whitespace after '{}', but found '{}'",
                                           v.substr(i, k - i), c);
            st = kDone;
            break;
          case kDone:
            break;
        }
      }
      if (st != kDone) return kPrefix + fmt::format("Un-terminated variable expression '{}'", v.substr(i + 1));
      i = k;
      continue;
    }
    auto close = v.find(")%", k);
    if (close == std::string_view::npos)
      return kPrefix + fmt::format("Un-terminated variable expression '{}'", v.substr(i + 1));
    i = close + 2;
  }
  return "";
}

std::string CheckRegex(std::string_view re, std::string_view where) {
  if (re.empty()) return fmt::format("{}: regex string match should not be empty", GoQuote(where));
  if (re.size() > 1024) return fmt::format("{}: regex is too large, max length allowed is 1024", GoQuote(where));
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 compiled(re2::StringPiece(re.data(), re.size()), opts);
  if (!compiled.ok())
    return fmt::format(
        "{}: error parsing regexp: {}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)",
        GoQuote(where), compiled.error());
  return "";
}

void CheckStringMatch(const Node* m, std::string_view where, const std::string& path, Findings& out) {
  if (!m) return;
  if (const Node* p = Get(m, "prefix"); p && p->text().empty())
    out.Error(Path(path, "prefix"), fmt::format("{}: prefix string match should not be empty", GoQuote(where)));
  if (const Node* r = Get(m, "regex"))
    if (auto e = CheckRegex(r->text(), where); !e.empty()) out.Error(Path(path, "regex"), e);
}

bool IsKnownHttpStatus(int64_t c) {
  static const std::set<int64_t> kCodes = {100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
                                           300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405,
                                           406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
                                           422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504,
                                           505, 506, 507, 508, 510, 511};
  return kCodes.count(c) > 0;
}

// ---------------------------------------------------------------------------
// traffic policy pieces

std::string CheckSubsetName(std::string_view name) {
  if (name.empty()) return "subset name cannot be empty";
  if (!IsDNS1123Label(name)) return fmt::format("subset name is invalid: {}", name);
  return "";
}

void CheckDestination(const Node* d, const std::string& path, Findings& out) {
  if (!d) return;
  std::string host = Str(d, "host");
  if (host == "*") {
    out.Error(Path(path, "host"), "invalid destination host *");
  } else if (auto e = CheckWildcardDomain(host); !e.empty()) {
    out.Error(Path(path, "host"), e);
  }
  if (std::string s = Str(d, "subset"); !s.empty())
    if (auto e = CheckSubsetName(s); !e.empty()) out.Error(Path(path, "subset"), e);
  if (const Node* p = Get(d, "port"))
    if (auto e = CheckPort(Int(p, "number")); !e.empty()) out.Error(Path(path, "port"), e);
}

namespace {

void DurationField(const Node* m, std::string_view key, const std::string& path, Findings& out) {
  if (auto d = Dur(m, key))
    if (auto e = CheckDuration(*d); !e.empty()) out.Error(Path(path, key), e);
}

}  // namespace

void CheckConnectionPool(const Node* cp, const std::string& path, Findings& out) {
  if (!cp) return;
  const Node* http = Get(cp, "http");
  const Node* tcp = Get(cp, "tcp");
  if (!http && !tcp) {
    out.Error(path, "connection pool must have at least one field");
    return;
  }
  if (http) {
    std::string p = Path(path, "http");
    if (Int(http, "http1MaxPendingRequests") < 0)
      out.Error(Path(p, "http1MaxPendingRequests"), "http1 max pending requests must be non-negative");
    if (Int(http, "http2MaxRequests") < 0) out.Error(Path(p, "http2MaxRequests"), "http2 max requests must be non-negative");
    if (Int(http, "maxRequestsPerConnection") < 0)
      out.Error(Path(p, "maxRequestsPerConnection"), "max requests per connection must be non-negative");
    if (Int(http, "maxRetries") < 0) out.Error(Path(p, "maxRetries"), "max retries must be non-negative");
    DurationField(http, "idleTimeout", p, out);
    if (Enum(http, "h2UpgradePolicy", "DEFAULT") == "UPGRADE" && Bool(http, "useClientProtocol"))
      out.Error(Path(p, "useClientProtocol"), "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
    if (Int(http, "maxConcurrentStreams") < 0)
      out.Error(Path(p, "maxConcurrentStreams"), "max concurrent streams must be non-negative");
    if (const Node* ka = Get(http, "http2KeepAlive")) {
      std::string kp = Path(p, "http2KeepAlive");
      if (!Has(ka, "interval")) out.Error(kp, "http2 keepalive interval is required");
      else DurationField(ka, "interval", kp, out);
      if (!Has(ka, "timeout")) out.Error(kp, "http2 keepalive timeout is required");
      else DurationField(ka, "timeout", kp, out);
    }
  }
  if (tcp) {
    std::string p = Path(path, "tcp");
    if (Int(tcp, "maxConnections") < 0) out.Error(Path(p, "maxConnections"), "max connections must be non-negative");
    DurationField(tcp, "connectTimeout", p, out);
    DurationField(tcp, "maxConnectionDuration", p, out);
    if (auto d = Dur(tcp, "idleTimeout"); d && *d != 0)
      if (auto e = CheckDuration(*d); !e.empty()) out.Error(Path(p, "idleTimeout"), e);
    if (const Node* ka = Get(tcp, "tcpKeepalive")) {
      DurationField(ka, "time", Path(p, "tcpKeepalive"), out);
      DurationField(ka, "interval", Path(p, "tcpKeepalive"), out);
    }
  }
}

void CheckOutlierDetection(const Node* od, const std::string& path, Findings& out) {
  if (!od) return;
  DurationField(od, "baseEjectionTime", path, out);
  DurationField(od, "interval", path, out);
  if (Int(od, "consecutiveErrors") != 0)
    out.Warning(Path(path, "consecutiveErrors"),
                "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or "
                "consecutive5xxErrors instead");
  if (Int(od, "consecutiveLocalOriginFailures") > 0 && !Bool(od, "splitExternalLocalOriginErrors"))
    out.Error(Path(path, "consecutiveLocalOriginFailures"),
              "outlier detection consecutive local origin failures is specified, but split external local origin "
              "errors is set to false");
  for (std::string_view k : {"maxEjectionPercent", "minHealthPercent"}) {
    int64_t v = Int(od, k);
    if (v < 0 || v > 100) out.Error(Path(path, k), fmt::format("percentage {} is not in range 0..100", v));
  }
}

namespace {

bool EnvoyIsPrime(uint64_t x) {
  if (x < 4) return x > 1 || x == 1;  // Envoy treats 1, 2, 3 as prime, 0 not
  if (x % 2 == 0) return false;
  for (uint64_t i = 3; i * i <= x; i += 2)
    if (x % i == 0) return false;
  return true;
}

std::string ValidateLocalities(const std::vector<std::string>& locs) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> m;
  for (const auto& l : locs) {
    size_t stars = std::count(l.begin(), l.end(), '*');
    if (stars > 0 && (stars > 1 || l.back() != '*'))
      return fmt::format("locality {} wildcard '*' number can not exceed 1 and must be in the end", l);
    if (m.count("*")) return fmt::format("locality {} overlap with previous specified ones", l);
    std::vector<std::string> items;
    {
      std::string_view rest = l;
      for (int i = 0; i < 3; ++i) {
        auto slash = rest.find('/');
        if (i == 2 || slash == std::string_view::npos) {
          items.emplace_back(rest);
          break;
        }
        items.emplace_back(rest.substr(0, slash));
        rest.remove_prefix(slash + 1);
      }
    }
    for (const auto& it : items)
      if (it.empty()) return fmt::format("locality {} must not contain empty region/zone/subzone info", l);
    std::string overlap = fmt::format("locality {} overlap with previous specified ones", l);
    const std::string& region = items[0];
    if (items.size() == 1) {
      if (m.count(region)) return overlap;
      m[region]["*"].insert("*");
    } else if (items.size() == 2) {
      const std::string& zone = items[1];
      if (m.count(region)) {
        if (m[region].count("*") || m[region].count(zone)) return overlap;
        m[region][zone].insert("*");
      } else {
        m[region][zone].insert("*");
      }
    } else {
      const std::string &zone = items[1], &sub = items[2];
      if (m.count(region)) {
        if (m[region].count("*")) return overlap;
        if (m[region].count(zone)) {
          if (m[region][zone].count("*") || m[region][zone].count(sub)) return overlap;
        }
        m[region][zone].insert(sub);
      } else {
        m[region][zone].insert(sub);
      }
    }
  }
  return "";
}

bool IsTopologyLabel(std::string_view l) {
  return l == "topology.kubernetes.io/region" || l == "topology.kubernetes.io/zone" || l == "topology.istio.io/subzone";
}

void CheckLocality(const Node* ls, const Node* outlier, const std::string& path, Findings& out) {
  if (!ls) return;
  size_t ndist = Len(ls, "distribute"), nfail = Len(ls, "failover");
  if (ndist && nfail) {
    out.Error(path, "can not simultaneously specify 'distribute' and 'failover'");
    return;
  }
  if (nfail)
    for (const auto& l : StrList(ls, "failoverPriority"))
      if (IsTopologyLabel(l)) {
        out.Error(path, fmt::format("can not simultaneously set 'failover' and topology label '{}' in "
                                    "'failover_priority'",
                                    l));
        return;
      }
  std::vector<std::string> srcs;
  if (const Node* dist = Get(ls, "distribute")) {
    for (size_t i = 0; i < dist->size(); ++i) {
      const Node& d = dist->at(i);
      std::string dp = Idx(Path(path, "distribute"), i);
      srcs.push_back(Str(&d, "from"));
      std::vector<std::string> dests;
      int64_t total = 0;
      if (const Node* to = Get(&d, "to")) {
        for (size_t j = 0; j < to->size(); ++j) {
          dests.push_back(to->KeyAt(j).ToScalarString());
          int64_t w = to->ValueAt(j).AsInt().value_or(0);
          if (w <= 0 || w > 100) {
            out.Error(Path(dp, "to"), "locality weight must be in range [1, 100]");
            return;
          }
          total += w;
        }
      }
      if (total != 100) {
        out.Error(Path(dp, "to"), fmt::format("total locality weight {} != 100", total));
        return;
      }
      if (auto e = ValidateLocalities(dests); !e.empty()) {
        out.Error(Path(dp, "to"), e);
        return;
      }
    }
  }
  if (auto e = ValidateLocalities(srcs); !e.empty()) {
    out.Error(Path(path, "distribute"), e);
    return;
  }
  if ((nfail || Len(ls, "failoverPriority")) && !outlier)
    out.Warning(path, "outlier detection policy must be provided for failover");
  if (const Node* fo = Get(ls, "failover")) {
    for (size_t i = 0; i < fo->size(); ++i) {
      std::string from = Str(&fo->at(i), "from"), to = Str(&fo->at(i), "to");
      std::string fp = Idx(Path(path, "failover"), i);
      if (from == to) {
        out.Error(fp, "locality lb failover settings must specify different regions");
        return;
      }
      if (from.find('/') != std::string::npos || to.find('/') != std::string::npos) {
        out.Error(fp, "locality lb failover only specify region");
        return;
      }
      if (from.find('*') != std::string::npos || to.find('*') != std::string::npos) {
        out.Error(fp, "locality lb failover region should not contain '*' wildcard");
        return;
      }
    }
  }
}

void CheckZoneAware(const Node* za, const Node* outlier, const std::string& path, Findings& out) {
  if (!za) return;
  for (const auto& l : StrList(za, "failoverPriority"))
    if (IsTopologyLabel(l)) {
      out.Error(Path(path, "failoverPriority"),
                fmt::format("'failover_priority' for zone aware lb must not use topology label '{}'; region- and "
                            "zone-level routing are handled automatically",
                            l));
      return;
    }
  if ((Len(za, "failover") || Len(za, "failoverPriority")) && !outlier)
    out.Warning(path, "outlier detection policy must be provided for failover");
  if (const Node* fo = Get(za, "failover")) {
    for (size_t i = 0; i < fo->size(); ++i) {
      std::string from = Str(&fo->at(i), "from"), to = Str(&fo->at(i), "to");
      std::string fp = Idx(Path(path, "failover"), i);
      if (from == to) {
        out.Error(fp, "zone aware lb failover settings must specify different regions");
        return;
      }
      if (from.find('/') != std::string::npos || to.find('/') != std::string::npos) {
        out.Error(fp, "zone aware lb failover only specifies region; zone and subzone failover are handled automatically");
        return;
      }
      if (from.find('*') != std::string::npos || to.find('*') != std::string::npos) {
        out.Error(fp, "zone aware lb failover region should not contain '*' wildcard");
        return;
      }
    }
  }
}

}  // namespace

void CheckLoadBalancer(const Node* lb, const Node* outlier, const std::string& path, Findings& out) {
  if (!lb) return;
  if (const Node* ch = Get(lb, "consistentHash")) {
    std::string cp = Path(path, "consistentHash");
    if (const Node* cookie = Get(ch, "httpCookie")) {
      if (Str(cookie, "name").empty()) out.Error(Path(cp, "httpCookie"), "name required for HttpCookie");
      std::set<std::string> names;
      if (const Node* attrs = Get(cookie, "attributes"))
        for (size_t i = 0; i < attrs->size(); ++i) {
          std::string n = Str(&attrs->at(i), "name");
          std::string ap = Idx(Path(Path(cp, "httpCookie"), "attributes"), i);
          if (n.empty()) out.Error(ap, "cookie attribute name cannot be empty");
          else if (!names.insert(n).second) out.Error(ap, fmt::format("duplicate cookie attribute name: {}", n));
        }
    }
    if (Int(ch, "minimumRingSize") != 0) {
      out.Warning(Path(cp, "minimumRingSize"),
                  "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration "
                  "instead");
      if (Has(ch, "ringHash") || Has(ch, "maglev"))
        out.Error(cp, "only one of MinimumRingSize or Maglev/Ringhash can be specified");
    }
    if (const Node* mg = Get(ch, "maglev")) {
      const Node* ts = Get(mg, "tableSize");
      uint64_t t = ts ? static_cast<uint64_t>(ts->AsInt().value_or(0)) : 0;
      std::string mp = Path(cp, "maglev");
      if (t == 0) out.Error(mp, "tableSize must be set for maglev");
      else if (t >= 5000011) out.Error(mp, "tableSize must be less than 5000011 for maglev");
      else if (!EnvoyIsPrime(t)) out.Error(mp, "tableSize must be a prime number for maglev");
    }
  }
  const Node* ls = Get(lb, "localityLbSetting");
  const Node* za = Get(lb, "zoneAwareLbSetting");
  if (ls && za) out.Error(path, "only one of localityLbSetting and zoneAwareLbSetting can be set");
  CheckLocality(ls, outlier, Path(path, "localityLbSetting"), out);
  CheckZoneAware(za, outlier, Path(path, "zoneAwareLbSetting"), out);
  if (const Node* w = Get(lb, "warmup")) {
    std::string wp = Path(path, "warmup");
    if (!Has(w, "duration")) out.Error(wp, "duration is required");
    else DurationField(w, "duration", wp, out);
    if (Has(w, "minimumPercent") && Num(w, "minimumPercent") > 100)
      out.Error(Path(wp, "minimumPercent"), "minimumPercent value should be less than or equal to 100");
    if (Has(w, "aggression") && Num(w, "aggression") <= 0)
      out.Error(Path(wp, "aggression"), "aggression should be greater than 0");
  }
}

void CheckClientTLS(std::string_view ns, const Node* tls, const std::string& path, Findings& out) {
  if (!tls) return;
  std::string cred = Str(tls, "credentialName");
  constexpr std::string_view kCm = "configmap://";
  if (cred.rfind(kCm, 0) == 0) {
    std::string rest = cred.substr(kCm.size());
    auto parts = core::Split(rest, '/');
    std::string cm_ns, name;
    std::string err;
    if (parts.size() == 1) name = parts[0];
    else if (parts.size() == 2) cm_ns = parts[0], name = parts[1];
    else err = "invalid resource name \"" + rest + "\"";
    if (err.empty() && name.empty()) err = "invalid resource name \"" + rest + "\"";
    if (!err.empty()) {
      out.Error(Path(path, "credentialName"), "invalid configmap:// credentialName: " + err);
    } else if (!cm_ns.empty() && cm_ns != ns) {
      out.Error(Path(path, "credentialName"),
                fmt::format("invalid configmap:// credentialName: namespace must match the configuration namespace {}",
                            GoQuote(ns)));
    }
  }
  std::string mode = Enum(tls, "mode", "DISABLE");
  bool skip = Bool(tls, "insecureSkipVerify");
  bool has_ca = Has(tls, "caCertificates") && !Str(tls, "caCertificates").empty();
  bool has_cred = !cred.empty();
  bool has_san = Len(tls, "subjectAltNames") > 0;
  if (skip && mode == "SIMPLE" && (has_ca || has_cred || has_san))
    out.Error(path, "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
  if (skip && mode == "MUTUAL" && (has_ca || has_san))
    out.Error(path, "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
  if ((mode == "SIMPLE" || mode == "MUTUAL") && has_cred) {
    if (!Str(tls, "clientCertificate").empty() || has_ca || !Str(tls, "privateKey").empty() ||
        !Str(tls, "caCrl").empty()) {
      out.Error(path, "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
    }
    return;
  }
  if (mode == "MUTUAL") {
    if (Str(tls, "clientCertificate").empty()) out.Error(path, "client certificate required for mutual tls");
    if (Str(tls, "privateKey").empty()) out.Error(path, "private key required for mutual tls");
  }
}

void CheckRetry(const Node* retry, const std::string& path, Findings& out) {
  if (!retry) return;
  int64_t attempts = Int(retry, "attempts");
  if (attempts < 0) out.Error(Path(path, "attempts"), "attempts cannot be negative");
  if (attempts == 0 && (Has(retry, "perTryTimeout") || !Str(retry, "retryOn").empty() ||
                        Has(retry, "retryRemoteLocalities")))
    out.Error(path, "http retry policy configured when attempts are set to 0 (disabled)");
  DurationField(retry, "perTryTimeout", path, out);
  DurationField(retry, "backoff", path, out);
  std::string on = Str(retry, "retryOn");
  if (!on.empty()) {
    static const std::set<std::string, std::less<>> kPolicies = {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
        "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
        "unavailable"};
    for (const auto& item : core::Split(on, ',')) {
      if (kPolicies.count(item)) continue;
      bool numeric = !item.empty() && std::all_of(item.begin(), item.end(), IsDigit) && item.size() < 10;
      if (numeric && IsKnownHttpStatus(std::stoll(item))) continue;
      out.Error(Path(path, "retryOn"), fmt::format("{} is not a valid retryOn policy", GoQuote(item)));
    }
  }
}

void CheckServerTLSOptions(const Node* tls, const std::string& path, Findings& out) {
  if (!tls) return;
  std::string minv = Enum(tls, "minProtocolVersion", "TLS_AUTO");
  auto ciphers = StrList(tls, "cipherSuites");
  if ((minv == "TLSV1_0" || minv == "TLSV1_1") && ciphers.empty())
    out.Warning(path, "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer "
                      "include compatible ciphers.");
  static const std::set<std::string, std::less<>> kValid = {
      "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",   "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-PSK-CHACHA20-POLY1305",   "ECDHE-ECDSA-AES128-SHA",       "ECDHE-RSA-AES128-SHA",
      "ECDHE-PSK-AES128-CBC-SHA",      "ECDHE-ECDSA-AES256-SHA",       "ECDHE-RSA-AES256-SHA",
      "ECDHE-PSK-AES256-CBC-SHA",      "AES128-GCM-SHA256",            "AES256-GCM-SHA384",
      "AES128-SHA",                    "PSK-AES128-CBC-SHA",           "AES256-SHA",
      "PSK-AES256-CBC-SHA",            "DES-CBC3-SHA",                 "ALL"};
  std::set<std::string> invalid, dups, seen;
  for (const auto& c : ciphers) {
    if (!seen.insert(c).second) dups.insert(c);
    if (c.empty() || !IsAlnum(c[0])) continue;
    if (!kValid.count(c)) invalid.insert(c);
  }
  if (!invalid.empty())
    out.Warning(Path(path, "cipherSuites"),
                fmt::format("ignoring invalid cipher suites: [{}]", core::Join({invalid.begin(), invalid.end()}, " ")));
  if (!dups.empty())
    out.Warning(Path(path, "cipherSuites"),
                fmt::format("ignoring duplicate cipher suites: [{}]", core::Join({dups.begin(), dups.end()}, " ")));

  std::string mode = Enum(tls, "mode", "PASSTHROUGH");
  bool cert = !Str(tls, "serverCertificate").empty(), key = !Str(tls, "privateKey").empty();
  bool ca = !Str(tls, "caCertificates").empty(), crl = !Str(tls, "caCrl").empty();
  bool cred = !Str(tls, "credentialName").empty(), creds = Len(tls, "credentialNames") > 0;
  bool certs = Len(tls, "tlsCertificates") > 0;
  if (mode == "ISTIO_MUTUAL") {
    if (cert) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated server certificate");
    if (key) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated private key");
    if (ca) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated CA bundle");
    if (certs) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
    if (cred) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated credentialName");
    if (creds) out.Error(path, "ISTIO_MUTUAL TLS cannot have associated credentialNames");
    return;
  }
  if ((mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH") && (crl || cert || key || ca || certs || cred || creds))
    out.Warning(path, fmt::format("{} mode does not use certificates, they will be ignored", mode));
  int sources = ((cert && key) ? 1 : 0) + (cred ? 1 : 0) + (creds ? 1 : 0) + (certs ? 1 : 0);
  if (sources > 1)
    out.Error(path, "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates "
                    "should be specified");
  if (mode != "SIMPLE" && mode != "MUTUAL" && mode != "OPTIONAL_MUTUAL") return;
  // With a credential nothing more is checked (Istio returns here, so its
  // "CRL is not supported with credentialName" branch is not reachable).
  if (cred || creds) return;
  std::string label = mode == "SIMPLE" ? "SIMPLE" : "MUTUAL";
  if (mode != "SIMPLE" && !ca) out.Error(path, "MUTUAL TLS requires a client CA bundle");
  if (const Node* list = Get(tls, "tlsCertificates")) {
    if (list->size() > 2) out.Warning(Path(path, "tlsCertificates"), label + " TLS can support up to 2 server certificates");
    for (size_t i = 0; i < list->size(); ++i) {
      std::string cp = Idx(Path(path, "tlsCertificates"), i);
      if (Str(&list->at(i), "serverCertificate").empty()) out.Error(cp, label + " TLS requires a server certificate");
      if (Str(&list->at(i), "privateKey").empty()) out.Error(cp, label + " TLS requires a private key");
    }
  } else {
    if (!cert) out.Error(path, label + " TLS requires a server certificate");
    if (!key) out.Error(path, label + " TLS requires a private key");
  }
  if (crl && mode == "SIMPLE") out.Error(Path(path, "caCrl"), "CRL is not supported with SIMPLE TLS");
}

bool CheckTopLevelFields(const Node& root, Findings& out) {
  if (!root.IsMap()) return true;
  bool ok = true;
  for (size_t i = 0; i < root.size(); ++i) {
    std::string k = root.KeyAt(i).ToScalarString();
    if (k == "apiVersion" || k == "kind" || k == "metadata" || k == "spec" || k == "status") continue;
    Finding f;
    f.field_path = k;
    f.message = fmt::format("unknown field {}", core::GoQuote(k));
    f.mark = root.KeyAt(i).mark();
    out.Add(std::move(f));
    ok = false;
  }
  return ok;
}

}  // namespace meshctl::validate
