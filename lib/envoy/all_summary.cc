// `proxy-config all -o short`: bootstrap, clusters, listeners, routes,
// secrets and EDS endpoints, a blank line between sections, optional
// "------ <SECTION> INFO ------" headers.
#include <functional>

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
  bool first = true;
  for (const auto& p : parts) {
    if (!first) out << "\n";
    first = false;
    if (o.with_headers) out << "------ " << p.header << " INFO ------\n\n";
    RETURN_IF_ERROR(p.print());
  }
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
