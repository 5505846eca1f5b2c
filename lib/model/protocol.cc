#include "lib/model/protocol.h"

#include "lib/core/strings.h"

namespace meshctl::model {

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kGRPC: return "GRPC";
    case Protocol::kGRPCWeb: return "GRPC-Web";
    case Protocol::kHTTP: return "HTTP";
    case Protocol::kHTTPProxy: return "HTTP_PROXY";
    case Protocol::kHTTP2: return "HTTP2";
    case Protocol::kHTTPS: return "HTTPS";
    case Protocol::kTCP: return "TCP";
    case Protocol::kTLS: return "TLS";
    case Protocol::kUDP: return "UDP";
    case Protocol::kMongo: return "Mongo";
    case Protocol::kRedis: return "Redis";
    case Protocol::kMySQL: return "MySQL";
    case Protocol::kUnsupported: return "UnsupportedProtocol";
  }
  return "UnsupportedProtocol";
}

Protocol ParseProtocol(std::string_view s) {
  std::string l = core::ToLower(s);
  if (l == "tcp") return Protocol::kTCP;
  if (l == "udp") return Protocol::kUDP;
  if (l == "grpc") return Protocol::kGRPC;
  if (l == "grpc-web") return Protocol::kGRPCWeb;
  if (l == "http") return Protocol::kHTTP;
  if (l == "http_proxy") return Protocol::kHTTPProxy;
  if (l == "http2") return Protocol::kHTTP2;
  if (l == "https") return Protocol::kHTTPS;
  if (l == "tls") return Protocol::kTLS;
  if (l == "mongo") return Protocol::kMongo;
  if (l == "redis") return Protocol::kRedis;
  if (l == "mysql") return Protocol::kMySQL;
  return Protocol::kUnsupported;
}

Protocol ConvertServicePortProtocol(int64_t port, std::string_view name, std::string_view l4_protocol,
                                    std::optional<std::string_view> app_protocol) {
  if (l4_protocol == "UDP") return Protocol::kUDP;
  std::string_view s = name;
  if (app_protocol) {
    s = *app_protocol;
    if (s == "kubernetes.io/h2c") return Protocol::kHTTP2;
    if (s == "kubernetes.io/ws") return Protocol::kHTTP;
    if (s == "kubernetes.io/wss") return Protocol::kHTTPS;
  }
  if (s.size() >= 8 && core::EqualsIgnoreCase(s.substr(0, 8), "grpc-web")) return Protocol::kGRPCWeb;
  if (auto dash = s.find('-'); dash != std::string_view::npos) s = s.substr(0, dash);
  Protocol p = ParseProtocol(s);
  if (p == Protocol::kUnsupported && (port == 25 || port == 53 || port == 3306 || port == 27017)) return Protocol::kTCP;
  return p;
}

bool IsHTTP(Protocol p) {
  return p == Protocol::kHTTP || p == Protocol::kHTTP2 || p == Protocol::kHTTPProxy || p == Protocol::kGRPC ||
         p == Protocol::kGRPCWeb;
}

bool IsTCP(Protocol p) {
  return p == Protocol::kTCP || p == Protocol::kHTTPS || p == Protocol::kTLS || p == Protocol::kMongo ||
         p == Protocol::kRedis || p == Protocol::kMySQL;
}

}  // namespace meshctl::model
