// Field descriptors of EnvoyFilter (istio.networking.v1alpha3) and ProxyConfig
// (istio.networking.v1beta1),
// written from the public API reference in the schema language described in
// schemas_networking.cc. Enum values are listed with their numbers because
// jsonpb accepts either.
#include "lib/validate/schema_sources.h"

namespace meshctl::validate {

extern const std::string_view kEnvoyFilterSchema = R"(
package istio.networking.v1alpha3
message EnvoyFilter
  workload_selector WorkloadSelector
  target_refs []istio.type.v1beta1.PolicyTargetReference
  config_patches []EnvoyFilter.EnvoyConfigObjectPatch
  priority int32
message EnvoyFilter.EnvoyConfigObjectPatch
  apply_to EnvoyFilter.ApplyTo
  match EnvoyFilter.EnvoyConfigObjectMatch
  patch EnvoyFilter.Patch
message EnvoyFilter.EnvoyConfigObjectMatch
  context EnvoyFilter.PatchContext
  proxy EnvoyFilter.ProxyMatch
  listener EnvoyFilter.ListenerMatch
  route_configuration EnvoyFilter.RouteConfigurationMatch
  cluster EnvoyFilter.ClusterMatch
  waypoint EnvoyFilter.WaypointMatch
message EnvoyFilter.ProxyMatch
  proxy_version string
  metadata map<string,string>
message EnvoyFilter.ListenerMatch
  port_number uint32
  port_name string
  filter_chain EnvoyFilter.ListenerMatch.FilterChainMatch
  listener_filter string
  name string
message EnvoyFilter.ListenerMatch.FilterChainMatch
  name string
  sni string
  transport_protocol string
  application_protocols string
  transport_socket string
  filter EnvoyFilter.ListenerMatch.FilterMatch
  destination_port uint32
message EnvoyFilter.ListenerMatch.FilterMatch
  name string
  sub_filter EnvoyFilter.ListenerMatch.SubFilterMatch
message EnvoyFilter.ListenerMatch.SubFilterMatch
  name string
message EnvoyFilter.RouteConfigurationMatch
  port_number uint32
  port_name string
  gateway string
  vhost EnvoyFilter.RouteConfigurationMatch.VirtualHostMatch
  name string
message EnvoyFilter.RouteConfigurationMatch.VirtualHostMatch
  name string
  domain_name string
  route EnvoyFilter.RouteConfigurationMatch.RouteMatch
message EnvoyFilter.RouteConfigurationMatch.RouteMatch
  name string
  action EnvoyFilter.RouteConfigurationMatch.RouteMatch.Action
message EnvoyFilter.ClusterMatch
  port_number uint32
  service string
  subset string
  name string
message EnvoyFilter.WaypointMatch
  filter EnvoyFilter.WaypointMatch.FilterMatch
  route EnvoyFilter.WaypointMatch.RouteMatch
  port_number uint32
message EnvoyFilter.WaypointMatch.FilterMatch
  name string
  sub_filter EnvoyFilter.WaypointMatch.SubFilterMatch
message EnvoyFilter.WaypointMatch.SubFilterMatch
  name string
message EnvoyFilter.WaypointMatch.RouteMatch
  name string
message EnvoyFilter.Patch
  operation EnvoyFilter.Patch.Operation
  value Struct
  filter_class EnvoyFilter.Patch.FilterClass
enum EnvoyFilter.ApplyTo INVALID=0 LISTENER=1 FILTER_CHAIN=2 NETWORK_FILTER=3 HTTP_FILTER=4 ROUTE_CONFIGURATION=5 VIRTUAL_HOST=6 HTTP_ROUTE=7 CLUSTER=8 EXTENSION_CONFIG=9 BOOTSTRAP=10 LISTENER_FILTER=11
enum EnvoyFilter.PatchContext ANY=0 SIDECAR_INBOUND=1 SIDECAR_OUTBOUND=2 GATEWAY=3 WAYPOINT=4
enum EnvoyFilter.Patch.Operation INVALID=0 MERGE=1 ADD=2 REMOVE=3 INSERT_BEFORE=4 INSERT_AFTER=5 INSERT_FIRST=6 REPLACE=7 MERGE_AND_REPLACE_LIST=8
enum EnvoyFilter.Patch.FilterClass UNSPECIFIED=0 AUTHN=1 AUTHZ=2 STATS=3
enum EnvoyFilter.RouteConfigurationMatch.RouteMatch.Action ANY=0 ROUTE=1 REDIRECT=2 DIRECT_RESPONSE=3
package istio.networking.v1beta1
message ProxyConfig
  selector istio.type.v1beta1.WorkloadSelector
  concurrency Int32Value
  environment_variables map<string,string>
  image ProxyImage
message ProxyImage
  image_type string
)";

}  // namespace meshctl::validate
