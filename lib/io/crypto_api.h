// OpenSSL's libcrypto, loaded when meshctl first reads a certificate or
// hashes something. meshctl does not link OpenSSL: libcrypto alone cost
// every command ~2.6 M instructions of symbol relocation at start-up
// (bench/README.md, "Start-up"), and only certificate checks (analyze,
// proxy-config secret), WebSocket handshakes and TLS (through libcurl,
// which loads it anyway) need it.
//
// To call a libcrypto function that is not in the table yet: add a member
// below and one line to Load() in crypto_api.cc. Macros that expand to
// library calls (OPENSSL_free, sk_*_num/value) have members of their own.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "lib/core/status.h"

namespace meshctl::io {

// The libcrypto entry points meshctl uses, resolved from libcrypto.so.3.
struct CryptoApi {
  BIO* (*bio_new_mem_buf)(const void*, int);
  int (*bio_free)(BIO*);
  X509* (*pem_read_bio_x509)(BIO*, X509**, pem_password_cb*, void*);
  void (*x509_free)(X509*);
  int (*x509_cmp_current_time)(const ASN1_TIME*);
  const ASN1_TIME* (*x509_get0_not_before)(const X509*);
  const ASN1_TIME* (*x509_get0_not_after)(const X509*);
  uint32_t (*x509_get_extension_flags)(X509*);
  const ASN1_INTEGER* (*x509_get0_serial_number)(const X509*);
  void* (*x509_get_ext_d2i)(const X509*, int, int*, int*);
  int (*asn1_time_to_tm)(const ASN1_TIME*, struct tm*);
  BIGNUM* (*asn1_integer_to_bn)(const ASN1_INTEGER*, BIGNUM*);
  const unsigned char* (*asn1_string_get0_data)(const ASN1_STRING*);
  int (*asn1_string_length)(const ASN1_STRING*);
  char* (*bn_bn2hex)(const BIGNUM*);
  void (*bn_free)(BIGNUM*);
  void (*crypto_free)(void*, const char*, int);        // OPENSSL_free
  int (*sk_num)(const OPENSSL_STACK*);                  // sk_*_num
  void* (*sk_value)(const OPENSSL_STACK*, int);         // sk_*_value
  void (*general_names_free)(GENERAL_NAMES*);
  unsigned char* (*sha1)(const unsigned char*, size_t, unsigned char*);
};

// libcrypto, loaded once per process; Unavailable naming the library when
// it cannot be loaded.
core::Result<const CryptoApi*> LoadCrypto();

}  // namespace meshctl::io
