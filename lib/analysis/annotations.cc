// Kubernetes-resource annotation analyzers:
//   annotations.K8sAnalyzer    unknown Istio annotations (IST0108), ones on a
//       kind they do not apply to (IST0107), deprecated ones (IST0135) and
//       values the sidecar injector rejects (IST0125);
//   annotations.AlphaAnalyzer  alpha-maturity annotations (IST0136; not run
//       by default, as in Istio).
// The annotation table mirrors istio.io/api's AllResourceAnnotations (name,
// alpha, deprecated, resource kinds). To update it, regenerate the rows from
// istio/api annotation/annotations.yaml.
#include <map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/core/strings.h"

namespace meshctl::analysis {

namespace {

struct AnnotationDef {
  std::string_view name;
  bool alpha;
  bool deprecated;
  std::vector<std::string_view> resources;
};

const std::vector<AnnotationDef>& Annotations() {
  static const std::vector<AnnotationDef> kDefs = {
    {"alpha.istio.io/canonical-serviceaccounts", true, true, {"Service"}},
    {"alpha.istio.io/kubernetes-serviceaccounts", true, true, {"Service"}},
    {"ambient.istio.io/bypass-inbound-capture", true, false, {"Pod"}},
    {"ambient.istio.io/dns-capture", true, false, {"Pod"}},
    {"ambient.istio.io/redirection", false, false, {"Pod"}},
    {"ambient.istio.io/waypoint-inbound-binding", true, false, {"GatewayClass", "Gateway"}},
    {"galley.istio.io/analyze-suppress", true, false, {"Any"}},
    {"gateway.istio.io/controller-version", true, false, {"Any"}},
    {"gateway.istio.io/name-override", true, false, {"Gateway"}},
    {"gateway.istio.io/service-account", true, false, {"Gateway"}},
    {"inject.istio.io/templates", true, false, {"Pod"}},
    {"istio.io/autoRegistrationGroup", true, false, {"WorkloadEntry"}},
    {"istio.io/connectedAt", true, false, {"WorkloadEntry"}},
    {"istio.io/disconnectedAt", true, false, {"WorkloadEntry"}},
    {"istio.io/dry-run", true, false, {"AuthorizationPolicy"}},
    {"istio.io/reroute-virtual-interfaces", true, false, {"Pod"}},
    {"istio.io/rev", true, false, {"Pod"}},
    {"istio.io/use-waypoint-canary-weight", true, false, {"Service", "ServiceEntry", "Namespace"}},
    {"istio.io/workloadController", true, false, {"WorkloadEntry"}},
    {"kubernetes.io/ingress.class", false, false, {"Ingress"}},
    {"networking.istio.io/exportTo", true, false, {"Service"}},
    {"networking.istio.io/service-type", true, false, {"Gateway"}},
    {"networking.istio.io/traffic-distribution", true, false, {"Namespace", "Service", "ServiceEntry"}},
    {"prometheus.istio.io/merge-metrics", true, false, {"Pod"}},
    {"proxy.istio.io/config", false, false, {"Pod"}},
    {"proxy.istio.io/overrides", true, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/applicationPorts", true, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/failureThreshold", true, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/initialDelaySeconds", true, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/periodSeconds", true, false, {"Pod"}},
    {"sidecar.istio.io/agentLogLevel", true, false, {"Pod"}},
    {"sidecar.istio.io/bootstrapOverride", true, false, {"Pod"}},
    {"sidecar.istio.io/componentLogLevel", true, false, {"Pod"}},
    {"sidecar.istio.io/discoveryAddress", true, true, {"Pod"}},
    {"sidecar.istio.io/extraStatTags", true, true, {"Pod"}},
    {"sidecar.istio.io/inject", false, true, {"Pod"}},
    {"sidecar.istio.io/interceptionMode", true, false, {"Pod"}},
    {"sidecar.istio.io/logLevel", true, false, {"Pod"}},
    {"sidecar.istio.io/nativeSidecar", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyCPU", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyCPULimit", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyImage", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyImageType", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyMemory", true, false, {"Pod"}},
    {"sidecar.istio.io/proxyMemoryLimit", true, false, {"Pod"}},
    {"sidecar.istio.io/rewriteAppHTTPProbers", true, false, {"Pod"}},
    {"sidecar.istio.io/statsCompression", true, true, {"Pod"}},
    {"sidecar.istio.io/statsEvictionInterval", true, false, {"Pod"}},
    {"sidecar.istio.io/statsFlushInterval", true, false, {"Pod"}},
    {"sidecar.istio.io/statsHistogramBins", true, false, {"Pod"}},
    {"sidecar.istio.io/statsHistogramBuckets", true, false, {"Pod"}},
    {"sidecar.istio.io/statsInclusionPrefixes", true, true, {"Pod"}},
    {"sidecar.istio.io/statsInclusionRegexps", true, true, {"Pod"}},
    {"sidecar.istio.io/statsInclusionSuffixes", true, true, {"Pod"}},
    {"sidecar.istio.io/status", true, false, {"Pod"}},
    {"sidecar.istio.io/userVolume", true, false, {"Pod"}},
    {"sidecar.istio.io/userVolumeMount", true, false, {"Pod"}},
    {"status.sidecar.istio.io/port", true, false, {"Pod"}},
    {"topology.istio.io/controlPlaneClusters", true, false, {"Namespace"}},
    {"traffic.istio.io/nodeSelector", false, false, {"Service"}},
    {"traffic.sidecar.istio.io/excludeInboundPorts", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeInterfaces", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeOutboundIPRanges", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeOutboundPorts", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeInboundPorts", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeOutboundIPRanges", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeOutboundPorts", true, false, {"Pod"}},
    {"traffic.sidecar.istio.io/kubevirtInterfaces", true, true, {"Pod"}},
  };
  return kDefs;
}

const AnnotationDef* FindAnnotation(std::string_view name) {
  static const std::map<std::string_view, const AnnotationDef*> kIndex = [] {
    std::map<std::string_view, const AnnotationDef*> m;
    for (const auto& d : Annotations()) m.emplace(d.name, &d);
    return m;
  }();
  auto it = kIndex.find(name);
  return it == kIndex.end() ? nullptr : it->second;
}

bool IsIstioAnnotation(std::string_view ann) {
  if (ann == "kubernetes.io/ingress.class") return true;
  std::string_view domain = ann.substr(0, ann.find('/'));
  return domain.size() >= 8 && domain.substr(domain.size() - 8) == "istio.io";
}

bool AlwaysIgnored(std::string_view ann) {
  return ann == "sidecar.istio.io/status" || ann == "gateway.istio.io/controller-version" || ann == "istio.io/rev";
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n\r"), e = s.find_last_not_of(" \t\n\r");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t c = s.find(',', start);
    out.emplace_back(s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  return out;
}

// strconv.ParseUint(s, 10, bits) with Go's error text; "" when fine.
std::string ParseUintError(const std::string& s, int bits) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    return "strconv.ParseUint: parsing " + core::GoQuote(s) + ": invalid syntax";
  if (s.size() > 20 || std::stod(s) > (bits == 16 ? 65535.0 : 4294967295.0))
    return "strconv.ParseUint: parsing " + core::GoQuote(s) + ": value out of range";
  return "";
}

std::string PortError(const std::string& port) {
  std::string e = ParseUintError(Trim(port), 16);
  return e.empty() ? "" : "failed parsing port '" + port + "': " + e;
}

std::string PortListError(const std::string& name, const std::string& ports) {
  std::string t = Trim(ports);
  if (t.empty()) return "";
  for (const auto& p : SplitComma(t))
    if (std::string e = PortError(p); !e.empty()) return name + " invalid: failed parsing port '" + p + "': " + e;
  return "";
}

bool ValidIpv4(std::string_view s) {
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view p = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos) return false;
    if (p.size() > 1 && p[0] == '0') return false;
    if (std::stoi(std::string(p)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool ValidPrefix(std::string_view cidr) {
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view ip = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string_view::npos) return false;
  int b = std::stoi(std::string(bits));
  if (ValidIpv4(ip)) return b <= 32;
  bool v6 = !ip.empty() && ip.find(':') != std::string_view::npos &&
            ip.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  return v6 && b <= 128;
}

std::string CidrListError(const std::string& v) {
  if (v.empty()) return "";
  for (const auto& c : SplitComma(v))
    if (!ValidPrefix(c)) return "failed parsing cidr '" + c + "': netip.ParsePrefix(" + core::GoQuote(c) + "): invalid prefix";
  return "";
}

// resource.ParseQuantity: a signed decimal number with an optional suffix.
bool ValidQuantity(const std::string& v) {
  if (v.empty()) return false;
  size_t i = 0;
  if (v[i] == '+' || v[i] == '-') ++i;
  size_t digits = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i, ++digits;
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  std::string suffix = v.substr(i);
  static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"};
  for (const char* s : kSuffixes)
    if (suffix == s) return true;
  if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    size_t j = 1;
    if (suffix[j] == '+' || suffix[j] == '-') ++j;
    return j < suffix.size() && suffix.find_first_not_of("0123456789", j) == std::string::npos;
  }
  return false;
}

// The sidecar injector's annotation validators (pkg/kube/inject); "" when
// the value is accepted, else the problem.
std::string ValidateAnnotationValue(std::string_view name, const std::string& v) {
  if (name == "sidecar.istio.io/interceptionMode") {
    if (v == "REDIRECT" || v == "TPROXY" || v == "NONE") return "";
    return "interceptionMode invalid, use REDIRECT,TPROXY,NONE: " + v;
  }
  if (name == "status.sidecar.istio.io/port") {
    std::string e = PortError(v);
    return e.empty() ? "" : "excludeInboundPorts invalid: " + e;
  }
  if (name == "readiness.status.sidecar.istio.io/initialDelaySeconds" ||
      name == "readiness.status.sidecar.istio.io/periodSeconds" ||
      name == "readiness.status.sidecar.istio.io/failureThreshold")
    return ParseUintError(v, 32);
  if (name == "traffic.sidecar.istio.io/includeOutboundIPRanges") {
    if (v == "*") return "";
    std::string e = CidrListError(v);
    return e.empty() ? "" : "includeIPRanges invalid: " + e;
  }
  if (name == "traffic.sidecar.istio.io/excludeOutboundIPRanges") {
    std::string e = CidrListError(v);
    return e.empty() ? "" : "excludeIPRanges invalid: " + e;
  }
  if (name == "traffic.sidecar.istio.io/includeInboundPorts")
    return v == "*" ? "" : PortListError("includeInboundPorts", v);
  if (name == "traffic.sidecar.istio.io/excludeInboundPorts") return PortListError("excludeInboundPorts", v);
  if (name == "traffic.sidecar.istio.io/excludeOutboundPorts") return PortListError("excludeOutboundPorts", v);
  if (name == "traffic.sidecar.istio.io/excludeInterfaces" || name == "traffic.sidecar.istio.io/kubevirtInterfaces" ||
      name == "istio.io/reroute-virtual-interfaces") {
    if (v.empty()) return "";
    for (const auto& raw : SplitComma(v)) {
      std::string i = Trim(raw);
      if (i.empty()) return "empty interface name";
      if (i.size() > 15) return "interface name " + core::GoQuote(i) + " too long (max 15 chars)";
      for (char c : i)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
          return "interface name " + core::GoQuote(i) + " contains invalid characters";
    }
    return "";
  }
  if (name == "prometheus.istio.io/merge-metrics") {
    static const char* kBools[] = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"};
    for (const char* b : kBools)
      if (v == b) return "";
    return "strconv.ParseBool: parsing " + core::GoQuote(v) + ": invalid syntax";
  }
  if (name == "proxy.istio.io/config") {
    auto docs = yaml::ParseYamlStream(v, "proxy.istio.io/config");
    if (!docs.ok()) return "failed to convert to apply proxy config: " + docs.status().message();
    if (!docs->empty() && !docs->front().root.IsMap() && !docs->front().root.IsNull())
      return "failed to convert to apply proxy config: not an object";
    return "";
  }
  if (name == "sidecar.istio.io/proxyCPU" || name == "sidecar.istio.io/proxyMemory" ||
      name == "sidecar.istio.io/proxyCPULimit" || name == "sidecar.istio.io/proxyMemoryLimit") {
    for (char c : v)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "value contains control characters";
    return ValidQuantity(v) ? "" : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  }
  return "";
}

const std::vector<model::GroupKind>& AnnotatedKinds() {
  static const std::vector<model::GroupKind> kKinds = {model::kinds::kNamespace, model::kinds::kService,
                                                       model::kinds::kPod, model::kinds::kDeployment};
  return kKinds;
}

// The annotations of `r` in document order (Istio iterates a Go map; the
// order only affects which findings come first before sorting).
std::vector<std::pair<std::string, std::string>> AnnotationList(const model::Resource& r) {
  std::vector<std::pair<std::string, std::string>> out;
  const yaml::Node* a = r.metadata ? r.metadata->Get("annotations") : nullptr;
  if (!a || !a->IsMap()) return out;
  for (size_t i = 0; i < a->size(); ++i)
    out.emplace_back(a->KeyAt(i).ToScalarString(), a->ValueAt(i).IsScalar() ? Scalar(&a->ValueAt(i)) : "");
  return out;
}

class K8sAnnotationsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "annotations.istio", "annotations.K8sAnalyzer",
        "Checks for misplaced and invalid Istio annotations in Kubernetes resources", AnnotatedKinds(),
        {"IST0107", "IST0108", "IST0125", "IST0135"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const auto& gk : AnnotatedKinds()) {
      for (const model::Resource* r : ctx.snapshot.OfKind(gk)) {
        for (const auto& [ann, value] : AnnotationList(*r)) {
          if (!IsIstioAnnotation(ann) || AlwaysIgnored(ann)) continue;
          // Istio loses the annotation's line (util.AddLineNumber takes the
          // message by value), so these findings sit at the document start.
          const AnnotationDef* def = FindAnnotation(ann);
          if (!def) {
            sink.Report("IST0108", *r, "", {ann});
            continue;
          }
          if (def->deprecated && !(ann == "sidecar.istio.io/inject" && r->HasLabel("sidecar.istio.io/inject"))) {
            std::string extra = ann == "sidecar.istio.io/inject" ? " in favor of the \"sidecar.istio.io/inject\" label" : "";
            sink.Report("IST0135", *r, "", {ann, extra});
          }
          if (std::find(def->resources.begin(), def->resources.end(), "Any") != def->resources.end()) continue;
          if (std::find(def->resources.begin(), def->resources.end(), gk.kind) == def->resources.end()) {
            std::string kinds;
            for (auto k : def->resources) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
            sink.Report("IST0107", *r, "", {ann, kinds});
            continue;
          }
          if (std::string problem = ValidateAnnotationValue(ann, value); !problem.empty())
            sink.Report("IST0125", *r, "", {ann, problem});
        }
      }
    }
  }
};

class AlphaAnnotationsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "annotations.alpha", "annotations.AlphaAnalyzer",
        "Checks for alpha Istio annotations in Kubernetes resources", AnnotatedKinds(),
        {"IST0136"}, /*not_in_all=*/true};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const auto& gk : AnnotatedKinds()) {
      for (const model::Resource* r : ctx.snapshot.OfKind(gk)) {
        bool skip_default = false;
        if (gk == model::kinds::kPod) {
          // CNI is assumed unless the pod has the istio-init container.
          skip_default = true;
          const yaml::Node* init = Dig(r, {"spec", "initContainers"});
          if (init && init->IsSeq())
            for (const auto& c : init->children())
              if (Scalar(&c, "name") == "istio-init") skip_default = false;
        }
        for (const auto& [ann, value] : AnnotationList(*r)) {
          if (!IsIstioAnnotation(ann)) continue;
          const AnnotationDef* def = FindAnnotation(ann);
          if (!def || !def->alpha || AlwaysIgnored(ann)) continue;
          if (skip_default && (ann == "sidecar.istio.io/interceptionMode" ||
                               ann == "traffic.sidecar.istio.io/includeInboundPorts" ||
                               ann == "traffic.sidecar.istio.io/excludeInboundPorts" ||
                               ann == "traffic.sidecar.istio.io/includeOutboundIPRanges"))
            continue;
          sink.Report("IST0136", *r, "", {ann});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewK8sAnnotationsAnalyzer() { return std::make_unique<K8sAnnotationsAnalyzer>(); }
std::unique_ptr<Analyzer> NewAlphaAnnotationsAnalyzer() { return std::make_unique<AlphaAnnotationsAnalyzer>(); }

}  // namespace meshctl::analysis
