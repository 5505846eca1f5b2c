#include "lib/envoy/config_dump.h"

#include <optional>

#include "lib/envoy/str_cat.h"
#include "lib/json/parser.h"

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

core::Result<ConfigDump> ConfigDump::ParseOwned(std::string text, const std::string& source) {
  ASSIGN_OR_RETURN(auto doc, JsonDocument::ParseOwned(std::move(text), source));
  return FromDocument(std::move(doc));
}

core::Result<ConfigDump> ConfigDump::Load(const std::string& path, const io::ReadOptions& opts) {
  ASSIGN_OR_RETURN(auto doc, JsonDocument::Load(path, opts));
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

namespace {

// The member name as written in the dump: snake_case or lowerCamelCase.
std::string WrittenKey(JsonView obj, std::string_view snake) {
  simdjson::dom::object o;
  simdjson::dom::element e;
  if (obj.raw().get_object().get(o) == simdjson::SUCCESS && o.at_key(snake).get(e) == simdjson::SUCCESS)
    return std::string(snake);
  return LowerCamel(snake);
}

std::string_view JsonTypeName(JsonView v) {
  if (v.IsObject()) return "an object";
  if (v.IsArray()) return "an array";
  if (v.IsString()) return "a string";
  if (v.IsNumber()) return "a number";
  if (v.IsBool()) return "a boolean";
  return "null";
}

}  // namespace

core::Status ConfigDump::TypeError(const std::string& path, std::string_view want, JsonView found) const {
  // simdjson keeps no positions; the position-tracking parser finds it (only
  // on this error path).
  std::string where = doc_->source();
  auto positioned = json::ParseJsonStream(doc_->text(), doc_->source());
  if (positioned.ok() && !positioned->empty()) {
    yaml::Mark m = positioned->front().root.Locate(path);
    if (m.known()) where = Cat(where, ":", std::to_string(m.line), ":", std::to_string(m.column));
  }
  return core::DataError(Cat(where, ": ", path, ": expected ", want, ", found ", JsonTypeName(found)));
}

core::Result<std::vector<JsonView>> ConfigDump::Messages(std::string_view url,
                                                         const std::vector<std::vector<std::string_view>>& lists,
                                                         const std::vector<Field>& fields) const {
  size_t index = 0, found = 0;
  bool have = false;
  root()["configs"].ForEach([&](JsonView c) {
    if (!have && c["@type"].Str() == url) {
      have = true;
      found = index;
    }
    ++index;
  });
  if (!have) return core::DataError(Cat("config dump has no configuration type ", url));
  JsonView section = root()["configs"].At(found);
  std::string base = Cat("configs[", std::to_string(found), "]");
  std::vector<JsonView> out;
  for (const auto& keys : lists) {
    JsonView list = section[keys[0]];
    std::string list_path = Cat(base, ".", WrittenKey(section, keys[0]));
    if (!list.IsArray()) continue;
    // One pass over the list (JsonView::At(i) walks from the start: indexing
    // made this quadratic, half of `pc cluster`'s instructions on 10 MB).
    size_t i = 0;
    std::optional<core::Status> error;
    list.ForEach([&](JsonView item) {
      size_t at = i++;
      if (error) return;
      JsonView v = item;
      for (size_t k = 1; k < keys.size() && v.present(); ++k) v = v[keys[k]];
      if (!v.IsObject()) return;
      for (const auto& f : fields) {
        JsonView x = v[f.name];
        if (!x.present() || x.IsNull()) continue;
        if (f.object ? !x.IsObject() : !x.IsString()) {
          // The path is spelled out only when it is reported.
          std::string path = Cat(list_path, "[", std::to_string(at), "]");
          JsonView w = item;
          for (size_t k = 1; k < keys.size(); ++k) {
            path = Cat(path, ".", WrittenKey(w, keys[k]));
            w = w[keys[k]];
          }
          error = TypeError(Cat(path, ".", WrittenKey(v, f.name)), f.object ? "an object" : "a string", x);
          return;
        }
      }
      out.push_back(v);
    });
    if (error) return *error;
  }
  return out;
}

core::Result<std::vector<JsonView>> ConfigDump::Clusters() const {
  return Messages(type_url::kClusters, {{"dynamic_active_clusters", "cluster"}, {"static_clusters", "cluster"}},
                  {{"name", false}, {"type", false}, {"alt_stat_name", false}, {"eds_cluster_config", true}});
}

core::Result<std::vector<JsonView>> ConfigDump::Listeners() const {
  return Messages(type_url::kListeners,
                  {{"dynamic_listeners", "active_state", "listener"}, {"static_listeners", "listener"}},
                  {{"name", false}, {"address", true}});
}

core::Result<std::vector<JsonView>> ConfigDump::RouteConfigs() const {
  return Messages(type_url::kRoutes, {{"dynamic_route_configs", "route_config"}, {"static_route_configs", "route_config"}},
                  {{"name", false}});
}

core::Result<std::vector<JsonView>> ConfigDump::EndpointConfigs() const {
  return Messages(type_url::kEndpoints,
                  {{"dynamic_endpoint_configs", "endpoint_config"}, {"static_endpoint_configs", "endpoint_config"}},
                  {{"cluster_name", false}});
}

}  // namespace meshctl::envoy
