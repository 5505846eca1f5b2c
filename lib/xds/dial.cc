// DescribeTransport lives outside the xDS module (no gRPC here), so callers
// of dial.h need not load it.
#include "lib/xds/dial.h"

namespace meshctl::xds {

std::string DescribeTransport(const DialOptions& d) {
  if (d.plaintext) return "plaintext";
  std::string s;
  if (!d.cert_dir.empty()) {
    s = "mTLS (client cert from " + d.cert_dir + ", server verified against " + d.cert_dir + "/root-cert.pem";
  } else if (d.insecure) {
    s = "TLS without server verification (--insecure";
  } else if (!d.cacert.empty()) {
    s = "TLS (server verified against " + d.cacert;
  } else if (!d.ca_pem.empty()) {
    s = "TLS (server verified against " + (d.ca_source.empty() ? std::string("the given CA") : d.ca_source);
  } else {
    s = "TLS (server verified against the system CA store";
  }
  if (!d.authority.empty()) s += ", authority " + d.authority;
  s += ")";
  if (!d.token.empty()) s += " with a bearer token";
  return s;
}

std::string DescribeEndpoint(const DialOptions& d) { return d.display.empty() ? d.address : d.display; }

}  // namespace meshctl::xds
