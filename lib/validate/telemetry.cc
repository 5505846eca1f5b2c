// Semantic validator of telemetry.istio.io Telemetry (spec §5.12),
// including the syntax of access-log filter expressions: Istio runs cel-go's
// parser only (no type check), and so does meshctl (cel_syntax.h).
#include "lib/validate/kinds.h"

#include "lib/validate/cel_syntax.h"
#include "lib/validate/field_ref.h"
#include "lib/validate/helpers.h"

namespace meshctl::validate {
namespace {

// Istio checks each metrics / tracing / accessLogging entry's providers and
// reports the first one without a name.
void CheckProviders(const FieldRef& providers, Findings& out) {
  for (size_t j = 0; j < providers.size(); ++j) {
    FieldRef p = providers.At(j);
    if (!p.present() || p["name"].Str().empty()) {
      out.Error(p.path(), "providers.name may not be empty");
      return;
    }
  }
}

void CheckMetrics(const FieldRef& spec, Findings& out) {
  FieldRef metrics = spec["metrics"];
  for (size_t i = 0; i < metrics.size(); ++i) {
    CheckProviders(metrics.At(i)["providers"], out);
    FieldRef overrides = metrics.At(i)["overrides"];
    for (size_t j = 0; j < overrides.size(); ++j) {
      FieldRef o = overrides.At(j);
      if (!o.present()) {
        out.Error(o.path(), "tagOverrides may not be null");
        continue;
      }
      FieldRef tags = o["tagOverrides"];
      for (size_t k = 0; k < tags.size() && tags.IsMap(); ++k) {
        FieldRef to = tags.ValueAt(k);
        if (tags.KeyAt(k).empty()) out.Warning(to.path(), "tagOverrides.name may not be empty");
        if (!to.present()) {
          out.Error(to.path(), "tagOverrides may not be null");
          continue;
        }
        int op = to["operation"].Enum({"UPSERT", "REMOVE"});
        std::string value = to["value"].Str();
        if (op == 0 && value.empty()) {
          out.Error(to.path(), "tagOverrides.value must be set when operation is UPSERT");
        } else if (op == 1 && !value.empty()) {
          out.Error(to["value"].path(), "tagOverrides.value may only be set when operation is UPSERT");
        }
      }
      FieldRef custom = o["match"]["customMetric"];
      if (custom.node() != nullptr && custom.node()->IsString() && custom.Str().empty())
        out.Error(custom.path(), "customMetric may not be empty");
    }
  }
}

void CheckTracing(const FieldRef& spec, Findings& out) {
  FieldRef tracing = spec["tracing"];
  if (tracing.size() > 1) out.Warning(tracing.path(), "multiple tracing is not currently supported");
  for (size_t i = 0; i < tracing.size(); ++i) {
    FieldRef t = tracing.At(i);
    if (!t.present()) continue;
    if (t["providers"].size() > 1) out.Warning(t["providers"].path(), "multiple providers is not currently supported");
    CheckProviders(t["providers"], out);
    FieldRef pct = t["randomSamplingPercentage"];
    if (pct.present()) {
      if (auto v = pct.Number(); v && (*v < 0 || *v > 100))
        out.Error(pct.path(), "randomSamplingPercentage must be in range [0.0, 100.0]");
    }
    FieldRef tags = t["customTags"];
    for (size_t k = 0; k < tags.size() && tags.IsMap(); ++k) {
      std::string name = tags.KeyAt(k);
      FieldRef tag = tags.ValueAt(k);
      if (name.empty()) out.Error(tag.path(), "tag name may not be empty");
      if (!tag.present()) {
        out.Error(tag.path(), "tag '" + name + "' may not have a nil value");
        continue;
      }
      if (FieldRef lit = tag["literal"]; lit.present()) {
        if (lit["value"].Str().empty()) out.Error(lit.path(), "literal tag value may not be empty");
      } else if (FieldRef h = tag["header"]; h.present()) {
        if (h["name"].Str().empty()) out.Error(h.path(), "header tag name may not be empty");
      } else if (FieldRef env = tag["environment"]; env.present()) {
        if (env["name"].Str().empty()) out.Error(env.path(), "environment tag name may not be empty");
      }
    }
  }
}

void CheckAccessLogFilters(const FieldRef& spec, Findings& out) {
  FieldRef logging = spec["accessLogging"];
  for (size_t i = 0; i < logging.size(); ++i) {
    FieldRef filter = logging.At(i)["filter"];
    if (filter.present()) {
      FieldRef expr = filter["expression"];
      std::string err = CheckCelSyntax(expr.Str());
      if (!err.empty()) out.Error(expr.path(), "must be a valid CEL expression, " + err);
    }
    CheckProviders(logging.At(i)["providers"], out);
  }
}

}  // namespace

void ValidateTelemetry(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  CheckOneSelector(spec.node(), out);
  CheckSelector(Present(spec["selector"]), spec["selector"].path(), out);
  CheckTargetRefs(spec.node(), out);
  CheckMetrics(spec, out);
  CheckTracing(spec, out);
  CheckAccessLogFilters(spec, out);
}

}  // namespace meshctl::validate
