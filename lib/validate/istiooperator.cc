// install.istio.io/v1alpha1 IstioOperator, as istioctl validate checks it
// (operator/pkg/validate ParseAndValidateIstioOperator): the object is
// decoded strictly into the operator's Go types (an unknown field anywhere
// in spec, components, gateways or their k8s blocks is an error: "could not
// unmarshal: json: unknown field ..."), scalar fields must have their Go
// type, then the values are checked: hub and tag as image references, the
// revision as a DNS-1123 label, gateway names, values.global.proxy IP ranges
// and inbound ports, and replicaCount next to autoscaleEnabled (a warning).
//
// Not checked: the insides of the Kubernetes types under k8s (affinity,
// resources, service, ...), which Go decodes with the upstream API types,
// and meshConfig (istioctl decodes it against MeshConfig).
#include <fmt/format.h>

#include <set>

#include "lib/core/strings.h"
#include "lib/validate/go_net.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

namespace {

enum class Type { kString, kBool, kUint32, kObject, kList, kStringMap, kAny };

struct Field {
  std::string_view name;
  Type type;
};

// Go struct fields by struct, with their JSON names (operator/pkg/apis).
const std::vector<Field> kSpecFields = {
    {"profile", Type::kString},   {"installPackagePath", Type::kString}, {"hub", Type::kString},
    {"tag", Type::kAny},          {"namespace", Type::kString},          {"revision", Type::kString},
    {"compatibilityVersion", Type::kString}, {"meshConfig", Type::kObject}, {"components", Type::kObject},
    {"values", Type::kObject},    {"unvalidatedValues", Type::kObject},
};
const std::vector<Field> kComponentsFields = {
    {"base", Type::kObject},         {"pilot", Type::kObject},           {"cni", Type::kObject},
    {"ztunnel", Type::kObject},      {"istiodRemote", Type::kObject},    {"ingressGateways", Type::kList},
    {"egressGateways", Type::kList},
};
const std::vector<Field> kComponentFields = {
    {"enabled", Type::kBool}, {"namespace", Type::kString}, {"hub", Type::kString},
    {"tag", Type::kAny},      {"spec", Type::kObject},      {"k8s", Type::kObject},
};
const std::vector<Field> kBaseFields = {{"enabled", Type::kBool}, {"k8s", Type::kObject}};
const std::vector<Field> kGatewayFields = {
    {"enabled", Type::kBool}, {"namespace", Type::kString}, {"name", Type::kString}, {"label", Type::kStringMap},
    {"hub", Type::kString},   {"tag", Type::kAny},          {"k8s", Type::kObject},
};
const std::vector<Field> kK8sFields = {
    {"affinity", Type::kObject},       {"env", Type::kList},
    {"hpaSpec", Type::kObject},        {"imagePullPolicy", Type::kString},
    {"nodeSelector", Type::kStringMap}, {"podDisruptionBudget", Type::kObject},
    {"podAnnotations", Type::kStringMap}, {"priorityClassName", Type::kString},
    {"readinessProbe", Type::kObject}, {"replicaCount", Type::kUint32},
    {"resources", Type::kObject},      {"service", Type::kObject},
    {"strategy", Type::kObject},       {"tolerations", Type::kList},
    {"serviceAnnotations", Type::kStringMap}, {"securityContext", Type::kObject},
    {"volumes", Type::kList},          {"volumeMounts", Type::kList},
    {"overlays", Type::kList},
};
const std::vector<Field> kOverlayFields = {
    {"apiVersion", Type::kString}, {"kind", Type::kString}, {"name", Type::kString}, {"patches", Type::kList}};
const std::vector<Field> kPatchFields = {{"path", Type::kString}, {"value", Type::kAny}};

std::string_view GoTypeName(Type t) {
  switch (t) {
    case Type::kString: return "string";
    case Type::kBool: return "bool";
    case Type::kUint32: return "uint32";
    case Type::kObject: return "object";
    case Type::kList: return "array";
    case Type::kStringMap: return "map[string]string";
    case Type::kAny: return "any";
  }
  return "?";
}

// encoding/json's name for the JSON value it met.
std::string_view JsonKind(const Node& n) {
  if (n.IsMap()) return "object";
  if (n.IsSeq()) return "array";
  switch (n.type()) {
    case yaml::NodeType::kBool: return "bool";
    case yaml::NodeType::kInt:
    case yaml::NodeType::kFloat: return "number";
    default: return "string";
  }
}

bool Fits(const Node& n, Type t) {
  if (n.IsNull()) return true;
  switch (t) {
    case Type::kString: return n.IsScalar() && JsonKind(n) == "string";
    case Type::kBool: return n.type() == yaml::NodeType::kBool;
    case Type::kUint32: {
      if (n.type() != yaml::NodeType::kInt) return false;
      auto v = n.AsInt();
      return v && *v >= 0 && *v <= 4294967295LL;
    }
    case Type::kObject: return n.IsMap();
    case Type::kList: return n.IsSeq();
    case Type::kStringMap:
      if (!n.IsMap()) return false;
      for (size_t i = 0; i < n.size(); ++i)
        if (!n.ValueAt(i).IsNull() && JsonKind(n.ValueAt(i)) != "string") return false;
      return true;
    case Type::kAny: return true;
  }
  return false;
}

class IopDecoder {
 public:
  explicit IopDecoder(Findings& out) : out_(out) {}

  // Checks the keys and scalar types of map `n` at `path` against `fields`;
  // returns false when `n` is not a map.
  bool Struct(const Node* n, const std::string& path, std::string_view go_struct, const std::vector<Field>& fields) {
    if (!n || n->IsNull()) return false;
    if (!n->IsMap()) {
      Error(path, n->mark(), fmt::format("json: cannot unmarshal {} into Go value of type {}", JsonKind(*n), go_struct));
      return false;
    }
    for (size_t i = 0; i < n->size(); ++i) {
      std::string key = n->KeyAt(i).ToScalarString();
      const Field* f = nullptr;
      for (const auto& x : fields)
        if (x.name == key) f = &x;
      if (!f) {
        Error(path + "." + key, n->KeyAt(i).mark(), fmt::format("json: unknown field {}", core::GoQuote(key)));
        continue;
      }
      const Node& v = n->ValueAt(i);
      if (!Fits(v, f->type))
        Error(path + "." + key, v.mark(),
              fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of type {}", JsonKind(v), go_struct,
                          GoFieldPath(path + "." + key), GoTypeName(f->type)));
    }
    return true;
  }

  void K8s(const Node* k8s, const std::string& path) {
    if (!Struct(k8s, path, "KubernetesResourcesSpec", kK8sFields)) return;
    const Node* overlays = Get(k8s, "overlays");
    if (!overlays || !overlays->IsSeq()) return;
    for (size_t i = 0; i < overlays->size(); ++i) {
      std::string op = fmt::format("{}.overlays[{}]", path, i);
      if (!Struct(&overlays->at(i), op, "K8SObjectOverlay", kOverlayFields)) continue;
      const Node* patches = Get(&overlays->at(i), "patches");
      if (!patches || !patches->IsSeq()) continue;
      for (size_t j = 0; j < patches->size(); ++j)
        Struct(&patches->at(j), fmt::format("{}.patches[{}]", op, j), "K8SObjectOverlay_PathValue", kPatchFields);
    }
  }

 private:
  // Go's json error path: the JSON names joined with '.', without indexes.
  static std::string GoFieldPath(const std::string& path) {
    std::string out;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] == '[') {
        while (i < path.size() && path[i] != ']') ++i;
        continue;
      }
      out += path[i];
    }
    return out;
  }

  void Error(const std::string& path, yaml::Mark mark, std::string msg) {
    Finding f;
    f.field_path = path;
    f.message = "could not unmarshal: " + std::move(msg);
    f.mark = mark;
    out_.Add(std::move(f));
  }

  Findings& out_;
};

// go-containerregistry's repository rule for `<hub>/pilot`: an optional
// registry (first component with '.', ':' or "localhost"), then lower-case
// path components of [a-z0-9] separated by '.', '_', '__' or '-'.
std::string HubError(const std::string& hub) {
  std::string repo = hub + "/pilot";
  size_t slash = repo.find('/');
  std::string first = repo.substr(0, slash);
  if (first.find_first_of(".:") != std::string::npos || first == "localhost") repo = repo.substr(slash + 1);
  static const std::string_view kAllowed = "abcdefghijklmnopqrstuvwxyz0123456789_-./";
  if (repo.find_first_not_of(kAllowed) != std::string::npos)
    return fmt::format("repository can only contain the characters `{}`: {}", kAllowed, repo);
  for (const auto& part : core::Split(repo, '/'))
    if (part.empty()) return fmt::format("repository can only contain the characters `{}`: {}", kAllowed, repo);
  return "";
}

// go-containerregistry's tag rule: [A-Za-z0-9_.-], at most 128.
std::string TagError(const std::string& tag) {
  static const std::string_view kAllowed = "abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (tag.size() > 128) return "tag must be between 1 and 128 characters";
  if (tag.find_first_not_of(kAllowed) != std::string::npos)
    return fmt::format("tag can only contain the characters `{}`: {}", kAllowed, tag);
  return "";
}

bool ObjectName(std::string_view s) {
  if (s.empty() || s.size() > 254) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

void CheckValues(const Node* values, Findings& out) {
  const Node* proxy = Get(Get(values, "global"), "proxy");
  for (const char* key : {"includeIPRanges", "excludeIPRanges"}) {
    const Node* v = Get(proxy, key);
    if (!v || v->IsNull()) continue;
    std::string path = std::string("global.proxy.") + key;
    std::string s = v->ToScalarString();
    if (s.empty() || s == "*") continue;
    for (const auto& cidr : core::Split(s, ',')) {
      std::string err;
      if (!ParseGoPrefix(cidr, &err)) out.Error("spec.values." + path, path + " " + err);
    }
  }
  for (const char* key : {"includeInboundPorts", "excludeInboundPorts"}) {
    const Node* v = Get(proxy, key);
    if (!v || v->IsNull()) continue;
    std::string path = std::string("global.proxy.") + key;
    std::string s = v->ToScalarString();
    for (const auto& port : core::Split(s, ',')) {
      if (port.empty() || port == "*") continue;
      int64_t n = 0;
      bool digits = port.find_first_not_of("0123456789") == std::string::npos && port.size() < 11;
      if (!digits) {
        out.Error("spec.values." + path,
                  fmt::format("{} : strconv.ParseInt: parsing {}: invalid syntax", path, core::GoQuote(port)));
        continue;
      }
      n = std::stoll(port);
      if (n > 65535)
        out.Error("spec.values." + path, fmt::format("value {}:{} falls outside range [0, 65535]", path, n));
    }
  }
}

void CheckReplicaCounts(const Node* spec, Findings& out) {
  const Node* values = Get(spec, "values");
  const Node* components = Get(spec, "components");
  if (!components) return;
  if (Bool(Get(values, "pilot"), "autoscaleEnabled")) {
    const Node* rc = Get(Get(Get(components, "pilot"), "k8s"), "replicaCount");
    if (rc && rc->AsInt().value_or(0) > 1)
      out.Warning("spec.components.pilot.k8s.replicaCount",
                  "components.pilot.k8s.replicaCount should not be set when values.pilot.autoscaleEnabled is true");
  }
  for (const char* type : {"ingress", "egress"}) {
    std::string gw_values = std::string("istio-") + type + "gateway";
    if (!Bool(Get(Get(values, "gateways"), gw_values), "autoscaleEnabled")) continue;
    const Node* gws = Get(components, std::string(type) + "Gateways");
    if (!gws || !gws->IsSeq()) continue;
    for (size_t i = 0; i < gws->size(); ++i) {
      const Node* rc = Get(Get(&gws->at(i), "k8s"), "replicaCount");
      if (!rc || rc->AsInt().value_or(0) == 0) continue;
      out.Warning(fmt::format("spec.components.{}Gateways[{}].k8s.replicaCount", type, i),
                  fmt::format("components.{}Gateways[name={}].k8s.replicaCount should not be set when "
                              "values.gateways.istio-{}gateway.autoscaleEnabled is true",
                              type, Str(&gws->at(i), "name"), type));
    }
  }
}

}  // namespace

void ValidateIstioOperator(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  // istioctl's checkFields: only these top-level keys.
  if (r.root && !CheckTopLevelFields(*r.root, out)) return;
  const Node* spec = r.root ? r.root->Get("spec") : nullptr;
  IopDecoder dec(out);
  if (!dec.Struct(spec, "spec", "IstioOperatorSpec", kSpecFields)) return;
  if (const Node* c = Get(spec, "components");
      c && dec.Struct(c, "spec.components", "IstioComponentSpec", kComponentsFields)) {
    if (const Node* base = Get(c, "base"); dec.Struct(base, "spec.components.base", "BaseComponentSpec", kBaseFields))
      dec.K8s(Get(base, "k8s"), "spec.components.base.k8s");
    for (const char* name : {"pilot", "cni", "ztunnel", "istiodRemote"}) {
      std::string path = std::string("spec.components.") + name;
      const Node* comp = Get(c, name);
      if (dec.Struct(comp, path, "ComponentSpec", kComponentFields)) dec.K8s(Get(comp, "k8s"), path + ".k8s");
    }
    for (const char* list : {"ingressGateways", "egressGateways"}) {
      const Node* gws = Get(c, list);
      if (!gws || !gws->IsSeq()) continue;
      for (size_t i = 0; i < gws->size(); ++i) {
        std::string path = fmt::format("spec.components.{}[{}]", list, i);
        if (dec.Struct(&gws->at(i), path, "GatewayComponentSpec", kGatewayFields))
          dec.K8s(Get(&gws->at(i), "k8s"), path + ".k8s");
      }
    }
  }
  if (out.has_errors()) return;  // Go stops at the first decoding error

  CheckReplicaCounts(spec, out);
  CheckValues(Get(spec, "values"), out);
  if (std::string hub = Str(spec, "hub"); !hub.empty())
    if (std::string e = HubError(hub); !e.empty()) out.Error("spec.hub", "bad hub: " + e);
  if (const Node* tag = Get(spec, "tag"); tag && !tag->IsNull())
    if (std::string e = TagError(tag->ToScalarString()); !e.empty()) out.Error("spec.tag", "bad tag: " + e);
  if (std::string rev = Str(spec, "revision"); !rev.empty() && !IsDNS1123Label(rev))
    out.Error("spec.revision", "invalid revision specified: " + rev);
  const Node* c = Get(spec, "components");
  // Istio's own spelling of the ingress context ("inressGateways").
  for (auto [list, context] : {std::pair<const char*, const char*>{"egressGateways", "egressGateways.name"},
                               {"ingressGateways", "inressGateways.name"}}) {
    const Node* gws = Get(c, list);
    if (!gws || !gws->IsSeq()) continue;
    bool stop = false;
    for (size_t i = 0; i < gws->size() && !stop; ++i) {
      std::string name = Str(&gws->at(i), "name");
      if (name.empty() || ObjectName(name)) continue;
      out.Error(fmt::format("spec.components.{}[{}].name", list, i), fmt::format("invalid value {}: {}", context, name));
      stop = true;  // validateComponentNames returns the first
    }
    if (stop) break;
  }
  (void)ctx;
}

}  // namespace meshctl::validate
