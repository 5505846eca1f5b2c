// The fake API server is faithful enough: real clients (kubectl, Debian's
// python3-kubernetes) make the same kinds of requests meshctl makes and
// they succeed and see the same objects.
#include <unistd.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include <catch2/catch.hpp>

#include "tests/kube/fake_cluster.h"

namespace meshctl::testing {
namespace {

struct Output {
  int code = -1;
  std::string out;
};

// Runs a shell command line, capturing stdout (stderr into `out` too).
Output Shell(const std::string& cmd) {
  Output o;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  int st = ::pclose(p);
  o.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

TEST_CASE("fake API server: kubectl lists and gets with selectors", "[kube][faithful]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  if (::access("/usr/bin/kubectl", X_OK) != 0) MESHCTL_SKIP("kubectl is not at /usr/bin/kubectl; skipping");
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml", "testdata/bookinfo/services.yaml",
                      "testdata/bookinfo/traffic.yaml", "testdata/analysis/gateway-pods.yaml"});
  std::string kc = fake.WriteKubeconfig();
  std::string home = MakeTempDir();  // kubectl caches discovery under $HOME/.kube/cache
  std::string kubectl = "HOME=" + home + " KUBECONFIG= /usr/bin/kubectl --kubeconfig " + kc + " --request-timeout=20s ";

  auto r = Shell(kubectl + "get deployments -n bookinfo -o name");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("deployment.apps/reviews-v2") != std::string::npos);
  CHECK(r.out.find("deployment.apps/details-v1") != std::string::npos);

  r = Shell(kubectl + "get services -A -l app=reviews -o name");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("service/reviews") != std::string::npos);
  CHECK(r.out.find("service/details") == std::string::npos);

  r = Shell(kubectl + "get deployments -n bookinfo --field-selector metadata.name!=reviews-v1 -o name");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("reviews-v1") == std::string::npos);
  CHECK(r.out.find("reviews-v2") != std::string::npos);

  // Paging with a small chunk size, and a CRD kind through discovery.
  r = Shell(kubectl + "get deployments -A --chunk-size=2 -o name");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 6);
  r = Shell(kubectl + "get virtualservices.networking.istio.io -A -o name");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("virtualservice.networking.istio.io/") != std::string::npos);

  r = Shell(kubectl + "get deployment reviews-v1 -n bookinfo -o jsonpath='{.kind} {.metadata.name}'");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out == "Deployment reviews-v1");
  r = Shell(kubectl + "get secrets -A --field-selector type!=helm.sh/release.v1 -o name");
  CHECK(r.code == 0);

  // What kubectl sent used limit, continue and the selectors meshctl uses.
  bool chunked = false;
  for (const auto& q : fake.Requests())
    if (q["path"] == "/apis/apps/v1/deployments" && q["query"].contains("continue")) chunked = true;
  CHECK(chunked);
  CHECK(r.out.find(kFakeToken) == std::string::npos);
}

TEST_CASE("fake API server: python3-kubernetes list calls", "[kube][faithful]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  if (Shell("/usr/bin/python3 -c 'import kubernetes'").code != 0)
    MESHCTL_SKIP("Debian python3-kubernetes is not installed (scripts/install-deps.sh); skipping");
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml", "testdata/bookinfo/services.yaml",
                      "testdata/bookinfo/traffic.yaml"});
  std::string kc = fake.WriteKubeconfig();
  std::string script = MakeTempDir() + "/list.py";
  WriteFile(script,
            "import sys\n"
            "from kubernetes import client, config\n"
            "config.load_kube_config(config_file=sys.argv[1])\n"
            "core = client.CoreV1Api()\n"
            "apps = client.AppsV1Api()\n"
            "svcs = core.list_service_for_all_namespaces(label_selector='app=reviews')\n"
            "print('services', sorted(s.metadata.name for s in svcs.items))\n"
            "names = []\n"
            "cont = None\n"
            "while True:\n"
            "    page = apps.list_namespaced_deployment('bookinfo', limit=4, _continue=cont,\n"
            "                                           field_selector='metadata.name!=ratings-v1')\n"
            "    names += [d.metadata.name for d in page.items]\n"
            "    cont = page.metadata._continue\n"
            "    if not cont: break\n"
            "print('deployments', sorted(names))\n"
            "d = apps.read_namespaced_deployment('reviews-v2', 'bookinfo')\n"
            "print('get', d.metadata.name, d.metadata.namespace)\n"
            "co = client.CustomObjectsApi()\n"
            "vs = co.list_cluster_custom_object('networking.istio.io', 'v1', 'virtualservices')\n"
            "print('virtualservices', len(vs['items']) > 0)\n");
  auto r = Shell("/usr/bin/python3 " + script + " " + kc);
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("services ['reviews']") != std::string::npos);
  CHECK(r.out.find("deployments ['details-v1', 'productpage-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']") !=
        std::string::npos);
  CHECK(r.out.find("get reviews-v2 bookinfo") != std::string::npos);
  CHECK(r.out.find("virtualservices True") != std::string::npos);
  CHECK(r.out.find(kFakeToken) == std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
