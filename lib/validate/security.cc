// Semantic validators of the security.istio.io kinds (spec §5.9-§5.11):
// AuthorizationPolicy, RequestAuthentication, PeerAuthentication. Messages
// are Istio's; every finding names the field it is about. The dry-run
// annotation rules (spec §3) run in the engine before these.
#include "lib/validate/kinds.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/strings.h"
#include "lib/validate/field_ref.h"
#include "lib/validate/go_net.h"
#include "lib/validate/helpers.h"
#include "lib/validate/schema.h"

namespace meshctl::validate {
namespace {

// ===================================================================== AuthorizationPolicy

enum ApAction { kAllow = 0, kDeny = 1, kAudit = 2, kCustom = 3 };
constexpr std::string_view kActionNames[] = {"ALLOW", "DENY", "AUDIT", "CUSTOM"};

// A rule field and the Go struct field name Istio's messages use.
struct NamedField {
  std::string_view json;
  std::string_view go;
};

constexpr NamedField kSourceFields[] = {
    {"principals", "Principals"},
    {"notPrincipals", "NotPrincipals"},
    {"requestPrincipals", "RequestPrincipals"},
    {"notRequestPrincipals", "NotRequestPrincipals"},
    {"namespaces", "Namespaces"},
    {"notNamespaces", "NotNamespaces"},
    {"ipBlocks", "IpBlocks"},
    {"notIpBlocks", "NotIpBlocks"},
    {"remoteIpBlocks", "RemoteIpBlocks"},
    {"notRemoteIpBlocks", "NotRemoteIpBlocks"},
    {"serviceAccounts", "ServiceAccounts"},
    {"notServiceAccounts", "NotServiceAccounts"},
    {"trustDomains", "TrustDomains"},
    {"notTrustDomains", "NotTrustDomains"},
};

constexpr NamedField kOperationFields[] = {
    {"hosts", "Hosts"}, {"notHosts", "NotHosts"}, {"ports", "Ports"}, {"notPorts", "NotPorts"},
    {"methods", "Methods"}, {"notMethods", "NotMethods"}, {"paths", "Paths"}, {"notPaths", "NotPaths"},
};

// Reports with the policy prefix Istio adds to every error.
class PolicyErrors {
 public:
  PolicyErrors(const model::Resource& r, Findings& out) : prefix_("invalid policy " + r.name + "." + r.ns + ": "), out_(out) {}
  // Collects unprefixed messages (for errors Istio nests in another message).
  explicit PolicyErrors(Findings& out) : out_(out) {}
  void Error(const std::string& path, const std::string& msg) { out_.Error(path, prefix_ + msg); }
  Findings& raw() { return out_; }

 private:
  std::string prefix_;
  Findings& out_;
};

// Each value is an IP or a CIDR (security.ValidateIPs).
void CheckIps(const FieldRef& list, PolicyErrors& errs, const std::string& prefix = "") {
  for (size_t i = 0; i < list.size(); ++i) {
    FieldRef item = list.At(i);
    std::string v = item.Str();
    std::string err;
    if (v.find('/') != std::string::npos) {
      if (!ParseGoPrefix(v, &err)) errs.Error(item.path(), prefix + "bad CIDR range (" + v + "): " + err);
    } else if (!ParseGoAddr(v, &err)) {
      errs.Error(item.path(), prefix + "bad IP address (" + v + ")");
    }
  }
}

// Go strconv.ParseUint(p, 10, 32) and the 65535 bound (security.ValidatePorts).
void CheckPorts(const FieldRef& list, PolicyErrors& errs, const std::string& prefix = "") {
  for (size_t i = 0; i < list.size(); ++i) {
    FieldRef item = list.At(i);
    std::string p = item.Str();
    std::string err = "<nil>";
    bool ok = !p.empty();
    for (char c : p)
      if (c < '0' || c > '9') ok = false;
    uint64_t v = 0;
    if (ok) {
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
      if (ec != std::errc() || v > 0xffffffffULL) {
        err = "strconv.ParseUint: parsing " + core::GoQuote(p) + ": value out of range";
        ok = false;
        v = 0;
        errs.Error(item.path(), prefix + "bad port (" + p + "): " + err);
        continue;
      }
    } else {
      err = "strconv.ParseUint: parsing " + core::GoQuote(p) + ": invalid syntax";
    }
    if (!ok || v > 65535) errs.Error(item.path(), prefix + "bad port (" + p + "): " + err);
  }
}

// First empty value (security.CheckEmptyValues).
void CheckEmpty(const FieldRef& list, std::string_view field, PolicyErrors& errs, const std::string& prefix = "") {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list.At(i).Str().empty()) {
      errs.Error(list.At(i).path(), prefix + "empty value not allowed, found in " + std::string(field));
      return;
    }
  }
}

// security.CheckServiceAccount; first problem only.
void CheckServiceAccounts(const FieldRef& list, std::string_view field, PolicyErrors& errs,
                          const std::string& prefix = "") {
  std::string f(field);
  if (list.size() > 16) {
    errs.Error(list.path(), prefix + "may not have more than 16 values");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    FieldRef item = list.At(i);
    std::string v = item.Str();
    std::string msg;
    if (v.empty()) {
      msg = "empty value not allowed, found in " + f;
    } else if (v.find('*') != std::string::npos) {
      msg = "wildcard not allowed, found in " + f;
    } else if (std::count(v.begin(), v.end(), '/') > 1) {
      msg = "expected format 'serviceAccount' or 'namespace/serviceAccount', found " + core::GoQuote(v) + " in " + f;
    } else if (v.size() > 320) {
      msg = "value cannot exceed 320 characters, found " + core::GoQuote(v) + " in " + f;
    } else if (size_t slash = v.find('/'); slash != std::string::npos) {
      if (slash == 0) {
        msg = "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace " +
              core::GoQuote(v) + " in " + f;
      } else if (slash + 1 == v.size()) {
        msg = "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount " +
              core::GoQuote(v) + " in " + f;
      }
    }
    if (!msg.empty()) {
      errs.Error(item.path(), prefix + msg);
      return;
    }
  }
}

// security.CheckTrustDomains; first problem only.
void CheckTrustDomains(const FieldRef& list, std::string_view field, PolicyErrors& errs,
                       const std::string& prefix = "") {
  std::string f(field);
  for (size_t i = 0; i < list.size(); ++i) {
    FieldRef item = list.At(i);
    std::string v = item.Str();
    std::string msg;
    size_t stars = std::count(v.begin(), v.end(), '*');
    if (v.empty()) {
      msg = "empty value not allowed, found in " + f;
    } else if (stars > 1) {
      msg = "at most one wildcard is allowed, found in " + f + ": " + core::GoQuote(v);
    } else if (stars == 1 && v.front() != '*' && v.back() != '*') {
      msg = "wildcard is only allowed at the start or end, found in " + f + ": " + core::GoQuote(v);
    } else if (v.find('/') != std::string::npos) {
      msg = "trust domain must not contain '/', found in " + f + ": " + core::GoQuote(v);
    }
    if (!msg.empty()) {
      errs.Error(item.path(), prefix + msg);
      return;
    }
  }
}

// RFC 3986 pchar literal, as Envoy's path template matcher accepts.
bool IsValidPathLiteral(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
              std::string_view("-._~%!$&'()+,;:@=").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// security.CheckValidPathTemplate; first problem only.
void CheckPathTemplates(const FieldRef& list, std::string_view field, PolicyErrors& errs) {
  for (size_t i = 0; i < list.size(); ++i) {
    FieldRef item = list.At(i);
    std::string raw = item.Str();
    bool has_template = raw.find("{*}") != std::string::npos || raw.find("{**}") != std::string::npos;
    std::string_view path = raw;
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    std::string shown(path);
    bool match_any = false;
    for (const std::string& glob : core::Split(path, '/')) {
      std::string head = "invalid or unsupported path " + shown + ", found in " + std::string(field) + ". ";
      if (glob == "{*}" && !match_any) continue;
      if (glob == "{**}" && !match_any) {
        match_any = true;
        continue;
      }
      if (match_any && (glob == "{**}" || glob == "{*}")) {
        errs.Error(item.path(), head + "{**} is not the last operator");
        return;
      }
      if (glob.find_first_of("{}") != std::string::npos) {
        errs.Error(item.path(), head + "Contains '{' or '}' beyond a supported path template");
        return;
      }
      if (has_template && !IsValidPathLiteral(glob)) {
        errs.Error(item.path(), head + "Contains segment " + glob + " with invalid string literal");
        return;
      }
    }
  }
}

// `a[b]` with a non-empty b.
bool IsMapKey(std::string_view key) {
  size_t open = key.find('[');
  return !key.empty() && key.back() == ']' && open != std::string_view::npos && open > 0 && open + 2 < key.size();
}

// Formats errors the way hashicorp/go-multierror prints a multierror that
// Istio embeds with %v: "1 error occurred:\n\t* msg\n\n".
std::string MultiErrorText(const std::vector<std::string>& errs) {
  std::string out = errs.size() == 1 ? "1 error occurred:\n" : std::to_string(errs.size()) + " errors occurred:\n";
  for (const auto& e : errs) out += "\t* " + e + "\n";
  return out + "\n";
}

// security.ValidateAttribute for one condition's values / notValues.
void CheckConditionValues(const std::string& key, const FieldRef& values, std::string_view what, PolicyErrors& errs) {
  std::string prefix = "invalid `" + std::string(what) + "` for `key` " + key + ": ";
  for (size_t i = 0; i < values.size(); ++i) {
    if (values.At(i).Str().empty()) {
      errs.Error(values.At(i).path(), prefix + "empty value not allowed, found in " + key);
      return;
    }
  }
  auto exact = [&](std::string_view k) { return key == k; };
  auto starts = [&](std::string_view p) { return key.rfind(p, 0) == 0; };
  auto map_key = [&] {
    if (!IsMapKey(key)) errs.Error(values.path(), prefix + "bad key (" + key + "): should have format a[b]");
  };
  // ValidateIPs / ValidatePorts return a multierror, printed whole.
  auto multi = [&](void (*check)(const FieldRef&, PolicyErrors&, const std::string&)) {
    Findings local;
    PolicyErrors collect(local);
    check(values, collect, "");
    std::vector<std::string> msgs;
    for (const auto& f : local.items()) msgs.push_back(f.message);
    if (!msgs.empty()) errs.Error(values.path(), prefix + MultiErrorText(msgs));
  };
  if (starts("request.headers") || starts("request.experimental.inline.headers")) {
    map_key();
  } else if (exact("source.ip") || exact("remote.ip") || exact("destination.ip")) {
    multi(&CheckIps);
  } else if (exact("source.namespace") || exact("source.principal") || exact("request.auth.principal") ||
             exact("request.auth.audiences") || exact("request.auth.presenter") || exact("connection.sni")) {
    // any non-empty value
  } else if (exact("source.serviceAccount")) {
    CheckServiceAccounts(values, key, errs, prefix);
  } else if (exact("source.trustDomain")) {
    CheckTrustDomains(values, key, errs, prefix);
  } else if (starts("request.auth.claims")) {
    map_key();
  } else if (exact("destination.port")) {
    multi(&CheckPorts);
  } else if (starts("experimental.envoy.filters.")) {
    map_key();
  } else if (exact("destination.namespace")) {
    errs.Error(values.path(), prefix + "attribute " + key + " is replaced by the metadata.namespace");
  } else if (starts("destination.labels")) {
    errs.Error(values.path(), prefix + "attribute " + key + " is replaced by the workload selector");
  } else if (exact("destination.name") || exact("destination.user")) {
    errs.Error(values.path(), prefix + "deprecated attribute " + key + ": only supported in v1alpha1");
  } else {
    errs.Error(values.path(), prefix + "unknown attribute: " + key);
  }
}

bool AnyNonEmpty(const FieldRef& m, std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields)
    if (m[f].NonEmpty()) return true;
  return false;
}

// A DENY rule Istio warns about: it only uses HTTP attributes, so on TCP
// ports (where those cannot be evaluated) it denies everything. Istio's
// test: (a source exists, no operation exists, and no source sets a TCP
// attribute) or (an operation exists and none sets ports/notPorts).
bool RuleUsesOnlyHttpAttributes(const FieldRef& rule) {
  bool from_exists = false, to_exists = false, tcp_in_from = false, tcp_in_to = false;
  FieldRef from = rule["from"];
  for (size_t i = 0; i < from.size(); ++i) {
    FieldRef src = from.At(i)["source"];
    if (!src.present()) continue;
    from_exists = true;
    for (std::string_view f : {"principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks",
                               "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts",
                               "trustDomains", "notTrustDomains"}) {
      if (src[f].NonEmpty()) tcp_in_from = true;
    }
  }
  FieldRef to = rule["to"];
  for (size_t i = 0; i < to.size(); ++i) {
    FieldRef op = to.At(i)["operation"];
    if (!op.present()) continue;
    to_exists = true;
    if (op["ports"].NonEmpty() || op["notPorts"].NonEmpty()) tcp_in_to = true;
  }
  return (from_exists && !to_exists && !tcp_in_from) || (to_exists && !tcp_in_to);
}

}  // namespace

void ValidateAuthorizationPolicy(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  FieldRef action_ref = spec["action"];
  int action = action_ref.Enum({"ALLOW", "DENY", "AUDIT", "CUSTOM"});

  PolicyErrors errs(r, out);
  {
    // Selector and targetRef problems carry the prefix too; the
    // "selector without labels" warning does not.
    Findings local;
    CheckOneSelector(spec.node(), local);
    CheckSelector(Present(spec["selector"]), spec["selector"].path(), local);
    CheckTargetRefs(spec.node(), local);
    for (const auto& f : local.items()) {
      if (f.warning)
        out.Warning(f.field_path, f.message);
      else
        errs.Error(f.field_path, f.message);
    }
  }

  FieldRef rules = spec["rules"];
  FieldRef provider = spec["provider"];
  if (action == kCustom) {
    if (!rules.NonEmpty()) {
      errs.Error(spec.path() + ".rules",
                 "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` "
                 "if you want it be triggered for every request");
    } else if (!provider.present() || provider["name"].Str().empty()) {
      errs.Error(provider.present() ? provider["name"].path() : spec.path() + ".provider",
                 "`provider.name` must not be empty");
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      FieldRef rule = rules.At(i);
      FieldRef from = rule["from"];
      for (size_t j = 0; j < from.size(); ++j) {
        FieldRef src = from.At(j)["source"];
        for (std::string_view f : {"namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts",
                                   "trustDomains", "notTrustDomains", "principals", "notPrincipals",
                                   "requestPrincipals", "notRequestPrincipals"}) {
          if (src[f].NonEmpty()) {
            std::string go(f);
            go[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(go[0])));
            errs.Error(src[f].path(), "From." + go + " is currently not supported with CUSTOM action");
          }
        }
      }
      FieldRef when = rule["when"];
      for (size_t j = 0; j < when.size(); ++j) {
        FieldRef cond = when.At(j);
        if (!cond.present()) {
          errs.Error(cond.path(), "when field cannot be nil");
          continue;
        }
        std::string key = cond["key"].Str();
        if (key == "source.namespace" || key == "source.serviceAccount" || key == "source.trustDomain" ||
            key == "source.principal" || key.rfind("request.auth.", 0) == 0) {
          errs.Error(cond["key"].path(), key + " is currently not supported with CUSTOM action");
        }
      }
    }
  }
  if (provider.present() && action != kCustom) {
    std::string name = action >= 0 && action < 4 ? std::string(kActionNames[action]) : std::to_string(action);
    errs.Error(provider.path(), "`provider` must not be with non CUSTOM action, found " + name);
  }
  if (action == kDeny && !rules.NonEmpty()) {
    errs.Error(spec.path() + ".rules",
               "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if "
               "you want it be triggered for every request");
  }

  for (size_t i = 0; i < rules.size(); ++i) {
    FieldRef rule = rules.At(i);
    std::string at = ", found at rule " + std::to_string(i);
    if (!rule.present()) {
      errs.Error(rule.path(), "`rule` must not be nil" + at);
      continue;
    }
    FieldRef from = rule["from"];
    for (size_t j = 0; j < from.size(); ++j) {
      FieldRef entry = from.At(j);
      if (!entry.present()) {
        errs.Error(entry.path(), "`from` must not be nil" + at);
        continue;
      }
      FieldRef src = entry["source"];
      if (!src.present()) {
        errs.Error(entry.path(), "`from.source` must not be nil" + at);
        continue;
      }
      if (AnyNonEmpty(src, {"principals", "notPrincipals", "namespaces", "notNamespaces"}) &&
          AnyNonEmpty(src, {"serviceAccounts", "notServiceAccounts"})) {
        errs.Error(src.path(), "cannot set serviceAccounts with namespaces or principals" + at);
      }
      bool any = false;
      for (const auto& f : kSourceFields) any = any || src[f.json].NonEmpty();
      if (!any) errs.Error(src.path(), "`from.source` must not be empty" + at);
      for (std::string_view f : {"ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"})
        CheckIps(src[f], errs);
      // Service accounts and trust domains have their own checks below.
      for (const auto& f : kSourceFields) {
        if (f.go.ends_with("ServiceAccounts") || f.go.ends_with("TrustDomains")) continue;
        CheckEmpty(src[f.json], f.go, errs);
      }
      CheckServiceAccounts(src["serviceAccounts"], "ServiceAccounts", errs);
      CheckServiceAccounts(src["notServiceAccounts"], "NotServiceAccounts", errs);
      CheckTrustDomains(src["trustDomains"], "TrustDomains", errs);
      CheckTrustDomains(src["notTrustDomains"], "NotTrustDomains", errs);
    }
    FieldRef to = rule["to"];
    for (size_t j = 0; j < to.size(); ++j) {
      FieldRef entry = to.At(j);
      if (!entry.present()) {
        errs.Error(entry.path(), "`to` must not be nil" + at);
        continue;
      }
      FieldRef op = entry["operation"];
      if (!op.present()) {
        errs.Error(entry.path(), "`to.operation` must not be nil" + at);
        continue;
      }
      bool any = false;
      for (const auto& f : kOperationFields) any = any || op[f.json].NonEmpty();
      if (!any) errs.Error(op.path(), "`to.operation` must not be empty" + at);
      CheckPorts(op["ports"], errs);
      CheckPorts(op["notPorts"], errs);
      for (std::string_view f : {"ports", "methods", "paths", "hosts", "notPorts", "notMethods", "notPaths", "notHosts"}) {
        for (const auto& nf : kOperationFields)
          if (nf.json == f) CheckEmpty(op[f], nf.go, errs);
      }
      CheckPathTemplates(op["paths"], "Paths", errs);
      CheckPathTemplates(op["notPaths"], "NotPaths", errs);
    }
    FieldRef when = rule["when"];
    for (size_t j = 0; j < when.size(); ++j) {
      FieldRef cond = when.At(j);
      std::string key = cond["key"].Str();
      if (key.empty()) {
        errs.Error(cond.present() ? cond["key"].path() : cond.path(), "`key` must not be empty");
        continue;
      }
      FieldRef values = cond["values"];
      FieldRef not_values = cond["notValues"];
      if (!values.NonEmpty() && !not_values.NonEmpty()) {
        errs.Error(cond.path(), "at least one of `values` or `notValues` must be set for key " + key);
        continue;
      }
      if (values.NonEmpty()) CheckConditionValues(key, values, "value", errs);
      if (not_values.NonEmpty()) CheckConditionValues(key, not_values, "notValue", errs);
    }
    if (action == kDeny && RuleUsesOnlyHttpAttributes(rule)) {
      out.Warning(rule.path(),
                  "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of "
                  "only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
    }
  }
}

// ===================================================================== RequestAuthentication

namespace {

// lestrrat-go/jwx jwk.Parse, reduced to what decides success: a JSON object
// that is a key (has "kty") or a set (`keys` array of keys). Returns "" on
// success, else the reason; `private_keys` gets the indexes of keys with
// private material.
std::string ParseJwks(const std::string& text, std::vector<size_t>* private_keys) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return std::string("failed to unmarshal JWK set: ") + e.what();
  }
  if (!doc.is_object()) return "failed to unmarshal JWK set: expected a JSON object";
  std::vector<const nlohmann::json*> keys;
  if (doc.contains("keys")) {
    if (!doc["keys"].is_array()) return "failed to unmarshal JWK set: field \"keys\" must be an array";
    for (const auto& k : doc["keys"]) keys.push_back(&k);
  } else {
    keys.push_back(&doc);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const nlohmann::json& k = *keys[i];
    if (!k.is_object()) return "failed to parse key #" + std::to_string(i) + ": expected a JSON object";
    if (!k.contains("kty") || !k["kty"].is_string())
      return "failed to parse key #" + std::to_string(i) + ": invalid key type from JSON ()";
    std::string kty = k["kty"].get<std::string>();
    auto need = [&](std::initializer_list<const char*> fields) -> std::string {
      for (const char* f : fields) {
        if (!k.contains(f) || !k[f].is_string())
          return "failed to parse key #" + std::to_string(i) + ": required field " + f + " is missing";
      }
      return "";
    };
    std::string err;
    bool priv = false;
    if (kty == "RSA") {
      err = need({"n", "e"});
      priv = k.contains("d");
    } else if (kty == "EC") {
      err = need({"crv", "x", "y"});
      priv = k.contains("d");
    } else if (kty == "OKP") {
      err = need({"crv", "x"});
      priv = k.contains("d");
    } else if (kty == "oct") {
      err = need({"k"});
      priv = true;
    } else {
      return "failed to parse key #" + std::to_string(i) + ": invalid key type from JSON (" + kty + ")";
    }
    if (!err.empty()) return err;
    if (priv && private_keys) private_keys->push_back(i);
  }
  return "";
}

void CheckJwksUri(const FieldRef& uri, Findings& out) {
  std::string v = uri.Str();
  if (v.empty()) return;
  std::string err;
  auto url = ParseGoUrl(v, false, &err);
  if (!url) {
    out.Error(uri.path(), err);
    return;
  }
  if (url->scheme != "http" && url->scheme != "https") {
    out.Error(uri.path(), "URI scheme " + core::GoQuote(url->scheme) + " is not supported");
    return;
  }
  if (!url->port.empty()) {
    int64_t p = 0;
    auto [ptr, ec] = std::from_chars(url->port.data(), url->port.data() + url->port.size(), p);
    if (ec != std::errc())
      out.Error(uri.path(), "strconv.Atoi: parsing " + core::GoQuote(url->port) + ": value out of range");
  }
}

}  // namespace

void ValidateRequestAuthentication(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  CheckOneSelector(spec.node(), out);
  CheckSelector(Present(spec["selector"]), spec["selector"].path(), out);
  CheckTargetRefs(spec.node(), out);

  FieldRef rules = spec["jwtRules"];
  for (size_t i = 0; i < rules.size(); ++i) {
    FieldRef rule = rules.At(i);
    if (!rule.present()) continue;
    FieldRef audiences = rule["audiences"];
    for (size_t j = 0; j < audiences.size(); ++j) {
      if (audiences.At(j).Str().empty()) out.Error(audiences.At(j).path(), "audience must be non-empty string");
    }
    if (rule["issuer"].Str().empty() && rule["jwksUri"].Str().empty())
      out.Error(rule.path(), "issuer or jwksUri must be non-empty string");
    CheckJwksUri(rule["jwksUri"], out);
    FieldRef jwks = rule["jwks"];
    if (!jwks.Str().empty()) {
      std::vector<size_t> priv;
      std::string err = ParseJwks(jwks.Str(), &priv);
      if (!err.empty()) {
        out.Error(jwks.path(), "jwks parse error: " + err);
      } else {
        for (size_t k : priv)
          out.Warning(jwks.path(), "jwks key at index " + std::to_string(k) +
                                       " contains private key material; only public keys are used for verification");
      }
    }
    FieldRef headers = rule["fromHeaders"];
    for (size_t j = 0; j < headers.size(); ++j) {
      FieldRef h = headers.At(j);
      if (!h.present())
        out.Error(h.path(), "location header name must be non-null");
      else if (h["name"].Str().empty())
        out.Error(h.path(), "location header name must be non-empty string");
    }
    FieldRef params = rule["fromParams"];
    for (size_t j = 0; j < params.size(); ++j)
      if (params.At(j).Str().empty()) out.Error(params.At(j).path(), "location query must be non-empty string");
    FieldRef cookies = rule["fromCookies"];
    for (size_t j = 0; j < cookies.size(); ++j)
      if (cookies.At(j).Str().empty()) out.Error(cookies.At(j).path(), "cookie name must be non-empty string");
    FieldRef claims = rule["outputClaimToHeaders"];
    for (size_t j = 0; j < claims.size(); ++j) {
      FieldRef c = claims.At(j);
      if (!c.present()) {
        out.Error(c.path(), "outputClaimToHeaders must not be null");
        continue;
      }
      std::string claim = c["claim"].Str();
      std::string header = c["header"].Str();
      if (claim.empty() || header.empty()) {
        out.Error(c.path(), "outputClaimToHeaders header and claim value must be non-empty string");
        continue;
      }
      if (!IsStrictHeaderName(header)) out.Error(c["header"].path(), "header name " + header + " is not a valid header name");
    }
    if (FieldRef timeout = rule["timeout"]; timeout.node() && timeout.node()->IsString()) {
      if (auto ns = ParseGoDuration(timeout.Str())) {
        if (std::string err = CheckDuration(*ns); !err.empty()) out.Error(timeout.path(), err);
      }
    }
  }
}

// ===================================================================== PeerAuthentication

void ValidatePeerAuthentication(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  FieldRef selector = spec["selector"];
  FieldRef port_level = spec["portLevelMtls"];
  bool empty_selector = !selector.present() || !selector["matchLabels"].NonEmpty();
  if (empty_selector && port_level.NonEmpty())
    out.Error(port_level.path(), "mesh/namespace peer authentication cannot have port level mTLS");
  if (port_level.IsMap() && port_level.size() == 0)
    out.Error(port_level.path(), "port level mTLS, if defined, must have at least one element");
  for (size_t i = 0; i < port_level.size() && port_level.IsMap(); ++i) {
    std::string key = port_level.KeyAt(i);
    uint64_t port = 0;
    auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), port);
    bool parsed = ec == std::errc() && ptr == key.data() + key.size() && !key.empty();
    // Keys that are not uint32 are the strict decoder's business.
    if (parsed && port <= 0xffffffffULL && (port < 1 || port > 65535))
      out.Error(port_level.ValueAt(i).path(), "port must be in range 1..65535");
  }
  CheckSelector(Present(selector), selector.path(), out);
}

}  // namespace meshctl::validate
