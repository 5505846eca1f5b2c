#include "lib/ambient/ztunnel_target.h"

#include <fmt/format.h>

#include <optional>

#include "lib/kube/istiod.h"

namespace meshctl::ambient {

namespace {

// GET one pod; nullopt when it does not exist.
core::Result<std::optional<kube::PodInfo>> GetPod(kube::Client& client, const std::string& ns,
                                                  const std::string& name) {
  std::string path = "/api/v1/namespaces/" + ns + "/pods/" + name;
  ASSIGN_OR_RETURN(auto body, client.Get(path, "pods"));
  if (!body) return std::optional<kube::PodInfo>();
  ASSIGN_OR_RETURN(kube::PodInfo p, kube::ParsePod(*body, "GET " + path));
  if (p.ns.empty()) p.ns = ns;
  if (p.name.empty()) p.name = name;
  return std::optional<kube::PodInfo>(std::move(p));
}

// Whether the argument says its namespace ("x.ns", "pod/x.ns").
bool NamesNamespace(const std::string& target) {
  size_t slash = target.rfind('/');
  std::string rest = slash == std::string::npos ? target : target.substr(slash + 1);
  return rest.find('.') != std::string::npos;
}

// The pods a bare or typed argument stands for, ByLogging first.
core::Result<std::vector<kube::PodInfo>> PodsOfArgument(kube::Client& client, const ZtunnelTargetRequest& req) {
  bool explicit_ns = NamesNamespace(req.target);
  std::string default_ns = req.ns.empty() ? "default" : req.ns;
  ASSIGN_OR_RETURN(kube::PodArgument arg, kube::ParsePodArgument(req.target, explicit_ns ? "" : default_ns));
  if (arg.typed) {
    // A typed argument without a namespace is tried in the Istio namespace
    // too, where ds/ztunnel lives.
    auto pods = kube::ResolvePods(client, arg);
    if (!pods.ok() && !explicit_ns && arg.ns != req.istio_namespace &&
        pods.status().code() == core::StatusCode::kUnavailable) {
      kube::PodArgument in_istio = arg;
      in_istio.ns = req.istio_namespace;
      auto retry = kube::ResolvePods(client, in_istio);
      if (retry.ok()) pods = std::move(retry);
    }
    if (!pods.ok()) return pods.status();
    kube::SortByLogging(*pods);
    return std::move(pods).value();
  }
  ASSIGN_OR_RETURN(auto pod, GetPod(client, arg.ns, arg.name));
  if (!pod && !explicit_ns && arg.ns != req.istio_namespace) {
    ASSIGN_OR_RETURN(pod, GetPod(client, req.istio_namespace, arg.name));
    if (!pod)
      return core::Unavailable(fmt::format("pod \"{}\" not found in namespace \"{}\" nor in the Istio namespace \"{}\"",
                                           arg.name, arg.ns, req.istio_namespace));
  }
  if (!pod) return core::Unavailable(fmt::format("pod \"{}\" not found in namespace \"{}\"", arg.name, arg.ns));
  return std::vector<kube::PodInfo>{std::move(*pod)};
}

}  // namespace

bool IsZtunnelPod(const kube::PodInfo& pod) {
  auto app = pod.labels.find("app");
  if (app != pod.labels.end()) return app->second == "ztunnel";
  return pod.name.rfind("ztunnel", 0) == 0;
}

core::Result<std::vector<kube::PodInfo>> ZtunnelPods(kube::Client& client, const std::string& istio_namespace,
                                                     const std::string& node) {
  std::string path = "/apis/apps/v1/namespaces/" + istio_namespace + "/daemonsets/" + kZtunnelDaemonSet;
  ASSIGN_OR_RETURN(auto ds, client.Get(path, "daemonsets"));
  if (!ds)
    return core::Unavailable(fmt::format(
        "DaemonSet {}/{} not found: is Istio installed in ambient mode? (-i/--istioNamespace names Istio's namespace)",
        istio_namespace, kZtunnelDaemonSet));
  ASSIGN_OR_RETURN(std::string selector,
                   kube::SelectorForObject(kube::TargetKind::kDaemonSet, *ds, std::string("daemonset/") + kZtunnelDaemonSet));
  std::string field = node.empty() ? "" : "spec.nodeName=" + node;
  ASSIGN_OR_RETURN(auto pods, kube::ListPods(client, istio_namespace, selector, field));
  if (pods.empty()) {
    if (!node.empty())
      return core::Unavailable(fmt::format("no ztunnel pod found on node \"{}\" (DaemonSet {}/{}, selector {})", node,
                                           istio_namespace, kZtunnelDaemonSet, selector));
    return core::Unavailable(fmt::format("no ztunnel pods found (DaemonSet {}/{}, selector {})", istio_namespace,
                                         kZtunnelDaemonSet, selector));
  }
  kube::SortByLogging(pods);
  return pods;
}

core::Result<ZtunnelTarget> ResolveZtunnelTarget(kube::Client& client, const ZtunnelTargetRequest& req) {
  ZtunnelTarget out;
  if (!req.node.empty()) {
    if (!req.target.empty()) return core::InvalidArgument("at most one of --file, --node, or pod name must be passed");
    ASSIGN_OR_RETURN(auto pods, ZtunnelPods(client, req.istio_namespace, req.node));
    out.ztunnels.push_back(std::move(pods.front()));
    return out;
  }
  std::vector<kube::PodInfo> pods;
  if (req.target.empty()) {
    ASSIGN_OR_RETURN(pods, ZtunnelPods(client, req.istio_namespace, ""));
  } else {
    ASSIGN_OR_RETURN(pods, PodsOfArgument(client, req));
  }
  const kube::PodInfo& first = pods.front();
  if (IsZtunnelPod(first)) {
    if (req.for_log) {
      for (const auto& p : pods)
        if (!IsZtunnelPod(p))
          return core::InvalidArgument("workloads command is only supported by Ztunnel proxies: " + p.name + "." + p.ns);
      out.ztunnels = std::move(pods);
      return out;
    }
    if (req.single && pods.size() > 1)
      return core::InvalidArgument(fmt::format(
          "ztunnel pod name or --node must be set: {} ztunnel pods found (e.g. {}.{}); this subcommand reads one "
          "ztunnel",
          pods.size(), first.name, first.ns));
    out.ztunnels.push_back(first);
    return out;
  }
  if (req.for_log)
    return core::InvalidArgument("workloads command is only supported by Ztunnel proxies: " + first.name + "." +
                                 first.ns);
  if (first.node_name.empty())
    return core::Unavailable(
        fmt::format("pod {}/{} is not scheduled to a node yet, so no ztunnel serves it", first.ns, first.name));
  ASSIGN_OR_RETURN(auto on_node, ZtunnelPods(client, req.istio_namespace, first.node_name));
  out.workload_name = first.name;
  out.workload_ns = first.ns;
  out.ztunnels.push_back(std::move(on_node.front()));
  return out;
}

core::Status ZtunnelAdmin::Explain(const core::Status& st) const {
  return kube::ExplainForwardFailure(st, forward.get(), "could not reach the admin port of ztunnel " + pod);
}

core::Result<ZtunnelAdmin> ConnectZtunnelAdmin(kube::Client& client, const kube::PodInfo& pod, uint16_t port,
                                               io::HttpClient& http, std::chrono::milliseconds timeout) {
  auto fw = kube::StartPortForward(client, pod.ns, pod.name, port);
  if (!fw.ok())
    return core::Status(fw.status().code(), fmt::format("could not port-forward to the admin port {} of ztunnel {}/{}: {}",
                                                        port, pod.ns, pod.name, fw.status().message()));
  ZtunnelAdmin out;
  out.pod = pod.name + "." + pod.ns;
  envoy::AdminOptions opts;
  opts.base_url = "http://" + (*fw)->local_address();
  opts.timeout = timeout;
  out.forward = std::move(fw).value();
  out.admin = std::make_unique<envoy::AdminClient>(http, opts);
  return out;
}

}  // namespace meshctl::ambient
