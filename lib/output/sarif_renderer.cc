// SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards)
// ingest: one run, one rule per message code seen, one result per finding.
#include <map>

#include <nlohmann/json.hpp>

#include "lib/core/version.h"
#include "lib/diag/catalog.h"
#include "lib/output/renderer.h"

namespace meshctl::output {

namespace {

std::string_view SarifLevel(diag::Severity s) {
  switch (s) {
    case diag::Severity::kError: return "error";
    case diag::Severity::kWarning: return "warning";
    case diag::Severity::kInfo: return "note";
  }
  return "error";
}

class SarifRenderer : public Renderer {
 public:
  explicit SarifRenderer(const RenderOptions& opts) : opts_(opts) {}

  void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const override {
    using nlohmann::ordered_json;
    std::map<std::string, size_t> rule_index;
    ordered_json rules = ordered_json::array();
    ordered_json results = ordered_json::array();
    for (const auto& d : diags) {
      auto [it, added] = rule_index.emplace(d.code, rules.size());
      if (added) {
        const diag::MessageType* m = diag::FindMessage(d.code);
        ordered_json rule;
        rule["id"] = d.code;
        if (m) rule["name"] = std::string(m->name);
        rule["shortDescription"] = {{"text", m ? std::string(m->description.empty() ? m->name : m->description)
                                               : d.code}};
        rule["helpUri"] = diag::DocumentationUrl(d.code);
        rule["defaultConfiguration"] = {{"level", SarifLevel(m ? m->level : d.severity)}};
        rules.push_back(std::move(rule));
      }
      ordered_json r;
      r["ruleId"] = d.code;
      r["ruleIndex"] = it->second;
      r["level"] = SarifLevel(d.severity);
      std::string text = d.message;
      if (d.has_resource()) text = "(" + d.Origin() + ") " + text;
      r["message"] = {{"text", text}};
      if (!d.file.empty() && d.file != "-") {
        ordered_json phys;
        phys["artifactLocation"] = {{"uri", SarifUri(d.file, opts_.sarif_root)}};
        if (d.mark.known()) phys["region"] = {{"startLine", d.mark.line}, {"startColumn", d.mark.column}};
        ordered_json loc;
        loc["physicalLocation"] = std::move(phys);
        if (d.has_resource()) {
          loc["logicalLocations"] = ordered_json::array(
              {{{"fullyQualifiedName", d.Origin() + (d.field_path.empty() ? "" : ":" + d.field_path)},
                {"kind", "resource"}}});
        }
        r["locations"] = ordered_json::array({std::move(loc)});
      } else if (d.from_cluster && d.has_resource()) {
        // A live object: no artifact, only the resource's name.
        ordered_json loc;
        loc["logicalLocations"] = ordered_json::array(
            {{{"fullyQualifiedName", d.Origin() + (d.field_path.empty() ? "" : ":" + d.field_path)},
              {"kind", "resource"}}});
        r["locations"] = ordered_json::array({std::move(loc)});
        r["properties"] = {{"source", "cluster"}};
        if (!d.cluster.empty()) r["properties"]["cluster"] = d.cluster;
      }
      results.push_back(std::move(r));
    }
    ordered_json doc;
    doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    doc["version"] = "2.1.0";
    ordered_json driver;
    driver["name"] = opts_.tool_name;
    driver["version"] = core::GetVersionInfo().version;
    driver["informationUri"] = "https://github.com/meshctl/meshctl";
    driver["rules"] = std::move(rules);
    doc["runs"] = ordered_json::array({{{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}}});
    out << doc.dump(2) << "\n";
  }

 private:
  RenderOptions opts_;
};

}  // namespace

std::unique_ptr<Renderer> MakeSarifRenderer(const RenderOptions& opts) { return std::make_unique<SarifRenderer>(opts); }

}  // namespace meshctl::output
