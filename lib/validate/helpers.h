// Shared pieces for the per-kind validators:
//   * accessors for the normalised spec tree (absent fields read as the
//     proto3 zero value, like the Go structs Istio validates);
//   * field-path builders;
//   * Istio's shared validators (spec §4, named H-...). Checks that yield
//     one message return it ("" = valid) so callers can wrap or prefix it as
//     Istio does; checks that may yield several append to Findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/validate/findings.h"
#include "lib/yaml/node.h"

namespace meshctl::validate {

using yaml::Node;

// ---- accessors (m may be nullptr; all return zero values when absent)
const Node* Get(const Node* m, std::string_view key);
bool Has(const Node* m, std::string_view key);
std::string Str(const Node* m, std::string_view key);
int64_t Int(const Node* m, std::string_view key);
double Num(const Node* m, std::string_view key);
bool Bool(const Node* m, std::string_view key);
// Enum value name; `dflt` (the zero value's name) when absent; an undefined
// number as its decimal text.
std::string Enum(const Node* m, std::string_view key, std::string_view dflt);
// Items of a sequence / entries of a map; 0 when absent.
size_t Len(const Node* m, std::string_view key);
// A Duration field in nanoseconds (nullopt when absent).
std::optional<int64_t> Dur(const Node* m, std::string_view key);
// String items of a sequence field.
std::vector<std::string> StrList(const Node* m, std::string_view key);
// Go's %v of a float64 (strconv 'g'-like shortest form: 101, 0.5, 1e+21).
std::string GoFloat(double v);

// ---- field paths: Path("spec", "http") = "spec.http", Idx("spec.http", 0)
// = "spec.http[0]", Key("spec.labels", "app") = "spec.labels['app']".
std::string Path(std::string_view base, std::string_view key);
std::string Idx(std::string_view base, size_t i);
std::string Key(std::string_view base, std::string_view key);

// ---- names, hosts, addresses (return "" when valid)
bool IsDNS1123Label(std::string_view s);
bool IsWildcardDNS1123Label(std::string_view s);
std::string CheckPort(int64_t port);                         // H-PORT
std::string CheckFQDN(std::string_view s);                   // H-FQDN
std::string CheckWildcardDomain(std::string_view s);         // H-WILDDOMAIN
std::string CheckWildcardDomainGw(std::string_view s, bool sni);  // H-WILDDOMAIN-GW
std::string CheckPartialWildcard(std::string_view s);        // H-PARTIALWILD
bool IsIP(std::string_view s);                               // netip.ParseAddr
std::string CheckIP(std::string_view s);                     // H-IP
std::string CheckSubnet(std::string_view s);                 // H-SUBNET
std::string CheckDuration(int64_t ns);                       // H-DURATION
std::string CheckPortName(std::string_view s);               // H-PORTNAME
std::string CheckProtocol(std::string_view s);               // H-PROTOCOL
std::string CheckUnixAddress(std::string_view path);         // unix://<path> rules (path without scheme)
// Host `a` matches `b` with Istio's wildcard semantics (host.Name.Matches).
// Every pair (i < j) of `hosts` for which HostMatches holds, in the order
// of Istio's nested loop (by i, then j), found through hash lookups of
// wildcard suffixes instead of comparing every pair (a VirtualService with
// 40k hosts was quadratic). At most `limit` pairs.
std::vector<std::pair<size_t, size_t>> MatchingHostPairs(const std::vector<std::string>& hosts,
                                                         size_t limit = 10000);
bool HostMatches(std::string_view a, std::string_view b);
// host.Name.SubsetOf: every host `a` matches is matched by `b`.
bool HostSubsetOf(std::string_view a, std::string_view b);

// ---- labels and selectors
// H-LABELS: every error of a label map, in key order.
std::vector<std::string> LabelErrors(const Node* labels);
// The top-level keys a Kubernetes object may have (apiVersion, kind,
// metadata, spec, status); every other key of a map `root` is an "unknown
// field" finding at its position. False when there was one.
bool CheckTopLevelFields(const Node& root, Findings& out);

void CheckLabels(const Node* labels, const std::string& path, Findings& out);
// H-SELECTOR for istio.type.v1beta1.WorkloadSelector at `path` (sel may be nullptr).
void CheckSelector(const Node* sel, const std::string& path, Findings& out);
// H-ALPHASELECTOR (networking WorkloadSelector{labels}): false when it
// reported errors (the caller then returns); `no_labels_warning` is the
// kind's wording of the "without labels" warning.
bool CheckAlphaSelector(const Node* sel, const std::string& path, Findings& out,
                        std::string_view no_labels_warning);
// H-ONESELECTOR over spec.selector / targetRef / targetRefs.
void CheckOneSelector(const Node* spec, Findings& out);
// H-TARGETREF for spec.targetRef and every spec.targetRefs[i].
void CheckTargetRefs(const Node* spec, Findings& out);
// H-EXPORTTO.
void CheckExportTo(std::string_view ns, const Node* export_to, bool is_service_entry, bool dr_with_selector,
                   const std::string& path, Findings& out);

// ---- HTTP names and values (return "" when valid)
std::string CheckMatchHeaderName(std::string_view n);         // match headers/withoutHeaders keys
std::string CheckHeaderWithAuthorityName(std::string_view n);  // request add/set
std::string CheckHeaderOperationName(std::string_view n);      // request remove, response add/set/remove
std::string CheckCorsHeaderName(std::string_view n);
bool IsStrictHeaderName(std::string_view n);  // ^[-_A-Za-z0-9]+$
std::string CheckHeaderValue(std::string_view v);              // H-HEADERVALUE
// H-REGEX: "" when `re` is a valid Go (RE2) regex of at most 1024 bytes.
std::string CheckRegex(std::string_view re, std::string_view where);
// H-STRINGMATCH on an istio StringMatch node.
void CheckStringMatch(const Node* m, std::string_view where, const std::string& path, Findings& out);
// Go net/http.StatusText(code) != "".
bool IsKnownHttpStatus(int64_t code);

// ---- traffic policy pieces shared by DestinationRule and Sidecar
void CheckDestination(const Node* d, const std::string& path, Findings& out);  // H-DEST
std::string CheckSubsetName(std::string_view name);                             // H-SUBSETNAME
void CheckConnectionPool(const Node* cp, const std::string& path, Findings& out);  // H-CONNPOOL
void CheckOutlierDetection(const Node* od, const std::string& path, Findings& out);  // H-OUTLIER
void CheckLoadBalancer(const Node* lb, const Node* outlier, const std::string& path, Findings& out);  // H-LB
void CheckClientTLS(std::string_view ns, const Node* tls, const std::string& path, Findings& out);  // H-CLIENTTLS
void CheckRetry(const Node* retry, const std::string& path, Findings& out);  // H-RETRY
// H-NSHOST: `ns/dnsName` hosts of Gateway servers (gateway=true; a bare
// dnsName is accepted) and Sidecar egress listeners (gateway.cc).
void CheckNamespaceSlashHost(std::string_view host, bool gateway, bool gateway_semantics, const std::string& path,
                             Findings& out);
// WorkloadEntry rules 1-7 (workloadentry.cc); `service_ports` non-null for
// ServiceEntry endpoints (names the endpoint ports must use).
void CheckWorkloadEntry(const Node* we, const std::vector<std::string>* service_ports, bool allow_fqdn,
                        const std::string& path, Findings& out);
// Gateway rules 19-28 (server TLS options), also used by Sidecar ingress.
void CheckServerTLSOptions(const Node* tls, const std::string& path, Findings& out);

}  // namespace meshctl::validate
