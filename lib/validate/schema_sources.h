// The schema texts (see schemas_networking.cc for the language), one per
// group of proto packages. To add one: define `extern const std::string_view
// kFooSchema = R"(...)";` in lib/validate/schemas_foo.cc, declare it here and
// add it to the table in schema_sources.cc.
#pragma once

#include <string_view>

namespace meshctl::validate {

extern const std::string_view kTypeSchema;        // istio.type.v1beta1
extern const std::string_view kNetworkingSchema;  // istio.networking.v1alpha3 (traffic kinds)
extern const std::string_view kSecuritySchema;     // istio.security.v1beta1
extern const std::string_view kTelemetrySchema;    // istio.telemetry.v1alpha1
extern const std::string_view kExtensionsSchema;   // istio.extensions.v1alpha1
extern const std::string_view kEnvoyFilterSchema;  // EnvoyFilter (v1alpha3) + ProxyConfig (v1beta1)

}  // namespace meshctl::validate
