// Semantic validator of networking.istio.io EnvoyFilter (spec §5.8).
//
// Rules 1-16 are Istio's exactly. Rules 17-20 (decoding `patch.value` into
// the Envoy v3 type the patch applies to) need Envoy's whole proto set;
// meshctl checks what a table of the patched types' top-level fields can
// decide: JSON types of known fields, unknown fields of the small filter
// messages (warning), v2 `@type` URLs (error), filters named without
// typed_config (warning). Deprecated frozen `@type` packages (rule 19) are
// not detected.
#include "lib/validate/kinds.h"

#include <re2/re2.h>

#include <map>
#include <string>
#include <vector>

#include "lib/core/strings.h"
#include "lib/validate/field_ref.h"
#include "lib/validate/helpers.h"

namespace meshctl::validate {
namespace {

enum ApplyTo {
  kInvalid = 0,
  kListener,
  kFilterChain,
  kNetworkFilter,
  kHttpFilter,
  kRouteConfiguration,
  kVirtualHost,
  kHttpRoute,
  kCluster,
  kExtensionConfig,
  kBootstrap,
  kListenerFilter,
};
constexpr std::string_view kApplyToNames[] = {
    "INVALID",     "LISTENER",   "FILTER_CHAIN", "NETWORK_FILTER",   "HTTP_FILTER", "ROUTE_CONFIGURATION",
    "VIRTUAL_HOST", "HTTP_ROUTE", "CLUSTER",      "EXTENSION_CONFIG", "BOOTSTRAP",   "LISTENER_FILTER"};
constexpr std::string_view kContextNames[] = {"ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND",
                                                                   "GATEWAY", "WAYPOINT"};
constexpr std::string_view kOperationNames[] = {
    "INVALID", "MERGE", "ADD", "REMOVE", "INSERT_BEFORE", "INSERT_AFTER", "INSERT_FIRST", "REPLACE"};
constexpr int kContextWaypoint = 4;
constexpr int kOperationRemove = 3;

std::string ApplyToName(int v) {
  if (v >= 0 && v < static_cast<int>(std::size(kApplyToNames))) return std::string(kApplyToNames[v]);
  return std::to_string(v);
}

// Envoy's pre-v3 extension names and their replacements (match names).
const std::map<std::string, std::string, std::less<>>& DeprecatedFilterNames() {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"envoy.buffer", "envoy.filters.http.buffer"},
      {"envoy.client_ssl_auth", "envoy.filters.network.client_ssl_auth"},
      {"envoy.cors", "envoy.filters.http.cors"},
      {"envoy.csrf", "envoy.filters.http.csrf"},
      {"envoy.echo", "envoy.filters.network.echo"},
      {"envoy.ext_authz", "envoy.filters.http.ext_authz"},
      {"envoy.fault", "envoy.filters.http.fault"},
      {"envoy.grpc_http1_bridge", "envoy.filters.http.grpc_http1_bridge"},
      {"envoy.grpc_json_transcoder", "envoy.filters.http.grpc_json_transcoder"},
      {"envoy.grpc_web", "envoy.filters.http.grpc_web"},
      {"envoy.gzip", "envoy.filters.http.gzip"},
      {"envoy.health_check", "envoy.filters.http.health_check"},
      {"envoy.http_connection_manager", "envoy.filters.network.http_connection_manager"},
      {"envoy.ip_tagging", "envoy.filters.http.ip_tagging"},
      {"envoy.listener.http_inspector", "envoy.filters.listener.http_inspector"},
      {"envoy.listener.original_dst", "envoy.filters.listener.original_dst"},
      {"envoy.listener.original_src", "envoy.filters.listener.original_src"},
      {"envoy.listener.proxy_protocol", "envoy.filters.listener.proxy_protocol"},
      {"envoy.listener.tls_inspector", "envoy.filters.listener.tls_inspector"},
      {"envoy.lua", "envoy.filters.http.lua"},
      {"envoy.mongo_proxy", "envoy.filters.network.mongo_proxy"},
      {"envoy.rate_limit", "envoy.filters.http.ratelimit"},
      {"envoy.ratelimit", "envoy.filters.network.ratelimit"},
      {"envoy.redis_proxy", "envoy.filters.network.redis_proxy"},
      {"envoy.router", "envoy.filters.http.router"},
      {"envoy.squash", "envoy.filters.http.squash"},
      {"envoy.tcp_proxy", "envoy.filters.network.tcp_proxy"},
  };
  return kNames;
}

void CheckMatchName(const FieldRef& name, Findings& out) {
  std::string n = name.Str();
  if (n.empty()) return;
  const auto& names = DeprecatedFilterNames();
  if (auto it = names.find(n); it != names.end())
    out.Warning(name.path(), "using deprecated filter name " + core::GoQuote(n) + "; use " + core::GoQuote(it->second) +
                                 " instead");
}

// Go regexp (RE2 syntax) error text for `re`, "" when it compiles.
std::string GoRegexpError(const std::string& re) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 compiled(re, opts);
  if (compiled.ok()) return "";
  std::string code;
  switch (compiled.error_code()) {
    case RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case RE2::ErrorMissingParen:
      code = compiled.error_arg() == ")" ? "unexpected )" : "missing closing )";
      break;
    case RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case RE2::ErrorBadNamedCapture:
      code = "invalid named capture";
      break;
    case RE2::ErrorPatternTooLarge:
      code = "expression too large";
      break;
    default:
      code = "invalid regular expression";
      break;
  }
  return "error parsing regexp: " + code + ": `" + compiled.error_arg() + "`";
}

// ---- best-effort decoding of patch.value (rules 17-20)

enum class JsonKind { kString, kBool, kNumber, kEnum, kObject, kList };

struct FieldSpec {
  std::string_view name;  // proto (snake_case) name
  JsonKind kind;
};

struct MessageSpec {
  std::string_view full_name;
  std::vector<FieldSpec> fields;
  bool complete;  // every field is listed: unknown names are reported
};

// Top-level fields of the Envoy types a patch value decodes into. Only the
// filter messages are listed completely; for the large types the table has
// the commonly patched fields, for type checks only.
const MessageSpec* SpecFor(int apply_to) {
  using K = JsonKind;
  static const MessageSpec kClusterSpec{"envoy.config.cluster.v3.Cluster",
                                    {{"name", K::kString},
                                     {"alt_stat_name", K::kString},
                                     {"type", K::kEnum},
                                     {"eds_cluster_config", K::kObject},
                                     {"connect_timeout", K::kString},
                                     {"per_connection_buffer_limit_bytes", K::kNumber},
                                     {"lb_policy", K::kEnum},
                                     {"load_assignment", K::kObject},
                                     {"health_checks", K::kList},
                                     {"max_requests_per_connection", K::kNumber},
                                     {"circuit_breakers", K::kObject},
                                     {"upstream_http_protocol_options", K::kObject},
                                     {"common_http_protocol_options", K::kObject},
                                     {"http_protocol_options", K::kObject},
                                     {"http2_protocol_options", K::kObject},
                                     {"typed_extension_protocol_options", K::kObject},
                                     {"dns_refresh_rate", K::kString},
                                     {"respect_dns_ttl", K::kBool},
                                     {"dns_lookup_family", K::kEnum},
                                     {"outlier_detection", K::kObject},
                                     {"cleanup_interval", K::kString},
                                     {"upstream_bind_config", K::kObject},
                                     {"lb_subset_config", K::kObject},
                                     {"common_lb_config", K::kObject},
                                     {"transport_socket", K::kObject},
                                     {"metadata", K::kObject},
                                     {"upstream_connection_options", K::kObject},
                                     {"close_connections_on_host_health_failure", K::kBool},
                                     {"ignore_health_on_host_removal", K::kBool},
                                     {"filters", K::kList},
                                     {"load_balancing_policy", K::kObject},
                                     {"track_cluster_stats", K::kObject},
                                     {"preconnect_policy", K::kObject},
                                     {"connection_pool_per_downstream_connection", K::kBool}},
                                    false};
  static const MessageSpec kListenerSpec{"envoy.config.listener.v3.Listener",
                                     {{"name", K::kString},
                                      {"address", K::kObject},
                                      {"stat_prefix", K::kString},
                                      {"filter_chains", K::kList},
                                      {"use_original_dst", K::kBool},
                                      {"default_filter_chain", K::kObject},
                                      {"per_connection_buffer_limit_bytes", K::kNumber},
                                      {"metadata", K::kObject},
                                      {"listener_filters", K::kList},
                                      {"listener_filters_timeout", K::kString},
                                      {"continue_on_listener_filters_timeout", K::kBool},
                                      {"transparent", K::kBool},
                                      {"freebind", K::kBool},
                                      {"socket_options", K::kList},
                                      {"traffic_direction", K::kEnum},
                                      {"access_log", K::kList}},
                                     false};
  static const MessageSpec kRouteConfigurationSpec{"envoy.config.route.v3.RouteConfiguration",
                                               {{"name", K::kString},
                                                {"virtual_hosts", K::kList},
                                                {"vhds", K::kObject},
                                                {"internal_only_headers", K::kList},
                                                {"response_headers_to_add", K::kList},
                                                {"response_headers_to_remove", K::kList},
                                                {"request_headers_to_add", K::kList},
                                                {"request_headers_to_remove", K::kList},
                                                {"validate_clusters", K::kBool},
                                                {"max_direct_response_body_size_bytes", K::kNumber}},
                                               false};
  static const MessageSpec kVirtualHostSpec{"envoy.config.route.v3.VirtualHost",
                                        {{"name", K::kString},
                                         {"domains", K::kList},
                                         {"routes", K::kList},
                                         {"require_tls", K::kEnum},
                                         {"virtual_clusters", K::kList},
                                         {"rate_limits", K::kList},
                                         {"request_headers_to_add", K::kList},
                                         {"request_headers_to_remove", K::kList},
                                         {"response_headers_to_add", K::kList},
                                         {"response_headers_to_remove", K::kList},
                                         {"cors", K::kObject},
                                         {"typed_per_filter_config", K::kObject},
                                         {"include_request_attempt_count", K::kBool},
                                         {"retry_policy", K::kObject},
                                         {"hedge_policy", K::kObject}},
                                        false};
  static const MessageSpec kRouteSpec{"envoy.config.route.v3.Route",
                                  {{"name", K::kString},
                                   {"match", K::kObject},
                                   {"route", K::kObject},
                                   {"redirect", K::kObject},
                                   {"direct_response", K::kObject},
                                   {"filter_action", K::kObject},
                                   {"non_forwarding_action", K::kObject},
                                   {"metadata", K::kObject},
                                   {"decorator", K::kObject},
                                   {"typed_per_filter_config", K::kObject},
                                   {"request_headers_to_add", K::kList},
                                   {"request_headers_to_remove", K::kList},
                                   {"response_headers_to_add", K::kList},
                                   {"response_headers_to_remove", K::kList},
                                   {"tracing", K::kObject},
                                   {"per_request_buffer_limit_bytes", K::kNumber},
                                   {"stat_prefix", K::kString}},
                                  false};
  static const MessageSpec kFilterChainSpec{"envoy.config.listener.v3.FilterChain",
                                        {{"filter_chain_match", K::kObject},
                                         {"filters", K::kList},
                                         {"use_proxy_proto", K::kBool},
                                         {"metadata", K::kObject},
                                         {"transport_socket", K::kObject},
                                         {"transport_socket_connect_timeout", K::kString},
                                         {"name", K::kString}},
                                        false};
  static const MessageSpec kHttpFilterSpec{"envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
                                       {{"name", K::kString},
                                        {"typed_config", K::kObject},
                                        {"config_discovery", K::kObject},
                                        {"is_optional", K::kBool},
                                        {"disabled", K::kBool}},
                                       true};
  static const MessageSpec kNetworkFilterSpec{"envoy.config.listener.v3.Filter",
                                          {{"name", K::kString}, {"typed_config", K::kObject}, {"config_discovery", K::kObject}},
                                          true};
  static const MessageSpec kListenerFilterSpec{"envoy.config.listener.v3.ListenerFilter",
                                           {{"name", K::kString},
                                            {"typed_config", K::kObject},
                                            {"config_discovery", K::kObject},
                                            {"filter_disabled", K::kObject}},
                                           true};
  static const MessageSpec kExtensionConfigSpec{"envoy.config.core.v3.TypedExtensionConfig",
                                            {{"name", K::kString}, {"typed_config", K::kObject}},
                                            true};
  switch (apply_to) {
    case kCluster:
      return &kClusterSpec;
    case kListener:
      return &kListenerSpec;
    case kRouteConfiguration:
      return &kRouteConfigurationSpec;
    case kVirtualHost:
      return &kVirtualHostSpec;
    case kHttpRoute:
      return &kRouteSpec;
    case kFilterChain:
      return &kFilterChainSpec;
    case kHttpFilter:
      return &kHttpFilterSpec;
    case kNetworkFilter:
      return &kNetworkFilterSpec;
    case kListenerFilter:
      return &kListenerFilterSpec;
    case kExtensionConfig:
      return &kExtensionConfigSpec;
    default:
      return nullptr;
  }
}

std::string_view JsonTypeName(const yaml::Node& n) {
  switch (n.type()) {
    case yaml::NodeType::kBool:
      return "bool";
    case yaml::NodeType::kInt:
    case yaml::NodeType::kFloat:
      return "number";
    case yaml::NodeType::kString:
      return "string";
    case yaml::NodeType::kMap:
      return "object";
    case yaml::NodeType::kSeq:
      return "array";
    default:
      return "null";
  }
}

// First `@type` naming a pre-v3 Envoy API anywhere under `n`.
const yaml::Node* FindV2TypeUrl(const yaml::Node& n, std::string* path, const std::string& here) {
  if (n.IsMap()) {
    for (size_t i = 0; i < n.size(); ++i) {
      std::string key = n.KeyAt(i).ToScalarString();
      std::string child = AppendKey(here, key);
      const yaml::Node& v = n.ValueAt(i);
      if (key == "@type" && v.IsString()) {
        std::string url(*v.AsString());
        if (url.find(".v2.") != std::string::npos || url.find(".v2alpha.") != std::string::npos ||
            url.find("envoy.config.filter.") != std::string::npos) {
          *path = child;
          return &v;
        }
      }
      if (const yaml::Node* found = FindV2TypeUrl(v, path, child)) return found;
    }
  } else if (n.IsSeq()) {
    for (size_t i = 0; i < n.size(); ++i) {
      if (const yaml::Node* found = FindV2TypeUrl(n.at(i), path, here + "[" + std::to_string(i) + "]")) return found;
    }
  }
  return nullptr;
}

// A filter referenced by name only (no typed_config / config_discovery).
bool NamedWithoutConfig(const FieldRef& filter) {
  return filter.IsMap() && !filter["name"].Str().empty() && !filter["typedConfig"].present() &&
         !filter["configDiscovery"].present();
}

void CheckPatchValue(int apply_to, const FieldRef& value, Findings& out) {
  if (!value.IsMap()) return;
  std::string v2_path;
  if (const yaml::Node* url = FindV2TypeUrl(*value.node(), &v2_path, value.path())) {
    std::string u(*url->AsString());
    out.Error(v2_path, "referenced type unknown (hint: try using the v3 XDS API): Envoy filter: could not resolve Any "
                       "message type: " + u);
    return;
  }
  const MessageSpec* spec = SpecFor(apply_to);
  if (spec == nullptr) return;
  bool type_error = false;
  std::vector<std::string> unknown_fields;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string key = value.KeyAt(i);
    const yaml::Node& v = value.node()->ValueAt(i);
    const FieldSpec* field = nullptr;
    for (const auto& f : spec->fields) {
      if (key == f.name || SnakeCase(key) == f.name) {
        field = &f;
        break;
      }
    }
    if (field == nullptr) {
      if (spec->complete) unknown_fields.push_back(key);
      continue;
    }
    if (v.IsNull()) continue;
    bool ok = true;
    std::string go_type;
    switch (field->kind) {
      case JsonKind::kString:
        ok = v.IsString();
        go_type = "string";
        break;
      case JsonKind::kBool:
        ok = v.IsBool();
        go_type = "bool";
        break;
      case JsonKind::kNumber:
        ok = v.IsNumber() || v.IsString();
        go_type = "uint32";
        break;
      case JsonKind::kEnum:  // jsonpb: the value's name or its number
        ok = v.IsString() || v.IsInt();
        go_type = "int32";
        break;
      case JsonKind::kObject:
        ok = v.IsMap();
        go_type = "map[string]*json.RawMessage";
        break;
      case JsonKind::kList:
        ok = v.IsSeq();
        go_type = "[]*json.RawMessage";
        break;
    }
    if (!ok && !type_error) {
      type_error = true;
      out.Error(AppendKey(value.path(), key), "Envoy filter: json: cannot unmarshal " + std::string(JsonTypeName(v)) +
                                                  " into Go value of type " + go_type);
    }
  }
  if (type_error) return;
  for (const std::string& f : unknown_fields) {
    out.Warning(AppendKey(value.path(), f),
                "Envoy filter: unknown field " + core::GoQuote(f) + " in " + std::string(spec->full_name));
  }
  // Filters configured by name only.
  std::vector<std::string> by_name;
  auto collect = [&](const FieldRef& list) {
    for (size_t i = 0; i < list.size(); ++i)
      if (NamedWithoutConfig(list.At(i))) by_name.push_back(list.At(i)["name"].Str());
  };
  switch (apply_to) {
    case kHttpFilter:
    case kNetworkFilter:
    case kListenerFilter:
      if (NamedWithoutConfig(value)) by_name.push_back(value["name"].Str());
      break;
    case kFilterChain:
      collect(value["filters"]);
      break;
    case kListener: {
      FieldRef chains = value["filterChains"];
      for (size_t i = 0; i < chains.size(); ++i) collect(chains.At(i)["filters"]);
      collect(value["listenerFilters"]);
      break;
    }
    default:
      break;
  }
  if (!by_name.empty())
    out.Warning(value.path(), "using deprecated types by name without typed_config; " + core::Join(by_name, ", "));
}

}  // namespace

void ValidateEnvoyFilter(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  out.Warning("",
              "EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if "
              "possible, and exercise extreme caution, especially around upgrades.");
  FieldRef selector = spec["workloadSelector"];
  if (!CheckAlphaSelector(Present(selector), selector.path(), out,
                          "Envoy filter: workload selector specified without labels, will be applied to all "
                          "services in namespace"))
    return;

  FieldRef patches = spec["configPatches"];
  for (size_t i = 0; i < patches.size(); ++i) {
    FieldRef cp = patches.At(i);
    if (!cp.present()) {
      out.Error(cp.path(), "Envoy filter: null config patch");
      continue;
    }
    FieldRef match = cp["match"];
    if (match["context"].Enum(kContextNames) == kContextWaypoint) continue;
    int apply_to = cp["applyTo"].Enum(kApplyToNames);
    if (apply_to == kInvalid) {
      out.Error(cp.path(), "Envoy filter: missing applyTo");
      continue;
    }
    FieldRef patch = cp["patch"];
    if (!patch.present()) {
      out.Error(cp.path(), "Envoy filter: missing patch");
      continue;
    }
    int op = patch["operation"].Enum(kOperationNames);
    if (op == 0) {
      out.Error(patch.path(), "Envoy filter: missing patch operation");
      continue;
    }
    FieldRef value = patch["value"];
    if (op != kOperationRemove && !value.present()) {
      out.Error(patch.path(), "Envoy filter: missing patch value for non-remove operation");
      continue;
    }
    FieldRef proxy_version = match["proxy"]["proxyVersion"];
    if (!proxy_version.Str().empty()) {
      std::string pv = proxy_version.Str();
      if (pv.size() > 1024) {
        out.Warning(proxy_version.path(), "Envoy filter: proxyVersion match exceeds 1024 characters and will be ignored");
      } else if (std::string err = GoRegexpError(pv); !err.empty()) {
        out.Error(proxy_version.path(), "Envoy filter: invalid regex for proxy version, [" + err + "]");
        continue;
      }
    }
    bool has_object_match =
        match["listener"].present() || match["routeConfiguration"].present() || match["cluster"].present() ||
        match["waypoint"].present();
    bool skip = false;
    switch (apply_to) {
      case kListener:
      case kFilterChain:
      case kNetworkFilter:
      case kHttpFilter: {
        if (!has_object_match) break;
        FieldRef listener = match["listener"];
        if (!listener.present()) {
          out.Error(match.path(), "Envoy filter: applyTo for listener class objects cannot have non listener match");
          skip = true;
          break;
        }
        FieldRef filter = listener["filterChain"]["filter"];
        if (!filter.present()) break;
        if (apply_to == kListener || apply_to == kFilterChain)
          out.Warning(filter.path(), "Envoy filter: filter match has no effect when used with " + ApplyToName(apply_to));
        std::string name = filter["name"].Str();
        if (name.empty()) {
          out.Error(filter.path(), "Envoy filter: filter match has no name to match on");
          skip = true;
          break;
        }
        FieldRef sub = filter["subFilter"];
        if (sub.present()) {
          if (apply_to != kHttpFilter) {
            out.Error(sub.path(), "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only");
            skip = true;
            break;
          }
          if (name != "envoy.filters.network.http_connection_manager" && name != "envoy.http_connection_manager") {
            out.Error(sub.path(),
                      "Envoy filter: subfilter match requires filter match with "
                      "envoy.filters.network.http_connection_manager");
            skip = true;
            break;
          }
          if (sub["name"].Str().empty()) {
            out.Error(sub.path(), "Envoy filter: subfilter match has no name to match on");
            skip = true;
            break;
          }
        }
        CheckMatchName(filter["name"], out);
        CheckMatchName(sub["name"], out);
        break;
      }
      case kRouteConfiguration:
      case kVirtualHost:
      case kHttpRoute:
        if (has_object_match && !match["routeConfiguration"].present()) {
          out.Error(match.path(),
                    "Envoy filter: applyTo for http route class objects cannot have non route configuration match");
        }
        break;
      case kCluster:
        if (has_object_match && !match["cluster"].present()) {
          out.Error(match.path(), "Envoy filter: applyTo for cluster class objects cannot have non cluster match");
        }
        break;
      default:
        break;
    }
    if (skip) continue;
    if (value.present()) CheckPatchValue(apply_to, value, out);
  }
}

}  // namespace meshctl::validate
