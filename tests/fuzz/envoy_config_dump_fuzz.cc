// The simdjson config-dump views and every proxy-config summary (lib/envoy):
// the input is an Envoy /config_dump (or a /clusters?format=json reply for
// the endpoint view). Parsing either fails with a DataError naming the
// source, or every summary and every structured selection runs to the end.
#include <sstream>

#include "lib/envoy/summaries.h"
#include "tests/fuzz/fuzz_target.h"

using namespace meshctl;
using namespace meshctl::envoy;

namespace {

void Run(const ConfigDump& dump, bool verbose, bool prefixed) {
  std::ostringstream out;
  ClusterFilter cf;
  ListenerFilter lf;
  lf.verbose = verbose;
  RouteFilter rf;
  rf.verbose = verbose;
  EndpointFilter ef;
  (void)PrintClusterSummary(dump, cf, prefixed, out);
  (void)PrintListenerSummary(dump, lf, prefixed, out);
  (void)PrintRouteSummary(dump, rf, prefixed, out);
  (void)PrintEdsSummary(dump, ef, prefixed, out);
  (void)PrintSecretSummary(dump, prefixed, 1'700'000'000, out);
  (void)PrintBootstrapSummary(dump, out);
  (void)PrintEcdsSummary(dump, out);
  AllOptions all;
  all.listener.verbose = verbose;
  all.route.verbose = verbose;
  all.with_headers = prefixed;
  all.now_unix = 1'700'000'000;
  (void)PrintAllSummary(dump, all, out);
  if (!verbose) return;
  (void)SelectClusters(dump, cf);
  (void)SelectListeners(dump, lf);
  (void)SelectRoutes(dump, rf);
  (void)SelectEds(dump, ef);
  (void)SelectSecrets(dump);
  (void)SelectBootstrap(dump);
  (void)SelectEcds(dump);
  // A filter that matches something, so the filtered paths run too.
  ClusterFilter some{"svc", 80, "v1", "outbound"};
  (void)PrintClusterSummary(dump, some, prefixed, out);
  ListenerFilter lsome{"0.0.0.0", 15006, "HTTP", true};
  (void)PrintListenerSummary(dump, lsome, prefixed, out);
}

}  // namespace

MESHCTL_FUZZ_TARGET(envoy_config_dump) {
  auto dump = ConfigDump::Parse(data, "fuzz.json");
  if (!dump.ok()) {
    MESHCTL_FUZZ_CHECK(dump.status().message().rfind("fuzz.json", 0) == 0,
                       "error does not name the source: " + dump.status().message());
  } else {
    Run(*dump, true, false);
    Run(*dump, false, true);
  }
  auto doc = JsonDocument::Parse(data, "clusters.json");
  if (!doc.ok()) return;
  std::ostringstream out;
  EndpointFilter ef;
  (void)PrintEndpointSummary((*doc)->root(), ef, out);
  (void)SelectClusterEndpoints((*doc)->root(), ef);
  EndpointFilter some{"10.0.0.1:80", 80, "outbound|80||svc", "HEALTHY"};
  (void)PrintEndpointSummary((*doc)->root(), some, out);
  (void)(*doc)->root().Minified();
}
