// Target `smi`: a TrafficSplit (split.smi-spec.io) for the apex Service with
// weighted backends that are per-version Services. An existing TrafficSplit
// for the Service is patched: weights change, a missing backend is added,
// an apex backend becomes the stable one. SMI has no header matches or
// mirroring, so --header/--cookie/--mirror are refused.
#include "lib/canary/generator.h"

namespace meshctl::canary {

namespace {

class SmiGenerator {
 public:
  explicit SmiGenerator(GeneratorContext& c) : c_(c), svc_(*c.info.service) {}

  core::Status Run() {
    if (!c_.spec.headers.empty() || !c_.spec.cookies.empty() || c_.spec.mirror_percent)
      return core::InvalidArgument("an SMI TrafficSplit has no header, cookie or mirror rules; use --target istio or "
                                   "--target gateway-api for those");
    if (!c_.spec.routes.empty()) return core::InvalidArgument("--route does not apply to --target smi");
    stable_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.stable, c_.notes);
    canary_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.canary, c_.notes);
    bool any = false;
    for (const model::Resource* ts : c_.ws.snapshot().OfKindIn({"split.smi-spec.io", "TrafficSplit"}, svc_.ns)) {
      if (!ts->spec || !HostIs(ts->ns, StringAt(ts->spec, "service"), svc_.ns, svc_.name)) continue;
      RETURN_IF_ERROR(Patch(*ts));
      any = true;
    }
    if (!any) Create();
    return core::Status::Ok();
  }

 private:
  core::Status Patch(const model::Resource& ts) {
    const yaml::Node* backends = ts.spec->Get("backends");
    if (!backends || !backends->IsSeq())
      return core::DataError("TrafficSplit " + ts.FullName() + " has no backends list");
    std::vector<size_t> stable, canary, apex;
    for (size_t i = 0; i < backends->size(); ++i) {
      std::string name = StringAt(&backends->at(i), "service");
      if (name == stable_) {
        stable.push_back(i);
      } else if (name == canary_) {
        canary.push_back(i);
      } else if (name == svc_.name) {
        apex.push_back(i);
      } else {
        return core::DataError("TrafficSplit " + ts.FullName() + " also sends to " + name + ", which is neither " +
                               stable_ + " nor " + canary_);
      }
    }
    if (stable.size() > 1 || canary.size() > 1 || apex.size() > 1 || (!apex.empty() && !stable.empty()))
      return core::DataError("TrafficSplit " + ts.FullName() + " lists the same version twice; merge them first");
    yaml::Node* list = c_.ws.Edit(ts).GetMutable("spec")->GetMutable("backends");
    if (!apex.empty()) {
      list->mutable_at(apex[0]).Set("service", Str(stable_));
      stable = apex;
    }
    auto make = [&](const std::string& name) {
      yaml::Node b = yaml::Node::Map({});
      b.Set("service", Str(name));
      b.Set("weight", Int(0));
      return b;
    };
    if (stable.empty()) {
      auto& ch = list->mutable_children();
      ch.insert(ch.begin() + static_cast<std::ptrdiff_t>(canary[0]), make(stable_));
      stable = {canary[0]};
      canary[0] += 1;
    }
    if (canary.empty()) {
      list->Push(make(canary_));
      canary = {list->size() - 1};
    }
    list->mutable_at(stable[0]).Set("weight", Int(100 - c_.spec.weight));
    list->mutable_at(canary[0]).Set("weight", Int(c_.spec.weight));
    return core::Status::Ok();
  }

  void Create() {
    std::string name = svc_.name;
    yaml::Node ts = ObjectHeader("split.smi-spec.io/v1alpha2", "TrafficSplit", name, svc_.ns);
    yaml::Node spec = yaml::Node::Map({});
    spec.Set("service", Str(svc_.name));
    yaml::Node backends = yaml::Node::Seq({});
    for (bool canary : {false, true}) {
      yaml::Node b = yaml::Node::Map({});
      b.Set("service", Str(canary ? canary_ : stable_));
      b.Set("weight", Int(canary ? c_.spec.weight : 100 - c_.spec.weight));
      backends.Push(std::move(b));
    }
    spec.Set("backends", std::move(backends));
    ts.Set("spec", std::move(spec));
    c_.ws.Create(std::move(ts), svc_.file);
    c_.notes.push_back("added TrafficSplit " + svc_.ns + "/" + name);
  }

  GeneratorContext& c_;
  const model::Resource& svc_;
  std::string stable_, canary_;
};

}  // namespace

core::Status GenerateSmi(GeneratorContext& c) { return SmiGenerator(c).Run(); }

}  // namespace meshctl::canary
