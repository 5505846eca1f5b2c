// libcurl client for the Kubernetes API (see client.h). Keeps every libcurl
// and simdjson detail in this file.
#include "lib/yaml/writer.h"
#include "lib/kube/client.h"

#include <poll.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <thread>

#include "lib/core/base64.h"
#include "lib/core/version.h"
#include "lib/io/curl_api.h"

namespace meshctl::kube {

namespace dom = simdjson::dom;

namespace {

constexpr size_t kMaxBody = size_t{1} << 30;
constexpr int kMaxAttempts = 4;                              // one try + three retries on 429/5xx
constexpr std::chrono::seconds kMaxRetryWait{10};            // a Retry-After above this is clamped

struct Sink {
  std::string* body;
  std::string* retry_after;
  bool overflow = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  if (s->body->size() + n > kMaxBody) {
    s->overflow = true;
    return 0;
  }
  s->body->append(data, n);
  return n;
}

size_t WriteHeader(char* data, size_t size, size_t nmemb, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  std::string_view line(data, n);
  constexpr std::string_view kRetry = "retry-after:";
  if (line.size() > kRetry.size()) {
    std::string head(line.substr(0, kRetry.size()));
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
    if (head == kRetry) {
      std::string_view v = line.substr(kRetry.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
      *s->retry_after = std::string(v);
    }
  }
  return n;
}

// Percent-encodes a query key or value the way curl_easy_escape does: every
// byte but ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX (upper-case hex).
std::string Escape(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

std::string ExplainCurl(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT: return "connection refused";
    case CURLE_COULDNT_RESOLVE_HOST: return "cannot resolve host name";
    case CURLE_COULDNT_RESOLVE_PROXY: return "cannot resolve the proxy's host name";
    case CURLE_GOT_NOTHING: return "connection closed without a response";
    case CURLE_RECV_ERROR: return "connection broken while receiving";
    case CURLE_SEND_ERROR: return "connection broken while sending";
    case CURLE_PEER_FAILED_VERIFICATION: return "the server's certificate is not trusted or does not match its name";
    case CURLE_SSL_CONNECT_ERROR: return "TLS handshake failed";
    case CURLE_SSL_CERTPROBLEM: return "the client certificate cannot be used";
    default: return io::Curl().easy_strerror(code);
  }
}

// "host:port" of "https://host:port/prefix" (port defaulted by scheme).
void SplitServer(const std::string& server, std::string& scheme, std::string& host_port, std::string& host,
                 std::string& port) {
  size_t p = server.find("://");
  scheme = p == std::string::npos ? "https" : server.substr(0, p);
  std::string rest = p == std::string::npos ? server : server.substr(p + 3);
  rest = rest.substr(0, rest.find('/'));
  host_port = rest;
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    host = rest;
    port = scheme == "http" ? "80" : "443";
    host_port = host + ":" + port;
  }
}

std::string DurationText(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return fmt::format("{}s", ms.count() / 1000);
  return fmt::format("{}ms", ms.count());
}

// ---- JSON writing (compact, only what we keep)

void AppendElement(std::string& out, dom::element e) { out += simdjson::minify(e); }

// An object with only `keep` keys (all keys when keep is empty), values
// written by `value` (nullptr = as they are).
using ValueWriter = void (*)(std::string&, std::string_view key, dom::element);

void AppendObject(std::string& out, dom::object obj, std::initializer_list<std::string_view> keep,
                  ValueWriter value = nullptr) {
  out.push_back('{');
  bool first = true;
  for (auto field : obj) {
    if (keep.size() && std::find(keep.begin(), keep.end(), field.key) == keep.end()) continue;
    if (!first) out.push_back(',');
    first = false;
    yaml::AppendJsonString(out, field.key);
    out.push_back(':');
    if (value) {
      value(out, field.key, field.value);
    } else {
      AppendElement(out, field.value);
    }
  }
  out.push_back('}');
}

// metadata: managedFields keep their manager/operation/apiVersion (the
// canary ownership check reads the manager) without the bulky fieldsV1.
void AppendMetadataValue(std::string& out, std::string_view key, dom::element v) {
  dom::array arr;
  if (key == "managedFields" && v.get_array().get(arr) == simdjson::SUCCESS) {
    out.push_back('[');
    bool first = true;
    for (dom::element m : arr) {
      dom::object mo;
      if (m.get_object().get(mo) != simdjson::SUCCESS) continue;
      if (!first) out.push_back(',');
      first = false;
      AppendObject(out, mo, {"manager", "operation", "apiVersion", "subresource"});
    }
    out.push_back(']');
    return;
  }
  AppendElement(out, v);
}

void AppendContainers(std::string& out, dom::element v) {
  dom::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    AppendElement(out, v);
    return;
  }
  out.push_back('[');
  bool first = true;
  for (dom::element c : arr) {
    if (!first) out.push_back(',');
    first = false;
    dom::object co;
    if (c.get_object().get(co) != simdjson::SUCCESS) {
      AppendElement(out, c);
      continue;
    }
    AppendObject(out, co, {"name", "image", "ports", "env", "args", "securityContext"});
  }
  out.push_back(']');
}

void AppendPodSpecValue(std::string& out, std::string_view key, dom::element v) {
  if (key == "containers" || key == "initContainers") {
    AppendContainers(out, v);
  } else {
    AppendElement(out, v);
  }
}

// One list item, stripped, with apiVersion and kind set when missing.
void AppendItem(std::string& out, dom::object item, const std::string& api_version, const std::string& kind) {
  bool pod = kind == "Pod";
  out.push_back('{');
  bool first = true;
  auto sep = [&] {
    if (!first) out.push_back(',');
    first = false;
  };
  std::string_view dummy;
  if (item["apiVersion"].get(dummy) != simdjson::SUCCESS) {
    sep();
    out += "\"apiVersion\":";
    yaml::AppendJsonString(out, api_version);
  }
  if (item["kind"].get(dummy) != simdjson::SUCCESS) {
    sep();
    out += "\"kind\":";
    yaml::AppendJsonString(out, kind);
  }
  for (auto field : item) {
    sep();
    yaml::AppendJsonString(out, field.key);
    out.push_back(':');
    dom::object sub;
    if (field.key == "metadata" && field.value.get_object().get(sub) == simdjson::SUCCESS) {
      AppendObject(out, sub, {}, AppendMetadataValue);
    } else if (pod && field.key == "spec" && field.value.get_object().get(sub) == simdjson::SUCCESS) {
      AppendObject(out, sub,
                   {"containers", "initContainers", "serviceAccountName", "nodeName", "hostNetwork", "hostname",
                    "subdomain", "securityContext"},
                   AppendPodSpecValue);
    } else if (pod && field.key == "status" && field.value.get_object().get(sub) == simdjson::SUCCESS) {
      AppendObject(out, sub, {"phase", "podIP", "podIPs", "hostIP", "conditions"});
    } else {
      AppendElement(out, field.value);
    }
  }
  out.push_back('}');
}

// message / reason / details.causes of a Status body, or "".
struct StatusBody {
  std::string message;
  std::string reason;
  std::vector<std::string> causes;
};

StatusBody ParseStatusBody(const std::string& body) {
  StatusBody out;
  dom::parser parser;
  dom::element doc;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS) return out;
  std::string_view s;
  if (doc["message"].get(s) == simdjson::SUCCESS) out.message = std::string(s);
  if (doc["reason"].get(s) == simdjson::SUCCESS) out.reason = std::string(s);
  dom::array causes;
  if (doc["details"]["causes"].get(causes) == simdjson::SUCCESS) {
    for (dom::element c : causes) {
      std::string_view msg, field;
      std::string text;
      if (c["message"].get(msg) == simdjson::SUCCESS) text = std::string(msg);
      if (c["field"].get(field) == simdjson::SUCCESS && !field.empty()) text += " (field " + std::string(field) + ")";
      if (!text.empty()) out.causes.push_back(text);
    }
  }
  return out;
}

std::string Truncate(std::string s, size_t n) {
  if (s.size() > n) s = s.substr(0, n) + "...";
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

// The RBAC verb a method maps to (apiserver's request info).
std::string VerbFor(const ApiRequest& r) {
  if (!r.verb.empty()) return r.verb;
  if (r.method == "POST") return "create";
  if (r.method == "PATCH") return "patch";
  if (r.method == "PUT") return "update";
  if (r.method == "DELETE") return "delete";
  return "get";
}

// "pods" (from ".../namespaces/ns/pods[/name]"), or the request's own.
std::string ResourceFor(const ApiRequest& r, std::string* group, std::string* ns) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < r.path.size()) {
    size_t j = r.path.find('/', i);
    if (j == std::string::npos) j = r.path.size();
    if (j > i) parts.push_back(r.path.substr(i, j - i));
    i = j + 1;
  }
  size_t k = 0;
  if (!parts.empty() && parts[0] == "api") {
    k = 2;
  } else if (!parts.empty() && parts[0] == "apis") {
    if (parts.size() > 1) *group = parts[1];
    k = 3;
  }
  if (k + 1 < parts.size() && parts[k] == "namespaces" && k + 2 < parts.size()) {
    *ns = parts[k + 1];
    k += 2;
  }
  if (!r.resource.empty()) return r.resource;
  return k < parts.size() ? parts[k] : r.path;
}

ItemMeta ReadMeta(dom::object item) {
  ItemMeta m;
  dom::object md;
  if (item["metadata"].get(md) != simdjson::SUCCESS) return m;
  std::string_view s;
  if (md["namespace"].get(s) == simdjson::SUCCESS) m.ns = s;
  if (md["name"].get(s) == simdjson::SUCCESS) m.name = s;
  dom::object labels;
  if (md["labels"].get(labels) == simdjson::SUCCESS) {
    for (auto f : labels) {
      std::string_view v;
      if (f.value.get(v) == simdjson::SUCCESS) m.labels.emplace_back(f.key, v);
    }
  }
  return m;
}

}  // namespace

std::string_view ItemMeta::Label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key) return v;
  return {};
}

bool ItemMeta::HasLabel(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key) return true;
  return false;
}

std::string DescribeHttpError(const std::string& server, const ApiRequest& request, long status,
                              const std::string& body, const std::string& credential_kind) {
  StatusBody sb = ParseStatusBody(body);
  std::string what = request.method + " " + request.path;
  std::string said = sb.message.empty() ? "" : ": server said: " + Truncate(sb.message, 300);
  switch (status) {
    case 401:
      return fmt::format(
          "Kubernetes API server {} answered 401 Unauthorized to {}: the credentials ({}) were not accepted; "
          "check the kubeconfig's user or log in again",
          server, what, credential_kind.empty() ? "none" : credential_kind);
    case 403: {
      std::string group, ns;
      std::string resource = ResourceFor(request, &group, &ns);
      return fmt::format(
          "Kubernetes API server {} answered 403 Forbidden to {}: RBAC does not allow verb \"{}\" on resource "
          "\"{}\"{} {}{}",
          server, what, VerbFor(request), resource, group.empty() ? "" : " in API group \"" + group + "\"",
          ns.empty() ? "cluster-wide" : "in namespace \"" + ns + "\"", said);
    }
    case 404:
      return fmt::format("Kubernetes API server {} answered 404 Not Found to {}{}", server, what, said);
    case 409: {
      std::string msg = fmt::format("Kubernetes API server {} answered 409 Conflict to {}{}", server, what, said);
      for (const auto& c : sb.causes) msg += "\n  conflict: " + c;
      return msg;
    }
    case 422:
      return fmt::format("Kubernetes API server {} answered 422 Invalid to {}{}", server, what, said);
    case 429:
      return fmt::format("Kubernetes API server {} answered 429 Too Many Requests to {} (still after retries){}",
                         server, what, said);
    default:
      if (status >= 500)
        return fmt::format("Kubernetes API server {} answered HTTP {} to {} (still after retries){}", server, status,
                           what, said);
      return fmt::format("Kubernetes API server {} answered HTTP {} to {}{}", server, status, what, said);
  }
}

std::string StripObjectJson(const std::string& object_json, const std::string& kind) {
  dom::parser parser;
  dom::element doc;
  dom::object obj;
  if (parser.parse(object_json).get(doc) != simdjson::SUCCESS || doc.get_object().get(obj) != simdjson::SUCCESS)
    return object_json;
  std::string out;
  std::string_view api;
  std::string api_version = doc["apiVersion"].get(api) == simdjson::SUCCESS ? std::string(api) : "";
  AppendItem(out, obj, api_version, kind);
  return out;
}

Client::Client(RestConfig config) : config_(std::move(config)) {
  std::string host, port;
  SplitServer(config_.server, scheme_, host_port_, host, port);
}

Client::~Client() {
  if (curl_) io::Curl().easy_cleanup(static_cast<CURL*>(curl_));
  if (connect_to_) io::Curl().slist_free_all(static_cast<curl_slist*>(connect_to_));
}

core::Result<std::unique_ptr<Client>> Client::Create(RestConfig config) {
  if (config.server.empty()) return core::InvalidArgument("no Kubernetes API server: the kubeconfig names none");
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0)
    return core::InvalidArgument("Kubernetes API server \"" + config.server + "\" must be an https:// URL");
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (!config.credentials) return core::Internal("RestConfig without a credential source");
  if (config.tls.insecure_skip_verify && !config.tls.ca_pem.empty())
    return core::InvalidArgument("kubeconfig cluster for " + config.server +
                                 " sets both insecure-skip-tls-verify and a certificate authority; choose one");
  RETURN_IF_ERROR(io::LoadCurl().status());
  return std::unique_ptr<Client>(new Client(std::move(config)));
}

std::string Client::ResourcePath(const ResourceType& type, const std::string& version, const std::string& ns,
                                 const std::string& name) {
  std::string p = type.group.empty() ? "/api/" + version : "/apis/" + type.group + "/" + version;
  if (type.namespaced && !ns.empty()) p += "/namespaces/" + ns;
  p += "/" + type.plural;
  if (!name.empty()) p += "/" + name;
  return p;
}

std::string Client::Url(const ApiRequest& request) const {
  std::string url = config_.server + request.path;
  char sep = '?';
  for (const auto& [k, v] : request.query) {
    url += sep + Escape(k) + "=" + Escape(v);
    sep = '&';
  }
  return url;
}

core::Status Client::ConfigureConnection(void* handle, const std::string& url) const {
  return ConfigureHandle(handle, url, &connect_to_);
}

core::Status Client::ConfigureHandle(void* handle, const std::string& url, void** connect_to) const {
  CURL* c = static_cast<CURL*>(handle);
  std::string scheme, host_port, host, port;
  SplitServer(config_.server, scheme, host_port, host, port);
  std::string effective = url;
  if (!config_.tls.server_name.empty() && scheme == "https") {
    // Connect to the real host but speak TLS (SNI, verification) for
    // tls-server-name: the URL names the server name, CONNECT_TO redirects.
    size_t path_at = url.find('/', url.find("://") + 3);
    effective = scheme + "://" + config_.tls.server_name + ":" + port +
                (path_at == std::string::npos ? "" : url.substr(path_at));
    if (*connect_to) io::Curl().slist_free_all(static_cast<curl_slist*>(*connect_to));
    std::string rule = config_.tls.server_name + ":" + port + ":" + host + ":" + port;
    *connect_to = io::Curl().slist_append(nullptr, rule.c_str());
    io::Curl().easy_setopt(c, CURLOPT_CONNECT_TO, static_cast<curl_slist*>(*connect_to));
  } else {
    io::Curl().easy_setopt(c, CURLOPT_CONNECT_TO, nullptr);
  }
  io::Curl().easy_setopt(c, CURLOPT_URL, effective.c_str());
  io::Curl().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  io::Curl().easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  io::Curl().easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  io::Curl().easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  io::Curl().easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(
                                                     config_.timeout.count() > 0 ? config_.timeout.count() : 30000,
                                                     30000)));
  io::Curl().easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  if (config_.tls.insecure_skip_verify) {
    io::Curl().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    io::Curl().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    io::Curl().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    io::Curl().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  }
  if (!config_.tls.ca_pem.empty()) {
    curl_blob blob{const_cast<char*>(config_.tls.ca_pem.data()), config_.tls.ca_pem.size(), CURL_BLOB_COPY};
    io::Curl().easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!config_.proxy_url.empty()) io::Curl().easy_setopt(c, CURLOPT_PROXY, config_.proxy_url.c_str());
  io::Curl().easy_setopt(c, CURLOPT_ACCEPT_ENCODING, config_.disable_compression ? nullptr : "gzip");
  return core::Status::Ok();
}

core::Result<ApiResponse> Client::DoOnce(const ApiRequest& request, const Credentials& creds,
                                         std::string* retry_after) {
  if (!curl_) curl_ = io::Curl().easy_init();
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return core::Internal("cannot initialise libcurl");
  io::Curl().easy_reset(c);
  std::string url = Url(request);
  if (auto st = ConfigureConnection(c, url); !st.ok()) return st;

  bool https = scheme_ == "https";
  curl_slist* headers = nullptr;
  auto add = [&](const std::string& h) { headers = io::Curl().slist_append(headers, h.c_str()); };
  add("Accept: application/json");
  add("User-Agent: meshctl/" + core::GetVersionInfo().version);
  if (!request.content_type.empty()) add("Content-Type: " + request.content_type);
  if (!config_.tls.server_name.empty() && https) add("Host: " + host_port_);
  std::string auth_header;
  if (https && !creds.bearer_token.empty()) {
    auth_header = "Authorization: Bearer " + creds.bearer_token.reveal();
  } else if (https && !creds.basic_username.empty()) {
    io::Curl().easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    io::Curl().easy_setopt(c, CURLOPT_USERNAME, creds.basic_username.c_str());
    io::Curl().easy_setopt(c, CURLOPT_PASSWORD, creds.basic_password.reveal().c_str());
  }
  if (!auth_header.empty()) add(auth_header);
  if (!config_.impersonate_user.empty()) add("Impersonate-User: " + config_.impersonate_user);
  for (const auto& g : config_.impersonate_groups) add("Impersonate-Group: " + g);
  io::Curl().easy_setopt(c, CURLOPT_HTTPHEADER, headers);

  if (https && !creds.client_cert_pem.empty()) {
    curl_blob cert{const_cast<char*>(creds.client_cert_pem.data()), creds.client_cert_pem.size(), CURL_BLOB_COPY};
    io::Curl().easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    io::Curl().easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    const std::string& key = creds.client_key_pem.reveal();
    curl_blob kb{const_cast<char*>(key.data()), key.size(), CURL_BLOB_COPY};
    io::Curl().easy_setopt(c, CURLOPT_SSLKEY_BLOB, &kb);
    io::Curl().easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }

  if (request.method == "GET") {
    io::Curl().easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    io::Curl().easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    io::Curl().easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    io::Curl().easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  ApiResponse resp;
  Sink sink{&resp.body, retry_after};
  io::Curl().easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
  io::Curl().easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  io::Curl().easy_setopt(c, CURLOPT_HEADERFUNCTION, WriteHeader);
  io::Curl().easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  char errbuf[CURL_ERROR_SIZE] = {0};
  io::Curl().easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

  CURLcode rc = io::Curl().easy_perform(c);
  io::Curl().easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  io::Curl().slist_free_all(headers);
  // Do not leave the secret in our memory longer than needed.
  std::fill(auth_header.begin(), auth_header.end(), '\0');
  if (rc != CURLE_OK) {
    std::string what = request.method + " " + request.path;
    if (sink.overflow) return core::DataError(fmt::format("response from {} to {} is too large", config_.server, what));
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return core::Unavailable(fmt::format("Kubernetes API server {} did not answer {} within {} (--request-timeout)",
                                           config_.server, what, DurationText(config_.timeout)));
    if (IsTlsError(rc))
      return core::Unavailable(fmt::format(
          "TLS failure talking to Kubernetes API server {}: {}{} (check the kubeconfig's certificate-authority, "
          "tls-server-name and client certificate)",
          config_.server, ExplainCurl(rc), errbuf[0] ? std::string(" (") + errbuf + ")" : ""));
    return core::Unavailable(fmt::format("cannot reach Kubernetes API server {}: {}{}", config_.server, ExplainCurl(rc),
                                         config_.proxy_url.empty() ? "" : " (through proxy-url)"));
  }
  io::Curl().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

core::Result<ApiResponse> Client::Do(const ApiRequest& request) {
  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    auto creds = config_.credentials->Get();
    if (!creds.ok()) return creds.status();
    std::string retry_after;
    auto resp = DoOnce(request, *creds, &retry_after);
    if (!resp.ok()) return resp;
    long s = resp->status;
    if (s == 401 && !refreshed && config_.credentials->Invalidate()) {
      refreshed = true;
      --attempt;
      continue;
    }
    bool retryable = s == 429 || s >= 500;
    if (!retryable || attempt >= kMaxAttempts || retry_after.empty()) return resp;
    // As client-go: retry only when the server says when (Retry-After in seconds).
    int64_t secs = 0;
    for (char ch : retry_after) {
      if (ch < '0' || ch > '9') {
        secs = -1;
        break;
      }
      secs = secs * 10 + (ch - '0');
      if (secs > 3600) break;
    }
    if (secs < 0) return resp;
    auto wait = std::min<std::chrono::seconds>(std::chrono::seconds(secs), kMaxRetryWait);
    std::this_thread::sleep_for(wait);
  }
}

core::Result<std::string> Client::Call(const ApiRequest& request) {
  auto resp = Do(request);
  if (!resp.ok()) return resp.status();
  if (resp->status >= 200 && resp->status < 300) return std::move(resp->body);
  return core::Unavailable(
      DescribeHttpError(config_.server, request, resp->status, resp->body, config_.credentials->Describe()));
}

core::Result<std::map<std::string, std::vector<std::string>>> Client::ServedVersions() {
  if (served_) return *served_;
  std::map<std::string, std::vector<std::string>> out;
  dom::parser parser;
  {
    ApiRequest req;
    req.path = "/api";
    auto body = Call(req);
    if (!body.ok()) return body.status();
    dom::element doc;
    dom::array versions;
    if (parser.parse(*body).get(doc) != simdjson::SUCCESS || doc["versions"].get(versions) != simdjson::SUCCESS)
      return core::Unavailable("Kubernetes API server " + config_.server + " sent a malformed /api discovery document");
    for (dom::element v : versions) {
      std::string_view s;
      if (v.get(s) == simdjson::SUCCESS) out[""].push_back(std::string(s));
    }
  }
  {
    ApiRequest req;
    req.path = "/apis";
    auto body = Call(req);
    if (!body.ok()) return body.status();
    dom::element doc;
    dom::array groups;
    if (parser.parse(*body).get(doc) != simdjson::SUCCESS || doc["groups"].get(groups) != simdjson::SUCCESS)
      return core::Unavailable("Kubernetes API server " + config_.server +
                               " sent a malformed /apis discovery document");
    for (dom::element g : groups) {
      std::string_view name;
      dom::array versions;
      if (g["name"].get(name) != simdjson::SUCCESS || g["versions"].get(versions) != simdjson::SUCCESS) continue;
      auto& list = out[std::string(name)];
      for (dom::element v : versions) {
        std::string_view s;
        if (v["version"].get(s) == simdjson::SUCCESS) list.push_back(std::string(s));
      }
    }
  }
  served_ = out;
  return out;
}

core::Result<std::optional<std::string>> Client::PickVersion(const ResourceType& type) {
  auto served = ServedVersions();
  if (!served.ok()) return served.status();
  auto it = served->find(type.group);
  if (it == served->end()) return std::optional<std::string>();
  for (const auto& v : type.versions)
    if (std::find(it->second.begin(), it->second.end(), v) != it->second.end()) return std::optional<std::string>(v);
  return std::optional<std::string>();
}

core::Result<ListResult> Client::List(const ResourceType& type, const ListOptions& options) {
  ListResult out;
  auto version = PickVersion(type);
  if (!version.ok()) return version.status();
  std::string gv_text;
  auto empty = [&](const std::string& api_version) {
    out.served = false;
    out.api_version = api_version;
    out.json = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}";
    return out;
  };
  if (!*version) return empty("");
  std::string api_version = type.group.empty() ? **version : type.group + "/" + **version;

  ApiRequest req;
  req.path = ResourcePath(type, **version, options.ns);
  req.verb = "list";
  req.resource = type.plural;
  std::string json = "{\"apiVersion\":";
  yaml::AppendJsonString(json, api_version);
  json += ",\"kind\":";
  yaml::AppendJsonString(json, type.kind + "List");
  json += ",\"items\":[";
  dom::parser parser;
  std::string cont;
  bool first = true;
  while (true) {
    req.query.clear();
    if (!options.label_selector.empty()) req.query.emplace_back("labelSelector", options.label_selector);
    if (!options.field_selector.empty()) req.query.emplace_back("fieldSelector", options.field_selector);
    if (options.page_size > 0) req.query.emplace_back("limit", std::to_string(options.page_size));
    if (!cont.empty()) req.query.emplace_back("continue", cont);
    auto resp = Do(req);
    if (!resp.ok()) return resp.status();
    if (resp->status == 404 && first) return empty(api_version);  // no CRD: the kind is empty
    if (resp->status < 200 || resp->status >= 300)
      return core::Unavailable(
          DescribeHttpError(config_.server, req, resp->status, resp->body, config_.credentials->Describe()));
    dom::element doc;
    dom::array items;
    if (parser.parse(resp->body).get(doc) != simdjson::SUCCESS)
      return core::Unavailable(fmt::format("Kubernetes API server {} sent malformed JSON for GET {}", config_.server,
                                           req.path));
    auto err = doc["items"].get(items);
    if (err == simdjson::SUCCESS) {
      for (dom::element item : items) {
        dom::object obj;
        if (item.get_object().get(obj) != simdjson::SUCCESS) continue;
        if (options.keep && !options.keep(ReadMeta(obj))) continue;
        if (out.items) json.push_back(',');
        AppendItem(json, obj, api_version, type.kind);
        ++out.items;
      }
    } else if (err != simdjson::NO_SUCH_FIELD) {
      dom::element items_el;
      if (doc["items"].get(items_el) == simdjson::SUCCESS && !items_el.is_null())
        return core::Unavailable(fmt::format("Kubernetes API server {} sent a list without items for GET {}",
                                             config_.server, req.path));
    }
    first = false;
    std::string_view next;
    if (doc["metadata"]["continue"].get(next) != simdjson::SUCCESS || next.empty()) break;
    cont = std::string(next);
  }
  json += "]}";
  out.api_version = api_version;
  out.json = std::move(json);
  return out;
}

core::Result<std::optional<std::string>> Client::Get(const std::string& path, const std::string& resource) {
  ApiRequest req;
  req.path = path;
  req.verb = "get";
  req.resource = resource;
  auto resp = Do(req);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) return std::optional<std::string>();
  if (resp->status < 200 || resp->status >= 300)
    return core::Unavailable(
        DescribeHttpError(config_.server, req, resp->status, resp->body, config_.credentials->Describe()));
  return std::optional<std::string>(std::move(resp->body));
}

core::Result<std::string> Client::Apply(const std::string& path, const std::string& resource, const std::string& body,
                                        const ApplyOptions& options) {
  ApiRequest req;
  req.method = "PATCH";
  req.path = path;
  req.verb = "patch";
  req.resource = resource;
  req.body = body;
  req.content_type = "application/apply-patch+yaml";
  req.query.emplace_back("fieldManager", options.field_manager);
  if (options.force) req.query.emplace_back("force", "true");
  if (options.dry_run) req.query.emplace_back("dryRun", "All");
  return Call(req);
}

// ---- Raw streams (CONNECT_ONLY) for WebSocket port-forward

namespace {

// What OpenStream() keeps alive for as long as its handle lives.
struct StreamHandle {
  CURL* curl = nullptr;
  curl_slist* connect_to = nullptr;
};

std::chrono::milliseconds Remaining(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

}  // namespace

RawStream::~RawStream() {
  auto* h = static_cast<StreamHandle*>(curl_);
  if (!h) return;
  if (h->curl) io::Curl().easy_cleanup(h->curl);
  if (h->connect_to) io::Curl().slist_free_all(h->connect_to);
  delete h;
}

int RawStream::socket() const {
  curl_socket_t fd = CURL_SOCKET_BAD;
  io::Curl().easy_getinfo(static_cast<StreamHandle*>(curl_)->curl, CURLINFO_ACTIVESOCKET, &fd);
  return fd == CURL_SOCKET_BAD ? -1 : static_cast<int>(fd);
}

core::Result<size_t> RawStream::TrySend(std::string_view data) {
  size_t sent = 0;
  CURLcode rc = io::Curl().easy_send(static_cast<StreamHandle*>(curl_)->curl, data.data(), data.size(), &sent);
  if (rc == CURLE_AGAIN) return size_t{0};
  if (rc != CURLE_OK) return core::Unavailable(std::string("stream to the Kubernetes API server broke while sending: ") +
                                               ExplainCurl(rc));
  return sent;
}

core::Result<std::optional<size_t>> RawStream::TryRecv(char* buf, size_t size) {
  size_t got = 0;
  CURLcode rc = io::Curl().easy_recv(static_cast<StreamHandle*>(curl_)->curl, buf, size, &got);
  if (rc == CURLE_AGAIN) return std::optional<size_t>();
  if (rc != CURLE_OK)
    return core::Unavailable(std::string("stream from the Kubernetes API server broke: ") + ExplainCurl(rc));
  return std::optional<size_t>(got);
}

core::Status RawStream::SendAll(std::string_view data, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!data.empty()) {
    auto n = TrySend(data);
    if (!n.ok()) return n.status();
    data.remove_prefix(*n);
    if (data.empty()) break;
    if (*n > 0) continue;
    int wait_ms = -1;
    if (timeout.count() > 0) {
      auto left = Remaining(deadline);
      if (left.count() == 0) return core::Unavailable("stream to the Kubernetes API server: send timed out");
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1000 * 1000));
    }
    pollfd p{socket(), POLLOUT, 0};
    if (::poll(&p, 1, wait_ms) < 0 && errno != EINTR)
      return core::Unavailable("stream to the Kubernetes API server: poll failed");
  }
  return core::Status::Ok();
}

core::Result<std::unique_ptr<RawStream>> Client::OpenStream(const Credentials& creds,
                                                            std::chrono::milliseconds timeout) const {
  auto* h = new StreamHandle;
  auto stream = std::make_unique<RawStream>(h);
  h->curl = io::Curl().easy_init();
  if (!h->curl) return core::Internal("cannot initialise libcurl");
  CURL* c = h->curl;
  void* connect_to = nullptr;
  RETURN_IF_ERROR(ConfigureHandle(c, config_.server + "/", &connect_to));
  h->connect_to = static_cast<curl_slist*>(connect_to);
  io::Curl().easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  // A plain http:// server behind a proxy is reached through CONNECT too:
  // the upgrade must pass the proxy untouched.
  io::Curl().easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L);
  io::Curl().easy_setopt(c, CURLOPT_ACCEPT_ENCODING, nullptr);
  long ms = static_cast<long>(timeout.count());
  io::Curl().easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
  if (ms > 0) io::Curl().easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
  if (scheme_ == "https" && !creds.client_cert_pem.empty()) {
    curl_blob cert{const_cast<char*>(creds.client_cert_pem.data()), creds.client_cert_pem.size(), CURL_BLOB_COPY};
    io::Curl().easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    io::Curl().easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    const std::string& key = creds.client_key_pem.reveal();
    curl_blob kb{const_cast<char*>(key.data()), key.size(), CURL_BLOB_COPY};
    io::Curl().easy_setopt(c, CURLOPT_SSLKEY_BLOB, &kb);
    io::Curl().easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  io::Curl().easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = io::Curl().easy_perform(c);
  io::Curl().easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  if (rc != CURLE_OK) {
    long proxy_code = 0;
    io::Curl().easy_getinfo(c, CURLINFO_HTTP_CONNECTCODE, &proxy_code);
    if (proxy_code >= 300)
      return core::Unavailable(fmt::format(
          "cannot reach Kubernetes API server {}: the HTTP proxy{} answered CONNECT with HTTP {} (it does not "
          "tunnel to the server)",
          config_.server, config_.proxy_url.empty() ? " (from the environment)" : " (proxy-url)", proxy_code));
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return core::Unavailable(fmt::format("Kubernetes API server {} could not be reached within {} (--request-timeout)",
                                           config_.server, DurationText(timeout)));
    if (IsTlsError(rc))
      return core::Unavailable(fmt::format(
          "TLS failure talking to Kubernetes API server {}: {}{} (check the kubeconfig's certificate-authority, "
          "tls-server-name and client certificate)",
          config_.server, ExplainCurl(rc), errbuf[0] ? std::string(" (") + errbuf + ")" : ""));
    return core::Unavailable(fmt::format("cannot reach Kubernetes API server {}: {}{}", config_.server, ExplainCurl(rc),
                                         config_.proxy_url.empty() ? "" : " (through proxy-url)"));
  }
  return stream;
}

std::vector<std::string> Client::StreamHeaders(const Credentials& creds) const {
  std::vector<std::string> out;
  out.push_back("Host: " + host_port_);
  out.push_back("User-Agent: meshctl/" + core::GetVersionInfo().version);
  bool https = scheme_ == "https";
  if (https && !creds.bearer_token.empty()) {
    out.push_back("Authorization: Bearer " + creds.bearer_token.reveal());
  } else if (https && !creds.basic_username.empty()) {
    std::string plain = creds.basic_username + ":" + creds.basic_password.reveal();
    std::string enc = core::EncodeBase64(plain);
    out.push_back("Authorization: Basic " + enc);
    std::fill(plain.begin(), plain.end(), '\0');
    std::fill(enc.begin(), enc.end(), '\0');
  }
  if (!config_.impersonate_user.empty()) out.push_back("Impersonate-User: " + config_.impersonate_user);
  for (const auto& g : config_.impersonate_groups) out.push_back("Impersonate-Group: " + g);
  return out;
}

std::string Client::PathPrefix() const {
  size_t p = config_.server.find("://");
  size_t slash = config_.server.find('/', p == std::string::npos ? 0 : p + 3);
  return slash == std::string::npos ? "" : config_.server.substr(slash);
}

}  // namespace meshctl::kube
