// The `meshctl ztunnel-config` views of a ZtunnelDump: istioctl's tables
// (ambient.md §1.5, byte for byte through envoy::TabWriter), an `-o wide`
// form with a few more columns, and the records behind -o json/yaml.
//
// -o json/yaml give the dump's own objects, filtered and sorted as istioctl
// sorts them. With `istioctl_compat` they are rebuilt the way istioctl
// re-marshals its Go structs instead (lossy: unknown fields dropped, absent
// lists as null, cidrVips as "network/cidr" strings), so scripts written
// against istioctl's output keep working.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "lib/ambient/ztunnel_dump.h"

namespace meshctl::ambient {

// ANDed, ASCII case-insensitive; empty fields match everything.
struct WorkloadFilter {
  std::string address;  // one of workloadIps
  std::string node;     // --workload-node
  std::string ns;       // --workload-namespace
  std::string name;     // the workload a positional argument names
};

struct ConnectionsFilter {
  std::string ns;         // exact
  std::string direction;  // "", "inbound" or "outbound"
  std::string workload;   // name, or name.namespace when ns is empty
  bool raw = false;       // keep IPs instead of service/workload names
};

void PrintWorkloads(const ZtunnelDump& d, const WorkloadFilter& f, bool wide, std::ostream& out);
void PrintServices(const ZtunnelDump& d, const std::string& ns, bool wide, std::ostream& out);
void PrintPolicies(const ZtunnelDump& d, const std::string& ns, bool wide, std::ostream& out);
// `now` (seconds since the epoch) decides VALID CERT.
void PrintCertificates(const ZtunnelDump& d, int64_t now, std::ostream& out);
void PrintConnections(const ZtunnelDump& d, ConnectionsFilter f, std::ostream& out);
// Every table, each after a blank line (and a "------ X INFO ------"
// header with `with_headers`); no filters.
void PrintAll(const ZtunnelDump& d, bool with_headers, int64_t now, std::ostream& out);

nlohmann::ordered_json SelectWorkloads(const ZtunnelDump& d, const WorkloadFilter& f, bool istioctl_compat);
nlohmann::ordered_json SelectServices(const ZtunnelDump& d, const std::string& ns, bool istioctl_compat);
nlohmann::ordered_json SelectPolicies(const ZtunnelDump& d, const std::string& ns, bool istioctl_compat);
nlohmann::ordered_json SelectCertificates(const ZtunnelDump& d, bool istioctl_compat);
nlohmann::ordered_json SelectConnections(const ZtunnelDump& d, ConnectionsFilter f, bool istioctl_compat);

// Go's big.Int "%x" of a decimal string ("<nil>" when it is not one).
std::string DecimalToHex(std::string_view decimal);
// An RFC 3339 time ("2033-03-22T13:04:57Z", offsets and fractions allowed)
// as seconds since the epoch; false when it does not parse.
bool ParseRfc3339(std::string_view text, int64_t& seconds);

}  // namespace meshctl::ambient
