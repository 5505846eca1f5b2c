// Field descriptors of istio.telemetry.v1alpha1: Telemetry,
// written from the public API reference in the schema language described in
// schemas_networking.cc. Enum values are listed with their numbers because
// jsonpb accepts either.
#include "lib/validate/schema_sources.h"

namespace meshctl::validate {

extern const std::string_view kTelemetrySchema = R"(
package istio.telemetry.v1alpha1
message Telemetry
  selector istio.type.v1beta1.WorkloadSelector
  target_ref istio.type.v1beta1.PolicyTargetReference
  target_refs []istio.type.v1beta1.PolicyTargetReference
  tracing []Tracing
  metrics []Metrics
  access_logging []AccessLogging
message Tracing
  match Tracing.TracingSelector
  providers []ProviderRef
  random_sampling_percentage DoubleValue
  disable_span_reporting BoolValue
  custom_tags map<string,Tracing.CustomTag>
  use_request_id_for_trace_sampling BoolValue
  enable_istio_tags BoolValue
  disable_context_propagation BoolValue
message Tracing.TracingSelector
  mode WorkloadMode
message Tracing.CustomTag
  literal Tracing.Literal
  environment Tracing.Environment
  header Tracing.RequestHeader
  formatter Tracing.Formatter
message Tracing.Literal
  value string
message Tracing.Environment
  name string
  default_value string
message Tracing.RequestHeader
  name string
  default_value string
message Tracing.Formatter
  value string
message ProviderRef
  name string
message Metrics
  providers []ProviderRef
  overrides []MetricsOverrides
  reporting_interval Duration
message MetricSelector
  metric MetricSelector.IstioMetric
  custom_metric string
  mode WorkloadMode
message MetricsOverrides
  match MetricSelector
  disabled BoolValue
  tag_overrides map<string,MetricsOverrides.TagOverride>
message MetricsOverrides.TagOverride
  operation MetricsOverrides.TagOverride.Operation
  value string
message AccessLogging
  match AccessLogging.LogSelector
  providers []ProviderRef
  disabled BoolValue
  filter AccessLogging.Filter
message AccessLogging.LogSelector
  mode WorkloadMode
message AccessLogging.Filter
  expression string
enum WorkloadMode CLIENT_AND_SERVER=0 CLIENT=1 SERVER=2
enum MetricSelector.IstioMetric ALL_METRICS=0 REQUEST_COUNT=1 REQUEST_DURATION=2 REQUEST_SIZE=3 RESPONSE_SIZE=4 TCP_OPENED_CONNECTIONS=5 TCP_CLOSED_CONNECTIONS=6 TCP_SENT_BYTES=7 TCP_RECEIVED_BYTES=8 GRPC_REQUEST_MESSAGES=9 GRPC_RESPONSE_MESSAGES=10
enum MetricsOverrides.TagOverride.Operation UPSERT=0 REMOVE=1
)";

}  // namespace meshctl::validate
