#include "lib/kube/pod_target.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lib/core/strings.h"

namespace meshctl::kube {

namespace {

using nlohmann::json;

struct KindInfo {
  TargetKind kind;
  const char* name;     // singular, for messages
  const char* plural;   // URL segment
  const char* group;    // "" = core
  const char* version;  // "" = pick from the server (Gateway API)
  std::vector<std::string> spellings;
};

const std::vector<KindInfo>& Kinds() {
  static const std::vector<KindInfo> kKinds = {
      {TargetKind::kPod, "pod", "pods", "", "v1", {"pod", "pods", "po"}},
      {TargetKind::kDeployment, "deployment", "deployments", "apps", "v1", {"deployment", "deployments", "deploy"}},
      {TargetKind::kReplicaSet, "replicaset", "replicasets", "apps", "v1", {"replicaset", "replicasets", "rs"}},
      {TargetKind::kStatefulSet, "statefulset", "statefulsets", "apps", "v1", {"statefulset", "statefulsets", "sts"}},
      {TargetKind::kDaemonSet, "daemonset", "daemonsets", "apps", "v1", {"daemonset", "daemonsets", "ds"}},
      {TargetKind::kJob, "job", "jobs", "batch", "v1", {"job", "jobs"}},
      {TargetKind::kService, "service", "services", "", "v1", {"service", "services", "svc"}},
      {TargetKind::kReplicationController,
       "replicationcontroller",
       "replicationcontrollers",
       "",
       "v1",
       {"replicationcontroller", "replicationcontrollers", "rc"}},
      {TargetKind::kGateway, "gateway", "gateways", "gateway.networking.k8s.io", "", {"gateway", "gateways", "gtw"}},
  };
  return kKinds;
}

const KindInfo& InfoOf(TargetKind kind) {
  for (const auto& k : Kinds())
    if (k.kind == kind) return k;
  return Kinds().front();
}

// "deploy", "deployments.apps", "deployment.v1.apps", "gateway.gateway.networking.k8s.io".
const KindInfo* LookupKind(std::string_view text) {
  std::string lower = core::ToLower(std::string(text));
  std::string head = lower, group;
  if (size_t dot = lower.find('.'); dot != std::string::npos) {
    head = lower.substr(0, dot);
    group = lower.substr(dot + 1);
  }
  for (const auto& k : Kinds()) {
    if (std::find(k.spellings.begin(), k.spellings.end(), head) == k.spellings.end()) continue;
    if (group.empty()) return &k;
    std::string g = k.group;
    // deployment.extensions was the pre-apps group; "v1.apps" names a version too.
    if (group == g || (g.empty() && group == "v1") || group == std::string(k.version) + "." + g ||
        (k.kind == TargetKind::kGateway && (group == "v1." + g || group == "v1beta1." + g)) ||
        (g == "apps" && group == "extensions"))
      return &k;
  }
  return nullptr;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& Sub(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it != j.end() ? *it : kNull;
}

std::map<std::string, std::string> StringMap(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it->is_string()) out[it.key()] = it->get<std::string>();
  return out;
}

PodInfo ReadPod(const json& j) {
  PodInfo p;
  const json& md = Sub(j, "metadata");
  p.ns = Str(md, "namespace");
  p.name = Str(md, "name");
  p.created = Str(md, "creationTimestamp");
  p.labels = StringMap(Sub(md, "labels"));
  p.annotations = StringMap(Sub(md, "annotations"));
  const json& spec = Sub(j, "spec");
  p.node_name = Str(spec, "nodeName");
  const json& containers = Sub(spec, "containers");
  if (containers.is_array())
    for (const auto& c : containers) p.containers.push_back(Str(c, "name"));
  const json& st = Sub(j, "status");
  p.phase = Str(st, "phase");
  const json& conds = Sub(st, "conditions");
  if (conds.is_array()) {
    for (const auto& c : conds) {
      if (Str(c, "type") != "Ready") continue;
      p.ready = Str(c, "status") == "True";
      if (p.ready) p.ready_since = Str(c, "lastTransitionTime");
    }
  }
  const json& cs = Sub(st, "containerStatuses");
  if (cs.is_array()) {
    for (const auto& c : cs) {
      const json& n = Sub(c, "restartCount");
      if (n.is_number_integer()) p.restarts = std::max(p.restarts, n.get<int>());
    }
  }
  return p;
}

// Seconds since the epoch of an RFC 3339 time; nullopt for "" or garbage.
std::optional<double> ParseTime(const std::string& s) {
  if (s.size() < 20) return std::nullopt;
  std::tm tm{};
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double t = static_cast<double>(timegm(&tm));
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, scale /= 10)
      t += (s[i] - '0') * scale;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int hh = 0, mm = 0;
    if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &hh, &mm) == 2) {
      double off = hh * 3600.0 + mm * 60.0;
      t += s[i] == '+' ? -off : off;
    }
  }
  return t;
}

// Go's afterOrZero(t1, t2): a zero time sorts last.
bool AfterOrZero(const std::string& t1, const std::string& t2) {
  auto a = ParseTime(t1), b = ParseTime(t2);
  if (!a || !b) return !a;
  return *a > *b;
}

// podutils' phase rank. Go reads a missing map key as 0, so Succeeded,
// Failed and an unset phase rank with Running; kept as kubectl has it.
int PhaseRank(const std::string& phase) {
  if (phase == "Unknown") return 1;
  if (phase == "Pending") return 2;
  return 0;
}

void AppendValues(std::string& out, std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  out += " (" + core::Join(values, ",") + ")";
}

// metav1.LabelSelectorAsSelector(...).String().
core::Result<std::string> LabelSelectorText(const json& sel, const std::string& display) {
  if (!sel.is_object())
    return core::InvalidArgument(fmt::format("{} has no selector, so it does not refer to a pod", display));
  std::vector<std::pair<std::string, std::string>> reqs;  // key, text
  for (const auto& [k, v] : StringMap(Sub(sel, "matchLabels"))) reqs.emplace_back(k, k + "=" + v);
  const json& exprs = Sub(sel, "matchExpressions");
  if (exprs.is_array()) {
    for (const auto& e : exprs) {
      std::string key = Str(e, "key"), op = Str(e, "operator");
      std::vector<std::string> values;
      const json& vs = Sub(e, "values");
      if (vs.is_array())
        for (const auto& v : vs)
          if (v.is_string()) values.push_back(v.get<std::string>());
      std::string text;
      if (op == "In") {
        text = key + " in";
        AppendValues(text, values);
      } else if (op == "NotIn") {
        text = key + " notin";
        AppendValues(text, values);
      } else if (op == "Exists") {
        text = key;
      } else if (op == "DoesNotExist") {
        text = "!" + key;
      } else {
        return core::InvalidArgument(
            fmt::format("{} has a selector with operator \"{}\", which is not a label selector operator", display, op));
      }
      reqs.emplace_back(key, text);
    }
  }
  std::stable_sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> parts;
  for (auto& r : reqs) parts.push_back(std::move(r.second));
  return core::Join(parts, ",");
}

core::Result<json> ParseJson(const std::string& text, const std::string& source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return core::Unavailable("Kubernetes API server sent malformed JSON for " + source);
  return j;
}

std::string ObjectPath(const KindInfo& k, const std::string& version, const std::string& ns, const std::string& name) {
  std::string g = k.group;
  std::string base = g.empty() ? "/api/" + version : "/apis/" + g + "/" + version;
  return base + "/namespaces/" + ns + "/" + k.plural + "/" + name;
}

std::string Describe(const PodArgument& arg) {
  return fmt::format("{} \"{}\" in namespace \"{}\"", KindName(arg.kind), arg.name, arg.ns);
}

// GET the object a typed argument names and turn it into a pod selector.
core::Result<std::string> SelectorOf(Client& client, const PodArgument& arg) {
  const KindInfo& k = InfoOf(arg.kind);
  std::string version = k.version;
  if (version.empty()) {
    ResourceType type{k.group, {"v1", "v1beta1"}, k.plural, "Gateway", true};
    ASSIGN_OR_RETURN(auto picked, client.PickVersion(type));
    if (!picked)
      return core::Unavailable(
          fmt::format("{}: the cluster does not serve the Gateway API ({}); no Gateway to "
                      "find pods for",
                      arg.text, k.group));
    version = *picked;
  }
  std::string path = ObjectPath(k, version, arg.ns, arg.name);
  ASSIGN_OR_RETURN(auto body, client.Get(path, k.plural));
  if (!body) return core::Unavailable(fmt::format("{} not found", Describe(arg)));
  return SelectorForObject(arg.kind, *body, Describe(arg));
}

}  // namespace

std::string KindName(TargetKind kind) { return InfoOf(kind).name; }

core::Result<PodArgument> ParsePodArgument(std::string_view arg_view, const std::string& default_ns) {
  std::string arg(arg_view);
  PodArgument out;
  out.text = arg;
  out.ns = default_ns.empty() ? "default" : default_ns;
  std::string rest = arg;
  size_t slash = arg.rfind('/');
  if (slash != std::string::npos) {
    std::string kind_text = arg.substr(0, slash);
    if (kind_text.find('/') != std::string::npos || kind_text.empty())
      return core::InvalidArgument("\"" + arg +
                                   "\" is not a pod argument: use POD[.NAMESPACE] or KIND/NAME[.NAMESPACE]");
    const KindInfo* k = LookupKind(kind_text);
    if (!k)
      return core::InvalidArgument(fmt::format(
          "\"{}\": unknown kind \"{}\"; meshctl finds pods of pod, deployment (deploy), replicaset (rs), statefulset "
          "(sts), daemonset (ds), job, service (svc), replicationcontroller (rc) and gateway (a managed Gateway API "
          "Gateway)",
          arg, kind_text));
    out.kind = k->kind;
    out.typed = true;
    rest = arg.substr(slash + 1);
  }
  if (size_t dot = rest.rfind('.'); dot != std::string::npos) {
    out.ns = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
    if (out.ns.empty()) return core::InvalidArgument("\"" + arg + "\" ends in '.': give the namespace after the dot");
  }
  if (rest.empty()) return core::InvalidArgument("\"" + arg + "\" names no pod");
  out.name = rest;
  if (out.kind == TargetKind::kPod) out.typed = false;  // pod/x is the pod x
  return out;
}

core::Result<PodInfo> ParsePod(const std::string& text, const std::string& source) {
  ASSIGN_OR_RETURN(json j, ParseJson(text, source));
  return ReadPod(j);
}

core::Result<std::vector<PodInfo>> ParsePodList(const std::string& text, const std::string& source) {
  ASSIGN_OR_RETURN(json j, ParseJson(text, source));
  std::vector<PodInfo> out;
  const json& items = Sub(j, "items");
  if (items.is_array())
    for (const auto& i : items) out.push_back(ReadPod(i));
  return out;
}

bool BetterForLogging(const PodInfo& a, const PodInfo& b) {
  // 1. assigned < unassigned
  if (a.node_name != b.node_name && (a.node_name.empty() || b.node_name.empty())) return !a.node_name.empty();
  // 2. Running < Unknown < Pending
  if (PhaseRank(a.phase) != PhaseRank(b.phase)) return PhaseRank(a.phase) < PhaseRank(b.phase);
  // 3. ready < not ready
  if (a.ready != b.ready) return a.ready;
  // 4. ready for longer first (a zero time last)
  if (a.ready && b.ready && a.ready_since != b.ready_since) {
    auto ta = ParseTime(a.ready_since), tb = ParseTime(b.ready_since);
    if (ta != tb) return AfterOrZero(b.ready_since, a.ready_since);
  }
  // 5. more restarts first
  if (a.restarts != b.restarts) return a.restarts > b.restarts;
  // 6. older first
  if (a.created != b.created) {
    auto ta = ParseTime(a.created), tb = ParseTime(b.created);
    if (ta != tb) return AfterOrZero(b.created, a.created);
  }
  return false;
}

void SortByLogging(std::vector<PodInfo>& pods) { std::stable_sort(pods.begin(), pods.end(), BetterForLogging); }

core::Result<std::string> SelectorForObject(TargetKind kind, const std::string& object_json,
                                            const std::string& display) {
  ASSIGN_OR_RETURN(json j, ParseJson(object_json, display));
  const json& spec = Sub(j, "spec");
  switch (kind) {
    case TargetKind::kService:
    case TargetKind::kReplicationController: {
      auto sel = StringMap(Sub(spec, "selector"));
      if (sel.empty())
        return core::InvalidArgument(
            fmt::format("{} is defined without a selector, so it does not refer to a pod", display));
      std::vector<std::string> parts;
      for (const auto& [k, v] : sel) parts.push_back(k + "=" + v);
      return core::Join(parts, ",");
    }
    case TargetKind::kGateway: {
      // istioctl: only a managed Gateway (no address, or one IP address)
      // has pods of its own.
      const json& addrs = Sub(spec, "addresses");
      bool managed = true;
      if (addrs.is_array() && !addrs.empty()) {
        std::string type = addrs.size() == 1 ? Str(addrs[0], "type") : "many";
        managed = addrs.size() == 1 && (type.empty() || type == "IPAddress");
      }
      if (!managed)
        return core::InvalidArgument(fmt::format(
            "{} is not a managed gateway (it names its own addresses), so it has no pods of its own", display));
      return "gateway.networking.k8s.io/gateway-name=" + Str(Sub(j, "metadata"), "name");
    }
    case TargetKind::kPod:
      return core::Internal("a pod has no selector");
    default:
      return LabelSelectorText(Sub(spec, "selector"), display);
  }
}

core::Result<std::vector<PodInfo>> ListPods(Client& client, const std::string& ns, const std::string& label_selector,
                                            const std::string& field_selector) {
  ApiRequest req;
  req.path = "/api/v1/namespaces/" + ns + "/pods";
  if (!label_selector.empty()) req.query.emplace_back("labelSelector", label_selector);
  if (!field_selector.empty()) req.query.emplace_back("fieldSelector", field_selector);
  req.verb = "list";
  req.resource = "pods";
  ASSIGN_OR_RETURN(std::string body, client.Call(req));
  ASSIGN_OR_RETURN(auto pods, ParsePodList(body, "GET " + req.path));
  for (auto& p : pods)
    if (p.ns.empty()) p.ns = ns;
  return pods;
}

core::Result<PodInfo> ResolvePod(Client& client, const PodArgument& arg, const ResolveOptions& options) {
  if (!arg.typed) {
    PodInfo p;
    p.ns = arg.ns;
    p.name = arg.name;
    return p;
  }
  ASSIGN_OR_RETURN(std::string selector, SelectorOf(client, arg));
  auto deadline = std::chrono::steady_clock::now() + options.wait;
  while (true) {
    ASSIGN_OR_RETURN(auto pods, ListPods(client, arg.ns, selector));
    if (!pods.empty()) {
      SortByLogging(pods);
      return pods.front();
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return core::Unavailable(
      fmt::format("no pods match {} (selector {})", Describe(arg), selector.empty() ? "<everything>" : selector));
}

core::Result<std::vector<PodInfo>> ResolvePods(Client& client, const PodArgument& arg) {
  if (!arg.typed) {
    ASSIGN_OR_RETURN(PodInfo p, ResolvePod(client, arg));
    return std::vector<PodInfo>{p};
  }
  ASSIGN_OR_RETURN(std::string selector, SelectorOf(client, arg));
  ASSIGN_OR_RETURN(auto pods, ListPods(client, arg.ns, selector));
  if (pods.empty())
    return core::Unavailable(
        fmt::format("no pods match {} (selector {})", Describe(arg), selector.empty() ? "<everything>" : selector));
  return pods;
}

core::Result<std::vector<PodInfo>> PodsForSelector(Client& client, const std::string& ns, const std::string& selector) {
  ASSIGN_OR_RETURN(auto pods, ListPods(client, ns, selector));
  if (pods.empty())
    return core::Unavailable(fmt::format("no pods found in namespace \"{}\" with selector {}", ns, selector));
  return pods;
}

core::Result<PodInfo> GetRunningPod(Client& client, const std::string& ns, const std::string& name) {
  std::string path = "/api/v1/namespaces/" + ns + "/pods/" + name;
  ASSIGN_OR_RETURN(auto body, client.Get(path, "pods"));
  if (!body) return core::Unavailable(fmt::format("pod \"{}\" not found in namespace \"{}\"", name, ns));
  ASSIGN_OR_RETURN(PodInfo p, ParsePod(*body, "GET " + path));
  if (p.ns.empty()) p.ns = ns;
  if (p.phase != "Running")
    return core::Unavailable(
        fmt::format("pod \"{}\" in namespace \"{}\" is not running (status.phase {}); "
                    "meshctl can only reach a Running pod",
                    name, ns, p.phase.empty() ? "unset" : p.phase));
  return p;
}

}  // namespace meshctl::kube
