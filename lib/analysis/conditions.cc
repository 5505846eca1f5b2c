// Small single-resource analyzers:
//   conditions.ConditionAnalyzer  negative status conditions written by Istio
//       or the Gateway API controller (WaypointBound=False, ZtunnelAccepted=
//       False, Accepted/Programmed/ResolvedRefs=False, ...) (IST0171);
//   applicationUID.Analyzer       runAsUser 1337, reserved for the proxy (IST0144);
//   authn.BlockedCIDRsAnalyzer    RequestAuthentications while istiod has no
//       BLOCKED_CIDRS_IN_JWKS_URIS (IST0175);
//   telemetry.ProviderAnalyzer    access logging without providers and no
//       mesh default (IST0157);
//   telemetry.LightstepAnalyzer   tracing through a Lightstep provider (IST0002).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

constexpr model::GroupKind kGRPCRoute{"gateway.networking.k8s.io", "GRPCRoute"};

class ConditionAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "status.conditions", "conditions.ConditionAnalyzer", "Checks for negative status conditions on resources",
        {model::kinds::kService, model::kinds::kServiceEntry, model::kinds::kWorkloadEntry,
         model::kinds::kAuthorizationPolicy, model::kinds::kK8sGateway, model::kinds::kHTTPRoute, kGRPCRoute},
        {"IST0171"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    const std::vector<std::string> waypoint = {"istio.io/WaypointBound"};
    const std::vector<std::string> authz = {"ZtunnelAccepted", "WaypointAccepted"};
    const std::vector<std::string> gateway = {"Accepted", "Programmed", "ResolvedRefs"};
    struct Kind {
      model::GroupKind gk;
      const std::vector<std::string>* negative;
      bool parents;  // conditions under status.parents[] (routes)
    };
    const Kind kinds[] = {
        {model::kinds::kService, &waypoint, false},       {model::kinds::kServiceEntry, &waypoint, false},
        {model::kinds::kWorkloadEntry, &waypoint, false}, {model::kinds::kAuthorizationPolicy, &authz, false},
        {model::kinds::kK8sGateway, &gateway, false},     {model::kinds::kHTTPRoute, &gateway, true},
        {kGRPCRoute, &gateway, true},
    };
    for (const Kind& k : kinds) {
      for (const model::Resource* r : ctx.snapshot.OfKind(k.gk)) {
        std::vector<std::pair<const yaml::Node*, std::string>> conds;  // condition, path
        auto collect = [&](const yaml::Node* list, const std::string& prefix) {
          if (!list || !list->IsSeq()) return;
          for (size_t i = 0; i < list->size(); ++i)
            conds.emplace_back(&list->at(i), prefix + "[" + std::to_string(i) + "]");
        };
        if (k.parents) {
          const yaml::Node* parents = Dig(r, {"status", "parents"});
          if (parents && parents->IsSeq())
            for (size_t i = 0; i < parents->size(); ++i)
              collect(parents->at(i).IsMap() ? parents->at(i).Get("conditions") : nullptr,
                      "status.parents[" + std::to_string(i) + "].conditions");
        } else {
          collect(Dig(r, {"status", "conditions"}), "status.conditions");
        }
        for (const auto& [c, path] : conds) {
          std::string type = Scalar(c, "type"), status = Scalar(c, "status");
          std::vector<diag::Arg> args = {type, Scalar(c, "reason"), Scalar(c, "message")};
          bool negative = status == "False" &&
                          std::find(k.negative->begin(), k.negative->end(), type) != k.negative->end();
          if (negative) sink.Report("IST0171", *r, "", args);
          if (k.gk == model::kinds::kAuthorizationPolicy && type == "WaypointAccepted" &&
              Scalar(c, "reason") == "PartiallyInvalid")
            sink.Report("IST0171", *r, "", args);
        }
      }
    }
  }
};

class ApplicationUidAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "workload.application-uid", "applicationUID.Analyzer", "Checks invalid application UID",
        {model::kinds::kPod, model::kinds::kDeployment},
        {"IST0144"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const auto& gk : {model::kinds::kPod, model::kinds::kDeployment}) {
      bool pod = gk == model::kinds::kPod;
      for (const model::Resource* r : ctx.snapshot.OfKind(gk)) {
        if (r->HasLabel("istio") || r->Label("release") == "istio") continue;
        std::string spec_path = pod ? "spec" : "spec.template.spec";
        const yaml::Node* spec = r->Find(spec_path);
        if (!spec || !spec->IsMap()) continue;
        if (RunAs1337(spec->Get("securityContext")))
          sink.Report("IST0144", *r, "", {});
        const yaml::Node* cs = spec->Get("containers");
        if (!cs || !cs->IsSeq()) continue;
        for (size_t i = 0; i < cs->size(); ++i) {
          std::string name = Scalar(&cs->at(i), "name");
          if (name == "istio-proxy" || name == "istio-operator") continue;
          if (RunAs1337(cs->at(i).IsMap() ? cs->at(i).Get("securityContext") : nullptr))
            sink.Report("IST0144", *r, "", {});
        }
      }
    }
  }

 private:
  static bool RunAs1337(const yaml::Node* sc) {
    const yaml::Node* u = sc && sc->IsMap() ? sc->Get("runAsUser") : nullptr;
    return u && u->AsInt().value_or(0) == 1337;
  }
};

class BlockedCidrsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "security.blocked-cidrs", "authn.BlockedCIDRsAnalyzer",
        "Checks that BLOCKED_CIDRS_IN_JWKS_URIS is configured on istiod when RequestAuthentication resources exist",
        {model::kinds::kRequestAuthentication, model::kinds::kDeployment},
        {"IST0175"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::vector<std::string> names;
    for (const model::Resource* ra : ctx.snapshot.OfKind(model::kinds::kRequestAuthentication))
      names.push_back(ra->FullName());
    if (names.empty()) return;
    std::string shown;
    for (size_t i = 0; i < names.size() && i < 5; ++i) shown += (i ? ", " : "") + names[i];
    if (names.size() > 5) shown += ", and " + std::to_string(names.size() - 5) + " more";
    for (const model::Resource* d : ctx.snapshot.OfKind(model::kinds::kDeployment)) {
      if (d->Label("app") != "istiod") continue;
      bool has = false;
      const yaml::Node* cs = Dig(d, {"spec", "template", "spec", "containers"});
      if (cs && cs->IsSeq())
        for (const auto& c : cs->children()) {
          const yaml::Node* env = c.IsMap() ? c.Get("env") : nullptr;
          if (!env || !env->IsSeq()) continue;
          for (const auto& e : env->children())
            if (Scalar(&e, "name") == "BLOCKED_CIDRS_IN_JWKS_URIS" && !Scalar(&e, "value").empty()) has = true;
        }
      if (!has) sink.Report("IST0175", *d, "", {static_cast<int64_t>(names.size()), shown});
    }
  }
};

class TelemetryProviderAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "telemetry.provider", "telemetry.ProviderAnalyzer", "Validates that providers in telemetry resource is valid",
        {model::kinds::kTelemetry, kMeshConfigKind},
        {"IST0157"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    const yaml::Node* dp = ctx.mesh_config ? Dig(ctx.mesh_config, {"defaultProviders", "accessLogging"}) : nullptr;
    if (dp && dp->IsSeq() && dp->size() > 0) return;
    for (const model::Resource* t : ctx.snapshot.OfKind(model::kinds::kTelemetry)) {
      const yaml::Node* al = Dig(t, {"spec", "accessLogging"});
      if (!al || !al->IsSeq()) continue;
      for (size_t i = 0; i < al->size(); ++i) {
        const yaml::Node& l = al->at(i);
        const yaml::Node* disabled = l.IsMap() ? l.Get("disabled") : nullptr;
        if (disabled && disabled->AsBool().value_or(false)) continue;
        const yaml::Node* providers = l.IsMap() ? l.Get("providers") : nullptr;
        if (!providers || !providers->IsSeq() || providers->size() == 0)
          sink.Report("IST0157", *t, "", {t->name, t->ns});
      }
    }
  }
};

class LightstepAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "telemetry.lightstep", "telemetry.LightstepAnalyzer", "Validates that lightstep provider is still used",
        {model::kinds::kTelemetry, kMeshConfigKind},
        {"IST0002"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::set<std::string> lightstep;
    const yaml::Node* eps = ctx.mesh_config ? ctx.mesh_config->Get("extensionProviders") : nullptr;
    if (eps && eps->IsSeq())
      for (const auto& p : eps->children())
        if (p.IsMap() && p.Get("lightstep")) lightstep.insert(Scalar(&p, "name"));
    if (lightstep.empty()) return;
    for (const model::Resource* t : ctx.snapshot.OfKind(model::kinds::kTelemetry)) {
      const yaml::Node* tracing = Dig(t, {"spec", "tracing"});
      if (!tracing || !tracing->IsSeq()) continue;
      for (size_t i = 0; i < tracing->size(); ++i) {
        const yaml::Node* ps = tracing->at(i).IsMap() ? tracing->at(i).Get("providers") : nullptr;
        if (!ps || !ps->IsSeq()) continue;
        for (size_t j = 0; j < ps->size(); ++j) {
          std::string name = Scalar(&ps->at(j), "name");
          if (lightstep.count(name))
            sink.Report("IST0002", *t, "",
                        {"The Lightstep provider " + name + " is deprecated, please migrate to OpenTelemetry provider."});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewConditionAnalyzer() { return std::make_unique<ConditionAnalyzer>(); }
std::unique_ptr<Analyzer> NewApplicationUidAnalyzer() { return std::make_unique<ApplicationUidAnalyzer>(); }
std::unique_ptr<Analyzer> NewBlockedCidrsAnalyzer() { return std::make_unique<BlockedCidrsAnalyzer>(); }
std::unique_ptr<Analyzer> NewTelemetryProviderAnalyzer() { return std::make_unique<TelemetryProviderAnalyzer>(); }
std::unique_ptr<Analyzer> NewLightstepAnalyzer() { return std::make_unique<LightstepAnalyzer>(); }

}  // namespace meshctl::analysis
