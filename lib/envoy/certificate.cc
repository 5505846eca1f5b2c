#include "lib/envoy/certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

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

bool AsnTimeToUnix(const ASN1_TIME* t, int64_t* out) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm));
  return true;
}

}  // namespace

CertificateInfo ParseFirstCertificate(std::string_view pem) {
  CertificateInfo info;
  if (pem.empty()) return info;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return info;
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                  X509_free);
  if (!cert) return info;
  if (!AsnTimeToUnix(X509_get0_notBefore(cert.get()), &info.not_before) ||
      !AsnTimeToUnix(X509_get0_notAfter(cert.get()), &info.not_after)) {
    return info;
  }
  info.is_ca = (X509_get_extension_flags(cert.get()) & EXFLAG_CA) != 0;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr),
                                                 BN_free);
  if (bn) {
    char* hex = BN_bn2hex(bn.get());
    std::string s = hex != nullptr ? hex : "";
    OPENSSL_free(hex);
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool negative = !s.empty() && s[0] == '-';
    if (negative) s.erase(0, 1);
    while (s.size() > 1 && s[0] == '0') s.erase(0, 1);  // BN_bn2hex pads to whole bytes
    if (s.size() < 32) s.insert(0, 32 - s.size(), '0');
    info.serial_hex = (negative ? "-" : "") + s;
  }
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans) && info.trust_domain.empty(); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
      if (gn->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = gn->d.uniformResourceIdentifier;
      std::string u(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)), static_cast<size_t>(ASN1_STRING_length(uri)));
      if (u.rfind("spiffe://", 0) != 0) continue;
      std::string rest = u.substr(9);
      info.trust_domain = rest.substr(0, rest.find('/'));
    }
    GENERAL_NAMES_free(sans);
  }
  info.parsed = true;
  return info;
}

}  // namespace meshctl::envoy
