#include "lib/analysis/cert_check.h"

#include <memory>

#include "lib/io/crypto_api.h"

namespace meshctl::analysis {

bool DecodeBase64(std::string_view in, std::string& out) {
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    else return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

namespace {

bool HasValue(const yaml::Node* data, std::string_view a, std::string_view b) {
  const yaml::Node* x = data->Get(a);
  const yaml::Node* y = data->Get(b);
  return x && y && x->IsScalar() && y->IsScalar() && !x->IsNull() && !y->IsNull() && !x->text().empty() &&
         !y->text().empty();
}

bool ValidCertificatePem(const std::string& pem) {
  auto loaded = io::LoadCrypto();
  if (!loaded.ok()) return false;  // libcrypto is a package dependency: only a broken install gets here
  const io::CryptoApi& c = **loaded;
  std::unique_ptr<BIO, int (*)(BIO*)> bio(c.bio_new_mem_buf(pem.data(), static_cast<int>(pem.size())), c.bio_free);
  if (!bio) return false;
  std::unique_ptr<X509, void (*)(X509*)> cert(c.pem_read_bio_x509(bio.get(), nullptr, nullptr, nullptr), c.x509_free);
  if (!cert) return false;
  if (c.x509_cmp_current_time(c.x509_get0_not_after(cert.get())) < 0) return false;
  if (c.x509_cmp_current_time(c.x509_get0_not_before(cert.get())) > 0) return false;
  return true;
}

}  // namespace

bool IsValidCredentialSecret(const model::Resource& secret) {
  const yaml::Node* data = secret.Find("data");
  if (!data || !data->IsMap()) return false;
  std::string_view cert_key;
  if (HasValue(data, "cert", "key")) cert_key = "cert";
  else if (HasValue(data, "tls.crt", "tls.key")) cert_key = "tls.crt";
  else return false;
  std::string pem;
  if (!DecodeBase64(data->Get(cert_key)->text(), pem)) return false;
  return ValidCertificatePem(pem);
}

}  // namespace meshctl::analysis
