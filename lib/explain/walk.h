// The result of walking one request: numbered hops, each with a verdict,
// the object and field that decided it (with file:line:col), and the Envoy
// name it becomes; then the outcome (where the request ends, or why it
// fails). Both walks (config_walk.h, dump_walk.h) produce this; the
// renderers (render.h) print it as text or JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace meshctl::explain {

enum class Verdict { kOk, kWarn, kFail };
std::string_view VerdictName(Verdict v);  // "ok", "warn", "fail"

// The object and field that decided something, and where it is written;
// hops and `explain weights`' intended routes carry one, and both
// renderers print it the same way (render.h).
struct Citation {
  // "VirtualService bookinfo/reviews", ".spec.http[0].match[0]".
  std::string object;
  std::string field;
  std::string file;  // "" for a default, a live object or a dump
  uint32_t line = 0;
  uint32_t column = 0;

  // "file:line:col", or "" when the position is unknown.
  std::string Position() const;
  // Takes over another citation (an At() of the deciding field).
  void Cite(const Citation& other) { *this = other; }
};

struct Hop : Citation {
  int number = 0;
  std::string step;     // "O2 sidecar", "D5 virtual host", ...
  Verdict verdict = Verdict::kOk;
  std::string summary;  // one line: what was decided
  std::string envoy_kind;  // "listener", "route config", "virtual host", "route", "cluster", ...
  std::string envoy_name;
  // Further lines: every match condition checked, each weighted branch,
  // the merged policy.
  std::vector<std::string> details;
  // Which weighted destination this hop belongs to ("" for the shared part).
  std::string branch;
};

// One cluster of a traffic split and its share of the requests.
struct Split {
  std::string cluster;  // outbound|9080|v2|reviews.bookinfo.svc.cluster.local
  double share = 0;     // percent
};

// One place the request can end.
struct Destination {
  std::string cluster;  // outbound|9080|v2|reviews.bookinfo.svc.cluster.local
  std::string host;
  std::string subset;
  int64_t port = 0;
  int64_t weight = 0;   // as written (0 when only one destination)
  double share = 0;     // percent of requests, 0..100
  bool reached = true;  // false when this branch fails (NC, UH, RBAC, mTLS)
  std::string failure;  // "503 NC", "503 UH", "403 RBAC", ...
  int endpoints = 0;
  bool mtls = false;    // the client sends Istio mTLS (the config walk's O9)
};

struct Outcome {
  bool reached = false;  // every branch (or the single destination) reaches a workload
  // "routed", "404 NR", "503 NC", "503 UH", "403 RBAC", "502 BlackHole",
  // "Passthrough", "redirect", "direct response", "TCP".
  std::string result;
  std::string message;
  std::vector<Destination> destinations;
  // The hop number that decided a failure (0 when none).
  int cause_hop = 0;
};

struct Walk {
  std::string kind;  // "config" or "dump"
  std::string source;  // the files or the dump
  std::vector<Hop> hops;
  Outcome outcome;
  // The address the client dials (the service VIP), for the dump walk's
  // listener match; "" when unknown.
  std::string dest_ip;
  // The config walk's source as found in the input: "Pod", "Deployment", ...
  // (empty when --from named none or an ingress gateway the input lacks),
  // so a live dump walk can reach the same workload's proxy.
  std::string source_kind, source_name, source_ns;
  // Without such an object: the labels a pod of the source carries
  // ("istio=ingressgateway" for an ingress gateway the input lacks).
  std::string source_selector;

  Hop& Add(Hop h) {
    h.number = static_cast<int>(hops.size()) + 1;
    hops.push_back(std::move(h));
    return hops.back();
  }
  // Marks the outcome failed at the last hop.
  void Fail(std::string result, std::string message) {
    outcome.reached = false;
    outcome.result = std::move(result);
    outcome.message = std::move(message);
    outcome.cause_hop = hops.empty() ? 0 : hops.back().number;
  }
};

// Where the config walk and the dump walk disagree: "route config",
// "virtual host", "clusters", "weights", "outcome"; each line says both sides.
struct Disagreement {
  std::string what;
  std::string config;
  std::string dump;
};
std::vector<Disagreement> Compare(const Walk& config, const Walk& dump);

}  // namespace meshctl::explain
