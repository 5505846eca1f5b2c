// What a per-kind validator produces: Istio's validation messages (errors
// reject the resource, warnings do not), each with the field path it is
// about, so meshctl can print file:line:col next to Istio's exact text.
//
// A kind validator is a function
//   void Validate<Kind>(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// that reads r.spec / r.metadata and appends findings. Field paths are
// rooted at the object: "spec.http[0].route[1].weight".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lib/model/resource.h"

namespace meshctl::validate {

struct Finding {
  bool warning = false;
  std::string field_path;  // "" = the resource as a whole
  std::string message;     // Istio's text, verbatim
  // Explicit position (e.g. of a strict-decoding error); when unknown the
  // engine resolves field_path instead.
  yaml::Mark mark;
  // Istio's AnalysisAwareError (unreachable rule, ineffective match): the
  // schema analyzer reports these as IST0130/IST0131, not as IST0133.
  bool analysis_aware = false;
};

class Findings {
 public:
  void Error(std::string field_path, std::string message) {
    items_.push_back({false, std::move(field_path), std::move(message), {}});
  }
  void Warning(std::string field_path, std::string message) {
    items_.push_back({true, std::move(field_path), std::move(message), {}});
  }
  // A warning Istio raises as an AnalysisAwareError (see Finding).
  void AnalysisWarning(std::string field_path, std::string message) {
    items_.push_back({true, std::move(field_path), std::move(message), {}, true});
  }
  // A finding with an explicit position.
  void Add(Finding f) { items_.push_back(std::move(f)); }
  const std::vector<Finding>& items() const { return items_; }
  bool has_errors() const {
    for (const auto& f : items_)
      if (!f.warning) return true;
    return false;
  }
  size_t size() const { return items_.size(); }

 private:
  std::vector<Finding> items_;
};

struct ValidateContext {
  // `--istioNamespace`: Service/Deployment checks skip this namespace.
  std::string istio_namespace = "istio-system";
  // The namespace a resource without one is validated in (`-n`, else
  // "default"); matters for exportTo checks.
  std::string default_namespace = "default";
};

using KindValidator = void (*)(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
