// X.509 facts for `proxy-config secret`, parsed with OpenSSL from the PEM
// (base64 inline_bytes) Envoy shows in its SecretsConfigDump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshctl::envoy {

struct CertificateInfo {
  bool parsed = false;
  bool is_ca = false;
  std::string serial_hex;      // lower-case, zero-padded to at least 32 digits
  int64_t not_before = 0;      // Unix seconds
  int64_t not_after = 0;
  std::string trust_domain;    // from a spiffe:// URI SAN, "" when none
  // NotBefore < now < NotAfter.
  bool ValidAt(int64_t now) const { return parsed && not_before < now && now < not_after; }
};

// Decodes standard base64 (padding optional, whitespace ignored); nullopt on
// any other character.
std::optional<std::string> DecodeBase64(std::string_view text);
// Parses the first PEM certificate block of `pem`; parsed=false when there
// is none or it does not decode.
CertificateInfo ParseFirstCertificate(std::string_view pem);
// RFC 3339 in UTC: 2033-05-02T03:41:33Z.
std::string FormatRfc3339(int64_t unix_seconds);

}  // namespace meshctl::envoy
