// A ztunnel admin /config_dump (ambient.md §1.4), read into the fields
// `meshctl ztunnel-config` prints, with each record's original JSON kept for
// -o json/yaml. Both layouts are accepted: the current one (workloads and
// services as arrays) and the legacy one (objects keyed by "network/ip").
// Top-level keys match case-insensitively, as Go's encoding/json does for
// istioctl (`workloadState` / `workloadstate`); unknown keys are ignored.
//
// A value of the wrong type (a number where a name belongs, an object where
// a list belongs) is DataError "<source>:<line>:<col>: <json path>: expected
// ..., found ..."; JSON that does not parse is DataError with its position.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/envoy/json_view.h"

namespace meshctl::ambient {

struct GatewayAddress {
  bool present = false;
  std::string destination;  // "network/ip" or "namespace/hostname"
};

struct ZWorkload {
  envoy::JsonView raw;
  std::string uid, name, ns, node, protocol, status, hostname;
  std::string service_account, trust_domain, workload_type, network, cluster_id;
  std::vector<std::string> ips;
  GatewayAddress waypoint;
};

struct ZService {
  envoy::JsonView raw;
  std::string name, ns, hostname;
  std::vector<std::string> vips;  // "network/ip"
  GatewayAddress waypoint;
  std::vector<std::string> endpoint_uids;  // workloadUid of each endpoint
  // "svcPort:targetPort" pairs in dump order (for -o wide).
  std::vector<std::string> ports;
};

struct ZPolicy {
  envoy::JsonView raw;
  std::string name, ns, action, scope;
  size_t rules = 0;
  bool dry_run = false;
};

struct ZCert {
  std::string serial, valid_from, expiration;
};

struct ZCertsDump {
  envoy::JsonView raw;
  std::string identity, state;
  std::vector<ZCert> chain, roots;
};

struct ZConnection {
  std::string src, original_dst, actual_dst, protocol;
};

struct ZWorkloadState {
  envoy::JsonView raw;
  std::string state, name, ns, trust_domain, service_account;
  std::vector<ZConnection> inbound, outbound;
};

class ZtunnelDump {
 public:
  // Parses `text`; `source` names it in errors ("dump.json", "<stdin>").
  // Empty input is DataError (istioctl: "unexpected end of JSON input").
  static core::Result<ZtunnelDump> Parse(std::string_view text, const std::string& source);

  const std::vector<ZWorkload>& workloads() const { return workloads_; }
  const std::vector<ZService>& services() const { return services_; }
  const std::vector<ZPolicy>& policies() const { return policies_; }
  const std::vector<ZCertsDump>& certificates() const { return certificates_; }
  // In dump order (istioctl sorts before printing).
  const std::vector<ZWorkloadState>& workload_states() const { return states_; }

  envoy::JsonView root() const { return doc_->root(); }
  std::string_view text() const { return doc_->text(); }
  const std::string& source() const { return doc_->source(); }

 private:
  std::shared_ptr<envoy::JsonDocument> doc_;
  std::vector<ZWorkload> workloads_;
  std::vector<ZService> services_;
  std::vector<ZPolicy> policies_;
  std::vector<ZCertsDump> certificates_;
  std::vector<ZWorkloadState> states_;
  friend class DumpReader;
};

// Member `key` of an object: the exact key, else the first one equal to it
// ignoring ASCII case (Go's rule). Absent when not an object or no match.
envoy::JsonView FieldFold(const envoy::JsonView& obj, std::string_view key);

}  // namespace meshctl::ambient
