#include "lib/xds/proxy_status.h"

#include <algorithm>
#include <map>
#include <set>

#include "lib/core/strings.h"
#include "lib/io/files.h"
#include "lib/xds/ads_client.h"
#include "lib/xds/csds_client.h"
#include "lib/xds/grpc_channel.h"
#include "lib/xds/proto_json.h"
#include "lib/xds/status_table.h"
#include "lib/xds/sync_status.h"

namespace meshctl::xds {

namespace dv3 = envoy::service::discovery::v3;
namespace sv3 = envoy::service::status::v3;

namespace {

struct Fetched {
  std::vector<dv3::DiscoveryResponse> syncz;
  std::vector<std::pair<std::string, sv3::ClientStatusResponse>> csds;
  std::vector<core::Status> errors;
};

core::Status LoadFile(const std::string& path, const StatusOptions& o, Fetched& f) {
  std::string text;
  if (path == "-") {
    text = o.stdin_text;
  } else {
    ASSIGN_OR_RETURN(text, io::ReadFile(path));
  }
  ASSIGN_OR_RETURN(auto docs, ParseJsonDocuments(text, path));
  for (const auto& d : docs) {
    dv3::DiscoveryResponse r;
    RETURN_IF_ERROR(JsonToMessage(d, r, path));
    f.syncz.push_back(std::move(r));
  }
  return core::Status::Ok();
}

bool KeepNode(const envoy::config::core::v3::Node& n, const std::string& ns) {
  if (ns.empty()) return true;
  const auto& f = n.metadata().fields();
  auto it = f.find("NAMESPACE");
  return it != f.end() && it->second.string_value() == ns;
}

// -n for the raw outputs: drop resources of other namespaces.
void FilterResponse(dv3::DiscoveryResponse& r, const std::string& ns) {
  if (ns.empty()) return;
  google::protobuf::RepeatedPtrField<google::protobuf::Any> kept;
  for (const auto& any : r.resources()) {
    sv3::ClientConfig cc;
    if (any.UnpackTo(&cc) && !KeepNode(cc.node(), ns)) continue;
    *kept.Add() = any;
  }
  r.mutable_resources()->Swap(&kept);
}

void FilterCsds(sv3::ClientStatusResponse& r, const std::string& ns) {
  if (ns.empty()) return;
  google::protobuf::RepeatedPtrField<sv3::ClientConfig> kept;
  for (const auto& cc : r.config())
    if (KeepNode(cc.node(), ns)) *kept.Add() = cc;
  r.mutable_config()->Swap(&kept);
}

core::Status RenderRaw(const std::vector<const google::protobuf::Message*>& msgs, const std::string& output,
                       std::ostream& out) {
  for (const auto* m : msgs) {
    if (output == "json") {
      ASSIGN_OR_RETURN(std::string s, MessageToJson4(*m));
      out << s << "\n";
    } else {
      ASSIGN_OR_RETURN(nlohmann::json j, MessageToJsonValue(*m));
      out << JsonToYaml(j);
    }
  }
  return core::Status::Ok();
}

}  // namespace

core::Status ProxyStatus(const StatusOptions& o, std::ostream& out, std::ostream& err) {
  GrpcRuntime grpc_runtime;  // outlives every channel below
  const std::string output = core::ToLower(o.output);
  if (output != "table" && output != "json" && output != "yaml")
    return core::InvalidArgument("unknown output format \"" + o.output + "\" (choose table, json or yaml)");
  if (o.verbosity < 0 || o.verbosity > 1)
    return core::InvalidArgument("--verbosity must be 0 or 1, not " + std::to_string(o.verbosity));

  Fetched f;
  for (const auto& p : o.from_files) RETURN_IF_ERROR(LoadFile(p, o, f));
  for (const auto& d : o.xds) {
    auto r = FetchDebug(d, o.istio_namespace, kSynczType, {});
    if (r.ok()) {
      f.syncz.push_back(std::move(r).value());
    } else {
      f.errors.push_back(r.status());
    }
  }
  for (const auto& d : o.csds) {
    auto r = FetchClientStatus(d);
    if (r.ok()) {
      NormalizeCsds(r.value());
      f.csds.emplace_back(d.address, std::move(r).value());
    } else {
      f.errors.push_back(r.status());
    }
  }
  const size_t sources = o.from_files.size() + o.xds.size() + o.csds.size();
  if (!f.errors.empty() && f.errors.size() == sources) {
    for (size_t i = 1; i < f.errors.size(); ++i) err << "Error: " << f.errors[i].message() << "\n";
    return f.errors.front();
  }

  // Stable order across control planes (istioctl iterates a Go map).
  std::stable_sort(f.syncz.begin(), f.syncz.end(), [](const auto& a, const auto& b) {
    return IstiodId(a) < IstiodId(b);
  });

  if (output == "table") {
    std::vector<ProxySync> rows;
    for (const auto& r : f.syncz) {
      ASSIGN_OR_RETURN(auto rs, ProxiesFromSyncz(r));
      for (auto& p : rs)
        if (o.ns.empty() || p.ns == o.ns) rows.push_back(std::move(p));
    }
    for (const auto& [addr, r] : f.csds) {
      for (auto& p : ProxiesFromCsds(r, "-"))
        if (o.ns.empty() || p.ns == o.ns) rows.push_back(std::move(p));
    }
    out << RenderStatusTable(std::move(rows), o.verbosity, o.now);
  } else {
    std::vector<const google::protobuf::Message*> msgs;
    for (auto& r : f.syncz) {
      FilterResponse(r, o.ns);
      msgs.push_back(&r);
    }
    for (auto& [addr, r] : f.csds) {
      FilterCsds(r, o.ns);
      msgs.push_back(&r);
    }
    RETURN_IF_ERROR(RenderRaw(msgs, output, out));
  }
  if (!f.errors.empty()) {
    for (size_t i = 1; i < f.errors.size(); ++i) err << "Error: " << f.errors[i].message() << "\n";
    return f.errors.front();
  }
  return core::Status::Ok();
}

core::Result<MeshVersions> FetchMeshVersions(const std::vector<DialOptions>& xds, const std::string& istio_namespace) {
  GrpcRuntime runtime;
  MeshVersions out;
  std::set<std::string> cp;
  std::map<std::string, int> dp;
  for (const auto& d : xds) {
    ASSIGN_OR_RETURN(auto r, FetchDebug(d, istio_namespace, kSynczType, {}));
    if (r.has_control_plane()) {
      nlohmann::json j = nlohmann::json::parse(r.control_plane().identifier(), nullptr, false);
      if (j.is_object() && j.contains("Info") && j["Info"].is_object() && j["Info"].contains("version") &&
          j["Info"]["version"].is_string())
        cp.insert(j["Info"]["version"].get<std::string>());
    }
    ASSIGN_OR_RETURN(auto proxies, ProxiesFromSyncz(r));
    for (const auto& p : proxies) {
      ++dp[p.version.empty() ? "unknown" : p.version];
      ++out.proxies;
    }
  }
  out.control_plane.assign(cp.begin(), cp.end());
  out.data_plane.assign(dp.begin(), dp.end());
  return out;
}

}  // namespace meshctl::xds
