// Issue 13 ("Real configurations"), the command-line items: what a new user
// sees running meshctl on ordinary repository layouts (testdata/realworld/).
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/test_support.h"

using meshctl::testing::RunMeshctl;
using meshctl::testing::RunInProcess;

namespace {
const std::string kRw = "testdata/realworld/";
}

// ---- item 4: istioctl's closing lines, parse errors in every format

TEST_CASE("analyze lists the files it analyzed on success, as istioctl", "[cli][realworld]") {
  auto r = RunMeshctl({"analyze", kRw + "04-parse-errors/reviews.yaml", kRw + "01-rollout-steps/service.yaml"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "\u2714 No validation issues found when analyzing " + kRw + "04-parse-errors/reviews.yaml\n" + kRw +
                     "01-rollout-steps/service.yaml.\n");
}

TEST_CASE("analyze says how many files could not be parsed, as istioctl", "[cli][realworld]") {
  auto r = RunMeshctl({"analyze", kRw + "04-parse-errors"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("ratings-broken.yaml:15:4: "));
  CHECK_THAT(r.err, Catch::Contains(
                        "No validation issues found when analyzing namespace: default (but 1 file could not be parsed).\n"));
  CHECK_THAT(r.err, Catch::EndsWith("Error: Some files couldn't be parsed.\n"));
  auto ignored = RunMeshctl({"analyze", "--ignore-unknown", kRw + "04-parse-errors"});
  CHECK(ignored.exit_code == 0);
}

TEST_CASE("analyze puts parse errors into json, yaml, sarif and github output", "[cli][realworld]") {
  const std::string dir = kRw + "04-parse-errors";
  auto json = RunMeshctl({"analyze", "-o", "json", dir});
  CHECK(json.exit_code == 65);
  CHECK_THAT(json.out, Catch::Contains("\"code\": \"MSH0207\""));
  CHECK_THAT(json.out, Catch::Contains("\"file\": \"" + dir + "/ratings-broken.yaml\""));
  CHECK_THAT(json.out, Catch::Contains("\"line\": 15"));
  auto yaml = RunMeshctl({"analyze", "-o", "yaml", dir});
  CHECK_THAT(yaml.out, Catch::Contains("code: MSH0207"));
  auto github = RunMeshctl({"analyze", "-o", "github", dir});
  CHECK_THAT(github.out, Catch::StartsWith("::error file=" + dir + "/ratings-broken.yaml,line=15,col=4,title=MSH0207::"));
  auto sarif = RunMeshctl({"analyze", "-o", "sarif", dir});
  CHECK_THAT(sarif.out, Catch::Contains("\"ruleId\": \"MSH0207\""));
  CHECK_THAT(sarif.out, Catch::Contains("\"uri\": \"" + dir + "/ratings-broken.yaml\""));
  // validate's machine formats carry them too.
  auto v = RunMeshctl({"validate", "-o", "json", "-f", dir});
  CHECK(v.exit_code == 65);
  CHECK_THAT(v.out, Catch::Contains("\"code\": \"MSH0207\""));
}

TEST_CASE("SARIF URIs are relative to the working directory or --sarif-root", "[cli][realworld]") {
  const std::string abs = std::filesystem::absolute(kRw + "04-parse-errors/ratings-broken.yaml").string();
  auto r = RunMeshctl({"analyze", "-o", "sarif", abs});
  CHECK_THAT(r.out, Catch::Contains("\"uri\": \"" + kRw + "04-parse-errors/ratings-broken.yaml\""));
  auto rooted = RunMeshctl({"analyze", "-o", "sarif", "--sarif-root", kRw, abs});
  CHECK_THAT(rooted.out, Catch::Contains("\"uri\": \"04-parse-errors/ratings-broken.yaml\""));
  // Outside the root: an absolute file URI, never "../".
  auto outside = RunMeshctl({"analyze", "-o", "sarif", "--sarif-root", kRw + "01-rollout-steps", abs});
  CHECK_THAT(outside.out, Catch::Contains("\"uri\": \"file:///"));
  CHECK_THAT(outside.out, !Catch::Contains("\"uri\": \"../"));
}

TEST_CASE("analyze -k/--use-kube is a boolean as in istioctl and --color rejects bad values", "[cli][realworld]") {
  const std::string file = kRw + "04-parse-errors/reviews.yaml";
  for (const char* off : {"--use-kube=false", "--use-kube=False", "--use-kube=0", "--use-kube=f"}) {
    INFO(off);
    CHECK(RunMeshctl({"analyze", off, file}).exit_code == 0);
  }
  auto bad = RunMeshctl({"analyze", "--use-kube=yes", file});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("invalid argument \"yes\""));
  // --use-kube[=true] lays the files over the cluster: without a kubeconfig that fails to connect.
  auto live = RunMeshctl({"analyze", "--use-kube", "--kubeconfig", "/nonexistent/kubeconfig", file});
  CHECK(live.exit_code != 0);
  CHECK(RunMeshctl({"analyze", "--color=false", file}).exit_code == 0);
  // A bare --color never swallows the next argument (istioctl's boolean flag).
  auto bare = RunMeshctl({"analyze", "--color", file});
  CHECK(bare.exit_code == 0);
  CHECK_THAT(bare.err, Catch::Contains("No validation issues found when analyzing " + file + "."));
  auto color = RunMeshctl({"analyze", "--color=purple", file});
  CHECK(color.exit_code == 64);
  CHECK_THAT(color.err, Catch::Contains("purple"));
  CHECK(RunMeshctl({"validate", "--color=purple", "-f", file}).exit_code == 64);
}

TEST_CASE("a boolean short flag: -k=false turns it off and -n=NS sets a value, as pflag parses them", "[cli][realworld]") {
  const std::string file = kRw + "04-parse-errors/reviews.yaml";
  const std::string no_kc = "/nonexistent/kubeconfig";
  // Files only: never reads the (missing) kubeconfig.
  for (const char* off : {"-k=false", "-k=F", "-k=0", "-k=False"}) {
    INFO(off);
    auto r = RunInProcess({"analyze", off, "--kubeconfig", no_kc, file});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("No validation issues found when analyzing " + file + "."));
  }
  // -k=true is -k: the files are laid over the cluster, which needs the kubeconfig.
  CHECK(RunInProcess({"analyze", "-k=true", "--kubeconfig", no_kc, file}).exit_code == 74);
  auto bad = RunInProcess({"analyze", "-k=yes", file});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("invalid argument \"yes\""));
  // pflag never takes the next word as a boolean's value: `false` is a path.
  auto two_words = RunInProcess({"analyze", "-k", "false", "--kubeconfig", no_kc, file});
  CHECK(two_words.exit_code != 0);
  // Other boolean short flags take a value the same way; flags with values are untouched.
  CHECK(RunInProcess({"analyze", "-A=true", "-k=false", file}).exit_code == 0);
  // Short options with values too: -n=bookinfo is the namespace bookinfo (CLI11 alone reads "=bookinfo").
  auto ns = RunInProcess({"analyze", "-k=false", "-n=bookinfo", "-o", "json", "testdata/bookinfo"});
  CHECK(ns.exit_code == 0);
  CHECK_THAT(ns.out, Catch::Contains("bookinfo/"));
  // A word after -- is an argument, never rewritten.
  CHECK(RunInProcess({"analyze", "-k=false", "--", "-k=false"}).exit_code == 74);
  // explain's -k/--use-kube is the same boolean.
  const std::vector<std::string> walk = {"--from", "productpage-v1.bookinfo", "http://reviews:9080/", "-f",
                                         "testdata/bookinfo", "--kubeconfig", no_kc};
  std::vector<std::string> off = {"explain", "request", "-k=false"};
  off.insert(off.end(), walk.begin(), walk.end());
  auto explain_off = RunInProcess(off);
  INFO(explain_off.err);
  // Files only: the walk runs (79 is explain's "a hop fails"), the missing kubeconfig is never read.
  CHECK((explain_off.exit_code == 0 || explain_off.exit_code == 79));
  CHECK_THAT(explain_off.err, !Catch::Contains("kubeconfig"));
  std::vector<std::string> yes = {"explain", "request", "--use-kube=yes"};
  yes.insert(yes.end(), walk.begin(), walk.end());
  CHECK(RunInProcess(yes).exit_code == 64);
}

// ---- item 5: Helm templates

TEST_CASE("a Helm chart template gets a hint to render it first", "[cli][realworld]") {
  auto r = RunMeshctl({"analyze", kRw + "05-helm-chart/templates"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("virtualservice.yaml:4:"));
  CHECK_THAT(r.err, Catch::Contains("this looks like a Helm chart template"));
  CHECK_THAT(r.err, Catch::Contains("helm template RELEASE CHART | meshctl analyze -"));
  auto v = RunMeshctl({"validate", "-f", kRw + "05-helm-chart/templates/destinationrule.yaml"});
  CHECK(v.exit_code == 65);
  CHECK_THAT(v.err, Catch::Contains("line 1 holds a template action"));
}

// ---- item 8: the webhook's own rules

TEST_CASE("validate agrees with Istio's webhook on SNI IPs, redirects and null match entries", "[cli][realworld]") {
  auto tls = RunMeshctl({"validate", "-f", kRw + "08-webhook-parity/tls-passthrough-by-ip.yaml"});
  CHECK(tls.exit_code == 0);
  CHECK_THAT(tls.out, Catch::Contains("using an IP address (\"2001:db8::7\") goes against SNI spec"));
  CHECK_THAT(tls.out, Catch::Contains("using an IP address (\"10.20.30.40\") goes against SNI spec"));
  CHECK_THAT(tls.out + tls.err, !Catch::Contains("not a compatible subset"));
  auto red = RunMeshctl({"validate", "-f", kRw + "08-webhook-parity/redirect-header-match.yaml"});
  CHECK(red.exit_code == 0);
  CHECK_THAT(red.err, !Catch::Contains("prefix_rewrite"));
  auto te = RunMeshctl({"validate", "-f", kRw + "08-webhook-parity/traffic-extension-null-match.yaml"});
  CHECK(te.exit_code == 0);
  CHECK_THAT(te.err, !Catch::Contains("is nil"));
}

// ---- item 10: an IPv6 address in a flow sequence

TEST_CASE("an unquoted IPv6 address in a flow sequence says that quoting it fixes it", "[cli][realworld]") {
  auto r = RunMeshctl({"validate", "-f", kRw + "10-flow-ipv6/serviceentry.yaml"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("serviceentry.yaml:14:26: the plain value 2001:db8::"));
  CHECK_THAT(r.err, Catch::Contains("quote it (\"2001:db8::\")"));
}

// ---- item 9: --crd folders and the CEL IP library

TEST_CASE("validate --crd DIR skips a kustomization.yaml with a note and CEL IP rules are evaluated", "[cli][realworld]") {
  auto r = RunMeshctl({"validate", "--crd", kRw + "09-crd-folder/crds", "-f", kRw + "09-crd-folder/allowlist.yaml"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("Note: --crd " + kRw +
                                    "09-crd-folder/crds/kustomization.yaml:1: skipped, a kustomization file is not a "
                                    "CustomResourceDefinition"));
  CHECK_THAT(r.err, Catch::Contains("gatewayIP must be a canonical IP address"));
  CHECK_THAT(r.err, Catch::Contains("every destination must be a CIDR of /8 or longer"));
  CHECK_THAT(r.err, !Catch::Contains("internalRange must contain"));
  CHECK_THAT(r.err + r.out, !Catch::Contains("not in the evaluated CEL subset"));
}
