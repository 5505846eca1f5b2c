// libcurl, loaded when a command first talks HTTP. meshctl does not link
// libcurl: with its closure (OpenSSL, GnuTLS, Kerberos, LDAP, SSH, ... about
// 30 shared libraries) loading it cost every command, `meshctl version`
// included, ~13 M instructions and ~10 ms before main (bench/README.md,
// "Start-up"). Only lib/io/http_client.cc and lib/kube/client.cc use it.
//
// To call a libcurl function that is not in the table yet: add a member
// below and one line to Resolve() in curl_api.cc.
#pragma once

#include <curl/curl.h>

#include "lib/core/status.h"

namespace meshctl::io {

// The libcurl entry points meshctl uses, resolved from libcurl.so.4.
struct CurlApi {
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  // The option's value follows as libcurl's variadic argument: long,
  // a pointer (string, callback, list, blob) or curl_off_t.
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_send)(CURL*, const void*, size_t, size_t*);
  CURLcode (*easy_recv)(CURL*, void*, size_t, size_t*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// libcurl, loaded and globally initialised once per process; Unavailable
// naming the library when it cannot be loaded (not installed).
core::Result<const CurlApi*> LoadCurl();

// The loaded table, for code that only runs once LoadCurl() succeeded (a
// kube::Client or an HTTP request in progress). Asserts that it did.
const CurlApi& Curl();

}  // namespace meshctl::io
