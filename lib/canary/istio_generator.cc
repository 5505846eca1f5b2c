// Target `istio`: VirtualService routes with weighted destinations, split
// by DestinationRule subsets (`--mode subset`, the default: one host,
// subsets keyed on the version label) or by per-version Services (`--mode
// host`). Existing VirtualServices are patched: only the weights of the
// selected routes change, missing destinations and subsets are added, and
// every other route, match, retry, timeout, header rule and key stays.
#include <algorithm>
#include <set>

#include "lib/canary/generator.h"
#include "lib/core/strings.h"
#include "lib/model/protocol.h"

namespace meshctl::canary {

bool HostIs(const std::string& from_ns, const std::string& host, const std::string& ns, const std::string& name) {
  std::vector<std::string> parts = core::Split(host, '.');
  if (parts.empty() || parts[0] != name) return false;
  if (parts.size() == 1) return from_ns == ns;
  if (parts[1] != ns) return false;
  if (parts.size() == 2) return true;
  return parts[2] == "svc";
}

std::string RegexQuote(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|?*+()[]{}\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string CookieRegex(const MatchRule& c) {
  return "^(.*?;\\s*)?(" + RegexQuote(c.name) + "=" + RegexQuote(c.value) + ")(;.*)?$";
}

std::string HumanList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string ManagedRuleName(const std::string& service) { return service + "-canary-ab"; }

namespace {

const char* const kRouteKinds[] = {"http", "tcp", "tls"};

// DestinationRules whose host is the Service, the Service's namespace first.
std::vector<const model::Resource*> ServiceDestinationRules(const model::Snapshot& snap, const ServiceInfo& info) {
  std::vector<const model::Resource*> same, other;
  for (const model::Resource* dr : snap.OfKind(model::kinds::kDestinationRule)) {
    if (!dr->spec) continue;
    if (!HostIs(dr->ns, StringAt(dr->spec, "host"), info.service->ns, info.service->name)) continue;
    (dr->ns == info.service->ns ? same : other).push_back(dr);
  }
  same.insert(same.end(), other.begin(), other.end());
  return same;
}

bool IsManaged(const yaml::Node& route, const std::string& service) {
  std::string name = StringAt(&route, "name");
  std::string prefix = ManagedRuleName(service);
  return name == prefix || name.rfind(prefix + "-", 0) == 0;
}

// An http route whose matches look at headers or query parameters: an A/B
// or pinned-user rule, left alone unless picked with --route.
bool MatchesOnHeaders(const yaml::Node& route) {
  const yaml::Node* match = route.Get("match");
  if (!match || !match->IsSeq()) return false;
  for (const auto& m : match->children())
    if (m.Get("headers") || m.Get("queryParams") || m.Get("withoutHeaders")) return true;
  return false;
}

enum class Role { kStable, kCanary, kApex, kOtherVersion, kForeign };

// `name` written like `like`: "reviews-v1.bookinfo.svc.cluster.local" makes
// "reviews-v2" "reviews-v2.bookinfo.svc.cluster.local".
std::string SameSpelling(const std::string& like, const std::string& name) {
  size_t dot = like.find('.');
  return dot == std::string::npos ? name : name + like.substr(dot);
}

struct SelectedRoute {
  std::string kind;  // http, tcp, tls
  size_t index;
  std::string label;  // "http[1]" or the route name
};

class IstioGenerator {
 public:
  explicit IstioGenerator(GeneratorContext& c) : c_(c), svc_(*c.info.service) {}

  core::Status Run() {
    if (c_.spec.mode == IstioMode::kSubset) {
      RETURN_IF_ERROR(PrepareSubsets());
    } else {
      stable_host_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.stable, c_.notes);
      canary_host_ = VersionService(c_.ws, c_.info, c_.spec, c_.info.canary, c_.notes);
    }
    RETURN_IF_ERROR(SelectRoutes());
    if (selected_.empty() && !c_.spec.stable_backend.empty())
      return core::DataError("no VirtualService route in the input sends to " + stable_host_ + " or " + canary_host_ +
                             "; --stable-backend/--canary-backend shift an existing route (check the names, or "
                             "drop them to generate one from the workloads)");
    if (selected_.empty()) {
      RETURN_IF_ERROR(CreateVirtualService());
    } else {
      for (auto& [vs, routes] : selected_) RETURN_IF_ERROR(PatchVirtualService(*vs, routes));
    }
    if (c_.spec.mode == IstioMode::kSubset) FinishSubsets();
    return core::Status::Ok();
  }

 private:
  // ---- DestinationRule subsets
  std::string SubsetNameFor(const std::string& version) {
    if (!dr_) return version;
    const yaml::Node* subsets = c_.ws.Current(*dr_).Find("spec.subsets");
    if (subsets && subsets->IsSeq()) {
      for (const auto& s : subsets->children())
        if (StringAt(&s, "name") == version) return version;
      for (const auto& s : subsets->children()) {
        const yaml::Node* labels = s.Get("labels");
        if (labels && StringAt(labels, c_.spec.version_label) == version) return StringAt(&s, "name");
      }
    }
    return version;
  }

  core::Status PrepareSubsets() {
    auto drs = ServiceDestinationRules(c_.ws.snapshot(), c_.info);
    if (!drs.empty()) {
      dr_ = drs.front();
      for (size_t i = 1; i < drs.size(); ++i)
        c_.notes.push_back("DestinationRule " + drs[i]->FullName() + " also has host " + svc_.name +
                           "; only " + dr_->FullName() + " gets subsets");
    }
    stable_subset_ = SubsetNameFor(c_.info.stable);
    canary_subset_ = SubsetNameFor(c_.info.canary);
    return core::Status::Ok();
  }

  yaml::Node SubsetFor(const std::string& name) {
    yaml::Node s = yaml::Node::Map({});
    s.Set("name", Str(name));
    yaml::Node labels = yaml::Node::Map({});
    labels.Set(c_.spec.version_label, Str(name));
    s.Set("labels", std::move(labels));
    return s;
  }

  void FinishSubsets() {
    if (!dr_) {
      yaml::Node dr = ObjectHeader("networking.istio.io/v1", "DestinationRule", svc_.name, svc_.ns);
      yaml::Node spec = yaml::Node::Map({});
      spec.Set("host", Str(svc_.name));
      yaml::Node subsets = yaml::Node::Seq({});
      subsets.Push(SubsetFor(stable_subset_));
      subsets.Push(SubsetFor(canary_subset_));
      spec.Set("subsets", std::move(subsets));
      dr.Set("spec", std::move(spec));
      c_.ws.Create(std::move(dr), std::vector<std::string>{anchor_file_, svc_.file});
      c_.notes.push_back("added DestinationRule " + svc_.ns + "/" + svc_.name + " with subsets " + stable_subset_ +
                         " and " + canary_subset_);
      return;
    }
    for (const std::string& name : {stable_subset_, canary_subset_}) {
      const yaml::Node* subsets = c_.ws.Current(*dr_).Find("spec.subsets");
      bool have = false;
      if (subsets && subsets->IsSeq())
        for (const auto& s : subsets->children()) have |= StringAt(&s, "name") == name;
      if (have) continue;
      yaml::Node& obj = c_.ws.Edit(*dr_);
      yaml::Node* spec = obj.GetMutable("spec");
      if (!spec->GetMutable("subsets") || !spec->GetMutable("subsets")->IsSeq()) spec->Set("subsets", yaml::Node::Seq({}));
      spec->GetMutable("subsets")->Push(SubsetFor(name));
      c_.notes.push_back("added subset " + name + " to DestinationRule " + dr_->FullName());
    }
  }

  // ---- classifying destinations
  Role Classify(const std::string& from_ns, const yaml::Node* dest) const {
    std::string host = StringAt(dest, "host"), subset = StringAt(dest, "subset");
    const std::string& ns = svc_.ns;
    if (c_.spec.mode == IstioMode::kSubset) {
      if (!HostIs(from_ns, host, ns, svc_.name)) return Role::kForeign;
      if (subset.empty()) return Role::kApex;
      if (subset == stable_subset_) return Role::kStable;
      if (subset == canary_subset_) return Role::kCanary;
      return Role::kOtherVersion;
    }
    if (HostIs(from_ns, host, ns, stable_host_)) return subset.empty() ? Role::kStable : Role::kOtherVersion;
    if (HostIs(from_ns, host, ns, canary_host_)) return subset.empty() ? Role::kCanary : Role::kOtherVersion;
    if (HostIs(from_ns, host, ns, svc_.name)) return subset.empty() ? Role::kApex : Role::kOtherVersion;
    return Role::kForeign;
  }

  bool SendsToService(const std::string& from_ns, const yaml::Node& route) const {
    const yaml::Node* dests = route.Get("route");
    if (!dests || !dests->IsSeq()) return false;
    for (const auto& d : dests->children())
      if (Classify(from_ns, d.Get("destination")) != Role::kForeign) return true;
    return false;
  }

  // ---- picking routes
  core::Status SelectRoutes() {
    std::set<std::string> wanted(c_.spec.routes.begin(), c_.spec.routes.end());
    std::set<std::string> matched;
    std::vector<std::string> available;
    std::vector<std::string> header_routes;
    std::vector<std::string> hosts_only;  // VSs that serve the host but route elsewhere
    for (const model::Resource* vs : c_.ws.snapshot().OfKind(model::kinds::kVirtualService)) {
      if (!vs->spec) continue;
      std::vector<SelectedRoute> picked;
      for (const char* kind : kRouteKinds) {
        const yaml::Node* seq = vs->spec->Get(kind);
        if (!seq || !seq->IsSeq()) continue;
        for (size_t i = 0; i < seq->size(); ++i) {
          const yaml::Node& route = seq->at(i);
          if (!SendsToService(vs->ns, route)) continue;
          std::string pos = std::string(kind) + "[" + std::to_string(i) + "]";
          std::string name = StringAt(&route, "name");
          std::string where = (name.empty() ? pos : name + " (" + pos + ")") + " of VirtualService " + vs->FullName();
          if (!wanted.empty()) {
            bool hit = false;
            for (const auto& key : {pos, name}) {
              if (!key.empty() && wanted.count(key)) {
                matched.insert(key);
                hit = true;
              }
            }
            available.push_back(name.empty() ? pos : name);
            if (hit) picked.push_back({kind, i, name.empty() ? pos : name + " (" + pos + ")"});
            continue;
          }
          if (IsManaged(route, svc_.name)) continue;
          if (std::string(kind) == "http" && MatchesOnHeaders(route)) {
            header_routes.push_back(where);
            continue;
          }
          picked.push_back({kind, i, name.empty() ? pos : name + " (" + pos + ")"});
        }
      }
      if (!picked.empty()) {
        selected_.emplace_back(vs, std::move(picked));
        if (anchor_file_.empty()) anchor_file_ = vs->file;
      }
    }
    for (const auto& w : wanted) {
      if (matched.count(w)) continue;
      std::string msg = "no route \"" + w + "\" sends to " + svc_.name;
      msg += available.empty() ? " (no route in the input does)"
                               : "; routes that do: " + core::Join(available, ", ");
      return core::DataError(msg + ". Name a route by its `name` or as http[N], tcp[N], tls[N]");
    }
    if (selected_.empty() && !header_routes.empty()) {
      return core::DataError("every route that sends to " + svc_.name + " matches on headers: " +
                             HumanList(header_routes) +
                             "; meshctl leaves such A/B rules alone unless you pick one with --route");
    }
    for (const auto& h : header_routes)
      c_.notes.push_back("left " + h + " as it is: it matches on headers (select it with --route to shift it too)");
    return core::Status::Ok();
  }

  // ---- patching one route
  core::Status PatchDestinations(const model::Resource& vs, const std::string& label, yaml::Node& route) {
    yaml::Node* dests = route.GetMutable("route");
    std::string where = label + " of VirtualService " + vs.FullName();
    std::vector<size_t> stable, canary, apex;
    for (size_t i = 0; i < dests->size(); ++i) {
      const yaml::Node* d = dests->at(i).Get("destination");
      switch (Classify(vs.ns, d)) {
        case Role::kStable: stable.push_back(i); break;
        case Role::kCanary: canary.push_back(i); break;
        case Role::kApex: apex.push_back(i); break;
        case Role::kOtherVersion:
          if (c_.spec.mode == IstioMode::kHost && !StringAt(d, "subset").empty())
            return core::DataError(where + " routes to " + StringAt(d, "host") + " by DestinationRule subset (" +
                                   StringAt(d, "subset") + "); shift it with --mode subset (the default), or "
                                   "change it to per-version hosts first");
          return core::DataError(where + " also sends to " + StringAt(d, "host") +
                                 (StringAt(d, "subset").empty() ? "" : " subset " + StringAt(d, "subset")) +
                                 ", which is neither the stable (" + c_.info.stable + ") nor the canary (" +
                                 c_.info.canary + ") version; remove that destination or name it with --stable/--canary");
        case Role::kForeign:
          return core::DataError(where + " also sends to " + StringAt(d, "host") + "; meshctl shifts only routes whose "
                                 "destinations are all " + svc_.name + " (pick other routes with --route)");
      }
    }
    if (stable.size() > 1 || canary.size() > 1 || apex.size() > 1 || (!apex.empty() && !stable.empty())) {
      return core::DataError(where + " has several destinations for the same version of " + svc_.name +
                             "; merge them first");
    }
    if (!apex.empty()) {
      // An unversioned destination becomes the stable one.
      yaml::Node* d = dests->mutable_at(apex[0]).GetMutable("destination");
      if (c_.spec.mode == IstioMode::kSubset) {
        d->Set("subset", Str(stable_subset_));
      } else {
        d->Set("host", Str(SameSpelling(StringAt(d, "host"), stable_host_)));
      }
      stable = apex;
    }
    auto copy_as = [&](size_t from, bool to_canary) {
      yaml::Node entry = dests->at(from);
      yaml::Node* d = entry.GetMutable("destination");
      if (c_.spec.mode == IstioMode::kSubset) {
        d->Set("subset", Str(to_canary ? canary_subset_ : stable_subset_));
      } else {
        d->Set("host", Str(SameSpelling(StringAt(d, "host"), to_canary ? canary_host_ : stable_host_)));
      }
      return entry;
    };
    if (stable.empty()) {
      yaml::Node entry = copy_as(canary[0], false);
      auto& ch = dests->mutable_children();
      ch.insert(ch.begin() + static_cast<std::ptrdiff_t>(canary[0]), std::move(entry));
      stable = {canary[0]};
      canary[0] += 1;
    }
    if (canary.empty()) {
      dests->Push(copy_as(stable[0], true));
      canary = {dests->size() - 1};
    }
    dests->mutable_at(stable[0]).Set("weight", Int(100 - c_.spec.weight));
    dests->mutable_at(canary[0]).Set("weight", Int(c_.spec.weight));
    return core::Status::Ok();
  }

  core::Status PatchMirror(const model::Resource& vs, const std::string& label, yaml::Node& route) {
    std::string where = label + " of VirtualService " + vs.FullName();
    const yaml::Node* mirror = route.Get("mirror");
    bool ours = mirror && Classify(vs.ns, mirror) == Role::kCanary;
    if (!c_.spec.mirror_percent) {
      if (ours) {
        route.Remove("mirror");
        route.Remove("mirrorPercentage");
        route.Remove("mirror_percent");
        c_.notes.push_back("removed the mirror to the canary from " + where + " (no --mirror given)");
      }
      return core::Status::Ok();
    }
    if (route.Get("mirrors")) return core::DataError(where + " already has `mirrors`; meshctl will not add another mirror");
    if (mirror && !ours)
      return core::DataError(where + " already mirrors to " + StringAt(mirror, "host") +
                             (StringAt(mirror, "subset").empty() ? "" : " subset " + StringAt(mirror, "subset")) +
                             "; meshctl will not replace it");
    if (!ours) {
      yaml::Node m = yaml::Node::Map({});
      const yaml::Node* first = route.Find("route[0].destination");
      if (c_.spec.mode == IstioMode::kSubset) {
        m.Set("host", Str(first ? StringAt(first, "host") : std::string(svc_.name)));
        m.Set("subset", Str(canary_subset_));
      } else {
        m.Set("host", Str(canary_host_));
      }
      if (first && first->Get("port")) m.Set("port", *first->Get("port"));
      route.Set("mirror", std::move(m));
    }
    yaml::Node pct = yaml::Node::Map({});
    pct.Set("value", Int(*c_.spec.mirror_percent));
    route.Set("mirrorPercentage", std::move(pct));
    route.Remove("mirror_percent");
    return core::Status::Ok();
  }

  // The A/B rule placed first: the route's matches with the header/cookie
  // conditions added, its other settings (timeouts, retries, headers, CORS)
  // copied, all traffic to the canary.
  yaml::Node AbRule(const yaml::Node& route, const std::string& name) const {
    yaml::Node rule = yaml::Node::Map({});
    rule.Set("name", Str(name));
    yaml::Node matches = yaml::Node::Seq({});
    const yaml::Node* base = route.Get("match");
    std::vector<yaml::Node> bases;
    if (base && base->IsSeq() && base->size() > 0) {
      bases.assign(base->children().begin(), base->children().end());
    } else {
      bases.push_back(yaml::Node::Map({}));
    }
    for (auto& m : bases) {
      yaml::Node headers = m.Get("headers") && m.Get("headers")->IsMap() ? *m.Get("headers") : yaml::Node::Map({});
      for (const auto& h : c_.spec.headers) {
        yaml::Node cond = yaml::Node::Map({});
        cond.Set("exact", Str(h.value));
        headers.Set(h.name, std::move(cond));
      }
      for (const auto& ck : c_.spec.cookies) {
        yaml::Node cond = yaml::Node::Map({});
        cond.Set("regex", Str(CookieRegex(ck)));
        headers.Set("cookie", std::move(cond));
      }
      m.Set("headers", std::move(headers));
      matches.Push(std::move(m));
    }
    rule.Set("match", std::move(matches));
    for (size_t i = 0; i < route.size(); ++i) {
      const std::string& k = route.KeyAt(i).text();
      if (k == "name" || k == "match" || k == "route" || k == "mirror" || k == "mirrors" ||
          k == "mirrorPercentage" || k == "mirror_percent")
        continue;
      rule.Set(k, route.ValueAt(i));
    }
    yaml::Node dests = yaml::Node::Seq({});
    const yaml::Node* rd = route.Get("route");
    for (const auto& d : rd->children()) {
      if (Classify(current_ns_, d.Get("destination")) != Role::kCanary) continue;
      yaml::Node entry = yaml::Node::Map({});
      entry.Set("destination", *d.Get("destination"));
      if (const yaml::Node* h = d.Get("headers")) entry.Set("headers", *h);
      dests.Push(std::move(entry));
    }
    rule.Set("route", std::move(dests));
    return rule;
  }

  core::Status PatchVirtualService(const model::Resource& vs, const std::vector<SelectedRoute>& routes) {
    yaml::Node& obj = c_.ws.Edit(vs);
    yaml::Node* spec = obj.GetMutable("spec");
    current_ns_ = vs.ns;
    std::vector<yaml::Node> ab_rules;
    for (const auto& r : routes) {
      yaml::Node& route = spec->GetMutable(r.kind)->mutable_at(r.index);
      RETURN_IF_ERROR(PatchDestinations(vs, r.label, route));
      if (r.kind == "http") {
        RETURN_IF_ERROR(PatchMirror(vs, r.label, route));
        if (!c_.spec.headers.empty() || !c_.spec.cookies.empty()) {
          std::string name = ManagedRuleName(svc_.name);
          if (!ab_rules.empty()) name += "-" + std::to_string(ab_rules.size() + 1);
          ab_rules.push_back(AbRule(route, name));
        }
      } else if (c_.spec.mirror_percent) {
        c_.notes.push_back("mirroring applies to HTTP routes only; " + r.label + " of VirtualService " + vs.FullName() +
                           " is not mirrored");
      } else if (!c_.spec.headers.empty() || !c_.spec.cookies.empty()) {
        c_.notes.push_back("header and cookie rules apply to HTTP routes only; " + r.label + " of VirtualService " +
                           vs.FullName() + " gets no A/B rule");
      }
    }
    // Replace the A/B rules of an earlier run (they reflect this run's flags).
    if (yaml::Node* http = spec->GetMutable("http"); http && http->IsSeq()) {
      auto& items = http->mutable_children();
      size_t before = items.size();
      items.erase(std::remove_if(items.begin(), items.end(),
                                 [&](const yaml::Node& rt) { return IsManaged(rt, svc_.name); }),
                  items.end());
      if (items.size() != before && ab_rules.empty())
        c_.notes.push_back("removed the A/B rule from VirtualService " + vs.FullName() +
                           " (no --header or --cookie given)");
      items.insert(items.begin(), ab_rules.begin(), ab_rules.end());
    }
    return core::Status::Ok();
  }

  // ---- a new VirtualService
  core::Status CreateVirtualService() {
    for (const model::Resource* vs : c_.ws.snapshot().OfKind(model::kinds::kVirtualService)) {
      const yaml::Node* hosts = vs->spec ? vs->spec->Get("hosts") : nullptr;
      if (!hosts || !hosts->IsSeq()) continue;
      for (const auto& h : hosts->children()) {
        if (!HostIs(vs->ns, h.ToScalarString(), svc_.ns, svc_.name)) continue;
        std::string delegate;
        if (const yaml::Node* http = vs->spec->Get("http"); http && http->IsSeq())
          for (const auto& rt : http->children())
            if (const yaml::Node* d = rt.Get("delegate"))
              delegate = StringAt(d, "namespace").empty() ? StringAt(d, "name")
                                                          : StringAt(d, "namespace") + "/" + StringAt(d, "name");
        if (!delegate.empty())
          return core::DataError("VirtualService " + vs->FullName() + " hands host " + h.ToScalarString() +
                                 " to the delegate VirtualService " + delegate +
                                 ", which is not in the input; add its file with -f");
        return core::DataError("VirtualService " + vs->FullName() + " serves host " + h.ToScalarString() +
                               " but none of its routes sends to " + svc_.name +
                               "; meshctl will not add a second VirtualService for the same host (IST0109)");
      }
    }
    std::string name = svc_.name;
    if (c_.ws.snapshot().Find(model::kinds::kVirtualService, svc_.ns, name)) name += "-canary";
    yaml::Node vs = ObjectHeader("networking.istio.io/v1", "VirtualService", name, svc_.ns);
    yaml::Node spec = yaml::Node::Map({});
    yaml::Node hosts = yaml::Node::Seq({});
    hosts.Push(Str(svc_.name));
    spec.Set("hosts", std::move(hosts));

    struct PortInfo {
      int64_t number;
      bool tcp;
    };
    std::vector<PortInfo> ports;
    if (const yaml::Node* ps = svc_.spec->Get("ports"); ps && ps->IsSeq()) {
      for (const auto& p : ps->children()) {
        int64_t num = p.Get("port") ? p.Get("port")->AsInt().value_or(0) : 0;
        std::optional<std::string_view> app;
        if (const yaml::Node* a = p.Get("appProtocol"); a && a->IsString()) app = a->text();
        model::Protocol proto = model::ConvertServicePortProtocol(num, StringAt(&p, "name"), StringAt(&p, "protocol"), app);
        ports.push_back({num, model::IsTCP(proto) && !model::IsHTTP(proto)});
      }
    }
    yaml::Node http = yaml::Node::Seq({}), tcp = yaml::Node::Seq({});
    auto make_route = [&](std::optional<int64_t> port) {
      yaml::Node route = yaml::Node::Map({});
      if (port) {
        yaml::Node match = yaml::Node::Map({});
        match.Set("port", Int(*port));
        yaml::Node matches = yaml::Node::Seq({});
        matches.Push(std::move(match));
        route.Set("match", std::move(matches));
      }
      yaml::Node dests = yaml::Node::Seq({});
      for (bool canary : {false, true}) {
        yaml::Node d = yaml::Node::Map({});
        if (c_.spec.mode == IstioMode::kSubset) {
          d.Set("host", Str(svc_.name));
          d.Set("subset", Str(canary ? canary_subset_ : stable_subset_));
        } else {
          d.Set("host", Str(canary ? canary_host_ : stable_host_));
        }
        if (port) {
          yaml::Node pn = yaml::Node::Map({});
          pn.Set("number", Int(*port));
          d.Set("port", std::move(pn));
        }
        yaml::Node entry = yaml::Node::Map({});
        entry.Set("destination", std::move(d));
        entry.Set("weight", Int(canary ? c_.spec.weight : 100 - c_.spec.weight));
        dests.Push(std::move(entry));
      }
      route.Set("route", std::move(dests));
      return route;
    };
    if (ports.size() <= 1) {
      bool is_tcp = !ports.empty() && ports[0].tcp;
      (is_tcp ? tcp : http).Push(make_route(std::nullopt));
    } else {
      for (const auto& p : ports) (p.tcp ? tcp : http).Push(make_route(p.number));
    }
    // Mirror and A/B on the new http routes, as for patched ones.
    std::vector<yaml::Node> ab_rules;
    current_ns_ = svc_.ns;
    model::Resource fake = svc_;
    fake.kind = "VirtualService";
    fake.name = name;
    for (size_t i = 0; i < http.size(); ++i) {
      RETURN_IF_ERROR(PatchMirror(fake, "http[" + std::to_string(i) + "]", http.mutable_at(i)));
      if (!c_.spec.headers.empty() || !c_.spec.cookies.empty()) {
        std::string rule = ManagedRuleName(svc_.name);
        if (!ab_rules.empty()) rule += "-" + std::to_string(ab_rules.size() + 1);
        ab_rules.push_back(AbRule(http.at(i), rule));
      }
    }
    http.mutable_children().insert(http.mutable_children().begin(), ab_rules.begin(), ab_rules.end());
    if (tcp.size() && c_.spec.mirror_percent) c_.notes.push_back("mirroring applies to HTTP routes only; TCP ports are not mirrored");
    if (http.size()) spec.Set("http", std::move(http));
    if (tcp.size()) spec.Set("tcp", std::move(tcp));
    vs.Set("spec", std::move(spec));
    c_.ws.Create(std::move(vs), svc_.file);
    anchor_file_ = svc_.file;
    c_.notes.push_back("added VirtualService " + svc_.ns + "/" + name);
    return core::Status::Ok();
  }

  GeneratorContext& c_;
  const model::Resource& svc_;
  const model::Resource* dr_ = nullptr;
  std::string stable_subset_, canary_subset_;
  std::string stable_host_, canary_host_;
  std::string current_ns_;
  std::string anchor_file_;
  std::vector<std::pair<const model::Resource*, std::vector<SelectedRoute>>> selected_;
};

}  // namespace

std::vector<std::pair<std::string, int64_t>> IstioCurrentWeights(const model::Snapshot& snap, const ServiceInfo& info) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const model::Resource* vs : snap.OfKind(model::kinds::kVirtualService)) {
    if (!vs->spec) continue;
    for (const char* kind : kRouteKinds) {
      const yaml::Node* seq = vs->spec->Get(kind);
      if (!seq || !seq->IsSeq()) continue;
      for (const auto& route : seq->children()) {
        const yaml::Node* dests = route.Get("route");
        if (!dests || !dests->IsSeq()) continue;
        // A/B rules pin some users to one version; they say nothing about
        // which version is the stable one.
        if (IsManaged(route, info.service->name) || MatchesOnHeaders(route)) continue;
        for (const auto& d : dests->children()) {
          const yaml::Node* dest = d.Get("destination");
          std::string host = StringAt(dest, "host"), subset = StringAt(dest, "subset");
          int64_t w = d.Get("weight") ? d.Get("weight")->AsInt().value_or(0) : (dests->size() == 1 ? 100 : 0);
          if (HostIs(vs->ns, host, info.service->ns, info.service->name) && !subset.empty()) {
            out.emplace_back(subset, w);
          } else if (host.rfind(info.service->name + "-", 0) == 0) {
            out.emplace_back(core::Split(host, '.')[0].substr(info.service->name.size() + 1), w);
          }
        }
      }
    }
  }
  return out;
}

bool IsIstioSubsetName(const model::Snapshot& snap, const ServiceInfo& info, const std::string& name) {
  for (const model::Resource* dr : ServiceDestinationRules(snap, info)) {
    const yaml::Node* subsets = dr->spec->Get("subsets");
    if (!subsets || !subsets->IsSeq()) continue;
    for (const auto& s : subsets->children())
      if (StringAt(&s, "name") == name) return true;
  }
  return false;
}

core::Status GenerateIstio(GeneratorContext& c) { return IstioGenerator(c).Run(); }

}  // namespace meshctl::canary
