#include "lib/io/curl_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace meshctl::io {

namespace {

// The soname Debian's libcurl4 (OpenSSL flavour) installs; the package
// depends on it explicitly (scripts/packaging/package.cmake).
constexpr const char* kLibcurl = "libcurl.so.4";

struct Loaded {
  CurlApi api{};
  bool ok = false;
  std::string error;
};

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn*& fn, std::string& missing) {
  fn = reinterpret_cast<Fn*>(dlsym(handle, name));
  if (fn == nullptr && missing.empty()) missing = name;
  return fn != nullptr;
}

Loaded Load() {
  Loaded out;
  // RTLD_LOCAL: the rest of the process never binds to libcurl by name.
  void* handle = dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = std::string("cannot load ") + kLibcurl + " (libcurl, needed to talk HTTP): " +
                (why ? why : "unknown error");
    return out;
  }
  CurlApi& a = out.api;
  std::string missing;
  CURLcode (*global_init)(long) = nullptr;
  Resolve(handle, "curl_global_init", global_init, missing);
  Resolve(handle, "curl_easy_init", a.easy_init, missing);
  Resolve(handle, "curl_easy_cleanup", a.easy_cleanup, missing);
  Resolve(handle, "curl_easy_reset", a.easy_reset, missing);
  Resolve(handle, "curl_easy_setopt", a.easy_setopt, missing);
  Resolve(handle, "curl_easy_getinfo", a.easy_getinfo, missing);
  Resolve(handle, "curl_easy_perform", a.easy_perform, missing);
  Resolve(handle, "curl_easy_send", a.easy_send, missing);
  Resolve(handle, "curl_easy_recv", a.easy_recv, missing);
  Resolve(handle, "curl_easy_strerror", a.easy_strerror, missing);
  Resolve(handle, "curl_slist_append", a.slist_append, missing);
  Resolve(handle, "curl_slist_free_all", a.slist_free_all, missing);
  if (!missing.empty()) {
    out.error = std::string(kLibcurl) + " has no " + missing + " (libcurl 7.85 or later is needed)";
    return out;
  }
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    out.error = std::string("cannot initialise ") + kLibcurl;
    return out;
  }
  out.ok = true;
  return out;  // the handle stays open until exit: handles and threads outlive any caller
}

const Loaded& Library() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = Load(); });
  return loaded;
}

}  // namespace

core::Result<const CurlApi*> LoadCurl() {
  const Loaded& l = Library();
  if (!l.ok) return core::Unavailable(l.error);
  return &l.api;
}

const CurlApi& Curl() {
  const Loaded& l = Library();
  if (!l.ok) std::abort();  // a caller skipped LoadCurl(): a bug, not input
  return l.api;
}

}  // namespace meshctl::io
