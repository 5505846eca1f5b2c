// HTTP behind a small interface so commands (proxy-config, proxy-status's
// diff mode) and their tests can use a real client or a fake. The real one is
// libcurl (NewCurlHttpClient). Only lib/io knows about libcurl.
//
// Contract of Do():
//   - transport failures (DNS, connection refused, reset, timeout, TLS) are
//     core::Unavailable naming the method, the URL and what went wrong;
//   - any HTTP status is a successful Do(); callers decide what a non-2xx
//     means (CheckHttpOk gives the standard "status + body excerpt" error).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::io {

// TLS settings for https:// URLs (ignored for http://).
struct TlsOptions {
  std::string ca_file;                // PEM bundle to verify the server with; "" = system store
  std::string cert_file;              // client certificate (PEM) for mTLS
  std::string key_file;               // client private key (PEM) for mTLS
  bool insecure_skip_verify = false;  // do not verify the server certificate or host name
};

struct HttpRequest {
  std::string method = "GET";  // GET, POST, ...
  std::string url;             // absolute: http://host:port/path?query
  std::string body;            // request body (POST); may be empty
  std::string content_type;    // Content-Type of body; "" = none sent
  // Extra request headers ("Authorization", "Bearer ..."); never logged.
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{30000};  // whole-request deadline; 0 = none
  TlsOptions tls;
  // Bodies longer than this fail with DataError instead of exhausting memory.
  size_t max_body_bytes = size_t{2} << 30;
};

struct HttpResponse {
  long status = 0;           // HTTP status code, e.g. 200
  std::string body;          // the whole response body
  std::string content_type;  // Content-Type header, "" when absent
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual core::Result<HttpResponse> Do(const HttpRequest& request) = 0;
};

// A libcurl-backed client. Thread-compatible (one client per thread).
std::unique_ptr<HttpClient> NewCurlHttpClient();

// Ok for 200; otherwise Unavailable
// "<METHOD> <url>: HTTP <status>: <first 200 bytes of the body>".
core::Status CheckHttpOk(const HttpRequest& request, const HttpResponse& response);

}  // namespace meshctl::io
