#include "lib/validate/schema_sources.h"

#include <vector>

#include "lib/validate/schema.h"

namespace meshctl::validate {

const std::vector<std::string_view>& SchemaSources() {
  // One row per schema text; order does not matter (names are resolved after
  // all are parsed).
  static const std::vector<std::string_view> kSources = {
      kTypeSchema,
      kNetworkingSchema,
      kSecuritySchema,
      kTelemetrySchema,
      kExtensionsSchema,
      kEnvoyFilterSchema,
  };
  return kSources;
}

}  // namespace meshctl::validate
