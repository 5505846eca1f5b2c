// proxy-status benchmark: fake-istiod reporting N synthetic proxies in syncz,
// the built meshctl asked for the default table over plaintext ADS.
//   end to end : fork/exec meshctl ... until the table is printed (wall time,
//                peak RSS from wait4), median of R runs;
//   baseline   : `meshctl version` in the same run (process start-up floor);
//   in process : the same request through libmeshctl, split into fetch (gRPC
//                + DiscoveryResponse parse), decode (Any -> ClientConfig ->
//                rows) and render (table text), medians of R runs.
// Prints one JSON line per N. Usage:
//   meshctl_ps_bench MESHCTL FAKE_ISTIOD [N...] (default 500 5000)
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "lib/xds/ads_client.h"
#include "lib/xds/status_table.h"
#include "lib/xds/sync_status.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Proc {
  pid_t pid;
  int in, out;
};

Proc Spawn(std::vector<std::string> argv, bool pipe_out) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) std::exit(70);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    if (pipe_out) {
      ::dup2(out[1], 1);
    } else {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
    }
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  return {pid, in[1], out[0]};
}

// Runs a command to completion; returns {seconds, peak RSS KiB}.
std::pair<double, long> Measure(const std::vector<std::string>& argv) {
  auto t0 = Clock::now();
  Proc p = Spawn(argv, false);
  ::close(p.in);
  int status = 0;
  rusage ru{};
  ::wait4(p.pid, &status, 0, &ru);
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  ::close(p.out);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "ps_bench: " << argv[0] << " failed\n";
    std::exit(70);
  }
  return {s, ru.ru_maxrss};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: meshctl_ps_bench MESHCTL FAKE_ISTIOD [N...]\n";
    return 64;
  }
  std::string meshctl = argv[1], fake = argv[2];
  std::vector<int> sizes;
  for (int i = 3; i < argc; ++i) sizes.push_back(std::stoi(argv[i]));
  if (sizes.empty()) sizes = {500, 5000};
  const int runs = 7;
  for (int n : sizes) {
    Proc istiod = Spawn({fake, "--synthetic", std::to_string(n)}, true);
    std::string buf, port;
    while (port.empty()) {
      char c[256];
      ssize_t k = ::read(istiod.out, c, sizeof c);
      if (k <= 0) return 69;
      buf.append(c, static_cast<size_t>(k));
      size_t p = buf.find("PORT ");
      size_t nl = p == std::string::npos ? p : buf.find('\n', p);
      if (nl != std::string::npos) port = buf.substr(p + 5, nl - p - 5);
    }
    std::string addr = "127.0.0.1:" + port;
    std::vector<double> e2e, base, fetch, decode, render;
    long rss = 0;
    for (int r = 0; r < runs; ++r) {
      auto [s, kb] = Measure({meshctl, "proxy-status", "--xds-address", addr, "--plaintext"});
      e2e.push_back(s);
      rss = std::max(rss, kb);
      base.push_back(Measure({meshctl, "version"}).first);
    }
    meshctl::xds::DialOptions d;
    d.address = addr;
    d.plaintext = true;
    size_t bytes = 0, rows_n = 0;
    for (int r = 0; r < runs; ++r) {
      auto t0 = Clock::now();
      auto resp = meshctl::xds::FetchDebug(d, "istio-system", meshctl::xds::kSynczType, {});
      auto t1 = Clock::now();
      if (!resp.ok()) {
        std::cerr << resp.status().message() << "\n";
        return 69;
      }
      bytes = resp->ByteSizeLong();
      auto rows = meshctl::xds::ProxiesFromSyncz(*resp);
      auto t2 = Clock::now();
      rows_n = rows->size();
      std::string text = meshctl::xds::RenderStatusTable(std::move(rows).value(), 0, std::chrono::system_clock::now());
      auto t3 = Clock::now();
      if (text.empty()) return 70;
      fetch.push_back(std::chrono::duration<double>(t1 - t0).count());
      decode.push_back(std::chrono::duration<double>(t2 - t1).count());
      render.push_back(std::chrono::duration<double>(t3 - t2).count());
    }
    ::close(istiod.in);
    ::waitpid(istiod.pid, nullptr, 0);
    double me = Median(e2e), mb = Median(base), md = Median(decode), mr = Median(render);
    std::printf(
        "{\"proxies\": %d, \"rows\": %zu, \"response_bytes\": %zu, \"end_to_end_s\": %.4f, \"peak_rss_kib\": %ld, "
        "\"baseline_version_s\": %.4f, \"end_to_end_over_baseline\": %.2f, \"fetch_s\": %.4f, \"decode_s\": %.4f, "
        "\"render_s\": %.4f, \"decode_render_share\": %.3f}\n",
        n, rows_n, bytes, me, rss, mb, me / mb, Median(fetch), md, mr, (md + mr) / me);
    std::fflush(stdout);
  }
  return 0;
}
