#include "lib/envoy/certificate.h"

#include <ctime>
#include <memory>

#include "lib/io/crypto_api.h"

namespace meshctl::envoy {

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    else return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string FormatRfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

bool AsnTimeToUnix(const io::CryptoApi& c, const ASN1_TIME* t, int64_t* out) {
  std::tm tm{};
  if (t == nullptr || c.asn1_time_to_tm(t, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm));
  return true;
}

}  // namespace

CertificateInfo ParseFirstCertificate(std::string_view pem) {
  CertificateInfo info;
  if (pem.empty()) return info;
  auto loaded = io::LoadCrypto();
  if (!loaded.ok()) return info;  // libcrypto is a package dependency: only a broken install gets here
  const io::CryptoApi& c = **loaded;
  std::unique_ptr<BIO, int (*)(BIO*)> bio(c.bio_new_mem_buf(pem.data(), static_cast<int>(pem.size())), c.bio_free);
  if (!bio) return info;
  std::unique_ptr<X509, void (*)(X509*)> cert(c.pem_read_bio_x509(bio.get(), nullptr, nullptr, nullptr), c.x509_free);
  if (!cert) return info;
  if (!AsnTimeToUnix(c, c.x509_get0_not_before(cert.get()), &info.not_before) ||
      !AsnTimeToUnix(c, c.x509_get0_not_after(cert.get()), &info.not_after)) {
    return info;
  }
  info.is_ca = (c.x509_get_extension_flags(cert.get()) & EXFLAG_CA) != 0;
  std::unique_ptr<BIGNUM, void (*)(BIGNUM*)> bn(c.asn1_integer_to_bn(c.x509_get0_serial_number(cert.get()), nullptr),
                                               c.bn_free);
  if (bn) {
    char* hex = c.bn_bn2hex(bn.get());
    std::string s = hex != nullptr ? hex : "";
    c.crypto_free(hex, __FILE__, __LINE__);
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool negative = !s.empty() && s[0] == '-';
    if (negative) s.erase(0, 1);
    while (s.size() > 1 && s[0] == '0') s.erase(0, 1);  // BN_bn2hex pads to whole bytes
    if (s.size() < 32) s.insert(0, 32 - s.size(), '0');
    info.serial_hex = (negative ? "-" : "") + s;
  }
  auto* sans = static_cast<GENERAL_NAMES*>(c.x509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    const auto* stack = reinterpret_cast<const OPENSSL_STACK*>(sans);
    for (int i = 0; i < c.sk_num(stack) && info.trust_domain.empty(); ++i) {
      const auto* gn = static_cast<const GENERAL_NAME*>(c.sk_value(stack, i));
      if (gn->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = gn->d.uniformResourceIdentifier;
      std::string u(reinterpret_cast<const char*>(c.asn1_string_get0_data(uri)),
                    static_cast<size_t>(c.asn1_string_length(uri)));
      if (u.rfind("spiffe://", 0) != 0) continue;
      std::string rest = u.substr(9);
      info.trust_domain = rest.substr(0, rest.find('/'));
    }
    c.general_names_free(sans);
  }
  info.parsed = true;
  return info;
}

}  // namespace meshctl::envoy
