// `proxy-config all -o short`: bootstrap, clusters, listeners, routes,
// secrets and EDS endpoints, a blank line between sections, optional
// "------ <SECTION> INFO ------" headers.
#include <functional>
#include <string_view>

#include "lib/envoy/summaries.h"

namespace meshctl::envoy {

core::Status PrintAllSummary(const ConfigDump& dump, const AllOptions& o, std::ostream& out) {
  struct Part {
    const char* header;
    std::function<core::Status()> print;
  };
  const Part parts[] = {
      {"BOOTSTRAP", [&] { return PrintBootstrapSummary(dump, out); }},
      {"CLUSTER", [&] { return PrintClusterSummary(dump, o.cluster, true, out); }},
      {"LISTENER", [&] { return PrintListenerSummary(dump, o.listener, true, out); }},
      {"ROUTE", [&] { return PrintRouteSummary(dump, o.route, true, out); }},
      {"SECRET", [&] { return PrintSecretSummary(dump, true, o.now_unix, out); }},
      {"ENDPOINTS", [&] { return PrintEdsSummary(dump, o.endpoint, true, out); }},
  };
  // A plain /config_dump has no EndpointsConfigDump: print the rest first.
  const bool no_eds = dump.Sections(type_url::kEndpoints).empty();
  bool first = true;
  for (const auto& p : parts) {
    if (no_eds && std::string_view(p.header) == "ENDPOINTS") continue;
    if (!first) out << "\n";
    first = false;
    if (o.with_headers) out << "------ " << p.header << " INFO ------\n\n";
    RETURN_IF_ERROR(p.print());
  }
  if (no_eds) {
    return core::DataError(dump.source() +
                           ": endpoints not found (was include_eds=true used?): the dump has no EndpointsConfigDump; "
                           "save /config_dump?include_eds=true to see them");
  }
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
