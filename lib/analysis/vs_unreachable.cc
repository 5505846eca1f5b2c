// VirtualService rules that can never match (IST0130) and matches that
// duplicate or are covered by an earlier one (IST0131), as Istio's
// VirtualService validation reports them to the schema analyzer
// (schema.ValidationAnalyzer.VirtualService): a rule after a match-less
// rule, a second match-less rule, a rule whose every match was seen before,
// a repeated match (compared as its JSON form, without `name`), and for
// http, a uri prefix match covered by an earlier, shorter prefix with the
// same port, method, authority, headers, query params and withoutHeaders.
#include <map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/core/strings.h"

namespace meshctl::analysis {

namespace {

// A canonical text of a match (Go's json.Marshal of the proto struct: fixed
// field order, empty fields omitted), optionally without `name`.
void Canonical(const yaml::Node& n, std::string& out) {
  if (n.IsMap()) {
    std::map<std::string, const yaml::Node*> sorted;
    for (size_t i = 0; i < n.size(); ++i) {
      const yaml::Node& v = n.ValueAt(i);
      if (v.IsNull() || ((v.IsMap() || v.IsSeq()) && v.size() == 0)) continue;
      if (v.IsScalar()) {
        std::string s = v.ToScalarString();
        if (s.empty() || s == "0" || s == "false") continue;
      }
      sorted[n.KeyAt(i).ToScalarString()] = &v;
    }
    out += '{';
    for (const auto& [k, v] : sorted) {
      out += core::GoQuote(k) + ':';
      Canonical(*v, out);
      out += ',';
    }
    out += '}';
  } else if (n.IsSeq()) {
    out += '[';
    for (const auto& c : n.children()) {
      Canonical(c, out);
      out += ',';
    }
    out += ']';
  } else {
    out += core::GoQuote(n.IsNull() ? "" : n.ToScalarString());
  }
}

std::string MatchKey(const yaml::Node& match, bool drop_name) {
  std::string out;
  if (drop_name && match.IsMap()) {
    yaml::Node copy = match;
    copy.Remove("name");
    Canonical(copy, out);
  } else {
    Canonical(match, out);
  }
  return out;
}

std::string ExactOrPrefix(const yaml::Node* m) {
  std::string e = Scalar(m, "exact"), p = Scalar(m, "prefix");
  if (!e.empty()) return "exact:" + e;
  if (!p.empty()) return "prefix:" + p;
  return "";
}

std::map<std::string, std::string> StringMatchMap(const yaml::Node* m) {
  std::map<std::string, std::string> out;
  if (m && m->IsMap())
    for (size_t i = 0; i < m->size(); ++i) out[m->KeyAt(i).ToScalarString()] = ExactOrPrefix(&m->ValueAt(i));
  return out;
}

struct PrefixMatch {
  std::string route;  // rule name ("\"name\"" or "#n")
  std::string match;  // match name
  std::string prefix;
  std::string port;
  std::string method, authority;
  std::map<std::string, std::string> headers, query, without;
  std::string path;
};

bool HasPrefix(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

bool MapCovered(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end()) return false;
    if (v != it->second && !HasPrefix(v, it->second)) return false;
  }
  return true;
}

bool Covered(const PrefixMatch& a, const PrefixMatch& b) {
  if (!HasPrefix(b.prefix, a.prefix)) return false;
  if (b.port != a.port) return false;
  if (a.method != b.method && !HasPrefix(a.method, b.method)) return false;
  if (a.authority != b.authority && !HasPrefix(a.authority, b.authority)) return false;
  return MapCovered(a.headers, b.headers) && MapCovered(a.query, b.query) && MapCovered(a.without, b.without);
}

class VirtualServiceUnreachableRulesAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.unreachable-rules", "schema.ValidationAnalyzer.VirtualService",
        "Checks for VirtualService rules and matches that can never be used",
        {model::kinds::kVirtualService},
        {"IST0130", "IST0131"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService))
      for (const char* kind : {"http", "tcp", "tls"}) AnalyzeRoutes(*vs, kind, sink);
  }

 private:
  static void AnalyzeRoutes(const model::Resource& vs, const std::string& kind, diag::DiagnosticSink& sink) {
    const yaml::Node* routes = vs.spec && vs.spec->IsMap() ? vs.spec->Get(kind) : nullptr;
    if (!routes || !routes->IsSeq()) return;
    bool http = kind == "http";
    auto route_name = [&](size_t i) {
      std::string name = http ? Scalar(&routes->at(i), "name") : "";
      return name.empty() ? "#" + std::to_string(i) : core::GoQuote(name);
    };
    std::map<std::string, size_t> seen;
    long empty_at = -1;
    std::vector<PrefixMatch> prefixes;
    for (size_t r = 0; r < routes->size(); ++r) {
      const yaml::Node& route = routes->at(r);
      if (route.IsNull()) continue;
      std::string rpath = "spec." + kind + "[" + std::to_string(r) + "]";
      const yaml::Node* matches = route.IsMap() ? route.Get("match") : nullptr;
      if (!matches || !matches->IsSeq() || matches->size() == 0) {
        if (empty_at >= 0)
          sink.Report("IST0130", vs, rpath, {route_name(r), std::string("only the last rule can have no matches")});
        empty_at = static_cast<long>(r);
        continue;
      }
      size_t dups = 0;
      for (size_t m = 0; m < matches->size(); ++m) {
        const yaml::Node& match = matches->at(m);
        std::string mpath = rpath + ".match[" + std::to_string(m) + "]";
        if (empty_at >= 0) {
          sink.Report("IST0130", vs, rpath, {route_name(r), std::string("route without matches defined before")});
          continue;
        }
        std::string key = MatchKey(match, http);
        auto it = seen.find(key);
        if (it != seen.end()) {
          std::string mname = http ? Scalar(&match, "name") : "";
          sink.Report("IST0131", vs, mpath,
                      {route_name(r), mname.empty() ? "#" + std::to_string(m) : core::GoQuote(mname),
                       route_name(it->second)});
          ++dups;
          continue;
        }
        seen[key] = r;
        if (!http || !match.IsMap()) continue;
        const yaml::Node* uri = match.Get("uri");
        std::string prefix = Scalar(uri, "prefix");
        if (!uri || prefix.empty()) continue;
        PrefixMatch pm;
        pm.route = route_name(r);
        std::string mname = Scalar(&match, "name");
        pm.match = mname.empty() ? "#" + std::to_string(m) : core::GoQuote(mname);
        pm.prefix = prefix;
        pm.port = Scalar(&match, "port");
        pm.method = ExactOrPrefix(match.Get("method"));
        if (pm.method.empty()) pm.method = "exact:GET";
        pm.authority = ExactOrPrefix(match.Get("authority"));
        pm.headers = StringMatchMap(match.Get("headers"));
        pm.query = StringMatchMap(match.Get("queryParams"));
        pm.without = StringMatchMap(match.Get("withoutHeaders"));
        pm.path = mpath;
        prefixes.push_back(std::move(pm));
      }
      if (dups == matches->size())
        sink.Report("IST0130", vs, rpath, {route_name(r), std::string("all matches used by prior rules")});
    }
    // Earlier shorter prefixes that cover later matches (pairs within one
    // VirtualService, as Istio).
    for (size_t a = 0; a < prefixes.size(); ++a)
      for (size_t b = a + 1; b < prefixes.size(); ++b) {
        if (prefixes[b].prefix == prefixes[a].prefix) continue;
        if (!Covered(prefixes[a], prefixes[b])) continue;
        sink.Report("IST0131", vs, prefixes[b].path,
                    {prefixes[b].route, prefixes[b].match + " of prefix " + prefixes[b].prefix,
                     prefixes[a].match + " of prefix " + prefixes[a].prefix + " on " + prefixes[a].route});
      }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewVirtualServiceUnreachableRulesAnalyzer() {
  return std::make_unique<VirtualServiceUnreachableRulesAnalyzer>();
}

}  // namespace meshctl::analysis
