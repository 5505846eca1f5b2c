// libcurl adapter for HttpClient. Keeps every libcurl detail in this file.
#include "lib/io/http_client.h"

#include "lib/core/strings.h"

#include "lib/io/curl_api.h"

namespace meshctl::io {

namespace {

struct BodySink {
  std::string* body;
  size_t limit;
  bool overflow = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t n = size * nmemb;
  if (sink->body->size() + n > sink->limit) {
    sink->overflow = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

// A short human explanation for the libcurl codes users actually meet.
std::string Explain(CURLcode code) {
  std::string what;
  switch (code) {
    case CURLE_COULDNT_CONNECT: what = "connection refused"; break;
    case CURLE_COULDNT_RESOLVE_HOST: what = "cannot resolve host name"; break;
    case CURLE_OPERATION_TIMEDOUT: what = "timed out"; break;
    case CURLE_GOT_NOTHING: what = "connection closed without a response"; break;
    case CURLE_RECV_ERROR: what = "connection broken while receiving"; break;
    case CURLE_SEND_ERROR: what = "connection broken while sending"; break;
    case CURLE_PARTIAL_FILE: what = "response body truncated (connection closed early)"; break;
    case CURLE_PEER_FAILED_VERIFICATION: what = "server certificate not trusted"; break;
    case CURLE_SSL_CONNECT_ERROR: what = "TLS handshake failed"; break;
    case CURLE_UNSUPPORTED_PROTOCOL: what = "unsupported URL scheme"; break;
    case CURLE_URL_MALFORMAT: what = "malformed URL"; break;
    default: what = Curl().easy_strerror(code); break;
  }
  return what;
}

class CurlHttpClient : public HttpClient {
 public:
  core::Result<HttpResponse> Do(const HttpRequest& req) override {
    ASSIGN_OR_RETURN(const CurlApi* api, LoadCurl());
    CURL* curl = api->easy_init();
    if (curl == nullptr) return core::Internal("cannot initialise libcurl");
    HttpResponse resp;
    BodySink sink{&resp.body, req.max_body_bytes};
    char errbuf[CURL_ERROR_SIZE] = {0};
    struct curl_slist* headers = nullptr;

    api->easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    api->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    api->easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
    api->easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    api->easy_setopt(curl, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
    api->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    api->easy_setopt(curl, CURLOPT_USERAGENT, "meshctl");
    if (req.timeout.count() > 0) {
      api->easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
    }
    if (req.method == "GET") {
      api->easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
      if (req.method == "POST") {
        api->easy_setopt(curl, CURLOPT_POST, 1L);
      } else {
        api->easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      }
      api->easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.c_str());
      api->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    if (!req.content_type.empty()) {
      headers = api->slist_append(headers, ("Content-Type: " + req.content_type).c_str());
    }
    for (const auto& [name, value] : req.headers) headers = api->slist_append(headers, (name + ": " + value).c_str());
    headers = api->slist_append(headers, "Expect:");  // no 100-continue round trip
    api->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (!req.tls.ca_file.empty()) api->easy_setopt(curl, CURLOPT_CAINFO, req.tls.ca_file.c_str());
    if (!req.tls.cert_file.empty()) api->easy_setopt(curl, CURLOPT_SSLCERT, req.tls.cert_file.c_str());
    if (!req.tls.key_file.empty()) api->easy_setopt(curl, CURLOPT_SSLKEY, req.tls.key_file.c_str());
    if (req.tls.insecure_skip_verify) {
      api->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      api->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    CURLcode rc = api->easy_perform(curl);
    long status = 0;
    api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    char* ctype = nullptr;
    api->easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ctype);
    if (ctype != nullptr) resp.content_type = ctype;
    api->slist_free_all(headers);
    api->easy_cleanup(curl);

    if (sink.overflow) {
      return core::DataError(req.method + " " + req.url + ": response body larger than " +
                             std::to_string(req.max_body_bytes) + " bytes");
    }
    if (rc != CURLE_OK) {
      std::string what = Explain(rc);
      std::string detail = errbuf;
      // Replies that are not HTTP, or whose headers are absurd, are not a
      // "URL scheme" or network problem: say what the endpoint sent.
      if (rc == CURLE_WEIRD_SERVER_REPLY || detail.find("HTTP/0.9") != std::string::npos) {
        what = "the reply is not HTTP (is this the Envoy admin port?)";
      } else if (core::ToLower(detail).find("header") != std::string::npos &&
                 (detail.find("max") != std::string::npos || detail.find("large") != std::string::npos ||
                  detail.find("Rejected") != std::string::npos)) {
        what = "the reply's HTTP headers are too large (not an Envoy admin reply)";
      } else if (rc == CURLE_OUT_OF_MEMORY) {
        // What libcurl returns for response headers over its limit (100 KB).
        what = "the reply's HTTP headers are too large, or libcurl ran out of memory (not an Envoy admin reply)";
      }
      if (rc == CURLE_OPERATION_TIMEDOUT) what.append(" after ").append(std::to_string(req.timeout.count())).append("ms");
      if (errbuf[0] != '\0') what.append(" (").append(errbuf).append(")");
      return core::Unavailable(req.method + " " + req.url + ": " + what);
    }
    resp.status = status;
    return resp;
  }
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient() { return std::make_unique<CurlHttpClient>(); }

core::Status CheckHttpOk(const HttpRequest& request, const HttpResponse& response) {
  if (response.status == 200) return core::Status::Ok();
  std::string excerpt = response.body.substr(0, 200);
  while (!excerpt.empty() && (excerpt.back() == '\n' || excerpt.back() == '\r' || excerpt.back() == ' ')) {
    excerpt.pop_back();
  }
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::string msg = request.method;
  msg.append(" ").append(request.url).append(": HTTP ").append(std::to_string(response.status));
  if (!excerpt.empty()) msg.append(": ").append(excerpt);
  if (response.body.size() > 200) msg += "...";
  return core::Unavailable(msg);
}

}  // namespace meshctl::io
