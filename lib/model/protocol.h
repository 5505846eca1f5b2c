// How Istio decides the protocol of a port: protocol.Parse for explicit
// protocol strings (ServiceEntry, Gateway, Sidecar) and kube.ConvertProtocol
// for Kubernetes Service ports (name prefix, appProtocol, well-known ports).
// Shared by validate (Service checks), analyze (IST0118, IST0116, MSH0003)
// and canary.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace meshctl::model {

enum class Protocol {
  kGRPC, kGRPCWeb, kHTTP, kHTTPProxy, kHTTP2, kHTTPS, kTCP, kTLS, kUDP, kMongo, kRedis, kMySQL,
  kUnsupported,  // Istio falls back to protocol sniffing / plain TCP
};

// Istio's spelling: "GRPC", "GRPC-Web", "HTTP", "HTTP_PROXY", "HTTP2", ...,
// "UnsupportedProtocol".
std::string_view ProtocolName(Protocol p);

// protocol.Parse: case-insensitive match of the whole string.
Protocol ParseProtocol(std::string_view s);

// kube.ConvertProtocol(port, name, l4Protocol, appProtocol) for a Service
// port; appProtocol is nullopt when the field is absent.
Protocol ConvertServicePortProtocol(int64_t port, std::string_view name, std::string_view l4_protocol,
                                    std::optional<std::string_view> app_protocol);

bool IsHTTP(Protocol p);   // HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-Web
bool IsTCP(Protocol p);    // TCP, HTTPS, TLS, Mongo, Redis, MySQL

}  // namespace meshctl::model
