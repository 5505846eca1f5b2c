#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

namespace {
const char* kHttps = "    port: {number: 443, name: https, protocol: HTTPS}\n";
}

TEST_CASE("Gateway rules with positions", "[validate]") {
  std::string https = kHttps;
  CheckRules("Gateway", {
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n", "", 0, 0},
      {"  selector: {istio: ingressgateway}\n", "gateway must have at least one server", 0, 0},
      {"  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n",
       "server config must contain at least one host", 0, 0},
      {"  servers:\n  - hosts: [reviews]\n    port: {number: 80, name: http, protocol: HTTP}\n",
       "short names (non FQDN) are not allowed", 8, 13},
      {"  servers:\n  - hosts: ['*bar.com']\n    port: {number: 80, name: http, protocol: HTTP}\n",
       "partial wildcard \"*bar.com\" not allowed", 0, 0},
      {"  servers:\n  - hosts: [ns_1/a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n",
       "invalid namespace value \"ns_1\" in gateway", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: FOO}\n",
       "invalid protocol \"FOO\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP", 9, 46},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 0, name: http, protocol: HTTP}\n",
       "port number 0 must be in the range 1..65535", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}\n",
       "targetPort has no impact on Gateways", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, protocol: HTTP}\n", "port name must be set", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https, "server must have TLS settings for HTTPS/TLS protocols", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n    tls: {mode: SIMPLE}\n",
       "server cannot have TLS settings for plain text HTTP ports", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n    tls: {httpsRedirect: true}\n",
       "", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: tcp, protocol: TCP}\n    tls: {httpsRedirect: true}\n",
       "server cannot have TLS settings for non HTTPS/TLS ports", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: p, protocol: HTTP}\n"
       "  - hosts: [b.com]\n    port: {number: 81, name: p, protocol: HTTP}\n",
       "port names in servers must be unique: duplicate name p", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: SIMPLE}\n", "SIMPLE TLS requires a server certificate", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: MUTUAL, credentialName: c}\n", "", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: MUTUAL, serverCertificate: a, privateKey: b}\n",
       "MUTUAL TLS requires a client CA bundle", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: ISTIO_MUTUAL, credentialName: c}\n",
       "ISTIO_MUTUAL TLS cannot have associated credentialName", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: PASSTHROUGH, credentialName: c}\n",
       "PASSTHROUGH mode does not use certificates, they will be ignored", 0, 0, true},
      {"  servers:\n  - hosts: [a.com]\n" + https +
           "    tls: {mode: SIMPLE, credentialName: c, credentialNames: [d]}\n",
       "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be "
       "specified", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n" + https + "    tls: {mode: SIMPLE, credentialName: c, cipherSuites: [FOO]}\n",
       "ignoring invalid cipher suites: [FOO]", 0, 0, true},
      {"  servers:\n  - hosts: [a.com]\n    bind: unix://rel\n    port: {number: 0, name: u, protocol: HTTP}\n",
       "rel is not an absolute path to a file", 0, 0},
      {"  servers:\n  - hosts: [a.com]\n    bind: 1.2.3\n    port: {number: 80, name: u, protocol: HTTP}\n",
       "1.2.3 is not a valid IP", 0, 0},
  });
}

TEST_CASE("Gateway name must be a DNS label unless it has gateway semantics", "[validate]") {
  auto run = ValidateText("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: a.b\nspec:\n"
                          "  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n");
  const auto* f = run.Find("invalid gateway name: \"a.b\"");
  REQUIRE(f);
  CHECK(f->line == 4);
  auto sem = ValidateText("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: a.b\n"
                          "  annotations: {internal.istio.io/gateway-semantics: gateway}\nspec:\n"
                          "  servers:\n  - hosts: [a.com]\n    port: {number: 80, name: http, protocol: HTTP}\n");
  CHECK(sem.valid());
}
