// How meshctl reaches a gRPC xDS endpoint (istiod, or a proxy serving CSDS):
// transport security, the bearer token and the deadline, and how a failed
// call becomes a Status with what was tried and what to check.
//
// This header is free of gRPC types so commands/ can fill it in; the channel
// itself is built in dial.cc, the only place that knows about credentials.
#pragma once

#include <chrono>
#include <string>

#include "lib/core/status.h"

namespace meshctl::xds {

struct DialOptions {
  std::string address;      // HOST:PORT
  bool plaintext = false;   // no TLS at all (istiod's 15010)
  bool insecure = false;    // TLS without verifying the server certificate
  std::string cacert;       // PEM file with the CA that signed the server cert
  std::string ca_pem;       // or the CA itself (PEM text), e.g. from the istio-ca-root-cert ConfigMap
  std::string ca_source;    // where ca_pem came from, for messages
  std::string authority;    // expected server name (SAN), e.g. istiod.istio-system.svc
  std::string cert_dir;     // mTLS: cert-chain.pem, key.pem, root-cert.pem
  std::string token;        // sent as "authorization: Bearer <token>"; never printed
  // What `address` stands for in messages when it is a local port-forward:
  // "istiod pod istio-system/istiod-1 port 15012 (port-forward 127.0.0.1:4711)".
  std::string display;
  std::chrono::milliseconds timeout{30000};
};

// "plaintext", "TLS (verified against /x/ca.pem, authority a)", ... for messages.
std::string DescribeTransport(const DialOptions& d);

// d.display, else d.address.
std::string DescribeEndpoint(const DialOptions& d);

}  // namespace meshctl::xds
