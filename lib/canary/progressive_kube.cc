#include "lib/canary/progressive_kube.h"

#include "lib/kube/live_source.h"
#include "lib/yaml/writer.h"

namespace meshctl::canary {

namespace {

std::string Scalar(const yaml::Node& obj, std::string_view path) {
  const yaml::Node* n = obj.Find(path);
  return n ? n->ToScalarString() : "";
}

class KubeCluster : public ProgressiveCluster {
 public:
  KubeCluster(kube::Client& client, std::string ns) : client_(client), ns_(std::move(ns)) {}

  core::Result<io::InputSet> Read() override { return ReadCanaryObjects(client_, ns_); }

  core::Status Apply(const yaml::Node& object, bool dry_run, bool force_conflicts) override {
    kube::ApplyOptions opts;
    opts.dry_run = dry_run;
    opts.force = force_conflicts;
    auto applied = ApplyObject(client_, object, opts);
    return applied.ok() ? core::Status::Ok() : applied.status();
  }

  std::string Server() const override { return client_.server(); }

 private:
  kube::Client& client_;
  std::string ns_;
};

}  // namespace

core::Result<io::InputSet> ReadCanaryObjects(kube::Client& client, const std::string& ns) {
  auto routes = kube::ListKinds(client,
                                {{"networking.istio.io", "VirtualService"},
                                 {"networking.istio.io", "DestinationRule"},
                                 {"gateway.networking.k8s.io", "HTTPRoute"},
                                 {"gateway.networking.k8s.io", "Gateway"},
                                 {"split.smi-spec.io", "TrafficSplit"}},
                                "");
  if (!routes.ok()) return routes.status();
  auto local = kube::ListKinds(
      client, {{"", "Service"}, {"apps", "Deployment"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"}, {"", "Pod"}},
      ns);
  if (!local.ok()) return local.status();
  for (auto& file : local->files) routes->files.push_back(std::move(file));
  return std::move(routes).value();
}

core::Result<std::string> ApplyObject(kube::Client& client, const yaml::Node& object, const kube::ApplyOptions& opts) {
  std::string api_version = Scalar(object, "apiVersion"), kind = Scalar(object, "kind");
  std::string name = Scalar(object, "metadata.name"), ns = Scalar(object, "metadata.namespace");
  std::string group = api_version.find('/') == std::string::npos ? "" : api_version.substr(0, api_version.rfind('/'));
  std::string version = api_version.substr(api_version.rfind('/') + 1);
  auto type = kube::TypeFor(group, kind);
  if (!type || name.empty()) return core::Internal("cannot apply " + kind + ": meshctl does not know its API resource");
  std::string path = kube::Client::ResourcePath(*type, version, ns, name);
  auto applied = client.Apply(path, type->plural, yaml::WriteJson(object, 0), opts);
  if (!applied.ok()) return applied.status();
  return type->plural.substr(0, type->plural.size() - 1) + (group.empty() ? "" : "." + group) + "/" + name;
}

std::unique_ptr<ProgressiveCluster> NewKubeProgressiveCluster(kube::Client& client, std::string ns) {
  return std::make_unique<KubeCluster>(client, std::move(ns));
}

}  // namespace meshctl::canary
