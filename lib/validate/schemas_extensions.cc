// Field descriptors of istio.extensions.v1alpha1: WasmPlugin, TrafficExtension,
// written from the public API reference in the schema language described in
// schemas_networking.cc. Enum values are listed with their numbers because
// jsonpb accepts either.
#include "lib/validate/schema_sources.h"

namespace meshctl::validate {

extern const std::string_view kExtensionsSchema = R"(
package istio.extensions.v1alpha1
message WasmPlugin
  selector istio.type.v1beta1.WorkloadSelector
  target_ref istio.type.v1beta1.PolicyTargetReference
  target_refs []istio.type.v1beta1.PolicyTargetReference
  url string
  sha256 string
  image_pull_policy PullPolicy
  image_pull_secret string
  verification_key string
  plugin_config Struct
  plugin_name string
  phase PluginPhase
  priority Int32Value
  fail_strategy FailStrategy
  vm_config VmConfig
  match []WasmPlugin.TrafficSelector
  type PluginType
message WasmPlugin.TrafficSelector
  mode WorkloadMode
  ports []istio.type.v1beta1.PortSelector
message VmConfig
  env []EnvVar
message EnvVar
  name string
  value_from EnvValueSource
  value string
message TrafficExtension
  selector istio.type.v1beta1.WorkloadSelector
  target_refs []istio.type.v1beta1.PolicyTargetReference
  phase TrafficExtension.Phase
  priority Int32Value
  match []TrafficExtension.TrafficSelector
  wasm WasmConfig
  lua LuaConfig
message TrafficExtension.TrafficSelector
  mode WorkloadMode
  ports []istio.type.v1beta1.PortSelector
message WasmConfig
  url string
  sha256 string
  image_pull_policy PullPolicy
  image_pull_secret string
  verification_key string
  plugin_config Struct
  plugin_name string
  fail_strategy FailStrategy
  vm_config VmConfig
  type PluginType
message LuaConfig
  inline_code string
enum PluginPhase UNSPECIFIED_PHASE=0 AUTHN=1 AUTHZ=2 STATS=3
enum PullPolicy UNSPECIFIED_POLICY=0 IfNotPresent=1 Always=2
enum FailStrategy FAIL_CLOSE=0 FAIL_OPEN=1 FAIL_RELOAD=2
enum PluginType UNSPECIFIED_PLUGIN_TYPE=0 HTTP=1 NETWORK=2
enum EnvValueSource INLINE=0 HOST=1
enum WorkloadMode UNDEFINED=0 CLIENT=1 SERVER=2 CLIENT_AND_SERVER=3
enum TrafficExtension.Phase UNSPECIFIED=0 AUTHN=1 AUTHZ=2 STATS=3
)";

}  // namespace meshctl::validate
