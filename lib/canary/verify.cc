#include "lib/canary/verify.h"

#include "lib/canary/generator.h"
#include "lib/canary/service_info.h"
#include "lib/model/protocol.h"

namespace meshctl::canary {

std::string ResourceKey(std::string_view kind, std::string_view ns, std::string_view name) {
  return std::string(kind) + "/" + std::string(ns) + "/" + std::string(name);
}

namespace {

std::string LabelText(const yaml::Node* labels) {
  std::string out;
  if (!labels || !labels->IsMap()) return out;
  for (size_t i = 0; i < labels->size(); ++i)
    out += (i ? "," : "") + labels->KeyAt(i).text() + "=" + labels->ValueAt(i).ToScalarString();
  return out;
}

class Verifier {
 public:
  Verifier(const VerifyInput& in, diag::DiagnosticSink& sink) : in_(in), sink_(sink) {}

  void Run() {
    svc_ = in_.snapshot.Find(model::kinds::kService, in_.spec.ns, in_.spec.service);
    if (!svc_ || !svc_->spec) return;
    selector_ = svc_->spec->Get("selector");
    for (const auto& r : in_.snapshot.resources()) {
      if (!in_.changed.count(ResourceKey(r.kind, r.ns, r.name))) continue;
      CheckOwnership(r, sink_);
      if (r.Is(model::kinds::kVirtualService)) CheckVirtualService(r);
      if (r.Is(model::kinds::kDestinationRule)) CheckDestinationRule(r);
      if (r.Is(model::kinds::kHTTPRoute)) CheckHTTPRoute(r);
      if (r.group == "split.smi-spec.io" && r.kind == "TrafficSplit") CheckTrafficSplit(r);
      if (r.Is(model::kinds::kService) && &r != svc_) CheckVersionService(r);
    }
  }

 private:
  // A Service of this canary: the apex or one selecting a version of it.
  bool IsCanaryService(const std::string& name) const {
    return name == svc_->name || name.rfind(svc_->name + "-", 0) == 0 || name == in_.spec.stable_backend ||
           name == in_.spec.canary_backend;
  }

  void CheckWeights(const model::Resource& r, const std::string& path, const yaml::Node& list) {
    if (list.size() < 2) return;
    int64_t sum = 0;
    std::vector<int64_t> ws;
    for (const auto& d : list.children()) {
      int64_t w = d.Get("weight") ? d.Get("weight")->AsInt().value_or(0) : 0;
      ws.push_back(w);
      sum += w;
    }
    if (sum != 100) sink_.Report("MSH0300", r, path, {r.kind, path, sum, ws});
  }

  void CheckServiceExists(const model::Resource& r, const std::string& path, const std::string& name,
                          const std::string& ns) {
    // Routes-only shifting: the backends named on the command line need not
    // be in the input (the routes are all there is).
    if (!in_.spec.stable_backend.empty() && (name == in_.spec.stable_backend || name == in_.spec.canary_backend))
      return;
    if (!in_.snapshot.Find(model::kinds::kService, ns, name)) sink_.Report("MSH0302", r, path, {name, ns});
  }

  // The labels of `subset` in the DestinationRules of the Service.
  const yaml::Node* SubsetLabels(const std::string& subset, bool* found) const {
    *found = false;
    for (const model::Resource* dr : in_.snapshot.OfKind(model::kinds::kDestinationRule)) {
      if (!dr->spec || !HostIs(dr->ns, StringAt(dr->spec, "host"), svc_->ns, svc_->name)) continue;
      const yaml::Node* subsets = dr->spec->Get("subsets");
      if (!subsets || !subsets->IsSeq()) continue;
      for (const auto& s : subsets->children()) {
        if (StringAt(&s, "name") != subset) continue;
        *found = true;
        return s.Get("labels");
      }
    }
    return nullptr;
  }

  void CheckVirtualService(const model::Resource& vs) {
    bool http_to_service = false;
    for (const char* kind : {"http", "tcp", "tls"}) {
      const yaml::Node* seq = vs.spec ? vs.spec->Get(kind) : nullptr;
      if (!seq || !seq->IsSeq()) continue;
      for (size_t i = 0; i < seq->size(); ++i) {
        const yaml::Node* dests = seq->at(i).Get("route");
        if (!dests || !dests->IsSeq()) continue;
        std::string base = "spec." + std::string(kind) + "[" + std::to_string(i) + "].route";
        bool ours = false;
        for (size_t j = 0; j < dests->size(); ++j) {
          const yaml::Node* d = dests->at(j).Get("destination");
          std::string host = StringAt(d, "host");
          std::string name = host.substr(0, host.find('.'));
          bool same_ns = HostIs(vs.ns, host, svc_->ns, name);
          if (!same_ns || !IsCanaryService(name)) continue;
          ours = true;
          std::string path = base + "[" + std::to_string(j) + "].destination";
          CheckServiceExists(vs, path + ".host", name, svc_->ns);
          std::string subset = StringAt(d, "subset");
          if (name == svc_->name && !subset.empty()) {
            bool found = false;
            const yaml::Node* labels = SubsetLabels(subset, &found);
            // A missing subset is IST0101 (the analyzer says so); here: no pods.
            if (found && SelectWorkloads(in_.snapshot, svc_->ns, selector_, labels).empty())
              sink_.Report("MSH0301", vs, path + ".subset", {"subset", subset, "Service " + svc_->FullName(), LabelText(labels)});
          }
        }
        if (!ours) continue;
        if (std::string(kind) == "http") http_to_service = true;
        CheckWeights(vs, base, *dests);
      }
    }
    if (http_to_service) CheckHttpPorts();
  }

  void CheckDestinationRule(const model::Resource& dr) {
    const yaml::Node* subsets = dr.spec ? dr.spec->Get("subsets") : nullptr;
    if (!subsets || !subsets->IsSeq()) return;
    for (size_t i = 0; i < subsets->size(); ++i) {
      std::string name = StringAt(&subsets->at(i), "name");
      if (name != in_.stable && name != in_.canary) {
        const yaml::Node* labels = subsets->at(i).Get("labels");
        std::string version = labels ? StringAt(labels, in_.spec.version_label) : "";
        if (version != in_.stable && version != in_.canary) continue;
      }
      const yaml::Node* labels = subsets->at(i).Get("labels");
      if (SelectWorkloads(in_.snapshot, svc_->ns, selector_, labels).empty())
        sink_.Report("MSH0301", dr, "spec.subsets[" + std::to_string(i) + "]",
                     {"subset", name, "Service " + svc_->FullName(), LabelText(labels)});
    }
  }

  void CheckHTTPRoute(const model::Resource& hr) {
    const yaml::Node* rules = hr.spec ? hr.spec->Get("rules") : nullptr;
    if (!rules || !rules->IsSeq()) return;
    for (size_t i = 0; i < rules->size(); ++i) {
      const yaml::Node* refs = rules->at(i).Get("backendRefs");
      if (!refs || !refs->IsSeq()) continue;
      std::string base = "spec.rules[" + std::to_string(i) + "].backendRefs";
      bool ours = false;
      for (size_t j = 0; j < refs->size(); ++j) {
        const yaml::Node& ref = refs->at(j);
        std::string kind = StringAt(&ref, "kind");
        if (!kind.empty() && kind != "Service") continue;
        std::string ns = StringAt(&ref, "namespace");
        if (ns.empty()) ns = hr.ns;
        std::string name = StringAt(&ref, "name");
        if (ns != svc_->ns || !IsCanaryService(name)) continue;
        ours = true;
        CheckServiceExists(hr, base + "[" + std::to_string(j) + "].name", name, ns);
      }
      if (ours && refs->size() >= 2 && !(rules->at(i).Get("name") && StringAt(&rules->at(i), "name") ==
                                                                            ManagedRuleName(svc_->name)))
        CheckWeights(hr, base, *refs);
    }
  }

  void CheckTrafficSplit(const model::Resource& ts) {
    const yaml::Node* backends = ts.spec ? ts.spec->Get("backends") : nullptr;
    if (!backends || !backends->IsSeq()) return;
    for (size_t j = 0; j < backends->size(); ++j)
      CheckServiceExists(ts, "spec.backends[" + std::to_string(j) + "].service",
                         StringAt(&backends->at(j), "service"), ts.ns);
    CheckWeights(ts, "spec.backends", *backends);
  }

  void CheckVersionService(const model::Resource& s) {
    const yaml::Node* sel = s.spec ? s.spec->Get("selector") : nullptr;
    if (SelectWorkloads(in_.snapshot, s.ns, sel, nullptr).empty())
      sink_.Report("MSH0301", s, "spec.selector", {"Service", s.name, "Service " + svc_->FullName(), LabelText(sel)});
  }

  void CheckHttpPorts() {
    if (checked_ports_) return;
    checked_ports_ = true;
    const yaml::Node* ports = svc_->spec->Get("ports");
    if (!ports || !ports->IsSeq()) return;
    for (size_t i = 0; i < ports->size(); ++i) {
      const yaml::Node& p = ports->at(i);
      int64_t num = p.Get("port") ? p.Get("port")->AsInt().value_or(0) : 0;
      std::optional<std::string_view> app;
      if (const yaml::Node* a = p.Get("appProtocol"); a && a->IsString()) app = a->text();
      model::Protocol proto = model::ConvertServicePortProtocol(num, StringAt(&p, "name"), StringAt(&p, "protocol"), app);
      if (model::IsHTTP(proto) || model::IsTCP(proto)) continue;
      sink_.Report("MSH0304", *svc_, "spec.ports[" + std::to_string(i) + "]",
                   {svc_->FullName(), num, StringAt(&p, "name")});
    }
  }

  const VerifyInput& in_;
  diag::DiagnosticSink& sink_;
  const model::Resource* svc_ = nullptr;
  const yaml::Node* selector_ = nullptr;
  bool checked_ports_ = false;
};

}  // namespace

void VerifyCanary(const VerifyInput& in, diag::DiagnosticSink& sink) { Verifier(in, sink).Run(); }

}  // namespace meshctl::canary
