// Field descriptors of istio.security.v1beta1: AuthorizationPolicy, RequestAuthentication,
// PeerAuthentication,
// written from the public API reference in the schema language described in
// schemas_networking.cc. Enum values are listed with their numbers because
// jsonpb accepts either.
#include "lib/validate/schema_sources.h"

namespace meshctl::validate {

extern const std::string_view kSecuritySchema = R"(
package istio.security.v1beta1
message AuthorizationPolicy
  selector istio.type.v1beta1.WorkloadSelector
  target_ref istio.type.v1beta1.PolicyTargetReference
  target_refs []istio.type.v1beta1.PolicyTargetReference
  rules []Rule
  action AuthorizationPolicy.Action
  provider AuthorizationPolicy.ExtensionProvider
message AuthorizationPolicy.ExtensionProvider
  name string
message Rule
  from []Rule.From
  to []Rule.To
  when []Condition
message Rule.From
  source Source
message Rule.To
  operation Operation
message Source
  principals []string
  not_principals []string
  request_principals []string
  not_request_principals []string
  namespaces []string
  not_namespaces []string
  service_accounts []string
  not_service_accounts []string
  ip_blocks []string
  not_ip_blocks []string
  remote_ip_blocks []string
  not_remote_ip_blocks []string
  trust_domains []string
  not_trust_domains []string
message Operation
  hosts []string
  not_hosts []string
  ports []string
  not_ports []string
  methods []string
  not_methods []string
  paths []string
  not_paths []string
message Condition
  key string
  values []string
  not_values []string
message RequestAuthentication
  selector istio.type.v1beta1.WorkloadSelector
  target_ref istio.type.v1beta1.PolicyTargetReference
  target_refs []istio.type.v1beta1.PolicyTargetReference
  jwt_rules []JWTRule
message JWTRule
  issuer string
  audiences []string
  jwks_uri string
  jwks string
  from_headers []JWTHeader
  from_params []string
  output_payload_to_header string
  from_cookies []string
  forward_original_token bool
  output_claim_to_headers []ClaimToHeader
  timeout Duration
  space_delimited_claims []string
  presence JWTRule.Presence
message JWTHeader
  name string
  prefix string
message ClaimToHeader
  header string
  claim string
message PeerAuthentication
  selector istio.type.v1beta1.WorkloadSelector
  mtls PeerAuthentication.MutualTLS
  port_level_mtls map<uint32,PeerAuthentication.MutualTLS>
message PeerAuthentication.MutualTLS
  mode PeerAuthentication.MutualTLS.Mode
enum AuthorizationPolicy.Action ALLOW=0 DENY=1 AUDIT=2 CUSTOM=3
enum PeerAuthentication.MutualTLS.Mode UNSET=0 DISABLE=1 PERMISSIVE=2 STRICT=3
enum JWTRule.Presence OPTIONAL=0 REQUIRED=1
)";

}  // namespace meshctl::validate
