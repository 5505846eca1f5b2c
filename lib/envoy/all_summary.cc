// `proxy-config all -o short`: bootstrap, clusters, listeners, routes,
// secrets and EDS endpoints, a blank line between sections, optional
// "------ <SECTION> INFO ------" headers. The sections only read the dump,
// so a large one renders them on several threads into one buffer each and
// writes the buffers in order.
#include <functional>
#include <sstream>
#include <string_view>

#include "lib/core/parallel.h"
#include "lib/envoy/summaries.h"

namespace meshctl::envoy {

namespace {
constexpr size_t kMinBytesForThreads = size_t{4} << 20;
}  // namespace

core::Status PrintAllSummary(const ConfigDump& dump, const AllOptions& o, std::ostream& out) {
  struct Part {
    const char* header;
    std::function<core::Status(std::ostream&)> print;
  };
  // In print order. The listener, cluster and route tables are most of the
  // work on a real dump.
  const Part parts[] = {
      {"BOOTSTRAP", [&](std::ostream& os) { return PrintBootstrapSummary(dump, os); }},
      {"CLUSTER", [&](std::ostream& os) { return PrintClusterSummary(dump, o.cluster, true, os); }},
      {"LISTENER", [&](std::ostream& os) { return PrintListenerSummary(dump, o.listener, true, os); }},
      {"ROUTE", [&](std::ostream& os) { return PrintRouteSummary(dump, o.route, true, os); }},
      {"SECRET", [&](std::ostream& os) { return PrintSecretSummary(dump, true, o.now_unix, os); }},
      {"ENDPOINTS", [&](std::ostream& os) { return PrintEdsSummary(dump, o.endpoint, true, os); }},
  };
  constexpr size_t kParts = std::size(parts);
  // A plain /config_dump has no EndpointsConfigDump: print the rest first.
  const bool no_eds = dump.Sections(type_url::kEndpoints).empty();
  const size_t count = no_eds ? kParts - 1 : kParts;

  size_t threads = o.threads;
  if (threads == 0) threads = dump.size() >= kMinBytesForThreads ? core::DefaultThreads(kParts) : 1;
  std::ostringstream text[kParts];
  core::Status status[kParts];
  // Started largest first so the long tables do not end up last on one thread.
  static constexpr size_t kStartOrder[] = {2, 1, 3, 5, 4, 0};
  size_t order[kParts];
  size_t n = 0;
  for (size_t i : kStartOrder)
    if (i < count) order[n++] = i;
  core::RunTasks(n, threads, [&](size_t k) {
    size_t i = order[k];
    status[i] = parts[i].print(text[i]);
  });

  // What the sections printed in order, up to and including the first that
  // failed: the same output as rendering them one after the other.
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out << "\n";
    if (o.with_headers) out << "------ " << parts[i].header << " INFO ------\n\n";
    out << text[i].view();
    if (!status[i].ok()) return status[i];
  }
  if (no_eds) {
    return core::DataError(dump.source() +
                           ": endpoints not found (was include_eds=true used?): the dump has no EndpointsConfigDump; "
                           "save /config_dump?include_eds=true to see them");
  }
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
