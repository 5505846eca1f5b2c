// Field descriptors of the istio.networking.v1alpha3 messages (VirtualService,
// DestinationRule, Gateway, ServiceEntry, Sidecar, WorkloadEntry,
// WorkloadGroup) and of istio.type.v1beta1, written from the public API
// reference.
//
// Schema language (parsed by lib/validate/schema.cc, one statement a line,
// `#` starts a comment):
//   package <proto package>                 applies to the following lines
//   message <Name>[.<Nested>]               starts a message
//     <proto_field_name> <type>             one field of that message
//   enum <Name>[.<Nested>] A=0 B=1 ...      an enum with its values
// <type> is a scalar (string bool int32 int64 uint32 uint64 double float
// bytes), a well-known type (Duration Struct Value ListValue Any Empty
// Timestamp, wrappers StringValue BoolValue Int32Value UInt32Value
// Int64Value UInt64Value DoubleValue FloatValue), or a message/enum name
// resolved like protobuf does (innermost scope first, then fully qualified);
// prefix `[]` for repeated, or write `map<keytype,valuetype>`.
// The JSON name is derived from the proto name (protoc's lowerCamelCase).
#include "lib/validate/schema_sources.h"

namespace meshctl::validate {

extern const std::string_view kTypeSchema = R"(
package istio.type.v1beta1
message WorkloadSelector
  match_labels map<string,string>
message PortSelector
  number uint32
message PolicyTargetReference
  group string
  kind string
  name string
  namespace string
)";

extern const std::string_view kNetworkingSchema = R"(
package istio.networking.v1alpha3

# ---- VirtualService
message VirtualService
  hosts []string
  gateways []string
  http []HTTPRoute
  tls []TLSRoute
  tcp []TCPRoute
  export_to []string
message Destination
  host string
  subset string
  port PortSelector
message PortSelector
  number uint32
message HTTPRoute
  name string
  match []HTTPMatchRequest
  route []HTTPRouteDestination
  redirect HTTPRedirect
  direct_response HTTPDirectResponse
  delegate Delegate
  rewrite HTTPRewrite
  timeout Duration
  retries HTTPRetry
  fault HTTPFaultInjection
  mirror Destination
  mirrors []HTTPMirrorPolicy
  mirror_percent UInt32Value
  mirror_percentage Percent
  cors_policy CorsPolicy
  headers Headers
message Delegate
  name string
  namespace string
message Headers
  request Headers.HeaderOperations
  response Headers.HeaderOperations
message Headers.HeaderOperations
  set map<string,string>
  add map<string,string>
  remove []string
message TLSRoute
  match []TLSMatchAttributes
  route []RouteDestination
message TCPRoute
  match []L4MatchAttributes
  route []RouteDestination
message HTTPMatchRequest
  name string
  uri StringMatch
  scheme StringMatch
  method StringMatch
  authority StringMatch
  headers map<string,StringMatch>
  port uint32
  source_labels map<string,string>
  gateways []string
  query_params map<string,StringMatch>
  ignore_uri_case bool
  without_headers map<string,StringMatch>
  source_namespace string
  stat_prefix string
message HTTPRouteDestination
  destination Destination
  weight int32
  headers Headers
message RouteDestination
  destination Destination
  weight int32
message L4MatchAttributes
  destination_subnets []string
  port uint32
  source_subnet string
  source_labels map<string,string>
  gateways []string
  source_namespace string
message TLSMatchAttributes
  sni_hosts []string
  destination_subnets []string
  port uint32
  source_labels map<string,string>
  gateways []string
  source_namespace string
message HTTPRedirect
  uri string
  prefix_rewrite string
  authority string
  port uint32
  derive_port HTTPRedirect.RedirectPortSelection
  scheme string
  redirect_code uint32
enum HTTPRedirect.RedirectPortSelection FROM_PROTOCOL_DEFAULT=0 FROM_REQUEST_PORT=1
message HTTPDirectResponse
  status uint32
  body HTTPBody
message HTTPBody
  string string
  bytes bytes
message HTTPRewrite
  uri string
  authority string
  uri_regex_rewrite RegexRewrite
message RegexRewrite
  match string
  rewrite string
message StringMatch
  exact string
  prefix string
  regex string
message HTTPRetry
  attempts int32
  per_try_timeout Duration
  retry_on string
  retry_remote_localities BoolValue
  retry_ignore_previous_hosts BoolValue
  backoff Duration
message CorsPolicy
  allow_origin []string
  allow_origins []StringMatch
  allow_methods []string
  allow_headers []string
  expose_headers []string
  max_age Duration
  allow_credentials BoolValue
  unmatched_preflights CorsPolicy.UnmatchedPreflights
enum CorsPolicy.UnmatchedPreflights UNSPECIFIED=0 FORWARD=1 IGNORE=2
message HTTPFaultInjection
  delay HTTPFaultInjection.Delay
  abort HTTPFaultInjection.Abort
message HTTPFaultInjection.Delay
  percent int32
  fixed_delay Duration
  exponential_delay Duration
  percentage Percent
message HTTPFaultInjection.Abort
  http_status int32
  grpc_status string
  http2_error string
  percentage Percent
message HTTPMirrorPolicy
  destination Destination
  percentage Percent
message Percent
  value double

# ---- DestinationRule
message DestinationRule
  host string
  traffic_policy TrafficPolicy
  subsets []Subset
  export_to []string
  workload_selector istio.type.v1beta1.WorkloadSelector
message TrafficPolicy
  load_balancer LoadBalancerSettings
  connection_pool ConnectionPoolSettings
  outlier_detection OutlierDetection
  tls ClientTLSSettings
  port_level_settings []TrafficPolicy.PortTrafficPolicy
  tunnel TrafficPolicy.TunnelSettings
  proxy_protocol TrafficPolicy.ProxyProtocol
  retry_budget TrafficPolicy.RetryBudget
message TrafficPolicy.PortTrafficPolicy
  port PortSelector
  load_balancer LoadBalancerSettings
  connection_pool ConnectionPoolSettings
  outlier_detection OutlierDetection
  tls ClientTLSSettings
message TrafficPolicy.TunnelSettings
  protocol string
  target_host string
  target_port uint32
message TrafficPolicy.ProxyProtocol
  version TrafficPolicy.ProxyProtocol.VERSION
enum TrafficPolicy.ProxyProtocol.VERSION V1=0 V2=1
message TrafficPolicy.RetryBudget
  percent Percent
  min_retry_concurrency uint32
message Subset
  name string
  labels map<string,string>
  traffic_policy TrafficPolicy
message LoadBalancerSettings
  simple LoadBalancerSettings.SimpleLB
  consistent_hash LoadBalancerSettings.ConsistentHashLB
  locality_lb_setting LocalityLoadBalancerSetting
  zone_aware_lb_setting ZoneAwareLoadBalancerSetting
  warmup_duration_secs Duration
  warmup WarmupConfiguration
enum LoadBalancerSettings.SimpleLB UNSPECIFIED=0 LEAST_CONN=1 RANDOM=2 PASSTHROUGH=3 ROUND_ROBIN=4 LEAST_REQUEST=5
message LoadBalancerSettings.ConsistentHashLB
  http_header_name string
  http_cookie LoadBalancerSettings.ConsistentHashLB.HTTPCookie
  use_source_ip bool
  http_query_parameter_name string
  ring_hash LoadBalancerSettings.ConsistentHashLB.RingHash
  maglev LoadBalancerSettings.ConsistentHashLB.MagLev
  minimum_ring_size uint64
message LoadBalancerSettings.ConsistentHashLB.HTTPCookie
  name string
  path string
  ttl Duration
  attributes []LoadBalancerSettings.ConsistentHashLB.HTTPCookie.Attribute
message LoadBalancerSettings.ConsistentHashLB.HTTPCookie.Attribute
  name string
  value string
message LoadBalancerSettings.ConsistentHashLB.RingHash
  minimum_ring_size uint64
message LoadBalancerSettings.ConsistentHashLB.MagLev
  table_size uint64
message WarmupConfiguration
  duration Duration
  minimum_percent DoubleValue
  aggression DoubleValue
message ConnectionPoolSettings
  tcp ConnectionPoolSettings.TCPSettings
  http ConnectionPoolSettings.HTTPSettings
message ConnectionPoolSettings.TCPSettings
  max_connections int32
  connect_timeout Duration
  tcp_keepalive ConnectionPoolSettings.TCPSettings.TcpKeepalive
  max_connection_duration Duration
  idle_timeout Duration
message ConnectionPoolSettings.TCPSettings.TcpKeepalive
  probes uint32
  time Duration
  interval Duration
message ConnectionPoolSettings.HTTPSettings
  http1_max_pending_requests int32
  http2_max_requests int32
  max_requests_per_connection int32
  max_retries int32
  idle_timeout Duration
  h2_upgrade_policy ConnectionPoolSettings.HTTPSettings.H2UpgradePolicy
  use_client_protocol bool
  max_concurrent_streams int32
  http2_keep_alive ConnectionPoolSettings.HTTPSettings.HTTP2KeepAlive
enum ConnectionPoolSettings.HTTPSettings.H2UpgradePolicy DEFAULT=0 DO_NOT_UPGRADE=1 UPGRADE=2
message ConnectionPoolSettings.HTTPSettings.HTTP2KeepAlive
  interval Duration
  timeout Duration
message OutlierDetection
  split_external_local_origin_errors bool
  consecutive_local_origin_failures UInt32Value
  consecutive_gateway_errors UInt32Value
  consecutive_5xx_errors UInt32Value
  interval Duration
  base_ejection_time Duration
  max_ejection_percent int32
  min_health_percent int32
  consecutive_errors int32
message ClientTLSSettings
  mode ClientTLSSettings.TLSmode
  client_certificate string
  private_key string
  ca_certificates string
  credential_name string
  subject_alt_names []string
  sni string
  insecure_skip_verify BoolValue
  ca_crl string
enum ClientTLSSettings.TLSmode DISABLE=0 SIMPLE=1 MUTUAL=2 ISTIO_MUTUAL=3
message LocalityLoadBalancerSetting
  distribute []LocalityLoadBalancerSetting.Distribute
  failover []LocalityLoadBalancerSetting.Failover
  failover_priority []string
  enabled BoolValue
message LocalityLoadBalancerSetting.Distribute
  from string
  to map<string,uint32>
message LocalityLoadBalancerSetting.Failover
  from string
  to string
message ZoneAwareLoadBalancerSetting
  enabled BoolValue
  failover []LocalityLoadBalancerSetting.Failover
  failover_priority []string

# ---- Gateway
message Gateway
  servers []Server
  selector map<string,string>
message Server
  port Port
  bind string
  hosts []string
  tls ServerTLSSettings
  default_endpoint string
  name string
message Port
  number uint32
  protocol string
  name string
  target_port uint32
message ServerTLSSettings
  https_redirect bool
  mode ServerTLSSettings.TLSmode
  server_certificate string
  private_key string
  ca_certificates string
  ca_crl string
  credential_name string
  credential_names []string
  tls_certificates []ServerTLSSettings.TLSCertificate
  subject_alt_names []string
  verify_certificate_spki []string
  verify_certificate_hash []string
  min_protocol_version ServerTLSSettings.TLSProtocol
  max_protocol_version ServerTLSSettings.TLSProtocol
  cipher_suites []string
enum ServerTLSSettings.TLSmode PASSTHROUGH=0 SIMPLE=1 MUTUAL=2 AUTO_PASSTHROUGH=3 ISTIO_MUTUAL=4 OPTIONAL_MUTUAL=5
enum ServerTLSSettings.TLSProtocol TLS_AUTO=0 TLSV1_0=1 TLSV1_1=2 TLSV1_2=3 TLSV1_3=4
message ServerTLSSettings.TLSCertificate
  server_certificate string
  private_key string
  ca_certificates string

# ---- ServiceEntry, WorkloadEntry, WorkloadGroup
message ServiceEntry
  hosts []string
  addresses []string
  ports []ServicePort
  location ServiceEntry.Location
  resolution ServiceEntry.Resolution
  endpoints []WorkloadEntry
  workload_selector WorkloadSelector
  export_to []string
  subject_alt_names []string
enum ServiceEntry.Location MESH_EXTERNAL=0 MESH_INTERNAL=1
enum ServiceEntry.Resolution NONE=0 STATIC=1 DNS=2 DNS_ROUND_ROBIN=3 DYNAMIC_DNS=4
message ServicePort
  number uint32
  protocol string
  name string
  target_port uint32
message WorkloadSelector
  labels map<string,string>
message WorkloadEntry
  address string
  ports map<string,uint32>
  labels map<string,string>
  network string
  locality string
  weight uint32
  service_account string
message WorkloadGroup
  metadata WorkloadGroup.ObjectMeta
  template WorkloadEntry
  probe ReadinessProbe
message WorkloadGroup.ObjectMeta
  labels map<string,string>
  annotations map<string,string>
message ReadinessProbe
  initial_delay_seconds int32
  timeout_seconds int32
  period_seconds int32
  success_threshold int32
  failure_threshold int32
  http_get HTTPHealthCheckConfig
  tcp_socket TCPHealthCheckConfig
  exec ExecHealthCheckConfig
  grpc GrpcHealthCheckConfig
message HTTPHealthCheckConfig
  path string
  port uint32
  host string
  scheme string
  http_headers []HTTPHeader
message HTTPHeader
  name string
  value string
message TCPHealthCheckConfig
  host string
  port uint32
message ExecHealthCheckConfig
  command []string
message GrpcHealthCheckConfig
  port uint32
  service string

# ---- Sidecar
message Sidecar
  workload_selector WorkloadSelector
  ingress []IstioIngressListener
  egress []IstioEgressListener
  inbound_connection_pool ConnectionPoolSettings
  outbound_traffic_policy OutboundTrafficPolicy
message IstioIngressListener
  port SidecarPort
  bind string
  capture_mode CaptureMode
  default_endpoint string
  tls ServerTLSSettings
  connection_pool ConnectionPoolSettings
message IstioEgressListener
  port SidecarPort
  bind string
  capture_mode CaptureMode
  hosts []string
message SidecarPort
  number uint32
  protocol string
  name string
  target_port uint32
enum CaptureMode DEFAULT=0 IPTABLES=1 NONE=2
message OutboundTrafficPolicy
  mode OutboundTrafficPolicy.Mode
  egress_proxy Destination
enum OutboundTrafficPolicy.Mode REGISTRY_ONLY=0 ALLOW_ANY=1
)";

}  // namespace meshctl::validate
