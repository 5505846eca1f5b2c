// End to end: the built meshctl against fake-istiod (tests/xds/fake_istiod.cc)
// with real gRPC C++ xDS clients (tests/xds/xds_grpc_client.cc, Debian's
// libgrpc) doing the LDS -> RDS -> CDS -> EDS walk. All on 127.0.0.1 with
// ports chosen by the kernel; readiness is polled, never slept for.
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <memory>
#include <regex>

#include "tests/support/fake_http_server.h"
#include "tests/support/test_support.h"
#include "tests/xds/processes.h"

namespace meshctl::testing {

namespace {

struct Istiod {
  std::unique_ptr<ChildProcess> proc;
  std::string addr, tls_addr;
};

Istiod StartIstiod(std::vector<std::string> flags) {
  std::vector<std::string> argv = {MESHCTL_FAKE_ISTIOD};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Istiod i;
  i.proc = std::make_unique<ChildProcess>(argv);
  i.proc->WaitFor("READY");
  i.addr = "127.0.0.1:" + i.proc->WaitFor("PORT");
  bool tls = std::find(flags.begin(), flags.end(), "--tls-cert") != flags.end();
  if (tls) i.tls_addr = "127.0.0.1:" + i.proc->WaitFor("TLS_PORT");
  return i;
}

struct Client {
  std::unique_ptr<ChildProcess> proc;
  std::string csds;
};

Client StartClient(const std::string& xds, const std::string& pod, const std::string& ns = "default") {
  Client c;
  c.proc = std::make_unique<ChildProcess>(
      std::vector<std::string>{MESHCTL_XDS_GRPC_CLIENT, "--xds-server", xds, "--pod", pod, "--namespace", ns});
  c.csds = "127.0.0.1:" + c.proc->WaitFor("CSDS_PORT");
  return c;
}

RunResult Ps(std::vector<std::string> args) {
  args.insert(args.begin(), "proxy-status");
  args.push_back("--timeout");
  args.push_back("5s");
  RunResult r = RunMeshctl(args);
  if (r.exit_code > 128 || r.exit_code < 0) {
    // A crash, not an answer: show everything meshctl printed.
    WARN("meshctl " << Catch::Detail::stringify(args) << " exited " << r.exit_code << "\nstdout:\n"
                    << r.out << "\nstderr:\n" << r.err);
  }
  return r;
}

// Polls until the verbose row of `proxy` from `args` shows `want` (a regex
// over the whole row); returns the last output.
RunResult PollRow(std::vector<std::string> args, const std::string& want) {
  RunResult last;
  std::regex re(want);
  Eventually([&] {
    last = Ps(args);
    return last.exit_code == 0 && std::regex_search(last.out, re);
  });
  INFO("last output:\n" << last.out << last.err);
  REQUIRE(std::regex_search(last.out, std::regex(want)));
  return last;
}

// Verbose cells without ages: "SYNCED (3s)" -> "SYNCED".
std::string StripAges(std::string s) { return std::regex_replace(s, std::regex(R"( \(\d+[smhdy]\))"), ""); }

// The state cells of a verbose row (CDS ECDS EDS LDS RDS), ages stripped.
std::vector<std::string> StateCells(const std::string& table, const std::string& proxy) {
  std::string text = StripAges(table);
  size_t p = text.find(proxy);
  REQUIRE(p != std::string::npos);
  std::string line = text.substr(p, text.find('\n', p) - p);
  std::vector<std::string> cells;
  std::regex cell(R"((SYNCED|NOT SENT|STALE|ERROR|IGNORED))");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), cell); it != std::sregex_iterator(); ++it)
    cells.push_back((*it)[1]);
  return cells;
}

int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A self-signed server certificate for istiod.istio-system.svc and
// 127.0.0.1, made with the openssl CLI at test time. "" when unavailable.
std::string MakeCert(const std::string& dir) {
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=istiod -keyout " + dir +
                    "/key.pem -out " + dir +
                    "/cert.pem -addext subjectAltName=DNS:istiod.istio-system.svc,IP:127.0.0.1 >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return "";
  // A client identity for mTLS, laid out as istioctl's --cert-dir expects.
  std::string client = "mkdir -p " + dir + "/client && openssl req -x509 -newkey rsa:2048 -nodes -days 1 " +
                       "-subj /CN=istioctl -addext subjectAltName=URI:spiffe://cluster.local/ns/istio-system/sa/default" +
                       " -keyout " + dir + "/client/key.pem -out " + dir + "/client/cert-chain.pem >/dev/null 2>&1 && cp " +
                       dir + "/cert.pem " + dir + "/client/root-cert.pem";
  return std::system(client.c_str()) == 0 ? dir : "";
}

const char kHeader[] = "NAME                      CLUSTER        ISTIOD       VERSION     SUBSCRIBED TYPES\n";

}  // namespace

TEST_CASE("e2e proxy-status: a real gRPC xDS client is SYNCED on every type", "[xds][e2e]") {
  Istiod istiod = StartIstiod({"--id", "istiod-1"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  std::vector<std::string> base = {"--xds-address", istiod.addr, "--plaintext"};

  auto v = base;
  v.insert(v.end(), {"-v", "1"});
  RunResult verbose = PollRow(v, R"(grpc-client-1\.default +Kubernetes +SYNCED \(\d+s\) +IGNORED +SYNCED \(\d+s\) +SYNCED \(\d+s\) +SYNCED \(\d+s\) +istiod-1 +1\.20\.0)");

  RunResult table = Ps(base);
  CHECK(table.exit_code == 0);
  CHECK(table.out == std::string(kHeader) +
                         "grpc-client-1.default     Kubernetes     istiod-1     1.20.0      4 (CDS,LDS,EDS,RDS)\n");

  RunResult json = Ps({"--xds-address", istiod.addr, "--plaintext", "-o", "json"});
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"typeUrl\": \"istio.io/debug/syncz\"") != std::string::npos);
  CHECK(json.out.find("\"@type\": \"type.googleapis.com/envoy.service.status.v3.ClientConfig\"") != std::string::npos);
  CHECK(json.out.find("\"configStatus\": \"SYNCED\"") != std::string::npos);
  RunResult yaml = Ps({"--xds-address", istiod.addr, "--plaintext", "-o", "yaml"});
  CHECK(yaml.exit_code == 0);
  CHECK(yaml.out.find("  - configStatus: SYNCED\n") != std::string::npos);
  CHECK(yaml.out.find("typeUrl: istio.io/debug/syncz\n") != std::string::npos);

  // The client's own view over standard CSDS agrees with the control plane.
  RunResult csds = PollRow({"--csds", client.csds, "--plaintext", "-v", "1"},
                           R"(grpc-client-1\.default +Kubernetes +SYNCED .*SYNCED .*SYNCED .*SYNCED)");
  CHECK(StateCells(csds.out, "grpc-client-1.default") == StateCells(verbose.out, "grpc-client-1.default"));
  RunResult csds_json = Ps({"--csds", client.csds, "--plaintext", "-o", "json"});
  CHECK(csds_json.out.find("\"clientStatus\": \"ACKED\"") != std::string::npos);
  CHECK(csds_json.out.find("\"typeUrl\": \"type.googleapis.com/envoy.config.listener.v3.Listener\"") !=
        std::string::npos);
}

TEST_CASE("e2e proxy-status: sync diff against the control plane's config_dump", "[xds][e2e]") {
  Istiod istiod = StartIstiod({"--id", "istiod-1"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  PollRow({"--xds-address", istiod.addr, "--plaintext"}, R"(4 \(CDS,LDS,EDS,RDS\))");
  std::string dir = SourceDir() + "/testdata/xds/";

  RunResult same = Ps({"grpc-client-1.default", "--xds-address", istiod.addr, "--plaintext", "--file",
                       dir + "envoy_dump_match.json"});
  INFO(same.out << same.err);
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("Clusters Match\n") == 0);
  CHECK(same.out.find("Listeners Match\n") != std::string::npos);
  CHECK(same.out.find("Routes Match (RDS last loaded at ") != std::string::npos);

  RunResult diff = Ps({"grpc-client-1", "-n", "default", "--xds-address", istiod.addr, "--plaintext", "--file",
                       dir + "envoy_dump_diff.json"});
  CHECK(diff.exit_code == 0);
  CHECK(diff.out.find("Clusters Don't Match\n--- Istiod Clusters\n+++ Envoy Clusters\n") == 0);
  CHECK(diff.out.find("-                \"name\": \"cluster-a\"") != std::string::npos);
  CHECK(diff.out.find("Listeners Match\n") != std::string::npos);
  CHECK(diff.out.find("Routes Don't Match") != std::string::npos);

  // The proxy's side from its admin endpoint (a fake Envoy admin server).
  std::string dump = ReadFileOrDie(dir + "envoy_dump_match.json");
  FakeHttpServer admin([&](const RecordedRequest&) { return FakeResponse{200, dump}; });
  RunResult live = Ps({"grpc-client-1.default", "--xds-address", istiod.addr, "--plaintext", "--admin-address",
                       admin.address()});
  CHECK(live.exit_code == 0);
  CHECK(live.out.find("Clusters Match\nListeners Match\nRoutes Match") == 0);
  REQUIRE(admin.requests().size() == 1);
  CHECK(admin.requests()[0].method == "GET");
  CHECK(admin.requests()[0].path == "/config_dump");
  std::string closed = "127.0.0.1:" + std::to_string(ClosedPort());
  RunResult no_admin = Ps({"grpc-client-1.default", "--xds-address", istiod.addr, "--plaintext", "--admin-address",
                           closed});
  CHECK(no_admin.exit_code == 69);
  CHECK(no_admin.err.find("could not contact sidecar") != std::string::npos);

  // A proxy no replica knows: both replicas are asked, then a clear error.
  Istiod other = StartIstiod({"--id", "istiod-2"});
  RunResult unknown = Ps({"nope.default", "--xds-address", other.addr, "--xds-address", istiod.addr, "--plaintext",
                          "--file", dir + "envoy_dump_match.json"});
  CHECK(unknown.exit_code == 69);
  CHECK(unknown.err.find("unable to find config dump") != std::string::npos);
  // The proxy is on the second replica: the empty answer of the first is skipped.
  RunResult second = Ps({"grpc-client-1.default", "--xds-address", other.addr, "--xds-address", istiod.addr,
                         "--plaintext", "--file", dir + "envoy_dump_match.json"});
  CHECK(second.exit_code == 0);
  CHECK(second.out.find("Clusters Match\n") == 0);
}

TEST_CASE("e2e proxy-status: a withheld type is NOT SENT on both views", "[xds][e2e]") {
  Istiod istiod = StartIstiod({"--withhold", "EDS"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  RunResult v = PollRow({"--xds-address", istiod.addr, "--plaintext", "-v", "1"},
                        R"(grpc-client-1\.default +Kubernetes +SYNCED \(\d+s\) +IGNORED +NOT SENT +SYNCED \(\d+s\) +SYNCED)");
  RunResult t = Ps({"--xds-address", istiod.addr, "--plaintext"});
  CHECK(t.out.find("4 (CDS,LDS,EDS,RDS)") != std::string::npos);  // NOT SENT still counts
  RunResult csds = PollRow({"--csds", client.csds, "--plaintext", "-v", "1"}, R"(NOT SENT)");
  CHECK(StateCells(csds.out, "grpc-client-1.default") == StateCells(v.out, "grpc-client-1.default"));
}

TEST_CASE("e2e proxy-status: an invalid cluster is really NACKed (ERROR) by the gRPC client", "[xds][e2e]") {
  Istiod istiod = StartIstiod({"--invalid-cluster"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  RunResult v = PollRow({"--xds-address", istiod.addr, "--plaintext", "-v", "1"},
                        R"(grpc-client-1\.default +Kubernetes +ERROR \(\d+s\) +IGNORED +IGNORED +SYNCED \(\d+s\) +SYNCED)");
  RunResult json = Ps({"--xds-address", istiod.addr, "--plaintext", "-o", "json"});
  CHECK(json.out.find("\"errorState\"") != std::string::npos);
  CHECK(json.out.find("unknown discovery type") != std::string::npos);
  RunResult csds = PollRow({"--csds", client.csds, "--plaintext", "-v", "1"}, R"(ERROR)");
  CHECK(StateCells(csds.out, "grpc-client-1.default") == StateCells(v.out, "grpc-client-1.default"));
  RunResult csds_json = Ps({"--csds", client.csds, "--plaintext", "-o", "json"});
  CHECK(csds_json.out.find("\"clientStatus\": \"NACKED\"") != std::string::npos);
}

TEST_CASE("e2e proxy-status: ignored ACKs show STALE; the client (which did ACK) sees SYNCED", "[xds][e2e]") {
  Istiod istiod = StartIstiod({"--ignore-acks", "LDS"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  RunResult v = PollRow({"--xds-address", istiod.addr, "--plaintext", "-v", "1"},
                        R"(grpc-client-1\.default .* STALE \(\d+s\) +SYNCED \(\d+s\) +istiod-1)");
  CHECK(StateCells(v.out, "grpc-client-1.default") ==
        std::vector<std::string>{"SYNCED", "IGNORED", "SYNCED", "STALE", "SYNCED"});
  RunResult csds = PollRow({"--csds", client.csds, "--plaintext", "-v", "1"},
                           R"(SYNCED .*SYNCED .*SYNCED .*SYNCED)");
  CHECK(StateCells(csds.out, "grpc-client-1.default") ==
        std::vector<std::string>{"SYNCED", "IGNORED", "SYNCED", "SYNCED", "SYNCED"});
}

TEST_CASE("e2e proxy-status: two namespaces, -n filter and row order", "[xds][e2e]") {
  Istiod istiod = StartIstiod({});
  Client b = StartClient(istiod.addr, "zeta", "bar");
  Client a = StartClient(istiod.addr, "alpha", "default");
  RunResult all = PollRow({"--xds-address", istiod.addr, "--plaintext"},
                          R"(alpha\.default .*4 \(CDS,LDS,EDS,RDS\)\nzeta\.bar .*4 \(CDS,LDS,EDS,RDS\)\n)");
  RunResult bar = Ps({"--xds-address", istiod.addr, "--plaintext", "-n", "bar"});
  CHECK(bar.exit_code == 0);
  CHECK(bar.out ==
        "NAME         CLUSTER        ISTIOD       VERSION     SUBSCRIBED TYPES\n"
        "zeta.bar     Kubernetes     istiod-1     1.20.0      4 (CDS,LDS,EDS,RDS)\n");
  RunResult yaml = Ps({"--xds-address", istiod.addr, "--plaintext", "-n", "default", "-o", "yaml"});
  CHECK(yaml.out.find("alpha.default") != std::string::npos);
  CHECK(yaml.out.find("zeta.bar") == std::string::npos);
}

TEST_CASE("e2e proxy-status: two control planes are merged into one table", "[xds][e2e]") {
  Istiod one = StartIstiod({"--id", "istiod-1"});
  Istiod two = StartIstiod({"--id", "istiod-2"});
  Client b = StartClient(two.addr, "bravo");
  Client a = StartClient(one.addr, "alpha");
  RunResult t = PollRow({"--xds-address", two.addr, "--xds-address", one.addr, "--plaintext"},
                        R"(alpha\.default .*4 \(.*\n.*bravo\.default .*4 \()");
  CHECK(t.out ==
        "NAME              CLUSTER        ISTIOD       VERSION     SUBSCRIBED TYPES\n"
        "alpha.default     Kubernetes     istiod-1     1.20.0      4 (CDS,LDS,EDS,RDS)\n"
        "bravo.default     Kubernetes     istiod-2     1.20.0      4 (CDS,LDS,EDS,RDS)\n");
  // JSON output is in a stable order (by istiod ID), unlike istioctl's.
  RunResult json = Ps({"--xds-address", two.addr, "--xds-address", one.addr, "--plaintext", "-o", "json"});
  CHECK(json.out.find("istiod-1") < json.out.find("istiod-2"));
  // One replica down: the other's rows are printed, the failure reported, exit 69.
  std::string down = "127.0.0.1:" + std::to_string(ClosedPort());
  RunResult partial = Ps({"--xds-address", one.addr, "--xds-address", down, "--plaintext"});
  CHECK(partial.exit_code == 69);
  CHECK(partial.out.find("alpha.default") != std::string::npos);
  CHECK(partial.err.find(down) != std::string::npos);
}

TEST_CASE("e2e proxy-status: unreachable control plane exits 69 and says what to check", "[xds][e2e]") {
  std::string down = "127.0.0.1:" + std::to_string(ClosedPort());
  RunResult r = Ps({"--xds-address", down, "--plaintext"});
  CHECK(r.exit_code == 69);
  CHECK(r.err.find("ADS request for istio.io/debug/syncz at " + down + " over plaintext failed: UNAVAILABLE") !=
        std::string::npos);
  CHECK(r.err.find("15010") != std::string::npos);
  RunResult c = Ps({"--csds", down, "--plaintext"});
  CHECK(c.exit_code == 69);
  CHECK(c.err.find("CSDS FetchClientStatus at " + down) != std::string::npos);
}

TEST_CASE("e2e proxy-status: debug auth (UNAUTHENTICATED, PERMISSION_DENIED) exits 69 with hints", "[xds][e2e]") {
  Istiod strict = StartIstiod({"--debug-auth"});
  RunResult r = Ps({"--xds-address", strict.addr, "--plaintext"});
  CHECK(r.exit_code == 69);
  CHECK(r.err.find("UNAUTHENTICATED: authentication required") != std::string::npos);
  CHECK(r.err.find("ENABLE_DEBUG_ENDPOINT_AUTH") != std::string::npos);
  CHECK(r.err.find("istio-ca") != std::string::npos);

  Istiod denied = StartIstiod({"--deny-debug"});
  RunResult d = Ps({"--xds-address", denied.addr, "--plaintext"});
  CHECK(d.exit_code == 69);
  CHECK(d.err.find("PERMISSION_DENIED: authorization failed") != std::string::npos);
  CHECK(d.err.find("DEBUG_ENDPOINT_AUTH_ALLOWED_NAMESPACES") != std::string::npos);
}

TEST_CASE("e2e proxy-status: TLS and bearer token", "[xds][e2e]") {
  std::string dir = MakeCert(MakeTempDir());
  if (dir.empty()) MESHCTL_SKIP("openssl CLI not available to make a test certificate");
  Istiod istiod = StartIstiod({"--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem", "--require-token",
                               "s3cret-token-value"});
  Client client = StartClient(istiod.addr, "grpc-client-1");
  WriteFile(dir + "/token", "s3cret-token-value\n");
  WriteFile(dir + "/wrong", "not-the-token\n");

  // Verified TLS + token (file) works.
  RunResult ok = PollRow({"--xds-address", istiod.tls_addr, "--cacert", dir + "/cert.pem", "--token-file",
                          dir + "/token"},
                         R"(grpc-client-1\.default .*4 \(CDS,LDS,EDS,RDS\))");
  CHECK(ok.exit_code == 0);
  // With an authority override (the SAN istiod's cert carries) and --insecure.
  CHECK(Ps({"--xds-address", istiod.tls_addr, "--cacert", dir + "/cert.pem", "--authority",
            "istiod.istio-system.svc", "--token", "s3cret-token-value"})
            .exit_code == 0);
  CHECK(Ps({"--xds-address", istiod.tls_addr, "--insecure", "--token-file", dir + "/token"}).exit_code == 0);

  // TLS without the CA: verification fails, exit 69 with TLS hints.
  RunResult untrusted = Ps({"--xds-address", istiod.tls_addr, "--token-file", dir + "/token"});
  CHECK(untrusted.exit_code == 69);
  CHECK(untrusted.err.find("--cacert") != std::string::npos);
  CHECK(untrusted.err.find("--insecure") != std::string::npos);

  // No token, then a wrong token: UNAUTHENTICATED, and the token is never printed.
  RunResult none = Ps({"--xds-address", istiod.tls_addr, "--cacert", dir + "/cert.pem"});
  CHECK(none.exit_code == 69);
  CHECK(none.err.find("UNAUTHENTICATED") != std::string::npos);
  RunResult wrong = Ps({"--xds-address", istiod.tls_addr, "--cacert", dir + "/cert.pem", "--token-file",
                        dir + "/wrong"});
  CHECK(wrong.exit_code == 69);
  CHECK(wrong.err.find("token was rejected") != std::string::npos);
  CHECK(wrong.err.find("not-the-token") == std::string::npos);
  CHECK(wrong.out.find("not-the-token") == std::string::npos);

  // mTLS: a verified client certificate is an identity; no token needed.
  Istiod mtls = StartIstiod({"--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem", "--client-ca",
                             dir + "/client/cert-chain.pem", "--debug-auth"});
  CHECK(Ps({"--xds-address", mtls.tls_addr, "--cert-dir", dir + "/client"}).exit_code == 0);
  RunResult anonymous = Ps({"--xds-address", mtls.tls_addr, "--cacert", dir + "/cert.pem"});
  CHECK(anonymous.exit_code == 69);
  CHECK(anonymous.err.find("UNAUTHENTICATED: authentication required") != std::string::npos);
  CHECK(Ps({"--xds-address", mtls.tls_addr, "--cert-dir", dir + "/missing"}).exit_code == 74);

  // Plaintext against the TLS port.
  RunResult plain = Ps({"--xds-address", istiod.tls_addr, "--plaintext", "--allow-insecure-token", "--token-file",
                        dir + "/token"});
  CHECK(plain.exit_code == 69);
  CHECK(plain.err.find("UNAVAILABLE") != std::string::npos);
}

}  // namespace meshctl::testing
