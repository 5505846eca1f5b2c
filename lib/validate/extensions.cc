// Semantic validators of the extensions.istio.io kinds (spec §5.13, §5.15):
// WasmPlugin and TrafficExtension, which share the Wasm module checks.
#include "lib/validate/kinds.h"

#include <set>
#include <string>

#include "lib/validate/field_ref.h"
#include "lib/validate/go_net.h"
#include "lib/validate/helpers.h"

namespace meshctl::validate {
namespace {

// Istio's strictParseURL: ParseRequestURI, retried with an `http://`
// prefix; then url.Parse must accept it too.
void CheckWasmUrl(const FieldRef& url_ref, const FieldRef& where_missing, Findings& out) {
  std::string url = url_ref.Str();
  if (url.empty()) {
    out.Error(url_ref.present() ? url_ref.path() : where_missing.path(), "url field needs to be set");
    return;
  }
  std::string err;
  std::optional<GoUrl> parsed = ParseGoUrl(url, true, &err);
  std::string strict_err;
  if (!parsed) {
    std::string prefixed = "http://" + url;
    std::string retry_err;
    parsed = ParseGoUrl(prefixed, true, &retry_err);
    if (!parsed) {
      out.Error(url_ref.path(), "failed to parse url: " + err);
      return;
    }
    if (!ParseGoUrl(prefixed, false, &strict_err)) {
      out.Error(url_ref.path(), "failed to strict parse url: " + strict_err);
      return;
    }
  } else if (!ParseGoUrl(url, false, &strict_err)) {
    out.Error(url_ref.path(), "failed to strict parse url: " + strict_err);
    return;
  }
  static const std::set<std::string> kSchemes = {"", "file", "http", "https", "oci"};
  if (!kSchemes.count(parsed->scheme)) out.Error(url_ref.path(), "url contains unsupported scheme: " + parsed->scheme);
}

void CheckSha(const FieldRef& sha, Findings& out) {
  std::string v = sha.Str();
  if (v.empty()) return;
  if (v.size() != 64) {
    out.Error(sha.path(), "sha256 field must be 64 characters long");
    return;
  }
  for (char c : v) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      out.Error(sha.path(), "sha256 field must match [a-f0-9]{64} pattern");
      return;
    }
  }
}

void CheckVmConfig(const FieldRef& vm, Findings& out) {
  FieldRef env = vm["env"];
  std::set<std::string> seen;
  for (size_t i = 0; i < env.size(); ++i) {
    FieldRef e = env.At(i);
    if (!e.present()) continue;
    std::string name = e["name"].Str();
    if (name.empty()) {
      out.Error(e.path(), "spec.vmConfig.env invalid");
      return;
    }
    if (name.size() > 256) {
      out.Error(e["name"].path(), "env.name field must be less than 255 characters long");
      return;
    }
    if (!seen.insert(name).second) {
      out.Error(e["name"].path(), "duplicate env");
      return;
    }
    int from = e["valueFrom"].Enum({"INLINE", "HOST"});
    if (from != 0 && !e["value"].Str().empty()) {
      out.Error(e["value"].path(), "value may only be set when valueFrom is INLINE");
      return;
    }
  }
}

// Istio decodes with the legacy jsonpb, which reads a null list element of
// a message type as an empty message, not as nil: `match: [null]` is one
// empty selector (accepted) and `ports: [null]` a port numbered 0. The
// "is nil" errors of Istio's validateTrafficExtensionMatch can only come from
// Go callers, never from YAML or JSON.
void CheckMatch(const FieldRef& match, Findings& out) {
  for (size_t i = 0; i < match.size(); ++i) {
    FieldRef sel = match.At(i);
    std::string at = "spec.Match[" + std::to_string(i) + "]";
    if (!sel.present()) continue;  // an empty selector
    FieldRef ports = sel["ports"];
    for (size_t j = 0; j < ports.size(); ++j) {
      FieldRef p = ports.At(j);
      std::string pat = at + ".Ports[" + std::to_string(j) + "]";
      int64_t n = p.present() ? p["number"].Int().value_or(0) : 0;
      if (n <= 0 || n > 65535) {
        out.Error(p.path(), pat + " is out of range: " + std::to_string(n));
        return;
      }
    }
  }
}

// Module checks shared by WasmPlugin and TrafficExtension.wasm.
void CheckWasmModule(const FieldRef& m, const FieldRef& where_missing, std::string_view plugin_name_msg,
                     Findings& out) {
  CheckWasmUrl(m["url"], where_missing, out);
  CheckSha(m["sha256"], out);
  if (m["imagePullSecret"].Str().size() > 253)
    out.Error(m["imagePullSecret"].path(), "imagePullSecret field must be less than 253 characters long");
  if (m["pluginName"].Str().size() > 256) out.Error(m["pluginName"].path(), std::string(plugin_name_msg));
  CheckVmConfig(m["vmConfig"], out);
}

}  // namespace

void ValidateWasmPlugin(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  CheckOneSelector(spec.node(), out);
  CheckSelector(Present(spec["selector"]), spec["selector"].path(), out);
  CheckTargetRefs(spec.node(), out);
  CheckWasmModule(spec, spec, "pluginName field must be less than 255 characters long", out);
  CheckMatch(spec["match"], out);
}

void ValidateTrafficExtension(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  FieldRef wasm = spec["wasm"];
  FieldRef lua = spec["lua"];
  if (wasm.present() == lua.present()) {
    out.Error(spec.path(), "exactly one of wasm or lua must be set");
  }
  CheckOneSelector(spec.node(), out);
  CheckSelector(Present(spec["selector"]), spec["selector"].path(), out);
  CheckTargetRefs(spec.node(), out);
  if (lua.present()) {
    std::string code = lua["inlineCode"].Str();
    if (code.empty()) {
      out.Error(lua.path(), "lua.inlineCode cannot be empty");
    } else if (code.size() > 65536) {
      out.Error(lua["inlineCode"].path(), "lua.inlineCode exceeds maximum size of 64KB");
    }
  }
  if (wasm.present()) CheckWasmModule(wasm, wasm, "pluginName field must be less than 256 characters long", out);
  CheckMatch(spec["match"], out);
}

}  // namespace meshctl::validate
