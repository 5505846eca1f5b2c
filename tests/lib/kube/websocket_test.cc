// The WebSocket codec of lib/kube/websocket.h: the RFC 6455 handshake
// check, masked client frames, the server frame reader's bounds and
// protocol errors. Hermetic (no socket).
#include "lib/kube/websocket.h"

#include <catch2/catch.hpp>

namespace meshctl::kube::ws {
namespace {

TEST_CASE("websocket: accept key is RFC 6455's example", "[kube][websocket]") {
  // RFC 6455 §1.3: the nonce "the sample nonce".
  CHECK(KeyFromNonce("the sample nonce") == "dGhlIHNhbXBsZSBub25jZQ==");
  CHECK(AcceptFor("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  CHECK(NewKey().size() == 24);
  CHECK(NewKey() != NewKey());
}

TEST_CASE("websocket: upgrade request and answer check", "[kube][websocket]") {
  UpgradeRequest r;
  r.host = "127.0.0.1:6443";
  r.path_and_query = "/api/v1/namespaces/ns/pods/p/portforward?ports=15000";
  r.key = "dGhlIHNhbXBsZSBub25jZQ==";
  r.protocols = {"v4.channel.k8s.io"};
  r.headers = {"Host: ignored", "Authorization: Bearer x"};
  std::string text = BuildUpgradeRequest(r);
  CHECK(text.rfind("GET /api/v1/namespaces/ns/pods/p/portforward?ports=15000 HTTP/1.1\r\nHost: 127.0.0.1:6443\r\n",
                   0) == 0);
  CHECK(text.find("Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n") != std::string::npos);
  CHECK(text.find("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
  CHECK(text.find("Host: ignored") == std::string::npos);
  CHECK(text.size() > 4);
  CHECK(text.substr(text.size() - 4) == "\r\n\r\n");

  std::string answer =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n";
  std::string frames = EncodeServerFrame(Opcode::kBinary, std::string("\0\x98\x3a", 3));
  // Partial heads wait; the head never swallows the frames after it.
  for (size_t n = 0; n < answer.size(); ++n) {
    auto partial = ParseResponseHead(std::string_view(answer).substr(0, n));
    REQUIRE(partial.ok());
    CHECK_FALSE(partial->has_value());
  }
  auto head = ParseResponseHead(answer + frames);
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  CHECK((*head)->size == answer.size());
  CHECK((*head)->status == 101);
  CHECK((*head)->Header("sec-websocket-protocol") == "v4.channel.k8s.io");
  auto proto = CheckUpgrade(**head, r.key, r.protocols);
  REQUIRE(proto.ok());
  CHECK(*proto == "v4.channel.k8s.io");

  auto wrong_key = CheckUpgrade(**head, "AAAAAAAAAAAAAAAAAAAAAA==", r.protocols);
  REQUIRE_FALSE(wrong_key.ok());
  CHECK_THAT(wrong_key.status().message(), Catch::Contains("Sec-WebSocket-Accept"));
  auto not_offered = CheckUpgrade(**head, r.key, {"v5.channel.k8s.io"});
  REQUIRE_FALSE(not_offered.ok());
  CHECK_THAT(not_offered.status().message(), Catch::Contains("not offered"));

  auto bad = ParseResponseHead("HTTP/1.1 1x1 nope\r\n\r\n");
  CHECK_FALSE(bad.ok());
  auto huge = ParseResponseHead(std::string(70000, 'a'));
  CHECK_FALSE(huge.ok());
  auto forbidden = ParseResponseHead("HTTP/1.1 403 Forbidden\r\n\r\n");
  REQUIRE(forbidden.ok());
  REQUIRE(forbidden->has_value());
  CHECK((*forbidden)->status == 403);
  CHECK((*forbidden)->reason == "Forbidden");
  CHECK_FALSE(CheckUpgrade(**forbidden, r.key, r.protocols).ok());
}

TEST_CASE("websocket: client frames are masked and decode back", "[kube][websocket]") {
  for (size_t n : {size_t{0}, size_t{5}, size_t{125}, size_t{126}, size_t{65535}, size_t{65536}, size_t{70000}}) {
    std::string payload(n, '\0');
    for (size_t i = 0; i < n; ++i) payload[i] = static_cast<char>(i * 7);
    std::string wire = EncodeClientFrame(Opcode::kBinary, payload, 0x11223344);
    CHECK((static_cast<uint8_t>(wire[0])) == 0x82);
    CHECK((static_cast<uint8_t>(wire[1]) & 0x80) == 0x80);  // masked
    // Unmask by hand: header, 4-byte key, payload.
    size_t header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    REQUIRE(wire.size() == header + 4 + n);
    const unsigned char key[4] = {0x11, 0x22, 0x33, 0x44};
    CHECK(std::string_view(wire).substr(header, 4) == std::string_view(reinterpret_cast<const char*>(key), 4));
    std::string back = wire.substr(header + 4);
    for (size_t i = 0; i < n; ++i) back[i] = static_cast<char>(back[i] ^ key[i % 4]);
    CHECK(back == payload);
    if (n > 0) CHECK(wire.substr(header + 4) != payload);
  }
}

TEST_CASE("websocket: the frame reader never reads past a frame", "[kube][websocket]") {
  std::string a = EncodeServerFrame(Opcode::kBinary, "hello");
  std::string b = EncodeServerFrame(Opcode::kBinary, std::string(300, 'x'));
  std::string c = EncodeServerFrame(Opcode::kBinary, std::string(70000, 'y'));
  std::string wire = a + b + c;
  FrameLimits limits;
  auto f = DecodeFrame(wire, limits);
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  CHECK((*f)->wire_size == a.size());
  CHECK((*f)->payload == "hello");
  f = DecodeFrame(std::string_view(wire).substr(a.size()), limits);
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  CHECK((*f)->wire_size == b.size());
  f = DecodeFrame(std::string_view(wire).substr(a.size() + b.size()), limits);
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  CHECK((*f)->wire_size == c.size());
  // Every strict prefix of a frame is "not yet".
  for (size_t n = 0; n < c.size(); n += 997) {
    auto part = DecodeFrame(std::string_view(c).substr(0, n), limits);
    REQUIRE(part.ok());
    CHECK_FALSE(part->has_value());
  }
  // Byte-at-a-time through the message reader gives the same messages.
  MessageReader reader;
  std::vector<std::string> got;
  for (char ch : wire) {
    reader.Append(std::string_view(&ch, 1));
    auto m = reader.Next();
    REQUIRE(m.ok());
    if (m->has_value()) got.push_back((*m)->payload);
  }
  REQUIRE(got.size() == 3);
  CHECK(got[1] == std::string(300, 'x'));
  CHECK(reader.buffered() == 0);
}

TEST_CASE("websocket: fragments join around control frames; violations are errors", "[kube][websocket]") {
  MessageReader reader;
  reader.Append(EncodeServerFrame(Opcode::kBinary, "ab", false));
  reader.Append(EncodeServerFrame(Opcode::kPing, "p"));
  reader.Append(EncodeServerFrame(Opcode::kContinuation, "cd", false));
  reader.Append(EncodeServerFrame(Opcode::kContinuation, "ef", true));
  auto m = reader.Next();
  REQUIRE(m.ok());
  REQUIRE(m->has_value());
  CHECK((*m)->opcode == Opcode::kPing);
  CHECK((*m)->payload == "p");
  m = reader.Next();
  REQUIRE(m.ok());
  REQUIRE(m->has_value());
  CHECK((*m)->opcode == Opcode::kBinary);
  CHECK((*m)->payload == "abcdef");
  m = reader.Next();
  REQUIRE(m.ok());
  CHECK_FALSE(m->has_value());

  struct Bad {
    std::string wire;
    std::string says;
  };
  std::string masked = EncodeClientFrame(Opcode::kBinary, "x", 1);
  std::vector<Bad> bad = {
      {masked, "masked"},
      {std::string("\xC2\x00", 2), "reserved"},
      {std::string("\x83\x00", 2), "opcode"},
      {EncodeServerFrame(Opcode::kContinuation, "x"), "continuation"},
      {EncodeServerFrame(Opcode::kPing, "x", false), "fragmented"},
      {EncodeServerFrame(Opcode::kPing, std::string(126, 'x')), "125"},
      {EncodeServerFrame(Opcode::kBinary, "a", false) + EncodeServerFrame(Opcode::kText, "b"), "unfinished"},
      {std::string("\x82\x7E\x00\x05hello", 9), "shortest"},
      {std::string("\x82\x7F\x80\x00\x00\x00\x00\x00\x00\x00", 10), "top bit"},
  };
  for (const auto& b : bad) {
    MessageReader r;
    r.Append(b.wire);
    auto res = r.Next();
    if (res.ok()) res = r.Next();
    INFO(b.says);
    REQUIRE_FALSE(res.ok());
    CHECK(res.status().code() == core::StatusCode::kDataError);
    CHECK_THAT(res.status().message(), Catch::Contains(b.says));
    CHECK_FALSE(r.Next().ok());  // sticky
  }

  FrameLimits small;
  small.max_payload = 100;
  small.max_message = 150;
  MessageReader limited(small);
  limited.Append(EncodeServerFrame(Opcode::kBinary, std::string(101, 'z')));
  CHECK_FALSE(limited.Next().ok());
  MessageReader joined(small);
  joined.Append(EncodeServerFrame(Opcode::kBinary, std::string(100, 'z'), false));
  joined.Append(EncodeServerFrame(Opcode::kContinuation, std::string(100, 'z')));
  auto over = joined.Next();
  REQUIRE_FALSE(over.ok());
  CHECK_THAT(over.status().message(), Catch::Contains("limit"));

  CHECK(DescribeClose(std::string("\x03\xe8"
                                  "bye",
                                  5)) == "status 1000: bye");
  CHECK(DescribeClose("") == "no status code");
}

}  // namespace
}  // namespace meshctl::kube::ws
