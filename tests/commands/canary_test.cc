// `meshctl canary` end to end: goldens per target and mode, exit codes,
// --in-place (atomic, backups, only changed files, nothing on failure, no
// partial file when killed), step plans, and round trips through analyze.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "lib/yaml/parser.h"
#include "tests/support/test_support.h"

using namespace meshctl::testing;
namespace fs = std::filesystem;

namespace {

const std::string kWalk = "testdata/canary/walkthrough";

// A copy of the walkthrough inputs in a temporary directory.
std::string CopyWalkthrough() {
  std::string dir = MakeTempDir();
  fs::copy(SourceDir() + "/" + kWalk, dir + "/k8s", fs::copy_options::recursive);
  return dir;
}

std::vector<std::string> Args(std::initializer_list<std::string> extra) {
  std::vector<std::string> a = {"canary", "reviews", "-n", "bookinfo"};
  a.insert(a.end(), extra);
  return a;
}

}  // namespace

TEST_CASE("canary command: goldens per target and mode", "[canary]") {
  const std::string gen = "--filename=" + kWalk + "/deployments.yaml";
  const std::string svc = "--filename=" + kWalk + "/services.yaml";
  struct Case {
    const char* golden;
    std::vector<std::string> flags;
  };
  std::vector<Case> cases = {
      {"generate-istio-subset.yaml", {"--weight", "10"}},
      {"generate-istio-host.yaml", {"--weight", "10", "--mode", "host"}},
      {"generate-gateway-api.yaml", {"--weight", "10", "--target", "gateway-api"}},
      {"generate-gateway-api-gateway.yaml", {"--weight", "10", "--target", "gateway-api", "--gateway", "istio-system/mesh-gw"}},
      {"generate-smi.yaml", {"--weight", "10", "--target", "smi"}},
      {"generate-ab-mirror.yaml", {"--weight", "0", "--header", "end-user=jason", "--cookie", "beta=1", "--mirror", "20"}},
      {"generate-ab-gateway-api.yaml", {"--weight", "0", "--header", "end-user=jason", "--mirror", "20", "--target", "gateway-api"}},
      {"generate-istio-subset.json", {"--weight", "10", "-o", "json"}},
  };
  for (const auto& c : cases) {
    INFO(c.golden);
    std::vector<std::string> args = Args({gen, svc});
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    RunResult r = RunInProcess(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string("testdata/canary/golden/") + c.golden, r.out);
  }
}

TEST_CASE("canary command: patch as a diff (golden)", "[canary]") {
  RunResult r = RunInProcess(Args({"-f", kWalk, "--weight", "10", "-o", "diff"}));
  REQUIRE(r.exit_code == 0);
  CheckGolden("testdata/canary/golden/walkthrough-10.diff", r.out);
  CHECK(r.err == "note: added subset v2 to DestinationRule bookinfo/reviews\nreviews: v1 90% / v2 10% (istio, subset)\n");
}

TEST_CASE("canary command: generated output passes analyze and validate", "[canary]") {
  std::vector<std::vector<std::string>> variants = {
      {"--target", "istio"},
      {"--target", "istio", "--mode", "host"},
      {"--target", "istio", "--header", "end-user=jason", "--cookie", "beta=1", "--mirror", "10"},
      {"--target", "gateway-api"},
      {"--target", "gateway-api", "--header", "end-user=jason", "--mirror", "10"},
      {"--target", "gateway-api", "--gateway", "bookinfo-gateway"},
      {"--target", "smi"},
  };
  for (const auto& v : variants) {
    std::string joined;
    for (const auto& a : v) joined += a + " ";
    INFO(joined);
    std::string dir = MakeTempDir();
    fs::copy(SourceDir() + "/" + kWalk + "/deployments.yaml", dir + "/deployments.yaml");
    fs::copy(SourceDir() + "/" + kWalk + "/services.yaml", dir + "/services.yaml");
    std::vector<std::string> args = Args({"-f", dir, "--weight", "25"});
    args.insert(args.end(), v.begin(), v.end());
    RunResult gen = RunInProcess(args);
    REQUIRE(gen.exit_code == 0);
    WriteFile(dir + "/canary.yaml", gen.out);
    RunResult an = RunInProcess({"analyze", "-n", "bookinfo", dir});
    INFO(an.out << an.err);
    CHECK(an.exit_code == 0);
    CHECK(an.out.find("Error") == std::string::npos);
    RunResult val = RunInProcess({"validate", dir});
    INFO(val.out << val.err);
    CHECK(val.exit_code == 0);
    CHECK(val.out.find("\"" + dir + "/canary.yaml\" is valid") != std::string::npos);
    fs::remove_all(dir);
  }
}

TEST_CASE("canary command: usage and input errors", "[canary]") {
  struct Case {
    std::vector<std::string> args;
    int code;
    const char* err;
  };
  std::vector<Case> cases = {
      {Args({"-f", kWalk, "--weight", "101"}), 64, "--weight: Value 101 not in range"},
      {Args({"-f", kWalk, "--weight", "-1"}), 64, "--weight"},
      {Args({"-f", kWalk}), 64, "say what to do"},
      {Args({"-f", kWalk, "--promote", "--rollback"}), 64, "exclude each other"},
      {Args({"-f", kWalk, "--weight", "5", "--steps", "1,2"}), 64, "exclude each other"},
      {Args({"-f", kWalk, "--steps", "1,2", "--step", "5"}), 64, "--steps and --step/--max exclude each other"},
      {Args({"-f", kWalk, "--weight", "5", "--emit-steps", "x"}), 64, "--emit-steps needs a plan"},
      {Args({"-f", kWalk, "--weight", "5", "--no-backup"}), 64, "--no-backup applies to --in-place only"},
      {Args({"-f", kWalk, "--weight", "5", "--in-place", "-o", "diff"}), 64, "--in-place and -o exclude each other"},
      {Args({"-f", kWalk, "--weight", "5", "-o", "xml"}), 64, "choose yaml, json or diff"},
      {Args({"-f", kWalk, "--weight", "5", "--target", "linkerd"}), 64, "choose auto, istio, gateway-api or smi"},
      {Args({"-f", kWalk, "--weight", "5", "--header", "novalue"}), 64, "give NAME=VALUE"},
      {Args({"-f", kWalk, "--weight", "5", "--target", "smi", "--mirror", "10"}), 64, "TrafficSplit has no header"},
      // Without -f the cluster is read: a kubeconfig that is not there is named.
      {Args({"--weight", "5", "--kubeconfig", "no/such/kubeconfig"}), 74, "no/such/kubeconfig"},
      {Args({"-f", kWalk, "--steps", "5,1"}), 64, "--steps must increase"},
      {Args({"-f", "no/such/dir", "--weight", "5"}), 74, "no/such/dir"},
      {{"canary", "details", "-n", "bookinfo", "-f", kWalk, "--weight", "5"}, 65, "Service \"details\" not found"},
      {{"canary", "reviews", "-f", kWalk, "--weight", "5"}, 65, "it exists in namespace bookinfo; use -n"},
      {Args({"-f", kWalk, "--weight", "5", "--canary", "v7"}), 65, "has version=v7"},
  };
  for (const auto& c : cases) {
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    INFO(joined);
    RunResult r = RunInProcess(c.args);
    INFO(r.err);
    CHECK(r.exit_code == c.code);
    CHECK(r.err.find(c.err) != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("canary command: --in-place rewrites only changed files, with backups", "[canary]") {
  std::string dir = CopyWalkthrough();
  std::string traffic = dir + "/k8s/traffic.yaml", services = dir + "/k8s/services.yaml";
  std::string original = ReadFileOrDie(traffic);
  struct stat before_svc {};
  REQUIRE(::stat(services.c_str(), &before_svc) == 0);

  RunResult r = RunMeshctl(Args({"-f", dir + "/k8s", "--weight", "10", "--in-place"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "updated " + traffic + " (previous version in " + traffic + ".bak)\n");
  CHECK(ReadFileOrDie(traffic + ".bak") == original);
  RunResult diff = RunInProcess(Args({"-f", kWalk, "--weight", "10", "-o", "diff"}));
  CHECK(ReadFileOrDie(traffic) != original);
  CHECK_FALSE(fs::exists(services + ".bak"));
  struct stat after_svc {};
  REQUIRE(::stat(services.c_str(), &after_svc) == 0);
  CHECK(after_svc.st_ino == before_svc.st_ino);
  CHECK(after_svc.st_mtim.tv_sec == before_svc.st_mtim.tv_sec);
  CHECK(after_svc.st_mtim.tv_nsec == before_svc.st_mtim.tv_nsec);

  // Same as -o yaml would print: the file now holds the 10 % split.
  RunResult again = RunMeshctl(Args({"-f", dir + "/k8s/traffic.yaml", "-f", dir + "/k8s/deployments.yaml", "-f",
                                     dir + "/k8s/services.yaml", "--weight", "10"}));
  CHECK(again.exit_code == 0);
  CHECK(again.out.empty());
  CHECK(again.err.find("nothing to change") != std::string::npos);

  RunResult promote = RunMeshctl(Args({"-f", dir + "/k8s/traffic.yaml", "-f", dir + "/k8s/deployments.yaml", "-f",
                                       dir + "/k8s/services.yaml", "--promote", "--in-place", "--no-backup"}));
  CHECK(promote.exit_code == 0);
  CHECK(promote.out == "updated " + traffic + "\n");
  // --no-backup leaves the earlier backup alone.
  CHECK(ReadFileOrDie(traffic + ".bak") == original);
  fs::remove_all(dir);
}

TEST_CASE("canary command: nothing is written when verification fails", "[canary]") {
  std::string dir = MakeTempDir();
  fs::copy(SourceDir() + "/testdata/canary/base", dir + "/base", fs::copy_options::recursive);
  fs::copy(SourceDir() + "/testdata/canary/patching/broken-subset.yaml", dir + "/routing.yaml");
  std::string original = ReadFileOrDie(dir + "/routing.yaml");
  RunResult r = RunMeshctl(Args({"-f", dir, "--stable", "v1", "--canary", "v2", "--weight", "10", "--in-place"}));
  CHECK(r.exit_code == 65);
  CHECK(r.err.find("Error [MSH0301]") != std::string::npos);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK(ReadFileOrDie(dir + "/routing.yaml") == original);
  CHECK_FALSE(fs::exists(dir + "/routing.yaml.bak"));
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 4);
  fs::remove_all(dir);
}

TEST_CASE("canary command: killed during --in-place leaves the old or the new file", "[canary]") {
  // A large routing file so that the run takes long enough to be killed at
  // many points (parse, verify, write, rename).
  std::string dir = CopyWalkthrough();
  std::string traffic = dir + "/k8s/traffic.yaml";
  std::string big = ReadFileOrDie(traffic);
  big += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: padding\n  namespace: bookinfo\ndata:\n";
  for (int i = 0; i < 40000; ++i) big += "  key" + std::to_string(i) + ": value-" + std::to_string(i) + "-padding\n";
  WriteFile(traffic, big);

  // The expected result, from a run that finishes.
  std::string ref = CopyWalkthrough();
  WriteFile(ref + "/k8s/traffic.yaml", big);
  auto started = std::chrono::steady_clock::now();
  RunResult full = RunMeshctl(Args({"-f", ref + "/k8s", "--weight", "10", "--in-place", "--no-backup"}));
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(full.exit_code == 0);
  std::string expected = ReadFileOrDie(ref + "/k8s/traffic.yaml");
  REQUIRE(expected != big);

  auto total_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  int killed = 0;
  for (int i = 0; i < 12; ++i) {
    WriteFile(traffic, big);
    fs::remove(traffic + ".bak");
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      std::vector<std::string> args = {MESHCTL_BINARY, "canary", "reviews", "-n", "bookinfo", "-f", dir + "/k8s",
                                       "--weight", "10", "--in-place"};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(total_us * i / 10));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    killed += WIFSIGNALED(status) ? 1 : 0;
    std::string now = ReadFileOrDie(traffic);
    INFO("kill after " << total_us * i / 10 << "us");
    CHECK((now == big || now == expected));
    if (fs::exists(traffic + ".bak")) CHECK(ReadFileOrDie(traffic + ".bak") == big);
  }
  CHECK(killed > 0);
  fs::remove_all(dir);
  fs::remove_all(ref);
}

TEST_CASE("canary command: step plans and --emit-steps", "[canary]") {
  RunResult plan = RunInProcess(Args({"-f", kWalk, "--step", "20", "--max", "60"}));
  REQUIRE(plan.exit_code == 0);
  CHECK(plan.out ==
        "STEP  v1 (stable)  v2 (canary)\n"
        "1     80%          20%\n"
        "2     60%          40%\n"
        "3     40%          60%\n");

  std::string dir = MakeTempDir();
  RunResult emit = RunInProcess(Args({"-f", kWalk, "--steps", "1,50,100", "--emit-steps", dir + "/plan"}));
  INFO(emit.err);
  REQUIRE(emit.exit_code == 0);
  int n = 0;
  for (const auto& [step, weight] : std::vector<std::pair<std::string, int>>{{"step-01-w1", 1}, {"step-02-w50", 50},
                                                                              {"step-03-w100", 100}}) {
    std::string file = dir + "/plan/" + step + "/reviews-canary.yaml";
    INFO(file);
    REQUIRE(fs::exists(file));
    CHECK(emit.out.find(file) != std::string::npos);
    auto docs = meshctl::yaml::ParseYamlStream(ReadFileOrDie(file), file);
    REQUIRE(docs.ok());
    bool found = false;
    for (const auto& d : *docs) {
      const auto* w = d.root.Find("spec.http[0].route[1].weight");
      if (w) {
        found = true;
        CHECK(w->ToScalarString() == std::to_string(weight));
      }
    }
    CHECK(found);
    ++n;
  }
  CHECK(n == 3);
  fs::remove_all(dir);
}

TEST_CASE("canary command: --help lists every flag", "[canary]") {
  RunResult r = RunInProcess({"canary", "--help"});
  REQUIRE(r.exit_code == 0);
  std::string man = ReadFileOrDie(SourceDir() + "/man/meshctl-canary.1");
  for (const char* flag : {"--filename", "--namespace", "--weight", "--promote", "--rollback", "--stable", "--canary",
                           "--target", "--mode", "--gateway", "--route", "--header", "--cookie", "--mirror", "--steps",
                           "--step", "--max", "--emit-steps", "--output", "--in-place", "--no-backup",
                           "--version-label"}) {
    INFO(flag);
    CHECK(r.out.find(flag) != std::string::npos);
    std::string escaped;
    for (const char* c = flag; *c; ++c) escaped += *c == '-' ? std::string("\\-") : std::string(1, *c);
    CHECK(man.find(escaped) != std::string::npos);
  }
}

// docs/canary.md's bookinfo walkthrough shows real commands and real output:
// run them in a copy of testdata/canary/walkthrough named k8s/ and compare.
TEST_CASE("canary command: the docs walkthrough is what meshctl prints", "[canary]") {
  std::string readme = ReadFileOrDie(SourceDir() + "/docs/canary.md");
  const std::string first = "$ meshctl canary reviews -n bookinfo -f k8s/ --weight 10 -o diff\n";
  size_t start = readme.find(first);
  REQUIRE(start != std::string::npos);
  size_t end = readme.find("```", start);
  REQUIRE(end != std::string::npos);
  std::string block = readme.substr(start, end - start);

  std::string dir = CopyWalkthrough();
  fs::path old_cwd = fs::current_path();
  fs::current_path(dir);
  std::string actual;
  size_t pos = 0;
  int commands = 0;
  while (pos < block.size()) {
    size_t nl = block.find('\n', pos);
    std::string line = block.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.rfind("$ meshctl ", 0) != 0) continue;
    std::vector<std::string> args;
    std::stringstream words(line.substr(10));
    for (std::string w; words >> w;) args.push_back(w);
    RunResult r = RunInProcess(args);
    actual += line + "\n" + r.err + r.out;
    ++commands;
  }
  fs::current_path(old_cwd);
  fs::remove_all(dir);
  CHECK(commands == 6);
  CHECK(actual == block);
}
