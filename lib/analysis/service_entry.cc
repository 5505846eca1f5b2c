// serviceentry.Analyzer (Istio's ProtocolAddressesAnalyzer): a ServiceEntry
// without addresses that has TCP (or protocol-less) ports needs addresses
// unless they are auto-allocated (IST0134).
// serviceentry.ConflictingServiceEntryProtocolAnalyzer: ServiceEntries that
// share host and port in overlapping exportTo scopes with different
// protocols (IST0177).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class ProtocolAddressesAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "serviceentry.addresses", "serviceentry.Analyzer", "Checks the validity of ServiceEntry",
        {model::kinds::kServiceEntry, kMeshConfigKind},
        {"IST0134"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    bool auto_allocated = false;
    const yaml::Node* md = ctx.mesh_config ? Dig(ctx.mesh_config, {"defaultConfig", "proxyMetadata"}) : nullptr;
    if (Scalar(md, "ISTIO_META_DNS_CAPTURE") == "true")
      auto_allocated = Scalar(md, "ISTIO_META_DNS_AUTO_ALLOCATE") == "true" ||
                       Scalar(md, "PILOT_ENABLE_IP_AUTOALLOCATE") == "true";
    if (auto_allocated) return;
    for (const model::Resource* se : ctx.snapshot.OfKind(model::kinds::kServiceEntry)) {
      const yaml::Node* addrs = Dig(se, {"spec", "addresses"});
      if (addrs && addrs->IsSeq() && addrs->size() > 0) continue;
      const yaml::Node* st = Dig(se, {"status", "addresses"});
      if (st && st->IsSeq() && st->size() > 0) continue;
      const yaml::Node* ports = Dig(se, {"spec", "ports"});
      if (!ports || !ports->IsSeq()) continue;
      for (size_t i = 0; i < ports->size(); ++i) {
        std::string proto = Scalar(&ports->at(i), "protocol");
        if (proto.empty() || Upper(proto) == "TCP")
          sink.Report("IST0134", *se, ScalarPathOrStart(*se, "spec.ports[" + std::to_string(i) + "].name"), {});
      }
    }
  }
};

class ConflictingServiceEntryProtocolAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "serviceentry.conflicting-protocol", "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
        "Checks if multiple ServiceEntries define the same host and port with different protocols",
        {model::kinds::kServiceEntry},
        {"IST0177"}};
    return m;
  }

  struct Entry {
    std::string protocol;
    const model::Resource* se;
  };

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // (scope, host, port) -> entries, sorted for a stable order.
    std::map<std::tuple<std::string, std::string, int64_t>, std::vector<Entry>> index;
    for (const model::Resource* se : ctx.snapshot.OfKind(model::kinds::kServiceEntry)) {
      std::vector<std::string> export_to = ScalarList(Dig(se, {"spec", "exportTo"}));
      std::set<std::string> scopes;
      if (export_to.empty() || std::find(export_to.begin(), export_to.end(), "*") != export_to.end()) {
        scopes.insert("*");
      } else {
        for (const auto& e : export_to) scopes.insert(e == "." ? std::string(se->ns) : e);
      }
      const yaml::Node* ports = Dig(se, {"spec", "ports"});
      for (const auto& scope : scopes)
        for (const auto& h : ScalarList(Dig(se, {"spec", "hosts"})))
          if (ports && ports->IsSeq())
            for (const auto& p : ports->children()) {
              int64_t n = p.IsMap() && p.Get("number") ? p.Get("number")->AsInt().value_or(0) : 0;
              index[{scope, h, n}].push_back({Scalar(&p, "protocol"), se});
            }
    }
    std::set<const model::Resource*> reported;
    for (const auto& [key, base] : index) {
      const auto& [scope, host, port] = key;
      std::vector<Entry> entries = base;
      if (scope != "*")
        if (auto it = index.find({"*", host, port}); it != index.end())
          entries.insert(entries.end(), it->second.begin(), it->second.end());
      std::set<std::string> protocols;
      for (const auto& e : entries) protocols.insert(Upper(e.protocol));
      if (protocols.size() < 2) continue;
      std::set<std::string> names;
      for (const auto& e : entries) names.insert(e.se->FullName());
      std::string names_str, protos_str;
      for (const auto& n : names) names_str += (names_str.empty() ? "" : ", ") + n;
      for (const auto& p : protocols) protos_str += (protos_str.empty() ? "" : ", ") + p;
      for (const auto& e : entries)
        if (reported.insert(e.se).second)
          sink.Report("IST0177", *e.se, "metadata.name", {names_str, host, port, protos_str});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewProtocolAddressesAnalyzer() { return std::make_unique<ProtocolAddressesAnalyzer>(); }
std::unique_ptr<Analyzer> NewConflictingServiceEntryProtocolAnalyzer() {
  return std::make_unique<ConflictingServiceEntryProtocolAnalyzer>();
}

}  // namespace meshctl::analysis
