#include "lib/io/crypto_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace meshctl::io {

namespace {

// The soname of Debian 12's libssl3 package (OpenSSL 3).
constexpr const char* kLibcrypto = "libcrypto.so.3";

struct Loaded {
  CryptoApi api{};
  bool ok = false;
  std::string error;
};

template <typename Fn>
void Resolve(void* handle, const char* name, Fn*& fn, std::string& missing) {
  fn = reinterpret_cast<Fn*>(dlsym(handle, name));
  if (fn == nullptr && missing.empty()) missing = name;
}

Loaded Load() {
  Loaded out;
  void* handle = dlopen(kLibcrypto, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = std::string("cannot load ") + kLibcrypto + " (OpenSSL, needed to read certificates): " +
                (why ? why : "unknown error");
    return out;
  }
  CryptoApi& a = out.api;
  std::string missing;
  Resolve(handle, "BIO_new_mem_buf", a.bio_new_mem_buf, missing);
  Resolve(handle, "BIO_free", a.bio_free, missing);
  Resolve(handle, "PEM_read_bio_X509", a.pem_read_bio_x509, missing);
  Resolve(handle, "X509_free", a.x509_free, missing);
  Resolve(handle, "X509_cmp_current_time", a.x509_cmp_current_time, missing);
  Resolve(handle, "X509_get0_notBefore", a.x509_get0_not_before, missing);
  Resolve(handle, "X509_get0_notAfter", a.x509_get0_not_after, missing);
  Resolve(handle, "X509_get_extension_flags", a.x509_get_extension_flags, missing);
  Resolve(handle, "X509_get0_serialNumber", a.x509_get0_serial_number, missing);
  Resolve(handle, "X509_get_ext_d2i", a.x509_get_ext_d2i, missing);
  Resolve(handle, "ASN1_TIME_to_tm", a.asn1_time_to_tm, missing);
  Resolve(handle, "ASN1_INTEGER_to_BN", a.asn1_integer_to_bn, missing);
  Resolve(handle, "ASN1_STRING_get0_data", a.asn1_string_get0_data, missing);
  Resolve(handle, "ASN1_STRING_length", a.asn1_string_length, missing);
  Resolve(handle, "BN_bn2hex", a.bn_bn2hex, missing);
  Resolve(handle, "BN_free", a.bn_free, missing);
  Resolve(handle, "CRYPTO_free", a.crypto_free, missing);
  Resolve(handle, "OPENSSL_sk_num", a.sk_num, missing);
  Resolve(handle, "OPENSSL_sk_value", a.sk_value, missing);
  Resolve(handle, "GENERAL_NAMES_free", a.general_names_free, missing);
  Resolve(handle, "SHA1", a.sha1, missing);
  if (!missing.empty()) {
    out.error = std::string(kLibcrypto) + " has no " + missing + " (OpenSSL 3 is needed)";
    return out;
  }
  out.ok = true;
  return out;  // stays loaded until exit
}

}  // namespace

core::Result<const CryptoApi*> LoadCrypto() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = Load(); });
  if (!loaded.ok) return core::Unavailable(loaded.error);
  return &loaded.api;
}

}  // namespace meshctl::io
