// End-to-end: what the bad-input battery, fault injection and kill -9 loops
// of issue 15 found (docs/reliability.md "Input limits and safe writes").
#include <catch2/catch.hpp>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <thread>

#include "tests/support/test_support.h"

using meshctl::testing::MakeTempDir;
using meshctl::testing::ReadFileOrDie;
using meshctl::testing::RunMeshctl;
using meshctl::testing::RunResult;
using meshctl::testing::SourceDir;
using meshctl::testing::WriteFile;
namespace fs = std::filesystem;

namespace {

const std::string kWalk = "testdata/canary/walkthrough";

// Runs meshctl with `args`; `setup` runs in the child before exec (close
// stdin, dup a pipe...). stdout/stderr are captured through files.
RunResult RunWith(const std::vector<std::string>& args, const std::function<void()>& setup) {
  std::string dir = MakeTempDir();
  // Everything the child needs is built before fork (other threads may run).
  std::string out_path = dir + "/out", err_path = dir + "/err";
  std::vector<std::string> all = {MESHCTL_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::close(out);
    ::close(err);
    setup();
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrDie(dir + "/out");
  r.err = ReadFileOrDie(dir + "/err");
  fs::remove_all(dir);
  return r;
}

std::vector<std::string> Canary(const std::string& files, std::vector<std::string> extra) {
  std::vector<std::string> a = {"canary", "reviews", "-n", "bookinfo", "-f", files};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// The walkthrough with the DestinationRule and the VirtualService in two
// files; the VirtualService's file sorts first (a-...), so writing in input
// order would route to v2 before v2 exists.
std::string SplitWalkthrough(const std::string& padding) {
  std::string dir = MakeTempDir() + "/k8s";
  fs::create_directories(dir);
  fs::copy(SourceDir() + "/" + kWalk + "/services.yaml", dir + "/services.yaml");
  fs::copy(SourceDir() + "/" + kWalk + "/deployments.yaml", dir + "/deployments.yaml");
  std::string traffic = ReadFileOrDie(SourceDir() + "/" + kWalk + "/traffic.yaml");
  size_t sep = traffic.find("\n---\n");
  REQUIRE(sep != std::string::npos);
  WriteFile(dir + "/b-destinationrule.yaml", traffic.substr(0, sep + 1) + padding);
  WriteFile(dir + "/a-virtualservice.yaml", traffic.substr(sep + 5));
  return dir;
}

}  // namespace

TEST_CASE("canary --in-place killed at random points leaves a consistent file set", "[cli][inplace][slow]") {
  // Padding after the DestinationRule makes its write (and the whole run)
  // long enough to be killed at many points.
  std::string padding = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: padding\n  namespace: bookinfo\ndata:\n";
  for (int i = 0; i < 30000; ++i) padding += "  key" + std::to_string(i) + ": value-" + std::to_string(i) + "\n";
  std::string dir = SplitWalkthrough(padding);
  // The VirtualService's file is padded too: each write then takes a while,
  // which widens the window between the two renames.
  WriteFile(dir + "/a-virtualservice.yaml", ReadFileOrDie(dir + "/a-virtualservice.yaml") + padding);
  const std::string vs = dir + "/a-virtualservice.yaml", dr = dir + "/b-destinationrule.yaml";
  const std::string vs_old = ReadFileOrDie(vs), dr_old = ReadFileOrDie(dr);

  // The run's length, to aim the kills: the fastest of three, since a run slowed by a
  // busy machine would put every kill after the end.
  RunResult full;
  std::chrono::microseconds took = std::chrono::microseconds::max();
  for (int i = 0; i < 3; ++i) {
    WriteFile(vs, vs_old);
    WriteFile(dr, dr_old);
    auto started = std::chrono::steady_clock::now();
    full = RunMeshctl(Canary(dir, {"--weight", "10", "--in-place", "--no-backup"}));
    took = std::min(took, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    if (full.exit_code != 0) break;
  }
  INFO(full.err);
  REQUIRE(full.exit_code == 0);
  const std::string vs_new = ReadFileOrDie(vs), dr_new = ReadFileOrDie(dr);
  REQUIRE(vs_new != vs_old);
  REQUIRE(dr_new != dr_old);
  REQUIRE(vs_new.find("subset: v2") != std::string::npos);
  // The order of the writes is what the files say: the DestinationRule first.
  CHECK(full.out.find("updated " + dr) < full.out.find("updated " + vs));

  std::mt19937 rng(15);
  // Most kills late in the run, where the writes are.
  std::uniform_int_distribution<int64_t> when(took.count() * 7 / 10, took.count() * 11 / 10);
  int killed = 0, mixed = 0;
  for (int i = 0; i < 24; ++i) {
    WriteFile(vs, vs_old);
    WriteFile(dr, dr_old);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      std::vector<std::string> args = {MESHCTL_BINARY};
      for (auto& a : Canary(dir, {"--weight", "10", "--in-place", "--no-backup"})) args.push_back(a);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int64_t us = when(rng);
    std::this_thread::sleep_for(std::chrono::microseconds(us));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    killed += WIFSIGNALED(status) ? 1 : 0;
    std::string vs_now = ReadFileOrDie(vs), dr_now = ReadFileOrDie(dr);
    INFO("kill after " << us << "us of " << took.count() << "us");
    // Every file is whole, old or new...
    REQUIRE((vs_now == vs_old || vs_now == vs_new));
    REQUIRE((dr_now == dr_old || dr_now == dr_new));
    // ...and the set is consistent: routes to v2 only once v2 is defined.
    CHECK_FALSE((vs_now == vs_new && dr_now == dr_old));
    mixed += (dr_now == dr_new && vs_now == vs_old) ? 1 : 0;
  }
  CHECK(killed > 0);
  WARN("killed " << killed << " of 24 runs; " << mixed << " stopped between the two writes");

  // Fault injection at the worst point: kill as soon as the first file is
  // renamed (its inode changes), i.e. between the two writes. Writing the
  // VirtualService first (input order) fails here every time.
  auto inode = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
  };
  int between = 0;
  for (int i = 0; i < 6; ++i) {
    WriteFile(vs, vs_old);
    WriteFile(dr, dr_old);
    ino_t vs_ino = inode(vs), dr_ino = inode(dr);
    std::vector<std::string> args = {MESHCTL_BINARY};
    for (auto& a : Canary(dir, {"--weight", "10", "--in-place", "--no-backup"})) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    bool done = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      if (inode(vs) != vs_ino || inode(dr) != dr_ino) {
        ::kill(pid, SIGKILL);
        break;
      }
      done = ::waitpid(pid, &status, WNOHANG) == pid;
      std::this_thread::yield();
    }
    if (!done) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    std::string vs_now = ReadFileOrDie(vs), dr_now = ReadFileOrDie(dr);
    REQUIRE((vs_now == vs_old || vs_now == vs_new));
    REQUIRE((dr_now == dr_old || dr_now == dr_new));
    CHECK_FALSE((vs_now == vs_new && dr_now == dr_old));
    between += (dr_now == dr_new && vs_now == vs_old) ? 1 : 0;
  }
  // The kill landed between the renames at least once (it is a race, but a
  // wide one: the second file is ~1 MB to write and sync).
  CHECK(between > 0);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("canary --in-place refuses a read-only file and changes nothing", "[cli][inplace]") {
  std::string dir = SplitWalkthrough("");
  std::string vs = dir + "/a-virtualservice.yaml", dr = dir + "/b-destinationrule.yaml";
  std::string vs_old = ReadFileOrDie(vs), dr_old = ReadFileOrDie(dr);
  ::chmod(vs.c_str(), 0444);
  RunResult r = RunMeshctl(Canary(dir, {"--weight", "10", "--in-place"}));
  CHECK(r.exit_code == 74);
  CHECK_THAT(r.err, Catch::Contains(vs) && Catch::Contains("read-only (mode 0444)"));
  CHECK(ReadFileOrDie(vs) == vs_old);
  CHECK(ReadFileOrDie(dr) == dr_old);  // the writable one is not written either
  CHECK_FALSE(fs::exists(dr + ".bak"));
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("canary --in-place keeps symlinks, modes and gives .bak the original's mode", "[cli][inplace]") {
  std::string dir = SplitWalkthrough("");
  std::string vs = dir + "/a-virtualservice.yaml", dr = dir + "/b-destinationrule.yaml";
  std::string real = fs::path(dir).parent_path().string() + "/shared-dr.yaml";
  fs::rename(dr, real);
  fs::create_symlink(real, dr);
  ::chmod(real.c_str(), 0664);
  ::chmod(vs.c_str(), 0640);
  RunResult r = RunMeshctl(Canary(dir, {"--weight", "10", "--in-place"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_symlink(dr));
  CHECK_THAT(ReadFileOrDie(real), Catch::Contains("name: v2"));
  struct stat st {};
  REQUIRE(::stat(real.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0664);
  REQUIRE(::stat(vs.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  REQUIRE(::stat((vs + ".bak").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  REQUIRE(::stat((dr + ".bak").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0664);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("proxy-status refuses to send a token over --plaintext unless told to", "[cli]") {
  RunResult r = RunMeshctl({"proxy-status", "--xds-address", "127.0.0.1:1", "--plaintext", "--token", "s3cret"});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Catch::Contains("--allow-insecure-token") && Catch::Contains("unencrypted"));
  CHECK_THAT(r.err + r.out, !Catch::Contains("s3cret"));
  // Accepted: it gets as far as connecting (nothing listens on port 1).
  RunResult ok = RunMeshctl({"proxy-status", "--xds-address", "127.0.0.1:1", "--plaintext", "--token", "s3cret",
                             "--allow-insecure-token", "--timeout", "2s"});
  CHECK(ok.exit_code == 69);
  CHECK_THAT(ok.err + ok.out, !Catch::Contains("s3cret"));
  RunResult misuse = RunMeshctl({"proxy-status", "--xds-address", "127.0.0.1:1", "--allow-insecure-token"});
  CHECK(misuse.exit_code == 64);
}

TEST_CASE("devices, oversized input and closed stdin are clear errors", "[cli][limits]") {
  RunResult zero = RunMeshctl({"analyze", "/dev/zero"});
  CHECK(zero.exit_code == 74);
  CHECK_THAT(zero.err, Catch::Contains("/dev/zero") && Catch::Contains("character device"));

  std::string big(5000, ' ');
  RunResult capped = RunMeshctl({"proxy-config", "cluster", "-f", "-", "--max-input-size", "4Ki"}, big);
  CHECK(capped.exit_code == 65);
  CHECK_THAT(capped.err, Catch::Contains("4096 bytes limit") && Catch::Contains("--max-input-size"));
  RunResult raised = RunMeshctl({"validate", "-f", "-", "--max-input-size", "1Mi"}, "kind: Foo\n" + big);
  CHECK(raised.err.find("limit") == std::string::npos);
  CHECK(RunMeshctl({"analyze", "--max-input-size", "lots", "-"}).exit_code == 64);

  RunResult closed = RunWith({"analyze", "-"}, [] { ::close(0); });
  CHECK(closed.exit_code == 74);
  CHECK_THAT(closed.err, Catch::Contains("standard input") && Catch::Contains("closed"));
  RunResult closed_v = RunWith({"validate", "-f", "-"}, [] { ::close(0); });
  CHECK(closed_v.exit_code == 74);
}

TEST_CASE("proxy-config -f reads pipes and /dev/fd/N like analyze", "[cli][limits]") {
  std::string dump = ReadFileOrDie(SourceDir() + "/testdata/envoy/config_dump.json");
  RunResult from_file = RunMeshctl({"proxy-config", "cluster", "-f", "testdata/envoy/config_dump.json"});
  REQUIRE(from_file.exit_code == 0);
  // A pipe on fd 63, as bash's <(cat dump.json) gives.
  int p[2];
  REQUIRE(::pipe(p) == 0);
  std::thread writer([&] {
    size_t off = 0;
    while (off < dump.size()) {
      ssize_t n = ::write(p[1], dump.data() + off, dump.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::close(p[1]);
  });
  // fd 63 in the child; the write end must be closed there first unless it
  // is 63 itself (dup2 then replaces it).
  RunResult piped = RunWith({"proxy-config", "cluster", "-f", "/dev/fd/63"}, [&] {
    if (p[1] != 63) ::close(p[1]);
    ::dup2(p[0], 63);
  });
  ::close(p[0]);
  writer.join();
  INFO(piped.err);
  CHECK(piped.exit_code == 0);
  CHECK(piped.out == from_file.out);

  std::string dir = MakeTempDir();
  fs::create_directory(dir + "/d");
  fs::create_symlink(dir + "/l2", dir + "/l1");
  fs::create_symlink(dir + "/l1", dir + "/l2");
  for (const auto& [path, why] : std::vector<std::pair<std::string, std::string>>{
           {dir + "/missing.json", "No such file or directory"},
           {dir + "/d", "is a directory"},
           {dir + "/l1", "symbolic links"}}) {
    RunResult r = RunMeshctl({"proxy-config", "cluster", "-f", path});
    CHECK(r.exit_code == 74);
    CHECK_THAT(r.err, Catch::Contains(path) && Catch::Contains(why));
  }
  fs::remove_all(dir);
}

TEST_CASE("analyze's exit code for unparsable input does not depend on -o", "[cli]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/bad.yaml", "kind: [\n");
  for (const char* o : {"log", "json", "yaml", "sarif"}) {
    RunResult r = RunMeshctl({"analyze", "-A", "-o", o, "testdata/bookinfo", dir + "/bad.yaml"});
    INFO("-o " << o << "\n" << r.err);
    CHECK(r.exit_code == 65);
  }
  fs::remove_all(dir);
}

TEST_CASE("a UTF-16 manifest reads the same as its UTF-8 text in every command", "[cli]") {
  std::string utf8 = ReadFileOrDie(SourceDir() + "/testdata/bookinfo/traffic.yaml");
  std::string utf16("\xFF\xFE", 2);
  for (unsigned char c : utf8) {
    REQUIRE(c < 0x80);
    utf16 += static_cast<char>(c);
    utf16 += '\0';
  }
  std::string dir = MakeTempDir();
  // Same path length, so that outputs compare whole after the swap.
  std::string f16 = dir + "/16/traffic.yaml", f8 = dir + "/u8/traffic.yaml";
  WriteFile(f16, utf16);
  WriteFile(f8, utf8);
  auto same = [&](std::string text) {
    for (size_t p = text.find(f16); p != std::string::npos; p = text.find(f16, p)) text.replace(p, f16.size(), f8);
    return text;
  };
  RunResult v16 = RunMeshctl({"validate", "-f", f16});
  RunResult v8 = RunMeshctl({"validate", "-f", f8});
  CHECK(v16.exit_code == v8.exit_code);
  CHECK(same(v16.out + v16.err) == v8.out + v8.err);
  RunResult a16 = RunMeshctl({"analyze", "-A", f16});
  RunResult a8 = RunMeshctl({"analyze", "-A", f8});
  CHECK(a16.exit_code == a8.exit_code);
  CHECK(same(a16.out) == a8.out);
  CHECK(a8.out.find("IST0101") != std::string::npos);
  RunResult s16 = RunMeshctl({"analyze", "-A", "-"}, utf16);
  CHECK(s16.exit_code == a8.exit_code);
  fs::remove_all(dir);
}

TEST_CASE("malformed input that used to pass: List items, foreign groups, huge ports", "[cli]") {
  RunResult list = RunMeshctl({"validate", "-f", "-"}, "apiVersion: v1\nkind: List\nitems: 5\n");
  CHECK(list.exit_code == 65);
  CHECK_THAT(list.err + list.out, Catch::Contains(":3:8") && Catch::Contains("items must be a sequence"));
  RunResult scalars = RunMeshctl({"analyze", "-"}, "apiVersion: v1\nkind: List\nitems:\n- 5\n- x\n");
  CHECK(scalars.exit_code == 65);
  CHECK_THAT(scalars.err, Catch::Contains(":4:3"));

  RunResult foreign = RunMeshctl(
      {"validate", "-f", "-"},
      "apiVersion: apps/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n");
  CHECK(foreign.exit_code == 1);
  CHECK_THAT(foreign.err + foreign.out, Catch::Contains("not its API group") &&
                                            Catch::Contains("networking.istio.io"));
  // A dotted group may be a CRD of the same name: left alone.
  RunResult gwapi = RunMeshctl({"validate", "-f", "-"},
                               "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\n"
                               "spec:\n  gatewayClassName: istio\n  listeners: []\n");
  CHECK(gwapi.exit_code == 0);

  RunResult port = RunMeshctl({"validate", "-f", "-"},
                              "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: ns1\nspec:\n  ports:\n"
                              "  - name: http\n    port: 99999999999999999999999\n");
  CHECK(port.exit_code == 1);
  CHECK_THAT(port.err + port.out, Catch::Contains("99999999999999999999999 is not a valid port number"));
}

TEST_CASE("proxy-config --file: wrongly typed fields and JSON errors carry line:col", "[cli]") {
  auto dump = [](const std::string& cluster) {
    return "{\"configs\": [\n {\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\n"
           "  \"static_clusters\": [\n   {\"cluster\": " +
           cluster + "}\n  ]}\n]}\n";
  };
  RunResult name = RunMeshctl({"proxy-config", "cluster", "-f", "-"}, dump("{\"name\": 42}"));
  CHECK(name.exit_code == 65);
  CHECK_THAT(name.err, Catch::Contains("<stdin>:4:25") &&
                           Catch::Contains("configs[0].static_clusters[0].cluster.name: expected a string, found a "
                                           "number"));
  RunResult type = RunMeshctl({"proxy-config", "cluster", "-f", "-"}, dump("{\"name\": \"a\", \"type\": {}}"));
  CHECK(type.exit_code == 65);
  CHECK_THAT(type.err, Catch::Contains("cluster.type: expected a string, found an object"));

  RunResult big = RunMeshctl({"proxy-config", "cluster", "-f", "-"}, "{\"configs\": [],\n \"x\": 1e400}\n");
  CHECK(big.exit_code == 65);
  CHECK_THAT(big.err, Catch::Contains("<stdin>:2:7: number 1e400 is out of range"));
  RunResult surrogate = RunMeshctl({"proxy-config", "cluster", "-f", "-"}, "{\"configs\": [],\n \"x\": \"\\ud800\"}\n");
  CHECK(surrogate.exit_code == 65);
  CHECK_THAT(surrogate.err, Catch::Contains("<stdin>:2:8") && Catch::Contains("lone surrogate"));
}

namespace {

// A TCP listener on 127.0.0.1 (ephemeral port). With `reply`, one thread
// accepts one connection, reads a little and writes `reply`; without it the
// socket is never accepted (connections wait in the backlog).
struct RawListener {
  int fd = -1;
  int port = 0;
  std::thread t;
  explicit RawListener(std::optional<std::string> reply) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (!reply) return;
    t = std::thread([this, r = *reply] {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      ssize_t got = ::read(c, buf, sizeof buf);
      (void)got;
      size_t off = 0;
      while (off < r.size()) {
        ssize_t n = ::send(c, r.data() + off, r.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::close(c);
    });
  }
  ~RawListener() {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    if (t.joinable()) t.join();
  }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }
};

}  // namespace

TEST_CASE("admin replies that are not HTTP, or carry 2 MB of headers, are named as such", "[cli]") {
  {
    RawListener l(std::string("SSH-2.0-OpenSSH_9.2\r\n"));
    RunResult r = RunMeshctl({"proxy-config", "cluster", "--admin-address", l.addr(), "--timeout", "5s"});
    CHECK(r.exit_code == 69);
    CHECK_THAT(r.err, Catch::Contains("the reply is not HTTP"));
    CHECK_THAT(r.err, !Catch::Contains("URL scheme"));
  }
  {
    RawListener l("HTTP/1.1 200 OK\r\nX-Big: " + std::string(2 << 20, 'x') + "\r\n\r\n{}");
    RunResult r = RunMeshctl({"proxy-config", "cluster", "--admin-address", l.addr(), "--timeout", "5s"});
    CHECK(r.exit_code == 69);
    CHECK_THAT(r.err, Catch::Contains("headers are too large"));
  }
}

TEST_CASE("an xDS listener that never accepts is not called a TLS failure; no gRPC log lines", "[cli]") {
  RawListener l(std::nullopt);
  for (bool plaintext : {false, true}) {
    std::vector<std::string> args = {"proxy-status", "--xds-address", l.addr(), "--timeout", "1s"};
    if (plaintext) args.push_back("--plaintext");
    RunResult r = RunMeshctl(args);
    INFO(r.err);
    CHECK(r.exit_code == 69);
    CHECK_THAT(r.err, !Catch::Contains("TLS handshake failed"));
    // meshctl's message is the first thing on stderr.
    CHECK(r.err.rfind("Error: ", 0) == 0);
  }
}
