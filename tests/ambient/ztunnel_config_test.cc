// `meshctl ztunnel-config`: every zc case of ../shared/fixtures/ambient/cases.tsv
// (istioctl's goldens over its legacy-layout dump; skipped with a message
// when ../shared is absent), the current list layout (testdata/ambient,
// goldens written by MESHCTL_UPDATE_GOLDEN=1 and reviewed), -o json|yaml|wide,
// bad dumps (exit 65 with a position) and `log` against a fake admin server.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lib/ambient/ztunnel_log.h"
#include "lib/ambient/ztunnel_summaries.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_support.h"

namespace meshctl {
namespace {

using testing::CheckGolden;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;
using testing::RunInProcess;

const std::string kList = "testdata/ambient/ztunnel/list-layout.json";

std::string Src(const std::string& rel) { return testing::SourceDir() + "/" + rel; }

// istioctl's writer testdata directory, or nullopt without ../shared.
std::optional<std::string> IstioTestdata() {
  auto shared = testing::SharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/fixtures/ambient/istio/istioctl/pkg/writer/ztunnel/configdump/testdata/";
}

#define REQUIRE_ISTIO_TESTDATA(var)                                                         \
  auto var##_opt = IstioTestdata();                                                         \
  if (!var##_opt) MESHCTL_SKIP("../shared/fixtures/ambient is absent: istioctl goldens skipped"); \
  const std::string& var = *var##_opt

// ---- cases.tsv, suite zc-writer

TEST_CASE("zc-writer prime-error: empty input is bad input", "[ambient][zc]") {
  auto r = RunInProcess({"zc", "workload", "-f", "-"}, "");
  CHECK(r.exit_code == 65);
  CHECK(r.err.find("unexpected end of JSON input") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("zc-writer prime-ok: istioctl's dump loads 27 workloads", "[ambient][zc]") {
  REQUIRE_ISTIO_TESTDATA(td);
  auto r = RunInProcess({"zc", "workload", "-f", td + "dump.json", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.size() == 27);
}

TEST_CASE("zc-writer tables are byte-identical to istioctl's goldens", "[ambient][zc]") {
  REQUIRE_ISTIO_TESTDATA(td);
  struct Case {
    const char* name;
    std::vector<std::string> args;
    std::string golden;
  };
  const std::string dump = td + "dump.json";
  std::vector<Case> cases = {
      {"secret", {"zc", "certificate", "-f", dump}, "secretsummary.txt"},
      {"workload", {"zc", "workload", "-f", dump}, "workloadsummary.txt"},
      {"filtered workload", {"zc", "workloads", "-f", dump, "--workload-namespace", "default"},
       "workloadsummary_default.txt"},
      {"filtered workload by name", {"zc", "w", "-f", dump, "productpage-v1-675fc69cf-jscn2.bookinfo"},
       "workloadsummary_workload.txt"},
      {"policies", {"zc", "policy", "-f", dump}, "policies.txt"},
      {"connections", {"zc", "connections", "-f", dump}, "connectionsummary.txt"},
      {"connections by name.namespace", {"zc", "cons", "-f", dump, "productpage-v1-796f87b58-97bjk.bookinfo"},
       "connectionsummary_workload.txt"},
      {"connections by name + namespace",
       {"zc", "connections", "-f", dump, "productpage-v1-796f87b58-97bjk", "--workload-namespace", "bookinfo"},
       "connectionsummary_workload.txt"},
      {"connections dump", {"zc", "connections", "-f", dump, "-o", "json", "--compat", "istioctl"},
       "connectionsdump.json"},
      {"all", {"zc", "all", "-f", dump}, "allsummary.txt"},
      {"all with headers", {"zc", "all", "-f", dump, "--with-headers"}, "allsummary_withheaders.txt"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto r = RunInProcess(c.args);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out == testing::ReadFileOrDie(td + c.golden));
    }
  }
}

TEST_CASE("zc-writer service dump keeps cidrVips and canonical", "[ambient][zc]") {
  // The inline dump of istioctl's TestConfigWriter_PrintServiceDumpPreservesServiceFields.
  const std::string dump = R"({
    "services": {"/10.0.0.1": {"name": "svc", "namespace": "ns", "hostname": "svc.ns.svc.cluster.local",
      "vips": ["/10.0.0.1"], "cidrVips": [{"cidr": "240.240.0.0/16"}, {"cidr": "2001:db8::/64", "network": "network1"}],
      "ports": {"80": 8080}, "endpoints": {}, "subjectAltNames": [], "canonical": true}},
    "workloads": {}, "policies": {}, "certificates": {}})";
  auto r = RunInProcess({"zc", "services", "-f", "-", "-o", "json", "--compat", "istioctl"}, dump);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["name"] == "svc");
  CHECK(j[0]["cidrVips"] == nlohmann::json::array({"/240.240.0.0/16", "network1/2001:db8::/64"}));
  CHECK(j[0]["canonical"] == true);
  CHECK(j[0]["endpoints"] == nlohmann::json::object());
  CHECK_FALSE(j[0].contains("subjectAltNames"));  // omitempty in istioctl's struct

  // Without --compat the dump's own object comes back unchanged.
  auto raw = RunInProcess({"zc", "svc", "-f", "-", "-o", "json"}, dump);
  REQUIRE(raw.exit_code == 0);
  auto rj = nlohmann::json::parse(raw.out);
  CHECK(rj[0]["cidrVips"][0]["cidr"] == "240.240.0.0/16");
  CHECK(rj[0]["subjectAltNames"] == nlohmann::json::array());
}

// ---- cases.tsv, suite zc-cli

TEST_CASE("zc-cli no args prints the group's help", "[ambient][zc]") {
  auto r = RunInProcess({"ztunnel-config"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("A group of commands used to update or retrieve Ztunnel") != std::string::npos);
}

TEST_CASE("zc-cli log levels are checked as istioctl checks them", "[ambient][zc]") {
  SECTION("bad logger namespacing") {
    auto r = RunInProcess({"zc", "log", "--admin-address", "127.0.0.1:1", "--level", "ztunnel:::pool:debug"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("unrecognized logging level: pool:debug") != std::string::npos);
  }
  SECTION("unknown global level") {
    CHECK(ambient::ValidateZtunnelLogLevel("loud").message() == "unrecognized logging level: loud");
  }
  SECTION("--level with --reset") {
    auto r = RunInProcess({"zc", "log", "--admin-address", "127.0.0.1:1", "--level", "debug", "-r"});
    CHECK(r.exit_code == 64);
  }
}

TEST_CASE("zc-cli logger ok and global level against a fake ztunnel admin", "[ambient][zc]") {
  FakeHttpServer server([](const RecordedRequest& req) {
    FakeResponse resp;
    resp.content_type = "text/plain";
    resp.body = req.method == "POST" && req.path == "/logging" ? "current log level is debug\n" : "";
    if (req.path != "/logging") resp.status = 404;
    return resp;
  });
  SECTION("logger ok: ztunnel::pool:debug is sent as ztunnel::pool=debug") {
    auto r = RunInProcess({"zc", "log", "--admin-address", server.address(), "--level", "ztunnel::pool:debug"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto reqs = server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].method == "POST");
    CHECK(reqs[0].query == "level=ztunnel%3A%3Apool%3Ddebug");
  }
  SECTION("global level") {
    auto r = RunInProcess({"zc", "log", "--admin-address", server.address(), "--level", "warning"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("current log level is debug") != std::string::npos);
    CHECK(r.out.rfind(server.address() + ":\n", 0) == 0);
    CHECK(server.requests().back().query == "level=warn");
  }
  SECTION("reset") {
    auto r = RunInProcess({"zc", "log", "--admin-address", server.address(), "--reset"});
    REQUIRE(r.exit_code == 0);
    CHECK(server.requests().back().query == "level=info&reset");
  }
}

// ---- the current (list) layout

TEST_CASE("zc tables over the current list layout", "[ambient][zc]") {
  struct Case {
    const char* name;
    std::vector<std::string> args;
    std::string golden;
  };
  std::vector<Case> cases = {
      {"workloads", {"zc", "workload", "-f", Src(kList)}, "workloads.txt"},
      {"workloads wide", {"zc", "workload", "-f", Src(kList), "-o", "wide"}, "workloads_wide.txt"},
      {"workloads by node", {"zc", "workload", "-f", Src(kList), "--workload-node", "NODE-B"}, "workloads_node_b.txt"},
      {"workloads by address", {"zc", "workload", "-f", Src(kList), "--address", "10.1.0.12"},
       "workloads_address.txt"},
      {"services", {"zc", "service", "-f", Src(kList)}, "services.txt"},
      {"services wide", {"zc", "service", "-f", Src(kList), "-o", "wide"}, "services_wide.txt"},
      {"policies", {"zc", "policy", "-f", Src(kList)}, "policies.txt"},
      {"policies by namespace", {"zc", "pol", "-f", Src(kList), "--policy-namespace", "shop", "-o", "wide"},
       "policies_shop_wide.txt"},
      {"certificates", {"zc", "certs", "-f", Src(kList)}, "certificates.txt"},
      {"connections", {"zc", "connections", "-f", Src(kList)}, "connections.txt"},
      {"connections raw outbound", {"zc", "connections", "-f", Src(kList), "--raw", "--direction", "outbound"},
       "connections_raw_outbound.txt"},
      {"all", {"zc", "all", "-f", Src(kList), "--with-headers"}, "all.txt"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto r = RunInProcess(c.args);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CheckGolden("testdata/ambient/ztunnel/" + c.golden, r.out);
    }
  }
}

TEST_CASE("zc table cells follow istioctl's rules on the list layout", "[ambient][zc]") {
  auto w = RunInProcess({"zc", "workload", "-f", Src(kList)});
  REQUIRE(w.exit_code == 0);
  // Waypoint by VIP and by namespace/hostname; a ServiceEntry shows its hostname.
  CHECK(w.out.find("cart-6d9f7c8b9-q8w7e  10.1.1.21       node-b waypoint HBONE") != std::string::npos);
  CHECK(w.out.find("external              api.example.com " + std::string(7, ' ') + "None     TCP") != std::string::npos);
  auto s = RunInProcess({"zc", "service", "-f", Src(kList)});
  CHECK(s.out.find("shop      cart         10.96.0.10  waypoint 1/2") != std::string::npos);
  auto c = RunInProcess({"zc", "certificate", "-f", Src(kList)});
  // 255 -> ff, 4096 -> 1000; rootCerts rows are Root; an Unavailable state is shortened.
  CHECK(c.out.find("Leaf     Available       true") != std::string::npos);
  CHECK(c.out.find(" ff ") != std::string::npos);
  CHECK(c.out.find(" 1000 ") != std::string::npos);
  CHECK(c.out.find("Unavailable     false") != std::string::npos);
  auto k = RunInProcess({"zc", "connections", "-f", Src(kList)});
  CHECK(k.out.find("waypoint-7f8c9d-abcde.shop:15008 cart.shop.svc.cluster.local:80 DOUBLEHBONE") != std::string::npos);
}

TEST_CASE("zc -o json and yaml over the list layout", "[ambient][zc]") {
  auto j = RunInProcess({"zc", "workload", "-f", Src(kList), "-o", "json", "--workload-node", "node-a"});
  REQUIRE(j.exit_code == 0);
  auto wl = nlohmann::json::parse(j.out);
  REQUIRE(wl.size() == 2);
  CHECK(wl[0]["networkMode"] == "Standard");  // the dump's own object, in dump order
  CHECK(wl[0]["name"] == "cart-6d9f7c8b9-x2x4z");
  auto compat = RunInProcess({"zc", "workload", "-f", Src(kList), "-o", "json", "--compat", "istioctl"});
  auto cw = nlohmann::json::parse(compat.out);
  CHECK_FALSE(cw[0].contains("networkMode"));  // istioctl's struct drops it
  CHECK(cw[0]["locality"] == nlohmann::json::object());
  CHECK(cw[0]["waypoint"] == nlohmann::json{{"destination", "shop/waypoint.shop.svc.cluster.local"}});
  auto y = RunInProcess({"zc", "policy", "-f", Src(kList), "-o", "yaml"});
  REQUIRE(y.exit_code == 0);
  // Keys sorted, as istioctl's JSON-to-YAML writes them.
  CHECK(y.out.rfind("- action: Deny\n  dryRun: true\n  name: deny-all\n", 0) == 0);
  auto all = RunInProcess({"zc", "all", "-f", Src(kList), "-o", "json"});
  CHECK(all.out == testing::ReadFileOrDie(Src(kList)) + "\n");
  auto pol = RunInProcess({"zc", "policy", "-f", Src(kList), "-o", "json", "--compat", "istioctl"});
  auto pj = nlohmann::json::parse(pol.out);
  CHECK(pj[0]["name"] == "deny-all");  // sorted by namespace, name
  CHECK(pj[1]["rules"][0][0][0]["principals"][1] == nlohmann::json{{"Presence", nlohmann::json::array()}});
  CHECK_FALSE(pj[1].contains("dryRun"));
}

TEST_CASE("zc reads a dump from stdin", "[ambient][zc]") {
  auto r = RunInProcess({"zc", "policies", "-f", "-"}, testing::ReadFileOrDie(Src(kList)));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("istio-system deny-all") != std::string::npos);
}

TEST_CASE("zc matches workloadState case-insensitively", "[ambient][zc]") {
  const std::string dump = R"({"workloadstate": {"u": {"state": "Up", "info": {"name": "a", "namespace": "n"},
    "connections": {"inbound": [{"src": "1.1.1.1:1", "originalDst": null, "actualDst": "2.2.2.2:80", "protocol": "TCP"}]}}}})";
  auto r = RunInProcess({"zc", "connections", "-f", "-"}, dump);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("a.n      Inbound   2.2.2.2:80 1.1.1.1:1") != std::string::npos);
}

// ztunnel's examples/localhost.yaml (its static local config, the current
// list layout) converted to JSON, as the spec's tests ask.
nlohmann::json YamlToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : n) a.push_back(YamlToJson(x));
    return a;
  }
  if (n.IsNull()) return nullptr;
  const std::string& t = n.Scalar();
  if (n.Tag() == "!") return t;  // quoted
  if (t == "true" || t == "false") return t == "true";
  if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos) return std::stoll(t);
  return t;
}

TEST_CASE("zc over ztunnel's examples/localhost.yaml (list layout)", "[ambient][zc]") {
  auto shared = testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared/fixtures/ambient is absent: ztunnel example skipped");
  YAML::Node y = YAML::LoadFile(*shared + "/fixtures/ambient/ztunnel/examples/localhost.yaml");
  std::string dump = YamlToJson(y).dump(2);
  auto w = RunInProcess({"zc", "workloads", "-f", "-"}, dump);
  REQUIRE(w.exit_code == 0);
  CHECK(w.out ==
        "NAMESPACE POD NAME  ADDRESS   NODE  WAYPOINT PROTOCOL\n"
        "default   local     127.0.0.1 local None     HBONE\n"
        "default   local-tcp 127.0.0.2 local None     TCP\n");
  auto s = RunInProcess({"zc", "services", "-f", "-"}, dump);
  REQUIRE(s.exit_code == 0);
  CHECK(s.out ==
        "NAMESPACE SERVICE NAME SERVICE VIP WAYPOINT ENDPOINTS\n"
        "default   local        127.10.0.1  None     0/0\n"
        "default   remote       127.10.0.2  None     0/0\n");
  auto p = RunInProcess({"zc", "policies", "-f", "-", "-o", "wide"}, dump);
  REQUIRE(p.exit_code == 0);
  CHECK(p.out ==
        "NAMESPACE POLICY NAME ACTION SCOPE     RULES DRY RUN\n"
        "default   deny-9999   Allow  Namespace 1     false\n");
}

// ---- bad input

TEST_CASE("zc rejects bad dumps with exit 65 and the position", "[ambient][zc]") {
  SECTION("truncated") {
    auto r = RunInProcess({"zc", "workload", "-f", "-"}, "{\n  \"workloads\": [\n    {\"name\": \"a\"");
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("<stdin>:") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("a number where a name belongs") {
    auto r = RunInProcess({"zc", "workload", "-f", "-"}, "{\n  \"workloads\": [\n    {\"name\": 7}\n  ]\n}\n");
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("<stdin>:3:14: workloads[0].name: expected a string, found a number") != std::string::npos);
  }
  SECTION("legacy map entry of the wrong type") {
    auto r = RunInProcess({"zc", "svc", "-f", "-"},
                          "{\"services\": {\"net/10.0.0.1\": {\"name\": \"s\", \"vips\": \"10.0.0.1\"}}}");
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("<stdin>:1:") != std::string::npos);
    CHECK(r.err.find("services['net/10.0.0.1'].vips: expected an array, found a string") != std::string::npos);
  }
  SECTION("a section that is neither a list nor a map") {
    auto r = RunInProcess({"zc", "policy", "-f", "-"}, "{\"policies\": 3}");
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("<stdin>:1:14: policies: expected an array or an object, found a number") != std::string::npos);
  }
  SECTION("not an object") {
    auto r = RunInProcess({"zc", "all", "-f", "-"}, "[1, 2]");
    CHECK(r.exit_code == 65);
  }
  SECTION("missing file is an I/O error") {
    auto r = RunInProcess({"zc", "workload", "-f", "/nonexistent/ztunnel.json"});
    CHECK(r.exit_code == 74);
  }
}

TEST_CASE("zc usage errors", "[ambient][zc]") {
  CHECK(RunInProcess({"zc", "workload", "-f", Src(kList), "--node", "n1"}).exit_code == 64);
  CHECK(RunInProcess({"zc", "connections", "-f", Src(kList), "--direction", "sideways"}).exit_code == 64);
  CHECK(RunInProcess({"zc", "workload", "-f", Src(kList), "--compat", "istioctl"}).exit_code == 64);
  CHECK(RunInProcess({"zc", "log", "-f", Src(kList)}).exit_code == 64);
  // Live without a usable kubeconfig: the error says how to do without one.
  auto live = RunInProcess({"zc", "workload", "productpage-v1.bookinfo", "--kubeconfig", "/nonexistent/kubeconfig"});
  CHECK(live.exit_code != 0);
  CHECK(live.err.find("--admin-address HOST:15000 or -f DUMP.json") != std::string::npos);
}

TEST_CASE("zc reads a live ztunnel through --admin-address", "[ambient][zc]") {
  std::string body = testing::ReadFileOrDie(Src(kList));
  FakeHttpServer server([&](const RecordedRequest& req) {
    FakeResponse resp;
    if (req.path == "/config_dump") {
      resp.body = body;
    } else {
      resp.status = 404;
    }
    return resp;
  });
  auto r = RunInProcess({"zc", "svc", "--admin-address", server.address()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("waypoint     10.96.0.99  None     1/1") != std::string::npos);
  CHECK(server.requests().at(0).method == "GET");
}

TEST_CASE("ztunnel helpers: serial numbers and RFC 3339", "[ambient][zc]") {
  CHECK(ambient::DecimalToHex("305554775863395697262503895661564044819") == "e5dfb59150b2ba7f108d93dcec5aa613");
  CHECK(ambient::DecimalToHex("0") == "0");
  CHECK(ambient::DecimalToHex("-255") == "-ff");
  CHECK(ambient::DecimalToHex("") == "<nil>");
  CHECK(ambient::DecimalToHex("12a") == "<nil>");
  int64_t s = 0;
  REQUIRE(ambient::ParseRfc3339("1970-01-02T00:00:01Z", s));
  CHECK(s == 86401);
  REQUIRE(ambient::ParseRfc3339("2000-03-01T01:00:00+01:00", s));
  CHECK(s == 951868800);
  CHECK_FALSE(ambient::ParseRfc3339("2000-03-01 01:00:00Z", s));
  CHECK_FALSE(ambient::ParseRfc3339("2000-13-01T01:00:00Z", s));
}

}  // namespace
}  // namespace meshctl
