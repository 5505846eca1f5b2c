// The client side of WebSocket (RFC 6455) as Kubernetes streaming needs it:
// the upgrade request and the check of its answer, masked client frames, and
// a frame reader for the server's frames. The codec (everything above
// `class WebSocket`) is pure, so tests/fuzz/websocket_frame_fuzz.cc drives it
// without a socket; `WebSocket` runs it over a Client::OpenStream() byte
// stream (libcurl CONNECT_ONLY: Debian 12's libcurl has no ws:// support).
//
// Limits: a frame's payload is at most FrameLimits::max_payload, a message
// (fragments joined) at most max_message; control frames are at most 125
// bytes and never fragmented. Anything else the RFC forbids a server to send
// (masked frames, reserved bits, unknown opcodes, a continuation with no
// message open) is a DataError naming what was wrong.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/client.h"

namespace meshctl::kube::ws {

enum class Opcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// ---- Handshake

// Sec-WebSocket-Key for 16 bytes of nonce (base64, 24 characters).
std::string KeyFromNonce(std::string_view nonce16);
// A fresh random key.
std::string NewKey();
// The Sec-WebSocket-Accept a server must answer `key` with:
// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string AcceptFor(std::string_view key);

struct UpgradeRequest {
  std::string host;                    // Host header ("10.0.0.1:6443")
  std::string path_and_query;          // "/api/v1/.../portforward?ports=15000"
  std::string key;                     // Sec-WebSocket-Key
  std::vector<std::string> protocols;  // Sec-WebSocket-Protocol, preferred first
  std::vector<std::string> headers;    // more "Name: value" lines (auth, User-Agent)
};
// The GET request text, ending with the blank line.
std::string BuildUpgradeRequest(const UpgradeRequest& request);

// The status line and headers of an HTTP/1.x response.
struct ResponseHead {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, values trimmed
  size_t size = 0;                                           // bytes of the head, through the blank line
  // The first value of `name` (lowercase), "" when absent.
  std::string Header(std::string_view name) const;
};
// Parses a response head from the start of `in`: nullopt while the blank
// line has not arrived, DataError for a malformed head or one over
// `max_size` bytes. Never looks past the blank line (what follows belongs
// to the frame reader).
core::Result<std::optional<ResponseHead>> ParseResponseHead(std::string_view in, size_t max_size = 64 * 1024);

// Checks a 101 answer: Upgrade: websocket, Connection: upgrade,
// Sec-WebSocket-Accept for `key`, a subprotocol among `offered` (or none
// when nothing was offered). Returns the chosen subprotocol; DataError
// saying what was missing otherwise.
core::Result<std::string> CheckUpgrade(const ResponseHead& head, std::string_view key,
                                       const std::vector<std::string>& offered);

// ---- Frames

struct FrameLimits {
  size_t max_payload = size_t{1} << 20;  // one frame
  size_t max_message = size_t{4} << 20;  // fragments joined
};

struct Frame {
  bool fin = true;
  Opcode opcode = Opcode::kBinary;
  std::string payload;   // unmasked
  size_t wire_size = 0;  // bytes the frame took on the wire
};

// A client frame: FIN set, masked with `mask_key` (RFC 6455 §5.3).
std::string EncodeClientFrame(Opcode opcode, std::string_view payload, uint32_t mask_key);
// A server frame (unmasked); for tests and the fuzz target's round trips.
std::string EncodeServerFrame(Opcode opcode, std::string_view payload, bool fin = true);

// Decodes one server frame from the start of `in`: nullopt while `in` holds
// only part of it. Never reads past the frame's last byte (frame.wire_size).
core::Result<std::optional<Frame>> DecodeFrame(std::string_view in, const FrameLimits& limits = {});

struct Message {
  Opcode opcode = Opcode::kBinary;  // kText, kBinary, kClose, kPing or kPong
  std::string payload;
};

// Buffers bytes from the wire and yields whole messages: data messages with
// fragments joined, control frames (which may arrive between fragments) as
// they come. A protocol violation is sticky: Next() keeps returning it.
class MessageReader {
 public:
  explicit MessageReader(FrameLimits limits = {}) : limits_(limits) {}
  void Append(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }
  // The next message, nullopt when the buffered bytes hold none yet.
  core::Result<std::optional<Message>> Next();
  // Bytes received but not yet part of a whole frame.
  size_t buffered() const { return buffer_.size() - offset_; }

 private:
  FrameLimits limits_;
  std::string buffer_;
  size_t offset_ = 0;
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::kBinary;
  std::string message_;
  core::Status error_;
};

// "1000 normal closure" style text of a close frame's payload.
std::string DescribeClose(std::string_view payload);

// ---- A client connection

// One WebSocket over a Client::OpenStream() connection. Not thread-safe:
// one thread drives it (the port-forward pump).
class WebSocket {
 public:
  // Connects (proxy, TLS), sends the upgrade for `path_and_query` with the
  // client's auth and impersonation headers, and checks the 101 answer
  // within `timeout` (0 = none). A non-101 answer is returned as
  // UpgradeFailure so callers can word it (403 -> RBAC). One retry after a
  // 401 when the credential source can refresh, as for requests.
  struct UpgradeFailure {
    long status = 0;
    std::string reason;
    std::string body;
  };
  static core::Result<std::unique_ptr<WebSocket>> Dial(const Client& client, const std::string& path_and_query,
                                                       const std::vector<std::string>& protocols,
                                                       std::chrono::milliseconds timeout,
                                                       UpgradeFailure* failure = nullptr);
  ~WebSocket();

  const std::string& protocol() const { return protocol_; }
  int socket() const;

  // Sends one masked frame, waiting up to `timeout` for the socket.
  core::Status Send(Opcode opcode, std::string_view payload, std::chrono::milliseconds timeout);
  // Reads what the socket holds now (never blocks) and returns the next
  // whole message if there is one. `closed` is set when the stream ended.
  core::Result<std::optional<Message>> Poll(bool* closed);

 private:
  WebSocket(std::unique_ptr<RawStream> stream, std::string protocol, std::string leftover);
  std::unique_ptr<RawStream> stream_;
  std::string protocol_;
  MessageReader reader_;
  bool eof_ = false;
};

}  // namespace meshctl::kube::ws
