// `meshctl proxy-status PROXY`: what the control plane would send a proxy
// (istiod's istio.io/debug/config_dump) against the proxy's own config dump,
// for clusters, listeners and routes, with istioctl's normalisation and
// messages (spec §1.7). Header free of gRPC/protobuf types.
//
// Faithfulness: both sides are compared as Envoy-style JSON. The Envoy side
// and a saved control-plane dump (--istiod-file) are JSON already. istiod's
// xDS answer is binary protobuf; meshctl decodes it with its own schema
// subset, and a resource that carries a type or field outside that subset is
// NOT compared by content: its section says so and compares names only.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

struct DiffOptions {
  std::string proxy;                // <pod>.<ns>
  std::vector<DialOptions> xds;     // control planes, tried in order until one knows the proxy
  std::string istio_namespace = "istio-system";
  std::string istiod_dump;          // offline twin: the control plane's dump as JSON (used when xds is empty)
  std::string istiod_source;        // where istiod_dump came from, for messages
  std::string envoy_dump;           // Envoy's /config_dump JSON
  std::string envoy_source;
};

// Prints "Clusters Match" / "Clusters Don't Match" + unified diff, the same
// for Listeners and Routes. Returns a Status only for operational failures.
core::Status ProxyDiff(const DiffOptions& o, std::ostream& out);

}  // namespace meshctl::xds
