// The WebSocket client codec (lib/kube/websocket.cc) on bytes a server (or a
// proxy in between) may send: the upgrade answer's head and the frames that
// follow it. Invariants: the head parser never claims bytes past the blank
// line; DecodeFrame never consumes more than it was given and a frame's
// wire_size is exactly its header plus payload; the MessageReader gives the
// same messages whether the bytes come at once or in chunks (the chunk sizes
// are taken from the input); control messages are at most 125 bytes and
// data messages within the limit; errors are DataError.
#include <string>
#include <vector>

#include "lib/kube/websocket.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using meshctl::core::StatusCode;
namespace ws = meshctl::kube::ws;

struct Outcome {
  std::vector<std::pair<int, std::string>> messages;
  bool failed = false;
};

Outcome ReadAll(std::string_view bytes, const std::vector<size_t>& chunks, const ws::FrameLimits& limits) {
  Outcome out;
  ws::MessageReader reader(limits);
  size_t at = 0, ci = 0;
  while (true) {
    size_t n = chunks.empty() ? bytes.size() - at : std::min(chunks[ci++ % chunks.size()], bytes.size() - at);
    reader.Append(bytes.substr(at, n));
    at += n;
    while (true) {
      auto m = reader.Next();
      if (!m.ok()) {
        MESHCTL_FUZZ_CHECK(m.status().code() == StatusCode::kDataError, "not a DataError: " + m.status().message());
        out.failed = true;
        return out;
      }
      if (!m->has_value()) break;
      const ws::Message& msg = **m;
      bool control = (static_cast<uint8_t>(msg.opcode) & 0x8) != 0;
      MESHCTL_FUZZ_CHECK(!control || msg.payload.size() <= 125, "control message over 125 bytes");
      MESHCTL_FUZZ_CHECK(msg.payload.size() <= limits.max_message, "message over the limit");
      MESHCTL_FUZZ_CHECK(msg.opcode != ws::Opcode::kContinuation, "a continuation returned as a message");
      out.messages.emplace_back(static_cast<int>(msg.opcode), msg.payload);
    }
    MESHCTL_FUZZ_CHECK(reader.buffered() <= at, "reader holds more than it was given");
    if (at >= bytes.size()) break;
  }
  return out;
}

}  // namespace

MESHCTL_FUZZ_TARGET(websocket_frame) {
  if (data.size() < 2) return;
  // First byte: chunk-size seed; the rest: what the server sends.
  auto seed = static_cast<uint8_t>(data[0]);
  std::string_view wire = data.substr(1);

  auto head = ws::ParseResponseHead(wire, 4096);
  std::string_view frames = wire;
  if (head.ok() && head->has_value()) {
    size_t size = (*head)->size;
    MESHCTL_FUZZ_CHECK(size >= 4 && size <= wire.size(), "head size outside the input");
    MESHCTL_FUZZ_CHECK(wire.substr(size - 4, 4) == "\r\n\r\n", "head does not end at the blank line");
    MESHCTL_FUZZ_CHECK(wire.substr(0, size - 4).find("\r\n\r\n") == std::string_view::npos,
                       "head runs past the first blank line");
    std::vector<std::string> offered = {"v4.channel.k8s.io"};
    (void)ws::CheckUpgrade(**head, "dGhlIHNhbXBsZSBub25jZQ==", offered);
    frames = wire.substr(size);
  } else if (!head.ok()) {
    MESHCTL_FUZZ_CHECK(head.status().code() == StatusCode::kDataError, "head error is not a DataError");
  }

  ws::FrameLimits limits;
  limits.max_payload = 4096;
  limits.max_message = 8192;
  // DecodeFrame: frame by frame over the whole input.
  std::string_view rest = frames;
  for (int i = 0; i < 10000 && !rest.empty(); ++i) {
    auto f = ws::DecodeFrame(rest, limits);
    if (!f.ok() || !f->has_value()) break;
    const ws::Frame& fr = **f;
    MESHCTL_FUZZ_CHECK(fr.wire_size > 0 && fr.wire_size <= rest.size(), "frame claims bytes it was not given");
    MESHCTL_FUZZ_CHECK(fr.payload.size() + 2 <= fr.wire_size && fr.wire_size <= fr.payload.size() + 10,
                       "wire size is not header + payload");
    MESHCTL_FUZZ_CHECK(fr.payload.size() <= limits.max_payload, "payload over the limit");
    // A strict prefix of the frame is never a frame.
    auto shorter = ws::DecodeFrame(rest.substr(0, fr.wire_size - 1), limits);
    MESHCTL_FUZZ_CHECK(!shorter.ok() || !shorter->has_value(), "a truncated frame decoded");
    // Re-encoding the frame gives the same bytes (lengths in shortest form).
    std::string again = ws::EncodeServerFrame(fr.opcode, fr.payload, fr.fin);
    MESHCTL_FUZZ_CHECK(again == rest.substr(0, fr.wire_size), "frame does not re-encode to its bytes");
    rest.remove_prefix(fr.wire_size);
  }

  Outcome whole = ReadAll(frames, {}, limits);
  std::vector<size_t> chunks = {size_t{1} + seed % 7, size_t{1} + seed / 7 % 13, 1, size_t{1} + seed};
  Outcome chunked = ReadAll(frames, chunks, limits);
  MESHCTL_FUZZ_CHECK(whole.failed == chunked.failed, "chunking changed whether the stream is valid");
  MESHCTL_FUZZ_CHECK(whole.messages == chunked.messages, "chunking changed the messages");

  // Client frames unmask back to the payload.
  std::string_view payload = frames.substr(0, std::min<size_t>(frames.size(), 300));
  uint32_t key = 0x9e3779b9u * (seed + 1u);
  std::string enc = ws::EncodeClientFrame(ws::Opcode::kBinary, payload, key);
  size_t hdr = payload.size() < 126 ? 2 : 4;
  MESHCTL_FUZZ_CHECK(enc.size() == hdr + 4 + payload.size(), "client frame size");
  for (size_t i = 0; i < payload.size(); ++i)
    MESHCTL_FUZZ_CHECK(static_cast<char>(enc[hdr + 4 + i] ^ enc[hdr + i % 4]) == payload[i],
                       "mask does not round-trip");
}
