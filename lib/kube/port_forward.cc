// WebSocket v4.channel.k8s.io port-forward (see port_forward.h).
//
// One thread accepts on 127.0.0.1:0; each accepted connection gets its own
// thread and its own WebSocket. The thread polls the local socket, the
// WebSocket's socket and a wake pipe (written once by Stop(), so it stays
// readable for every poller):
//   local bytes        -> binary message 0x00 ‖ bytes (channel 0, data)
//   channel 0 message  -> local socket (after the 2-byte port prefix)
//   channel 1 message  -> error text (after its prefix): recorded, then close
//   ping               -> pong;  close -> close echoed, end
// The protocol has no half-close: at local EOF the thread stops reading the
// local side and keeps delivering what the server sends until the server
// closes or stays silent for kHalfCloseGrace.
#include "lib/kube/port_forward.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "lib/kube/websocket.h"

namespace meshctl::kube {

namespace {

constexpr std::string_view kProtocol = "v4.channel.k8s.io";
constexpr std::chrono::milliseconds kHalfCloseGrace{5000};
constexpr std::chrono::milliseconds kProbeErrorWait{250};
constexpr std::chrono::milliseconds kSendTimeout{30000};
constexpr size_t kMaxConnections = 128;
constexpr size_t kMaxErrorText = 2048;

std::string Clean(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max))
    out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : (c >= 0x20 && c != 0x7F ? c : '?'));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > max) out += "...";
  return out;
}

std::string StatusMessage(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view msg;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS || doc["message"].get(msg) != simdjson::SUCCESS) return "";
  return Clean(msg, 400);
}

// The message for a non-101 answer to the upgrade.
std::string DescribeUpgradeFailure(const Client& client, const std::string& target, std::string_view ns,
                                   const ws::WebSocket::UpgradeFailure& f) {
  std::string said = StatusMessage(f.body);
  std::string said_text = said.empty() ? "" : ": server said: " + said;
  std::string head = fmt::format("Kubernetes API server {} answered HTTP {}{}{} to the port-forward upgrade for {}",
                                 client.server(), f.status, f.reason.empty() ? "" : " ", Clean(f.reason, 60), target);
  switch (f.status) {
    case 401:
      return fmt::format("{}: the credentials ({}) were not accepted; check the kubeconfig's user or log in again",
                         head, client.config().credentials->Describe());
    case 403:
      if (said.empty())  // no Status: the WebSocket handshake itself was refused (x/net/websocket)
        return fmt::format(
            "{}: the server refused the WebSocket handshake (subprotocol {}); it may not serve "
            "WebSocket port-forward",
            head, kProtocol);
      return fmt::format(
          "{}: RBAC must allow verbs \"create\" and \"get\" on resource \"pods/portforward\" in namespace \"{}\"{}",
          head, ns, said_text);
    case 404:
      return fmt::format("{}: the pod or its portforward subresource was not found{}", head, said_text);
    default:
      break;
  }
  if ((f.status >= 200 && f.status < 300) || f.status == 400 || f.status == 426)
    return fmt::format(
        "{}{}: the answer is not a WebSocket upgrade (101); a proxy or load balancer between meshctl and the API "
        "server ({}) may be dropping WebSocket upgrades",
        head, said_text,
        client.config().proxy_url.empty() ? "HTTPS_PROXY/https_proxy from the environment, if set"
                                          : "proxy-url of the kubeconfig");
  return head + said_text;
}

uint16_t PrefixPort(std::string_view p) {
  return static_cast<uint16_t>(static_cast<uint8_t>(p[0]) | (static_cast<uint8_t>(p[1]) << 8));
}

// The channel bookkeeping of one v4 WebSocket: strips the channel byte and
// the first message's port prefix per channel.
struct Channels {
  uint16_t port = 0;
  bool data_prefix = false;
  bool error_prefix = false;

  enum class Kind { kNone, kData, kError };
  // Classifies one message; `out` is the payload past channel byte/prefix.
  core::Result<Kind> Take(std::string_view m, std::string_view* out) {
    *out = {};
    if (m.empty()) return Kind::kNone;
    auto channel = static_cast<uint8_t>(m[0]);
    m.remove_prefix(1);
    if (channel > 1)
      return core::DataError(fmt::format("port-forward stream on unknown channel {} (one port was asked)", channel));
    bool& seen = channel == 0 ? data_prefix : error_prefix;
    if (!seen) {
      if (m.size() < 2)
        return core::DataError(fmt::format("port-forward channel {} began without its 2-byte port", channel));
      if (PrefixPort(m) != port)
        return core::DataError(
            fmt::format("port-forward channel {} is for port {}, not {}", channel, PrefixPort(m), port));
      seen = true;
      m.remove_prefix(2);
    }
    *out = m;
    return channel == 0 ? Kind::kData : Kind::kError;
  }
};

class Forwarder final : public PortForward {
 public:
  Forwarder(Client& client, std::string ns, std::string pod, uint16_t port, std::chrono::milliseconds timeout)
      : client_(client), ns_(std::move(ns)), pod_(std::move(pod)), port_(port), timeout_(timeout) {
    target_ = fmt::format("pod {}/{} port {}", ns_, pod_, port_);
    path_ = fmt::format("{}?ports={}", PortForwardPath(ns_, pod_), port_);
  }

  ~Forwarder() override {
    Stop();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_[0] >= 0) ::close(wake_[0]);
    if (wake_[1] >= 0) ::close(wake_[1]);
  }

  core::Status Listen() {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) return core::Internal("cannot create a pipe for port-forward");
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return core::Unavailable("port-forward: cannot create a socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
      return core::Unavailable("port-forward: cannot listen on 127.0.0.1");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    local_port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
    return core::Status::Ok();
  }

  // Opens one WebSocket, waits for both port prefixes (and briefly for an
  // error-channel message, which is how a refused port shows), closes it.
  core::Status Probe() {
    ws::WebSocket::UpgradeFailure failure;
    auto sock = ws::WebSocket::Dial(client_, path_, {std::string(kProtocol)}, timeout_, &failure);
    if (!sock.ok()) return DialError(sock.status(), failure);
    Channels ch;
    ch.port = port_;
    auto deadline =
        std::chrono::steady_clock::now() + (timeout_.count() > 0 ? timeout_ : std::chrono::milliseconds(30000));
    bool prefixes = false;
    std::chrono::steady_clock::time_point grace_end{};
    core::Status result;
    while (true) {
      bool closed = false;
      auto m = (*sock)->Poll(&closed);
      if (!m.ok()) return Broken(m.status());
      if (m->has_value()) {
        const ws::Message& msg = **m;
        if (msg.opcode == ws::Opcode::kPing) {
          (void)(*sock)->Send(ws::Opcode::kPong, msg.payload, kSendTimeout);
        } else if (msg.opcode == ws::Opcode::kBinary || msg.opcode == ws::Opcode::kText) {
          std::string_view rest;
          auto kind = ch.Take(msg.payload, &rest);
          if (!kind.ok()) return Broken(kind.status());
          if (*kind == Channels::Kind::kError && !rest.empty()) return ErrorText(rest);
        } else if (msg.opcode == ws::Opcode::kClose) {
          break;
        }
        if (!prefixes && ch.data_prefix && ch.error_prefix) {
          prefixes = true;
          grace_end = std::chrono::steady_clock::now() + kProbeErrorWait;
        }
        continue;
      }
      if (closed) break;
      auto now = std::chrono::steady_clock::now();
      if (prefixes && now >= grace_end) break;
      if (!prefixes && now >= deadline)
        return core::Unavailable(
            fmt::format("port-forward to {}: the API server {} upgraded the connection but sent no "
                        "port prefixes within {}ms",
                        target_, client_.server(), timeout_.count()));
      auto until = prefixes ? grace_end : deadline;
      int wait_ms = static_cast<int>(
          std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count()));
      pollfd p{(*sock)->socket(), POLLIN, 0};
      ::poll(&p, 1, wait_ms);
    }
    (void)(*sock)->Send(ws::Opcode::kClose, std::string("\x03\xe8", 2), std::chrono::milliseconds(1000));
    return core::Status::Ok();
  }

  std::string local_address() const override { return fmt::format("127.0.0.1:{}", local_port_); }
  uint16_t local_port() const override { return local_port_; }
  std::string target() const override { return fmt::format("{}/{}:{}", ns_, pod_, port_); }

  core::Status first_error() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return first_error_;
  }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    if (wake_[1] >= 0) {
      char c = 1;
      (void)!::write(wake_[1], &c, 1);
    }
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<Conn> conns;
    {
      std::lock_guard<std::mutex> lock(mu_);
      conns.swap(conns_);
    }
    for (auto& c : conns)
      if (c.thread.joinable()) c.thread.join();
  }

 private:
  struct Conn {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void Record(const core::Status& st) {
    std::lock_guard<std::mutex> lock(mu_);
    if (first_error_.ok()) first_error_ = st;
  }

  core::Status DialError(const core::Status& st, const ws::WebSocket::UpgradeFailure& f) {
    if (f.status != 0) return core::Unavailable(DescribeUpgradeFailure(client_, target_, ns_, f));
    return core::Unavailable(fmt::format("port-forward to {}: {}", target_, st.message()));
  }
  core::Status Broken(const core::Status& st) {
    return core::Unavailable(fmt::format("port-forward to {}: {}", target_, st.message()));
  }
  core::Status ErrorText(std::string_view text) {
    return core::Unavailable(
        fmt::format("port-forward to {} failed: the API server reported: {}", target_, Clean(text, kMaxErrorText)));
  }

  void AcceptLoop() {
    while (!stopped_) {
      pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (p[1].revents) return;
      if (!(p[0].revents & POLLIN)) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      // Reap finished connections.
      for (auto it = conns_.begin(); it != conns_.end();) {
        if (it->done->load()) {
          it->thread.join();
          it = conns_.erase(it);
        } else {
          ++it;
        }
      }
      if (conns_.size() >= kMaxConnections) {
        ::close(fd);
        continue;
      }
      auto done = std::make_shared<std::atomic<bool>>(false);
      conns_.push_back({std::thread([this, fd, done] {
                          Serve(fd);
                          done->store(true);
                        }),
                        done});
    }
  }

  // Writes all of `data` to the local socket; false when it is gone.
  static bool WriteLocal(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void Serve(int fd) {
    core::Status failure = Pump(fd);
    // Record before closing, so a caller that sees the close reads the reason.
    if (!failure.ok()) Record(failure);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }

  core::Status Pump(int fd) {
    ws::WebSocket::UpgradeFailure failure;
    auto dialed = ws::WebSocket::Dial(client_, path_, {std::string(kProtocol)}, timeout_, &failure);
    if (!dialed.ok()) return DialError(dialed.status(), failure);
    std::unique_ptr<ws::WebSocket> sock = std::move(*dialed);
    Channels ch;
    ch.port = port_;
    bool local_eof = false;
    auto last_server = std::chrono::steady_clock::now();
    char buf[32 * 1024];
    while (true) {
      // Drain every message the WebSocket holds before waiting again.
      bool closed = false;
      while (true) {
        auto m = sock->Poll(&closed);
        if (!m.ok()) return Broken(m.status());
        if (!m->has_value()) break;
        last_server = std::chrono::steady_clock::now();
        const ws::Message& msg = **m;
        switch (msg.opcode) {
          case ws::Opcode::kPing:
            if (auto st = sock->Send(ws::Opcode::kPong, msg.payload, kSendTimeout); !st.ok()) return Broken(st);
            break;
          case ws::Opcode::kClose:
            (void)sock->Send(ws::Opcode::kClose, msg.payload.substr(0, 2), std::chrono::milliseconds(1000));
            return core::Status::Ok();
          case ws::Opcode::kBinary:
          case ws::Opcode::kText: {
            std::string_view rest;
            auto kind = ch.Take(msg.payload, &rest);
            if (!kind.ok()) return Broken(kind.status());
            if (*kind == Channels::Kind::kData && !rest.empty()) {
              if (!WriteLocal(fd, rest)) return core::Status::Ok();  // the local client went away
            } else if (*kind == Channels::Kind::kError && !rest.empty()) {
              return ErrorText(rest);
            }
            break;
          }
          default:
            break;
        }
      }
      if (closed) return core::Status::Ok();
      if (stopped_) {
        (void)sock->Send(ws::Opcode::kClose, std::string("\x03\xe9", 2), std::chrono::milliseconds(500));
        return core::Status::Ok();
      }
      pollfd p[3] = {{sock->socket(), POLLIN, 0}, {wake_[0], POLLIN, 0}, {local_eof ? -1 : fd, POLLIN, 0}};
      int wait_ms = -1;
      if (local_eof) {
        auto idle =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last_server);
        if (idle >= kHalfCloseGrace) return core::Status::Ok();
        wait_ms = static_cast<int>((kHalfCloseGrace - idle).count()) + 1;
      }
      int r = ::poll(p, 3, wait_ms);
      if (r < 0 && errno != EINTR) return Broken(core::Internal("poll failed"));
      if (p[1].revents) continue;  // Stop(): handled at the top
      if (!local_eof && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
          local_eof = true;
          last_server = std::chrono::steady_clock::now();
          continue;
        }
        std::string frame;
        frame.reserve(static_cast<size_t>(n) + 1);
        frame.push_back('\0');  // channel 0: data
        frame.append(buf, static_cast<size_t>(n));
        if (auto st = sock->Send(ws::Opcode::kBinary, frame, kSendTimeout); !st.ok()) return Broken(st);
      }
    }
  }

  Client& client_;
  std::string ns_, pod_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::string target_, path_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t local_port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  std::vector<Conn> conns_;
  core::Status first_error_;
};

// GETs the pod and requires phase Running.
core::Status CheckPod(Client& client, std::string_view ns, std::string_view pod, uint16_t port) {
  std::string path = fmt::format("/api/v1/namespaces/{}/pods/{}", ns, pod);
  auto body = client.Get(path, "pods");
  if (!body.ok()) return body.status();
  if (!*body)
    return core::Unavailable(fmt::format("cannot port-forward to pod {}/{} port {}: pod not found", ns, pod, port));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view phase;
  if (parser.parse(**body).get(doc) != simdjson::SUCCESS)
    return core::Unavailable(
        fmt::format("Kubernetes API server {} sent malformed JSON for GET {}", client.server(), path));
  if (doc["status"]["phase"].get(phase) != simdjson::SUCCESS) phase = "";
  if (phase != "Running")
    return core::Unavailable(
        fmt::format("cannot port-forward to pod {}/{} port {}: the pod is not running (status.phase {})", ns, pod, port,
                    phase.empty() ? "unknown" : std::string(phase)));
  return core::Status::Ok();
}

}  // namespace

std::string PortForwardPath(std::string_view ns, std::string_view pod) {
  return fmt::format("/api/v1/namespaces/{}/pods/{}/portforward", ns, pod);
}

core::Result<std::unique_ptr<PortForward>> StartPortForward(Client& client, std::string_view ns, std::string_view pod,
                                                            uint16_t port, const PortForwardOptions& options) {
  auto valid = [](std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    for (char c : s)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    return true;
  };
  if (!valid(ns)) return core::InvalidArgument(fmt::format("\"{}\" is not a valid namespace name", Clean(ns, 80)));
  if (!valid(pod)) return core::InvalidArgument(fmt::format("\"{}\" is not a valid pod name", Clean(pod, 80)));
  if (port == 0) return core::InvalidArgument("port-forward needs a port between 1 and 65535");
  if (options.check_pod) RETURN_IF_ERROR(CheckPod(client, ns, pod, port));
  auto timeout = options.upgrade_timeout.count() > 0 ? options.upgrade_timeout : client.config().timeout;
  auto fwd = std::make_unique<Forwarder>(client, std::string(ns), std::string(pod), port, timeout);
  if (options.probe) RETURN_IF_ERROR(fwd->Probe());
  RETURN_IF_ERROR(fwd->Listen());
  return std::unique_ptr<PortForward>(std::move(fwd));
}

}  // namespace meshctl::kube
