// A Kubernetes API client over libcurl, built from a RestConfig: TLS from
// PEM blobs, tls-server-name, proxies, bearer/basic/client-certificate auth,
// impersonation, gzip, per-request timeouts, one retry after a 401 when the
// credential source can refresh, bounded retries on 429/5xx honouring
// Retry-After. Every error is core::Unavailable naming the server URL and
// never a credential.
//
// Above this file nothing knows about libcurl. WebSocket port-forward
// (lib/kube/websocket.h, port_forward.h) runs over OpenStream(): the same
// handle setup in CONNECT_ONLY mode, then raw bytes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/rest_config.h"

namespace meshctl::kube {

struct ApiRequest {
  std::string method = "GET";
  std::string path;  // "/api/v1/namespaces/default/pods" (no query)
  std::vector<std::pair<std::string, std::string>> query;  // encoded by the client
  std::string body;
  std::string content_type;
  // For 403 messages: the RBAC verb and resource the request needs
  // ("list", "pods"); derived from method/path when empty.
  std::string verb;
  std::string resource;
};

struct ApiResponse {
  long status = 0;
  std::string body;
};

// One kind the client lists, with the versions to try in order (Istio's
// current version first, then the aliases older clusters serve).
struct ResourceType {
  std::string group;                  // "" for the core group
  std::vector<std::string> versions;  // {"v1", "v1beta1", "v1alpha3"}
  std::string plural;                 // "virtualservices"
  std::string kind;                   // "VirtualService"
  bool namespaced = true;
};

// What an item filter sees of one listed object.
struct ItemMeta {
  std::string_view ns;
  std::string_view name;
  std::vector<std::pair<std::string_view, std::string_view>> labels;
  std::string_view Label(std::string_view key) const;
  bool HasLabel(std::string_view key) const;
};

struct ListOptions {
  std::string ns;              // "" = all namespaces (or a cluster-scoped kind)
  std::string label_selector;
  std::string field_selector;
  int page_size = 500;         // limit=; 0 = no paging
  // Client-side filter (revision, name prefix, objects overridden by files);
  // null keeps everything.
  std::function<bool(const ItemMeta&)> keep;
};

// A LIST result as one JSON document
// {"apiVersion":"<g/v>","kind":"<Kind>List","items":[...]}: every item has
// apiVersion and kind (a real server leaves them off built-in kinds), and
// fields no analyzer reads are stripped (managedFields, Pods' bulky status).
struct ListResult {
  std::string api_version;  // the version that was listed ("" when the kind is not served)
  std::string json;
  size_t items = 0;
  bool served = true;       // false: the group/version or CRD is absent (an empty list)
};

struct ApplyOptions {
  std::string field_manager = "meshctl";
  bool force = false;    // force=true: take over fields other managers own
  bool dry_run = false;  // dryRun=All
};

// A byte stream to the API server opened by Client::OpenStream(): TCP,
// the proxy's CONNECT tunnel, TLS (ALPN http/1.1 only) with the client
// certificate, then nothing more — for protocols libcurl does not speak.
// Non-blocking; wait on socket() with poll(). One thread at a time.
class RawStream {
 public:
  explicit RawStream(void* curl_handle) : curl_(curl_handle) {}
  ~RawStream();
  RawStream(const RawStream&) = delete;
  RawStream& operator=(const RawStream&) = delete;

  int socket() const;
  // Bytes written, 0 when the socket cannot take any now.
  core::Result<size_t> TrySend(std::string_view data);
  // Bytes read into `buf`; nullopt when none are available now; 0 at the
  // end of the stream. Call again until nullopt before polling: TLS may
  // hold decrypted bytes the socket no longer shows.
  core::Result<std::optional<size_t>> TryRecv(char* buf, size_t size);
  // TrySend() until all of `data` is written, polling up to `timeout`
  // (0 = no limit).
  core::Status SendAll(std::string_view data, std::chrono::milliseconds timeout);

 private:
  void* curl_;
};

class Client {
 public:
  static core::Result<std::unique_ptr<Client>> Create(RestConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const RestConfig& config() const { return config_; }
  const std::string& server() const { return config_.server; }

  // One request with auth, retries and transport errors mapped; any HTTP
  // status is returned (callers that need 2xx use Call()).
  core::Result<ApiResponse> Do(const ApiRequest& request);
  // Do() and a 2xx, else the mapped Unavailable error (401, 403 with the
  // missing RBAC verb/resource, 404, 409, 429, 5xx).
  core::Result<std::string> Call(const ApiRequest& request);

  // /api and /apis, read once: group -> served versions.
  core::Result<std::map<std::string, std::vector<std::string>>> ServedVersions();
  // The first of type.versions the server serves, nullopt when none.
  core::Result<std::optional<std::string>> PickVersion(const ResourceType& type);

  // LIST with limit/continue paging. A kind whose group/version is not
  // served, or whose LIST is a 404 (no CRD), is an empty list, not an error.
  core::Result<ListResult> List(const ResourceType& type, const ListOptions& options);
  // GET one object; nullopt on 404.
  core::Result<std::optional<std::string>> Get(const std::string& path, const std::string& resource);
  // Server-side apply of `body` (JSON or YAML) at `path`
  // (".../namespaces/ns/virtualservices/name"). 409 conflicts name the
  // fields and their managers. Returns the server's object.
  core::Result<std::string> Apply(const std::string& path, const std::string& resource, const std::string& body,
                                  const ApplyOptions& options);

  // Builds a path: "/api/v1[/namespaces/ns]/plural" or "/apis/g/v[...]/plural[/name]".
  static std::string ResourcePath(const ResourceType& type, const std::string& version, const std::string& ns,
                                  const std::string& name = "");

  // Sets TLS, proxy, HTTP/1.1, timeouts and the URL on a libcurl easy handle
  // (passed as void* so this header does not include curl). Reused by
  // port-forward (CONNECT_ONLY) later.
  core::Status ConfigureConnection(void* curl_handle, const std::string& url) const;

  // Opens a stream to the server (proxy, TLS, `credentials`' client
  // certificate) within `timeout` (0 = no limit). Thread-safe. Errors are
  // Unavailable naming the server (and the proxy's answer to CONNECT).
  core::Result<std::unique_ptr<RawStream>> OpenStream(const Credentials& credentials,
                                                      std::chrono::milliseconds timeout) const;
  // The request headers a raw upgrade needs, as for Do(): Host,
  // Authorization (https only), Impersonate-*, User-Agent. They hold the
  // credential: wipe them after use.
  std::vector<std::string> StreamHeaders(const Credentials& credentials) const;
  // "host:port" of the server, for the Host header.
  const std::string& host_port() const { return host_port_; }
  // The path prefix of the server URL ("" or "/k8s/clusters/c-1").
  std::string PathPrefix() const;

 private:
  core::Status ConfigureHandle(void* curl_handle, const std::string& url, void** connect_to) const;
  explicit Client(RestConfig config);
  core::Result<ApiResponse> DoOnce(const ApiRequest& request, const Credentials& creds, std::string* retry_after);
  std::string Url(const ApiRequest& request) const;

  RestConfig config_;
  void* curl_ = nullptr;  // reused for keep-alive across pages
  mutable void* connect_to_ = nullptr;  // CURLOPT_CONNECT_TO list for tls-server-name
  std::string host_port_;  // "host:port" of config_.server
  std::string scheme_;
  std::optional<std::map<std::string, std::vector<std::string>>> served_;
};

// Keeps from a Pod (JSON text of one object) only what analyzers read, as
// istioctl's StripPodUnusedFields does. Exposed for tests.
std::string StripObjectJson(const std::string& object_json, const std::string& kind);

// "HTTP 403 Forbidden" style message for a Status body; exposed for tests.
std::string DescribeHttpError(const std::string& server, const ApiRequest& request, long status,
                              const std::string& body, const std::string& credential_kind);

}  // namespace meshctl::kube
