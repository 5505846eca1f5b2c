#include "lib/xds/config_diff.h"
#include "lib/xds/config_diff_proto.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "envoy/admin/v3/config_dump.pb.h"
#include "lib/xds/ads_client.h"
#include "lib/xds/grpc_channel.h"
#include "lib/xds/proto_json.h"
#include "lib/xds/unified_diff.h"

namespace meshctl::xds {

namespace av3 = envoy::admin::v3;
using nlohmann::json;

namespace {

constexpr char kClustersDump[] = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump";
constexpr char kListenersDump[] = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump";
constexpr char kRoutesDump[] = "type.googleapis.com/envoy.admin.v3.RoutesConfigDump";

// One resource of a section: its name and, when it could be read in full,
// its Envoy-style JSON (snake_case keys, Any with @type).
struct Entry {
  std::string name;
  std::optional<json> body;
};

struct Section {
  bool present = false;            // the dump has this section at all
  std::vector<Entry> entries;
  std::vector<std::string> unreadable;  // why some bodies are missing
  std::optional<std::chrono::system_clock::time_point> newest_update;  // routes only
};

struct Dump {
  Section clusters, listeners, routes;
};

// ---- JSON side (Envoy's /config_dump, or a saved control-plane dump) ----

std::string CamelToSnake(const std::string& k) {
  std::string out;
  for (char c : k) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// Go protojson writes lowerCamelCase, Envoy writes proto field names. This
// brings a camelCase dump to Envoy's spelling; map keys and Struct fields
// (filter_metadata's contents, typed_* map keys) keep their spelling.
json ToSnake(const json& j) {
  if (j.is_array()) {
    json a = json::array();
    for (const auto& x : j) a.push_back(ToSnake(x));
    return a;
  }
  if (!j.is_object()) return j;
  json o = json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string k = it.key() == "@type" ? it.key() : CamelToSnake(it.key());
    if (k == "filter_metadata") {
      o[k] = it.value();
    } else if ((k == "typed_filter_metadata" || k == "typed_per_filter_config" ||
                k == "typed_extension_protocol_options") &&
               it.value().is_object()) {
      json m = json::object();
      for (auto mi = it.value().begin(); mi != it.value().end(); ++mi) m[mi.key()] = ToSnake(mi.value());
      o[k] = m;
    } else {
      o[k] = ToSnake(it.value());
    }
  }
  return o;
}

bool HasCamelSectionKeys(const json& config) {
  for (const char* k : {"dynamicActiveClusters", "dynamicWarmingClusters", "staticClusters", "dynamicListeners",
                        "staticListeners", "dynamicRouteConfigs", "staticRouteConfigs", "versionInfo"})
    if (config.contains(k)) return true;
  return false;
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(const std::string& s) {
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  const time_t t = ::timegm(&tm);
  // system_clock counts nanoseconds in 64 bits; a time outside 1843-2096
  // overflows (UB) on conversion or in ages: treat it as unparseable.
  if (t < -4'000'000'000LL || t > 4'000'000'000LL) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

std::string StringAt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

void ReadJsonSection(const json& config, Section& clusters, Section& listeners, Section& routes) {
  const std::string type = StringAt(config, "@type");
  if (type == kClustersDump) {
    clusters.present = true;
    if (auto it = config.find("dynamic_active_clusters"); it != config.end() && it->is_array())
      for (const auto& e : *it) {
        json c = e.value("cluster", json::object());
        clusters.entries.push_back({StringAt(c, "name"), c});
      }
  } else if (type == kListenersDump) {
    listeners.present = true;
    if (auto it = config.find("dynamic_listeners"); it != config.end() && it->is_array())
      for (const auto& e : *it) {
        if (!e.contains("active_state")) continue;
        json l = e["active_state"].value("listener", json::object());
        listeners.entries.push_back({StringAt(l, "name"), l});
      }
  } else if (type == kRoutesDump) {
    routes.present = true;
    if (auto it = config.find("dynamic_route_configs"); it != config.end() && it->is_array())
      for (const auto& e : *it) {
        json r = e.value("route_config", json::object());
        routes.entries.push_back({StringAt(r, "name"), r});
        if (auto t = ParseRfc3339(StringAt(e, "last_updated")))
          if (!routes.newest_update || *routes.newest_update < *t) routes.newest_update = t;
      }
  }
}

core::Result<Dump> ReadJsonDump(const std::string& text, const std::string& source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return core::DataError(source + ": not a config dump (expected a JSON object with \"configs\")");
  Dump d;
  auto it = j.find("configs");
  if (it == j.end()) return d;  // `{}`: every section is missing
  if (!it->is_array()) return core::DataError(source + ": \"configs\" is not a list");
  try {
    for (const auto& c : *it) {
      if (!c.is_object()) return core::DataError(source + ": an entry of \"configs\" is not an object");
      ReadJsonSection(HasCamelSectionKeys(c) ? ToSnake(c) : c, d.clusters, d.listeners, d.routes);
    }
  } catch (const json::exception& e) {  // a section whose entries have the wrong shape
    return core::DataError(source + ": unexpected config dump structure: " + e.what());
  }
  return d;
}

// ---- protobuf side (istiod's istio.io/debug/config_dump over xDS) ----

const google::protobuf::Descriptor* FindType(const std::string& type_url) {
  std::string name = type_url.substr(type_url.rfind('/') + 1);
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
}

// True when `m` (and every Any inside it) was read completely by meshctl's
// schema subset; otherwise `why` names the first gap.
bool Complete(const google::protobuf::Message& m, std::string& why) {
  const auto* refl = m.GetReflection();
  if (!refl->GetUnknownFields(m).empty()) {
    why = m.GetTypeName() + " has fields outside meshctl's schema subset";
    return false;
  }
  if (m.GetDescriptor()->full_name() == "google.protobuf.Any") {
    const auto& any = static_cast<const google::protobuf::Any&>(m);
    const auto* d = FindType(any.type_url());
    if (!d) {
      why = "type " + any.type_url() + " is unknown to meshctl";
      return false;
    }
    std::unique_ptr<google::protobuf::Message> inner(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
    if (!inner->ParseFromString(any.value())) {
      why = "cannot decode " + any.type_url();
      return false;
    }
    return Complete(*inner, why);
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < refl->FieldSize(m, f); ++i)
        if (!Complete(refl->GetRepeatedMessage(m, f, i), why)) return false;
    } else if (!Complete(refl->GetMessage(m, f), why)) {
      return false;
    }
  }
  return true;
}

// A resource Any (Cluster, Listener, RouteConfiguration) as an Entry.
Entry ReadAny(const google::protobuf::Any& any, std::vector<std::string>& unreadable) {
  Entry e;
  if (const auto* d = FindType(any.type_url())) {
    std::unique_ptr<google::protobuf::Message> m(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
    if (m->ParseFromString(any.value())) {
      if (const auto* nf = d->FindFieldByName("name"); nf && nf->type() == google::protobuf::FieldDescriptor::TYPE_STRING)
        e.name = m->GetReflection()->GetString(*m, nf);
    }
  }
  std::string why;
  if (!Complete(any, why)) {
    unreadable.push_back((e.name.empty() ? any.type_url() : e.name) + ": " + why);
    return e;
  }
  auto j = MessageToJsonValue(any, /*proto_names=*/true);
  if (!j.ok()) {
    unreadable.push_back(e.name + ": " + j.status().message());
    return e;
  }
  e.body = std::move(j).value();
  return e;
}

std::chrono::system_clock::time_point ToTime(const google::protobuf::Timestamp& t) {
  return std::chrono::system_clock::from_time_t(t.seconds());
}

core::Result<Dump> ReadProtoDump(const envoy::service::discovery::v3::DiscoveryResponse& r) {
  Dump d;
  for (const auto& any : r.resources()) {
    if (any.type_url() == kClustersDump) {
      av3::ClustersConfigDump c;
      if (!any.UnpackTo(&c)) return core::DataError("istiod sent a ClustersConfigDump that does not decode");
      d.clusters.present = true;
      for (const auto& e : c.dynamic_active_clusters()) d.clusters.entries.push_back(ReadAny(e.cluster(), d.clusters.unreadable));
    } else if (any.type_url() == kListenersDump) {
      av3::ListenersConfigDump l;
      if (!any.UnpackTo(&l)) return core::DataError("istiod sent a ListenersConfigDump that does not decode");
      d.listeners.present = true;
      for (const auto& e : l.dynamic_listeners())
        if (e.has_active_state()) d.listeners.entries.push_back(ReadAny(e.active_state().listener(), d.listeners.unreadable));
    } else if (any.type_url() == kRoutesDump) {
      av3::RoutesConfigDump rt;
      if (!any.UnpackTo(&rt)) return core::DataError("istiod sent a RoutesConfigDump that does not decode");
      d.routes.present = true;
      for (const auto& e : rt.dynamic_route_configs()) {
        d.routes.entries.push_back(ReadAny(e.route_config(), d.routes.unreadable));
        if (e.has_last_updated()) {
          auto t = ToTime(e.last_updated());
          if (!d.routes.newest_update || *d.routes.newest_update < t) d.routes.newest_update = t;
        }
      }
    }
  }
  return d;
}

// ---- comparison ----

void SortVirtualHosts(json& route_config) {
  auto it = route_config.find("virtual_hosts");
  if (it == route_config.end() || !it->is_array()) return;
  std::stable_sort(it->begin(), it->end(), [](const json& a, const json& b) {
    return StringAt(a, "name") < StringAt(b, "name");
  });
}

// The normalised section as istioctl renders it before diffing: only the
// dynamic (active) resources, sorted by name, versions and times dropped.
std::string Render(const Section& s, const char* list_key, const char* wrap_key, const char* dump_type) {
  if (!s.present) return std::string("config dump has no configuration type ") + dump_type + "\n";
  std::vector<const Entry*> sorted;
  for (const auto& e : s.entries) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->name < b->name; });
  json list = json::array();
  for (const Entry* e : sorted) {
    json body = e->body ? *e->body : json::object();
    if (std::string(list_key) == "dynamic_route_configs") SortVirtualHosts(body);
    json item = json::object();
    if (std::string(list_key) == "dynamic_listeners") {
      item["active_state"] = json{{"listener", body}};
    } else {
      item[wrap_key] = body;
    }
    list.push_back(item);
  }
  json doc = json::object();
  if (!list.empty()) doc[list_key] = list;
  return doc.dump(4) + "\n";
}

std::string NameList(const Section& s) {
  std::vector<std::string> names;
  for (const auto& e : s.entries) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

std::string Rfc1123Local(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::localtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %Z", &tm);
  return buf;
}

void CompareSection(const char* title, const char* singular, const Section& istiod, const Section& envoy,
                    const char* list_key, const char* wrap_key, const char* dump_type, const std::string& suffix,
                    std::ostream& out) {
  if (!istiod.present && !envoy.present) {
    std::string type = dump_type;
    out << title << " not compared: neither side has a " << type.substr(type.rfind('.') + 1) << "\n";
    return;
  }
  if (!istiod.unreadable.empty() && istiod.present && envoy.present) {
    out << title << " not compared by content: " << istiod.unreadable.size() << " of " << istiod.entries.size()
        << " from the control plane could not be read in full (" << istiod.unreadable.front()
        << "); comparing names only\n";
    std::string diff = UnifiedDiff(NameList(istiod), NameList(envoy), std::string("Istiod ") + title + " names",
                                   std::string("Envoy ") + title + " names");
    if (diff.empty()) {
      out << singular << " names Match" << suffix << "\n";
    } else {
      out << singular << " names Don't Match" << suffix << "\n" << diff << "\n";
    }
    return;
  }
  std::string a = Render(istiod, list_key, wrap_key, dump_type);
  std::string b = Render(envoy, list_key, wrap_key, dump_type);
  std::string diff = UnifiedDiff(a, b, std::string("Istiod ") + title, std::string("Envoy ") + title);
  if (diff.empty()) {
    out << title << " Match" << suffix << "\n";
  } else {
    out << title << " Don't Match" << suffix << "\n" << diff << "\n";
  }
}

void Compare(const Dump& istiod, const Dump& envoy, std::ostream& out) {
  CompareSection("Clusters", "Cluster", istiod.clusters, envoy.clusters, "dynamic_active_clusters", "cluster",
                 kClustersDump, "", out);
  CompareSection("Listeners", "Listener", istiod.listeners, envoy.listeners, "dynamic_listeners", "listener",
                 kListenersDump, "", out);
  std::string suffix;
  if (envoy.routes.newest_update) suffix = " (RDS last loaded at " + Rfc1123Local(*envoy.routes.newest_update) + ")";
  CompareSection("Routes", "Route", istiod.routes, envoy.routes, "dynamic_route_configs", "route_config",
                 kRoutesDump, suffix, out);
}

bool LegacyNotConnected(const envoy::service::discovery::v3::DiscoveryResponse& r) {
  return r.resources_size() == 1 &&
         r.resources(0).value().find("Proxy not connected to this Pilot instance") != std::string::npos;
}

}  // namespace

core::Status CompareWithResponse(const envoy::service::discovery::v3::DiscoveryResponse& r,
                                 const std::string& envoy_dump, const std::string& envoy_source, std::ostream& out) {
  ASSIGN_OR_RETURN(Dump envoy, ReadJsonDump(envoy_dump, envoy_source));
  ASSIGN_OR_RETURN(Dump istiod, ReadProtoDump(r));
  Compare(istiod, envoy, out);
  return core::Status::Ok();
}

core::Status ProxyDiff(const DiffOptions& o, std::ostream& out) {
  GrpcRuntime grpc_runtime;  // outlives every channel below
  ASSIGN_OR_RETURN(Dump envoy, ReadJsonDump(o.envoy_dump, o.envoy_source));
  Dump istiod;
  if (o.xds.empty()) {
    ASSIGN_OR_RETURN(istiod, ReadJsonDump(o.istiod_dump, o.istiod_source));
  } else {
    std::string tried;
    bool found = false;
    for (const auto& d : o.xds) {
      ASSIGN_OR_RETURN(auto r, FetchDebug(d, o.istio_namespace, kConfigDumpType, {o.proxy}));
      // Current istiod answers an unknown proxy with no resources; older
      // ones with a marker. Either way: ask the next replica.
      if (r.resources_size() == 0 || LegacyNotConnected(r)) {
        tried += (tried.empty() ? "" : ", ") + DescribeEndpoint(d);
        continue;
      }
      ASSIGN_OR_RETURN(istiod, ReadProtoDump(r));
      found = true;
      break;
    }
    if (!found)
      return core::Unavailable("unable to find config dump in Istiod responses: no control plane knows proxy " +
                               o.proxy + " (asked " + tried + "); check the name (<pod>.<namespace>) and that the "
                               "proxy is connected");
  }
  Compare(istiod, envoy, out);
  return core::Status::Ok();
}

}  // namespace meshctl::xds
