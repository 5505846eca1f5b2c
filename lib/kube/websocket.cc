// WebSocket client codec and connection (see websocket.h).
#include "lib/kube/websocket.h"

#include <poll.h>
#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "lib/core/base64.h"
#include "lib/io/crypto_api.h"

namespace meshctl::kube::ws {

namespace {

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr size_t kMaxControlPayload = 125;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated header value holds `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  std::string want = Lower(token);
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = Trim(value.substr(0, comma));
    if (Lower(item) == want) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool IsControl(Opcode op) { return (static_cast<uint8_t>(op) & 0x8) != 0; }

bool KnownOpcode(uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

std::string OpcodeName(uint8_t op) { return fmt::format("0x{:x}", op); }

}  // namespace

// ---- Handshake

std::string KeyFromNonce(std::string_view nonce16) { return core::EncodeBase64(nonce16); }

std::string NewKey() {
  unsigned char nonce[16];
  if (getrandom(nonce, sizeof nonce, 0) != static_cast<ssize_t>(sizeof nonce)) {
    // The key only has to differ between connections (it is no secret).
    static uint64_t counter = 0;
    uint64_t v = ++counter ^ static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::memcpy(nonce, &v, 8);
    std::memcpy(nonce + 8, &v, 8);
  }
  return KeyFromNonce(std::string_view(reinterpret_cast<const char*>(nonce), sizeof nonce));
}

std::string AcceptFor(std::string_view key) {
  std::string text(key);
  text += kAcceptGuid;
  auto crypto = io::LoadCrypto();
  if (!crypto.ok()) return "";  // matches no server's answer; Dial() reports the missing library first
  unsigned char digest[20];  // SHA-1
  (*crypto)->sha1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return core::EncodeBase64(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string BuildUpgradeRequest(const UpgradeRequest& r) {
  std::string out = "GET " + r.path_and_query + " HTTP/1.1\r\n";
  out += "Host: " + r.host + "\r\n";
  out += "Upgrade: websocket\r\n";
  out += "Connection: Upgrade\r\n";
  out += "Sec-WebSocket-Version: 13\r\n";
  out += "Sec-WebSocket-Key: " + r.key + "\r\n";
  if (!r.protocols.empty()) {
    out += "Sec-WebSocket-Protocol: ";
    for (size_t i = 0; i < r.protocols.size(); ++i) out += (i ? ", " : "") + r.protocols[i];
    out += "\r\n";
  }
  for (const auto& h : r.headers) {
    if (Lower(h.substr(0, h.find(':'))) == "host") continue;  // set above
    out += h + "\r\n";
  }
  out += "\r\n";
  return out;
}

std::string ResponseHead::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return "";
}

core::Result<std::optional<ResponseHead>> ParseResponseHead(std::string_view in, size_t max_size) {
  size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (in.size() > max_size) return core::DataError(fmt::format("HTTP response head longer than {} bytes", max_size));
    return std::optional<ResponseHead>();
  }
  if (end + 4 > max_size) return core::DataError(fmt::format("HTTP response head longer than {} bytes", max_size));
  ResponseHead head;
  head.size = end + 4;
  std::string_view text = in.substr(0, end);
  size_t eol = text.find("\r\n");
  std::string_view status_line = text.substr(0, eol);
  // "HTTP/1.1 101 Switching Protocols"
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12 || status_line[8] != ' ')
    return core::DataError("not an HTTP/1.x status line");
  int code = 0;
  for (size_t i = 9; i < 12; ++i) {
    char ch = status_line[i];
    if (ch < '0' || ch > '9') return core::DataError("HTTP status line without a 3-digit status code");
    code = code * 10 + (ch - '0');
  }
  if (status_line.size() > 12 && status_line[12] != ' ') return core::DataError("malformed HTTP status line");
  head.status = code;
  head.reason = std::string(Trim(status_line.size() > 13 ? status_line.substr(13) : std::string_view()));
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 2);
  while (!rest.empty()) {
    size_t next = rest.find("\r\n");
    std::string_view line = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return core::DataError("malformed HTTP header line");
    std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return core::DataError("malformed HTTP header name");
    if (head.headers.size() >= 200) return core::DataError("too many HTTP header lines");
    head.headers.emplace_back(Lower(name), std::string(Trim(line.substr(colon + 1))));
  }
  return std::optional<ResponseHead>(std::move(head));
}

core::Result<std::string> CheckUpgrade(const ResponseHead& head, std::string_view key,
                                       const std::vector<std::string>& offered) {
  if (head.status != 101) return core::DataError(fmt::format("answer is HTTP {}, not 101", head.status));
  if (!HasToken(head.Header("upgrade"), "websocket"))
    return core::DataError("101 answer without \"Upgrade: websocket\"");
  if (!HasToken(head.Header("connection"), "upgrade"))
    return core::DataError("101 answer without \"Connection: Upgrade\"");
  if (head.Header("sec-websocket-accept") != AcceptFor(key))
    return core::DataError("101 answer with a wrong or missing Sec-WebSocket-Accept");
  std::string proto = head.Header("sec-websocket-protocol");
  if (proto.empty()) {
    if (offered.empty()) return std::string();
    return core::DataError("101 answer chose no subprotocol (offered " + fmt::format("{}", fmt::join(offered, ", ")) +
                           ")");
  }
  if (std::find(offered.begin(), offered.end(), proto) == offered.end())
    return core::DataError("101 answer chose subprotocol \"" + proto + "\", which was not offered");
  return proto;
}

// ---- Frames

std::string EncodeClientFrame(Opcode opcode, std::string_view payload, uint32_t mask_key) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>(0x80 | static_cast<uint8_t>(opcode)));
  uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
  unsigned char mask[4] = {static_cast<unsigned char>(mask_key >> 24), static_cast<unsigned char>(mask_key >> 16),
                           static_cast<unsigned char>(mask_key >> 8), static_cast<unsigned char>(mask_key)};
  out.append(reinterpret_cast<const char*>(mask), 4);
  size_t at = out.size();
  out.append(payload.data(), payload.size());
  for (size_t i = 0; i < payload.size(); ++i) out[at + i] = static_cast<char>(out[at + i] ^ mask[i % 4]);
  return out;
}

std::string EncodeServerFrame(Opcode opcode, std::string_view payload, bool fin) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<uint8_t>(opcode)));
  uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
  out.append(payload.data(), payload.size());
  return out;
}

core::Result<std::optional<Frame>> DecodeFrame(std::string_view in, const FrameLimits& limits) {
  if (in.size() < 2) return std::optional<Frame>();
  auto b0 = static_cast<uint8_t>(in[0]);
  auto b1 = static_cast<uint8_t>(in[1]);
  if (b0 & 0x70) return core::DataError("WebSocket frame with reserved bits set (no extension was negotiated)");
  uint8_t op = b0 & 0x0F;
  if (!KnownOpcode(op)) return core::DataError("WebSocket frame with unknown opcode " + OpcodeName(op));
  if (b1 & 0x80) return core::DataError("WebSocket frame from the server is masked");
  bool fin = (b0 & 0x80) != 0;
  uint64_t len = b1 & 0x7F;
  size_t header = 2;
  if (len == 126) {
    if (in.size() < 4) return std::optional<Frame>();
    len = (uint64_t{static_cast<uint8_t>(in[2])} << 8) | static_cast<uint8_t>(in[3]);
    if (len < 126) return core::DataError("WebSocket frame length not in its shortest form");
    header = 4;
  } else if (len == 127) {
    if (in.size() < 10) return std::optional<Frame>();
    len = 0;
    for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<uint8_t>(in[i]);
    if (len >> 63) return core::DataError("WebSocket frame length has its top bit set");
    if (len <= 0xFFFF) return core::DataError("WebSocket frame length not in its shortest form");
    header = 10;
  }
  auto opcode = static_cast<Opcode>(op);
  if (IsControl(opcode)) {
    if (!fin) return core::DataError("fragmented WebSocket control frame");
    if (len > kMaxControlPayload) return core::DataError("WebSocket control frame longer than 125 bytes");
  }
  if (len > limits.max_payload)
    return core::DataError(fmt::format("WebSocket frame of {} bytes is over the limit of {}", len, limits.max_payload));
  if (in.size() - header < len) return std::optional<Frame>();
  Frame f;
  f.fin = fin;
  f.opcode = opcode;
  f.payload = std::string(in.substr(header, static_cast<size_t>(len)));
  f.wire_size = header + static_cast<size_t>(len);
  return std::optional<Frame>(std::move(f));
}

core::Result<std::optional<Message>> MessageReader::Next() {
  if (!error_.ok()) return error_;
  while (true) {
    std::string_view rest(buffer_);
    rest.remove_prefix(offset_);
    auto frame = DecodeFrame(rest, limits_);
    if (!frame.ok()) {
      error_ = frame.status();
      return error_;
    }
    if (!frame->has_value()) {
      // Keep the buffer small: drop what was consumed.
      if (offset_ > 0) {
        buffer_.erase(0, offset_);
        offset_ = 0;
      }
      return std::optional<Message>();
    }
    Frame& f = **frame;
    offset_ += f.wire_size;
    if (IsControl(f.opcode)) return std::optional<Message>(Message{f.opcode, std::move(f.payload)});
    if (f.opcode == Opcode::kContinuation) {
      if (!in_message_) {
        error_ = core::DataError("WebSocket continuation frame with no message started");
        return error_;
      }
    } else {
      if (in_message_) {
        error_ = core::DataError("WebSocket data frame inside an unfinished fragmented message");
        return error_;
      }
      in_message_ = true;
      message_opcode_ = f.opcode;
      message_.clear();
    }
    if (message_.size() + f.payload.size() > limits_.max_message) {
      error_ = core::DataError(fmt::format("WebSocket message over the limit of {} bytes", limits_.max_message));
      return error_;
    }
    message_ += f.payload;
    if (f.fin) {
      in_message_ = false;
      Message m{message_opcode_, std::move(message_)};
      message_.clear();
      return std::optional<Message>(std::move(m));
    }
  }
}

std::string DescribeClose(std::string_view payload) {
  if (payload.size() < 2) return "no status code";
  unsigned code = (static_cast<uint8_t>(payload[0]) << 8) | static_cast<uint8_t>(payload[1]);
  std::string reason;
  for (char c : payload.substr(2, 123)) reason.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  return reason.empty() ? fmt::format("status {}", code) : fmt::format("status {}: {}", code, reason);
}

// ---- Connection

WebSocket::WebSocket(std::unique_ptr<RawStream> stream, std::string protocol, std::string leftover)
    : stream_(std::move(stream)), protocol_(std::move(protocol)) {
  reader_.Append(leftover);
}

WebSocket::~WebSocket() = default;

int WebSocket::socket() const { return stream_->socket(); }

namespace {

uint32_t NewMask() {
  uint32_t m = 0;
  if (getrandom(&m, sizeof m, 0) != static_cast<ssize_t>(sizeof m))
    m = static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return m;
}

}  // namespace

core::Result<std::unique_ptr<WebSocket>> WebSocket::Dial(const Client& client, const std::string& path_and_query,
                                                         const std::vector<std::string>& protocols,
                                                         std::chrono::milliseconds timeout, UpgradeFailure* failure) {
  RETURN_IF_ERROR(io::LoadCrypto().status());  // the handshake's SHA-1
  using Clock = std::chrono::steady_clock;
  const std::string& server = client.server();
  const auto& source = client.config().credentials;
  bool refreshed = false;
  while (true) {
    auto deadline = Clock::now() + timeout;
    auto left = [&] {
      auto l = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      return l.count() > 0 ? l : std::chrono::milliseconds(1);
    };
    auto creds = source->Get();
    if (!creds.ok()) return creds.status();
    auto stream = client.OpenStream(*creds, timeout);
    if (!stream.ok()) return stream.status();
    UpgradeRequest req;
    req.host = client.host_port();
    req.path_and_query = client.PathPrefix() + path_and_query;
    req.key = NewKey();
    req.protocols = protocols;
    req.headers = client.StreamHeaders(*creds);
    std::string text = BuildUpgradeRequest(req);
    for (auto& h : req.headers) std::fill(h.begin(), h.end(), '\0');
    core::Status sent = (*stream)->SendAll(text, timeout.count() > 0 ? left() : timeout);
    std::fill(text.begin(), text.end(), '\0');
    if (!sent.ok()) return core::Unavailable("Kubernetes API server " + server + ": " + sent.message());

    // Read the head; what follows it is the first frames.
    std::string in;
    std::optional<ResponseHead> head;
    char buf[16 * 1024];
    while (!head) {
      auto n = (*stream)->TryRecv(buf, sizeof buf);
      if (!n.ok()) return core::Unavailable("Kubernetes API server " + server + ": " + n.status().message());
      if (n->has_value()) {
        if (**n == 0)
          return core::Unavailable(fmt::format(
              "Kubernetes API server {} closed the connection without answering the WebSocket upgrade of GET {}",
              server, path_and_query.substr(0, path_and_query.find('?'))));
        in.append(buf, **n);
        auto parsed = ParseResponseHead(in);
        if (!parsed.ok())
          return core::Unavailable(
              fmt::format("Kubernetes API server {} answered the WebSocket upgrade with a "
                          "malformed HTTP response: {}",
                          server, parsed.status().message()));
        head = std::move(*parsed);
        continue;
      }
      int wait_ms = -1;
      if (timeout.count() > 0) {
        auto l = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (l.count() <= 0)
          return core::Unavailable(
              fmt::format("Kubernetes API server {} did not answer the WebSocket upgrade of GET {} within {}ms "
                          "(--request-timeout)",
                          server, path_and_query.substr(0, path_and_query.find('?')), timeout.count()));
        wait_ms = static_cast<int>(l.count());
      }
      pollfd p{(*stream)->socket(), POLLIN, 0};
      if (::poll(&p, 1, wait_ms) < 0 && errno != EINTR)
        return core::Unavailable("Kubernetes API server " + server + ": poll failed");
    }
    if (head->status == 401 && !refreshed && source->Invalidate()) {
      refreshed = true;
      continue;
    }
    if (head->status != 101) {
      if (failure) {
        failure->status = head->status;
        failure->reason = head->reason;
        // The Status body, as much of it as has arrived with the head (a
        // small JSON object; read on briefly for the rest).
        std::string body = in.substr(head->size);
        std::string len_text = head->Header("content-length");
        size_t want = 64 * 1024;
        if (!len_text.empty()) {
          want = 0;
          for (char ch : len_text) {
            if (ch < '0' || ch > '9') break;
            want = want * 10 + static_cast<size_t>(ch - '0');
            if (want > 64 * 1024) break;
          }
          want = std::min<size_t>(want, 64 * 1024);
        }
        auto body_deadline = Clock::now() + std::chrono::milliseconds(500);
        while (body.size() < want && Clock::now() < body_deadline) {
          auto n = (*stream)->TryRecv(buf, sizeof buf);
          if (!n.ok()) break;
          if (n->has_value()) {
            if (**n == 0) break;
            body.append(buf, **n);
            continue;
          }
          if (!len_text.empty() || head->Header("transfer-encoding").empty()) {
            pollfd p{(*stream)->socket(), POLLIN, 0};
            ::poll(&p, 1, 100);
          } else {
            break;
          }
        }
        failure->body = body.substr(0, 64 * 1024);
      }
      return core::Unavailable(fmt::format("Kubernetes API server {} answered HTTP {} {} to the WebSocket upgrade",
                                           server, head->status, head->reason));
    }
    auto proto = CheckUpgrade(*head, req.key, protocols);
    if (!proto.ok())
      return core::Unavailable(
          fmt::format("Kubernetes API server {}: WebSocket upgrade failed: {}", server, proto.status().message()));
    return std::unique_ptr<WebSocket>(new WebSocket(std::move(*stream), *proto, in.substr(head->size)));
  }
}

core::Status WebSocket::Send(Opcode opcode, std::string_view payload, std::chrono::milliseconds timeout) {
  std::string frame = EncodeClientFrame(opcode, payload, NewMask());
  return stream_->SendAll(frame, timeout);
}

core::Result<std::optional<Message>> WebSocket::Poll(bool* closed) {
  *closed = false;
  // A whole message may already be buffered.
  auto m = reader_.Next();
  if (!m.ok() || m->has_value()) return m;
  char buf[32 * 1024];
  while (!eof_) {
    auto n = stream_->TryRecv(buf, sizeof buf);
    if (!n.ok()) return n.status();
    if (!n->has_value()) break;
    if (**n == 0) {
      eof_ = true;
      break;
    }
    reader_.Append(std::string_view(buf, **n));
    // Hand back a message as soon as there is one, so a reader never
    // buffers more than one read past it.
    m = reader_.Next();
    if (!m.ok() || m->has_value()) return m;
  }
  if (eof_) *closed = true;
  return reader_.Next();
}

}  // namespace meshctl::kube::ws
