// An Envoy admin /config_dump (envoy.admin.v3.ConfigDump JSON) and the typed
// lists the proxy-config views read from it. Sections are found by their
// "@type", never by position. Missing sections are DataError
// "config dump has no configuration type <url>" (istioctl's wording).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/envoy/json_view.h"

namespace meshctl::envoy {

namespace type_url {
inline constexpr std::string_view kBootstrap = "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump";
inline constexpr std::string_view kClusters = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump";
inline constexpr std::string_view kEndpoints = "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump";
inline constexpr std::string_view kListeners = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump";
inline constexpr std::string_view kRoutes = "type.googleapis.com/envoy.admin.v3.RoutesConfigDump";
inline constexpr std::string_view kScopedRoutes = "type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump";
inline constexpr std::string_view kSecrets = "type.googleapis.com/envoy.admin.v3.SecretsConfigDump";
inline constexpr std::string_view kEcds = "type.googleapis.com/envoy.admin.v3.EcdsConfigDump";
}  // namespace type_url

class ConfigDump {
 public:
  // Checks that the document is an object; "configs" may be absent (then
  // every section is missing, as istioctl treats `{}`).
  static core::Result<ConfigDump> FromDocument(std::unique_ptr<JsonDocument> doc);
  // Parses text (HTTP body, stdin); ParseOwned keeps the string instead of
  // copying it (JsonDocument::ParseOwned).
  static core::Result<ConfigDump> Parse(std::string_view text, const std::string& source);
  static core::Result<ConfigDump> ParseOwned(std::string text, const std::string& source);
  // Loads a file ("-" is not handled here): mapped when it is a regular
  // file, else read by lib/io within `opts` (JsonDocument::Load).
  static core::Result<ConfigDump> Load(const std::string& path, const io::ReadOptions& opts = {});

  JsonView root() const { return doc_->root(); }
  const std::string& source() const { return doc_->source(); }
  // Bytes of JSON text.
  size_t size() const { return doc_->text().size(); }

  // The first config whose @type is `url`, or DataError.
  core::Result<JsonView> Section(std::string_view url) const;
  // Every config whose @type is `url` (ECDS has one per filter kind).
  std::vector<JsonView> Sections(std::string_view url) const;

  // Cluster messages: dynamic_active_clusters[].cluster then
  // static_clusters[].cluster (warming ignored, like istioctl).
  core::Result<std::vector<JsonView>> Clusters() const;
  // Listener messages: dynamic_listeners[].active_state.listener (those with
  // an active state) then static_listeners[].listener.
  core::Result<std::vector<JsonView>> Listeners() const;
  // RouteConfiguration messages: dynamic then static.
  core::Result<std::vector<JsonView>> RouteConfigs() const;
  // ClusterLoadAssignment messages: dynamic then static.
  core::Result<std::vector<JsonView>> EndpointConfigs() const;

 private:
  explicit ConfigDump(std::shared_ptr<JsonDocument> doc) : doc_(std::move(doc)) {}
  // One message list of a section: for each entry of section[list], the
  // value at entry.<inner...> when it is an object. Fields a summary prints
  // are type-checked: a wrong type is DataError "<source>:<line>:<col>:
  // <json path>: expected a string, found a number".
  struct Field {
    std::string_view name;
    bool object;  // false: string
  };
  core::Result<std::vector<JsonView>> Messages(std::string_view url,
                                               const std::vector<std::vector<std::string_view>>& lists,
                                               const std::vector<Field>& fields) const;
  core::Status TypeError(const std::string& path, std::string_view want, JsonView found) const;
  std::shared_ptr<JsonDocument> doc_;
};

}  // namespace meshctl::envoy
