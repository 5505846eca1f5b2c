#include "lib/envoy/config_dump.h"
#include "lib/envoy/str_cat.h"

namespace meshctl::envoy {

core::Result<ConfigDump> ConfigDump::FromDocument(std::unique_ptr<JsonDocument> doc) {
  JsonView root = doc->root();
  if (!root.IsObject()) {
    return core::DataError(Cat(doc->source(), ": not an Envoy config dump: expected a JSON object with \"configs\""));
  }
  JsonView configs = root["configs"];
  if (configs.present() && !configs.IsArray()) {
    return core::DataError(Cat(doc->source(), ": not an Envoy config dump: \"configs\" is not an array"));
  }
  return ConfigDump(std::shared_ptr<JsonDocument>(std::move(doc)));
}

core::Result<ConfigDump> ConfigDump::Parse(std::string_view text, const std::string& source) {
  ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(text, source));
  return FromDocument(std::move(doc));
}

core::Result<ConfigDump> ConfigDump::Load(const std::string& path) {
  ASSIGN_OR_RETURN(auto doc, JsonDocument::Load(path));
  return FromDocument(std::move(doc));
}

std::vector<JsonView> ConfigDump::Sections(std::string_view url) const {
  std::vector<JsonView> out;
  root()["configs"].ForEach([&](JsonView c) {
    if (c["@type"].Str() == url) out.push_back(c);
  });
  return out;
}

core::Result<JsonView> ConfigDump::Section(std::string_view url) const {
  JsonView found;
  root()["configs"].ForEach([&](JsonView c) {
    if (!found.present() && c["@type"].Str() == url) found = c;
  });
  if (!found.present()) return core::DataError(Cat("config dump has no configuration type ", url));
  return found;
}

core::Result<std::vector<JsonView>> ConfigDump::Clusters() const {
  ASSIGN_OR_RETURN(JsonView s, Section(type_url::kClusters));
  std::vector<JsonView> out;
  s["dynamic_active_clusters"].ForEach([&](JsonView c) {
    if (c["cluster"].IsObject()) out.push_back(c["cluster"]);
  });
  s["static_clusters"].ForEach([&](JsonView c) {
    if (c["cluster"].IsObject()) out.push_back(c["cluster"]);
  });
  return out;
}

core::Result<std::vector<JsonView>> ConfigDump::Listeners() const {
  ASSIGN_OR_RETURN(JsonView s, Section(type_url::kListeners));
  std::vector<JsonView> out;
  s["dynamic_listeners"].ForEach([&](JsonView l) {
    JsonView listener = l["active_state"]["listener"];
    if (listener.IsObject()) out.push_back(listener);
  });
  s["static_listeners"].ForEach([&](JsonView l) {
    if (l["listener"].IsObject()) out.push_back(l["listener"]);
  });
  return out;
}

core::Result<std::vector<JsonView>> ConfigDump::RouteConfigs() const {
  ASSIGN_OR_RETURN(JsonView s, Section(type_url::kRoutes));
  std::vector<JsonView> out;
  s["dynamic_route_configs"].ForEach([&](JsonView r) {
    if (r["route_config"].IsObject()) out.push_back(r["route_config"]);
  });
  s["static_route_configs"].ForEach([&](JsonView r) {
    if (r["route_config"].IsObject()) out.push_back(r["route_config"]);
  });
  return out;
}

core::Result<std::vector<JsonView>> ConfigDump::EndpointConfigs() const {
  ASSIGN_OR_RETURN(JsonView s, Section(type_url::kEndpoints));
  std::vector<JsonView> out;
  s["dynamic_endpoint_configs"].ForEach([&](JsonView e) {
    if (e["endpoint_config"].IsObject()) out.push_back(e["endpoint_config"]);
  });
  s["static_endpoint_configs"].ForEach([&](JsonView e) {
    if (e["endpoint_config"].IsObject()) out.push_back(e["endpoint_config"]);
  });
  return out;
}

}  // namespace meshctl::envoy
