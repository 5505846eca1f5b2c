// Target `gateway-api`: an HTTPRoute whose rules send weighted backendRefs
// to per-version Services (`reviews-v1`, `reviews-v2`), attached to the
// Service itself (GAMMA, mesh traffic) or to a Gateway (`--gateway`).
// Existing HTTPRoutes are patched rule by rule as VirtualServices are:
// only the weights of the selected rules change; missing backends are
// added; matches, filters, timeouts and every other rule stay.
#include <algorithm>
#include <set>

#include "lib/canary/generator.h"
#include "lib/core/strings.h"

namespace meshctl::canary {

namespace {

bool IsManagedRule(const yaml::Node& rule, const std::string& service) {
  std::string name = StringAt(&rule, "name");
  std::string prefix = ManagedRuleName(service);
  return name == prefix || name.rfind(prefix + "-", 0) == 0;
}

bool RuleMatchesOnHeaders(const yaml::Node& rule) {
  const yaml::Node* matches = rule.Get("matches");
  if (!matches || !matches->IsSeq()) return false;
  for (const auto& m : matches->children())
    if (m.Get("headers") || m.Get("queryParams")) return true;
  return false;
}

enum class Role { kStable, kCanary, kApex, kForeign };

struct Picked {
  size_t index;
  std::string label;
};

class GatewayApiGenerator {
 public:
  explicit GatewayApiGenerator(GeneratorContext& c) : c_(c), svc_(*c.info.service) {}

  core::Status Run() {
    stable_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.stable, c_.notes);
    canary_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.canary, c_.notes);
    RETURN_IF_ERROR(RefuseOtherRouteKinds());
    RETURN_IF_ERROR(Select());
    if (selected_.empty() && !c_.spec.stable_backend.empty())
      return core::DataError("no HTTPRoute rule in the input sends to " + stable_ + " or " + canary_ +
                             "; --stable-backend/--canary-backend shift an existing route (check the names, or "
                             "drop them to generate one from the workloads)");
    if (selected_.empty()) return Create();
    for (auto& [route, rules] : selected_) RETURN_IF_ERROR(Patch(*route, rules));
    return core::Status::Ok();
  }

 private:
  Role Classify(const std::string& from_ns, const yaml::Node& ref) const {
    std::string kind = StringAt(&ref, "kind"), group = StringAt(&ref, "group");
    if (!kind.empty() && kind != "Service") return Role::kForeign;
    if (!group.empty() && group != "core") return Role::kForeign;
    std::string ns = StringAt(&ref, "namespace");
    if ((ns.empty() ? from_ns : ns) != svc_.ns) return Role::kForeign;
    std::string name = StringAt(&ref, "name");
    if (name == stable_) return Role::kStable;
    if (name == canary_) return Role::kCanary;
    if (name == svc_.name) return Role::kApex;
    return Role::kForeign;
  }

  bool SendsToService(const std::string& from_ns, const yaml::Node& rule) const {
    const yaml::Node* refs = rule.Get("backendRefs");
    if (!refs || !refs->IsSeq()) return false;
    for (const auto& r : refs->children())
      if (Classify(from_ns, r) != Role::kForeign) return true;
    return false;
  }

  core::Status RefuseOtherRouteKinds() const {
    for (const char* kind : {"GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"}) {
      for (const model::Resource* r : c_.ws.snapshot().OfKind({"gateway.networking.k8s.io", kind})) {
        const yaml::Node* rules = r->spec ? r->spec->Get("rules") : nullptr;
        if (!rules || !rules->IsSeq()) continue;
        for (const auto& rule : rules->children())
          if (SendsToService(r->ns, rule))
            return core::DataError(std::string(kind) + " " + r->FullName() + " sends to " + svc_.name +
                                   "; meshctl canary patches HTTPRoutes only (shift that route by hand)");
      }
    }
    return core::Status::Ok();
  }

  core::Status Select() {
    std::set<std::string> wanted(c_.spec.routes.begin(), c_.spec.routes.end()), matched;
    std::vector<std::string> available, header_rules;
    for (const model::Resource* hr : c_.ws.snapshot().OfKind(model::kinds::kHTTPRoute)) {
      const yaml::Node* rules = hr->spec ? hr->spec->Get("rules") : nullptr;
      if (!rules || !rules->IsSeq()) continue;
      std::vector<Picked> picked;
      for (size_t i = 0; i < rules->size(); ++i) {
        const yaml::Node& rule = rules->at(i);
        if (!SendsToService(hr->ns, rule)) continue;
        std::string pos = "rules[" + std::to_string(i) + "]";
        std::string name = StringAt(&rule, "name");
        std::string label = name.empty() ? pos : name + " (" + pos + ")";
        if (!wanted.empty()) {
          available.push_back(name.empty() ? pos : name);
          bool hit = false;
          for (const auto& key : {pos, name})
            if (!key.empty() && wanted.count(key)) matched.insert(key), hit = true;
          if (hit) picked.push_back({i, label});
          continue;
        }
        if (IsManagedRule(rule, svc_.name)) continue;
        if (RuleMatchesOnHeaders(rule)) {
          header_rules.push_back(label + " of HTTPRoute " + hr->FullName());
          continue;
        }
        picked.push_back({i, label});
      }
      if (!picked.empty()) selected_.emplace_back(hr, std::move(picked));
    }
    for (const auto& w : wanted) {
      if (matched.count(w)) continue;
      return core::DataError("no rule \"" + w + "\" sends to " + svc_.name +
                             (available.empty() ? std::string(" (no HTTPRoute rule in the input does)")
                                                : "; rules that do: " + core::Join(available, ", ")) +
                             ". Name a rule by its `name` or as rules[N]");
    }
    if (selected_.empty() && !header_rules.empty())
      return core::DataError("every HTTPRoute rule that sends to " + svc_.name + " matches on headers: " +
                             HumanList(header_rules) + "; pick one with --route");
    for (const auto& h : header_rules)
      c_.notes.push_back("left " + h + " as it is: it matches on headers (select it with --route to shift it too)");
    return core::Status::Ok();
  }

  core::Status PatchBackends(const model::Resource& hr, const std::string& label, yaml::Node& rule) {
    std::string where = label + " of HTTPRoute " + hr.FullName();
    yaml::Node* refs = rule.GetMutable("backendRefs");
    std::vector<size_t> stable, canary, apex;
    for (size_t i = 0; i < refs->size(); ++i) {
      switch (Classify(hr.ns, refs->at(i))) {
        case Role::kStable: stable.push_back(i); break;
        case Role::kCanary: canary.push_back(i); break;
        case Role::kApex: apex.push_back(i); break;
        case Role::kForeign:
          return core::DataError(where + " also sends to " + StringAt(&refs->at(i), "name") +
                                 ", which is neither " + stable_ + " nor " + canary_ +
                                 "; meshctl shifts only rules whose backends are versions of " + svc_.name);
      }
    }
    if (stable.size() > 1 || canary.size() > 1 || apex.size() > 1 || (!apex.empty() && !stable.empty()))
      return core::DataError(where + " has several backendRefs for the same version; merge them first");
    if (!apex.empty()) {
      refs->mutable_at(apex[0]).Set("name", Str(stable_));
      stable = apex;
    }
    auto copy_as = [&](size_t from, const std::string& name) {
      yaml::Node ref = refs->at(from);
      ref.Set("name", Str(name));
      return ref;
    };
    if (stable.empty()) {
      auto& ch = refs->mutable_children();
      ch.insert(ch.begin() + static_cast<std::ptrdiff_t>(canary[0]), copy_as(canary[0], stable_));
      stable = {canary[0]};
      canary[0] += 1;
    }
    if (canary.empty()) {
      refs->Push(copy_as(stable[0], canary_));
      canary = {refs->size() - 1};
    }
    refs->mutable_at(stable[0]).Set("weight", Int(100 - c_.spec.weight));
    refs->mutable_at(canary[0]).Set("weight", Int(c_.spec.weight));
    return core::Status::Ok();
  }

  core::Status PatchMirror(const std::string& where, yaml::Node& rule) {
    yaml::Node* filters = rule.GetMutable("filters");
    std::optional<size_t> ours;
    if (filters && filters->IsSeq()) {
      for (size_t i = 0; i < filters->size(); ++i) {
        const yaml::Node& f = filters->at(i);
        if (StringAt(&f, "type") != "RequestMirror") continue;
        const yaml::Node* ref = f.Find("requestMirror.backendRef");
        if (ref && StringAt(ref, "name") == canary_) {
          ours = i;
        } else if (c_.spec.mirror_percent) {
          return core::DataError(where + " already mirrors to " + StringAt(ref, "name") +
                                 "; meshctl will not replace it");
        }
      }
    }
    if (!c_.spec.mirror_percent) {
      if (ours) {
        auto& ch = filters->mutable_children();
        ch.erase(ch.begin() + static_cast<std::ptrdiff_t>(*ours));
        if (ch.empty()) rule.Remove("filters");
        c_.notes.push_back("removed the mirror to the canary from " + where + " (no --mirror given)");
      }
      return core::Status::Ok();
    }
    yaml::Node ref = yaml::Node::Map({});
    ref.Set("name", Str(canary_));
    if (const yaml::Node* port = rule.Find("backendRefs[0].port")) ref.Set("port", *port);
    yaml::Node mirror = yaml::Node::Map({});
    mirror.Set("backendRef", std::move(ref));
    mirror.Set("percent", Int(*c_.spec.mirror_percent));
    yaml::Node f = yaml::Node::Map({});
    f.Set("type", Str("RequestMirror"));
    f.Set("requestMirror", std::move(mirror));
    if (ours) {
      filters->mutable_at(*ours) = std::move(f);
    } else {
      if (!filters || !filters->IsSeq()) {
        rule.Set("filters", yaml::Node::Seq({}));
        filters = rule.GetMutable("filters");
      }
      filters->Push(std::move(f));
    }
    return core::Status::Ok();
  }

  yaml::Node AbRule(const std::string& from_ns, const yaml::Node& rule, const std::string& name) const {
    yaml::Node ab = yaml::Node::Map({});
    ab.Set("name", Str(name));
    std::vector<yaml::Node> bases;
    if (const yaml::Node* m = rule.Get("matches"); m && m->IsSeq() && m->size()) {
      bases.assign(m->children().begin(), m->children().end());
    } else {
      bases.push_back(yaml::Node::Map({}));
    }
    yaml::Node matches = yaml::Node::Seq({});
    for (auto& m : bases) {
      yaml::Node headers = m.Get("headers") && m.Get("headers")->IsSeq() ? *m.Get("headers") : yaml::Node::Seq({});
      for (const auto& h : c_.spec.headers) {
        yaml::Node cond = yaml::Node::Map({});
        cond.Set("name", Str(h.name));
        cond.Set("value", Str(h.value));
        headers.Push(std::move(cond));
      }
      for (const auto& ck : c_.spec.cookies) {
        yaml::Node cond = yaml::Node::Map({});
        cond.Set("type", Str("RegularExpression"));
        cond.Set("name", Str("cookie"));
        cond.Set("value", Str(CookieRegex(ck)));
        headers.Push(std::move(cond));
      }
      m.Set("headers", std::move(headers));
      matches.Push(std::move(m));
    }
    ab.Set("matches", std::move(matches));
    for (size_t i = 0; i < rule.size(); ++i) {
      const std::string& k = rule.KeyAt(i).text();
      if (k == "name" || k == "matches" || k == "backendRefs") continue;
      if (k == "filters") {
        yaml::Node kept = yaml::Node::Seq({});
        for (const auto& f : rule.ValueAt(i).children())
          if (StringAt(&f, "type") != "RequestMirror") kept.Push(f);
        if (kept.size()) ab.Set("filters", std::move(kept));
        continue;
      }
      ab.Set(k, rule.ValueAt(i));
    }
    yaml::Node refs = yaml::Node::Seq({});
    for (const auto& r : rule.Get("backendRefs")->children()) {
      if (Classify(from_ns, r) != Role::kCanary) continue;
      yaml::Node ref = r;
      ref.Remove("weight");
      refs.Push(std::move(ref));
    }
    ab.Set("backendRefs", std::move(refs));
    return ab;
  }

  core::Status Patch(const model::Resource& hr, const std::vector<Picked>& picked) {
    yaml::Node& obj = c_.ws.Edit(hr);
    yaml::Node* rules = obj.GetMutable("spec")->GetMutable("rules");
    std::vector<yaml::Node> ab;
    for (const auto& p : picked) {
      yaml::Node& rule = rules->mutable_at(p.index);
      RETURN_IF_ERROR(PatchBackends(hr, p.label, rule));
      RETURN_IF_ERROR(PatchMirror(p.label + " of HTTPRoute " + hr.FullName(), rule));
      if (!c_.spec.headers.empty() || !c_.spec.cookies.empty()) {
        std::string name = ManagedRuleName(svc_.name);
        if (!ab.empty()) name += "-" + std::to_string(ab.size() + 1);
        ab.push_back(AbRule(hr.ns, rule, name));
      }
    }
    auto& items = rules->mutable_children();
    size_t before = items.size();
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const yaml::Node& r) { return IsManagedRule(r, svc_.name); }),
                items.end());
    if (items.size() != before && ab.empty())
      c_.notes.push_back("removed the A/B rule from HTTPRoute " + hr.FullName() + " (no --header or --cookie given)");
    items.insert(items.begin(), ab.begin(), ab.end());
    return core::Status::Ok();
  }

  core::Status Create() {
    const yaml::Node* ports = svc_.spec->Get("ports");
    if (!ports || !ports->IsSeq() || ports->size() == 0)
      return core::DataError("Service " + svc_.FullName() + " has no ports; an HTTPRoute backendRef needs one");
    if (ports->size() > 1) {
      std::vector<std::string> nums;
      for (const auto& p : ports->children()) nums.push_back(StringAt(&p, "port"));
      return core::DataError("Service " + svc_.FullName() + " has several ports (" + core::Join(nums, ", ") +
                             ") and there is no HTTPRoute for it to patch; write the HTTPRoute for the port you "
                             "want (backendRefs name one port) and run meshctl canary again to shift it");
    }
    const yaml::Node& port = *ports->at(0).Get("port");
    std::string name = svc_.name;
    if (c_.ws.snapshot().Find(model::kinds::kHTTPRoute, svc_.ns, name)) name += "-canary";
    yaml::Node hr = ObjectHeader("gateway.networking.k8s.io/v1", "HTTPRoute", name, svc_.ns);
    yaml::Node spec = yaml::Node::Map({});
    yaml::Node parents = yaml::Node::Seq({});
    yaml::Node parent = yaml::Node::Map({});
    if (c_.spec.gateway.empty()) {
      parent.Set("group", Str(""));
      parent.Set("kind", Str("Service"));
      parent.Set("name", Str(svc_.name));
      parent.Set("port", port);
    } else {
      auto parts = core::Split(c_.spec.gateway, '/');
      if (parts.size() == 2) {
        parent.Set("name", Str(parts[1]));
        parent.Set("namespace", Str(parts[0]));
      } else {
        parent.Set("name", Str(c_.spec.gateway));
      }
    }
    parents.Push(std::move(parent));
    spec.Set("parentRefs", std::move(parents));
    yaml::Node rule = yaml::Node::Map({});
    yaml::Node refs = yaml::Node::Seq({});
    for (bool canary : {false, true}) {
      yaml::Node ref = yaml::Node::Map({});
      ref.Set("name", Str(canary ? canary_ : stable_));
      ref.Set("port", port);
      ref.Set("weight", Int(canary ? c_.spec.weight : 100 - c_.spec.weight));
      refs.Push(std::move(ref));
    }
    rule.Set("backendRefs", std::move(refs));
    RETURN_IF_ERROR(PatchMirror("the new rule", rule));
    yaml::Node rules = yaml::Node::Seq({});
    if (!c_.spec.headers.empty() || !c_.spec.cookies.empty()) rules.Push(AbRule(svc_.ns, rule, ManagedRuleName(svc_.name)));
    rules.Push(std::move(rule));
    spec.Set("rules", std::move(rules));
    hr.Set("spec", std::move(spec));
    c_.ws.Create(std::move(hr), svc_.file);
    c_.notes.push_back("added HTTPRoute " + svc_.ns + "/" + name +
                       (c_.spec.gateway.empty() ? " attached to Service " + svc_.name + " (GAMMA)"
                                                : " attached to Gateway " + c_.spec.gateway));
    return core::Status::Ok();
  }

  GeneratorContext& c_;
  const model::Resource& svc_;
  std::string stable_, canary_;
  std::vector<std::pair<const model::Resource*, std::vector<Picked>>> selected_;
};

}  // namespace

std::vector<std::pair<std::string, int64_t>> BackendCurrentWeights(const model::Snapshot& snap,
                                                                   const ServiceInfo& info) {
  std::vector<std::pair<std::string, int64_t>> out;
  std::string prefix = info.service->name + "-";
  auto add = [&](const std::string& name, const yaml::Node* w, size_t count) {
    if (name.rfind(prefix, 0) != 0) return;
    int64_t weight = w ? w->AsInt().value_or(0) : (count == 1 ? 100 : 1);
    out.emplace_back(name.substr(prefix.size()), weight);
  };
  for (const model::Resource* hr : snap.OfKindIn(model::kinds::kHTTPRoute, info.service->ns)) {
    const yaml::Node* rules = hr->spec ? hr->spec->Get("rules") : nullptr;
    if (!rules || !rules->IsSeq()) continue;
    for (const auto& rule : rules->children())
      if (IsManagedRule(rule, info.service->name) || RuleMatchesOnHeaders(rule)) {
        continue;
      } else if (const yaml::Node* refs = rule.Get("backendRefs"); refs && refs->IsSeq())
        for (const auto& r : refs->children()) add(StringAt(&r, "name"), r.Get("weight"), refs->size());
  }
  for (const model::Resource* ts : snap.OfKindIn({"split.smi-spec.io", "TrafficSplit"}, info.service->ns)) {
    const yaml::Node* b = ts->spec ? ts->spec->Get("backends") : nullptr;
    if (!b || !b->IsSeq()) continue;
    for (const auto& x : b->children()) add(StringAt(&x, "service"), x.Get("weight"), b->size());
  }
  return out;
}

core::Status GenerateGatewayApi(GeneratorContext& c) { return GatewayApiGenerator(c).Run(); }

}  // namespace meshctl::canary
