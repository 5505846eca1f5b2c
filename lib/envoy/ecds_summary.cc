// `proxy-config ecds`: ECDS NAME / TYPE, padding 5, sorted by (type, name),
// every EcdsConfigDump section merged.
#include <algorithm>

#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

constexpr std::string_view kTypePrefix = "type.googleapis.com/";

struct EcdsRow {
  std::string type_url;
  std::string name;
};

core::Result<std::vector<JsonView>> EcdsSections(const ConfigDump& dump) {
  std::vector<JsonView> sections = dump.Sections(type_url::kEcds);
  if (sections.empty()) return core::DataError(Cat("config dump has no configuration type ", type_url::kEcds));
  return sections;
}

}  // namespace

core::Result<nlohmann::ordered_json> SelectEcds(const ConfigDump& dump) {
  ASSIGN_OR_RETURN(std::vector<JsonView> sections, EcdsSections(dump));
  nlohmann::ordered_json filters = nlohmann::ordered_json::array();
  for (const auto& s : sections) {
    s["ecds_filters"].ForEach([&](JsonView f) { filters.push_back(ToNlohmann(f)); });
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["ecds_filters"] = std::move(filters);
  return out;
}

core::Status PrintEcdsSummary(const ConfigDump& dump, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<JsonView> sections, EcdsSections(dump));
  std::vector<EcdsRow> rows;
  for (const auto& s : sections) {
    s["ecds_filters"].ForEach([&](JsonView f) {
      JsonView filter = f["ecds_filter"];
      rows.push_back({std::string(filter["typed_config"]["@type"].Str()), std::string(filter["name"].Str())});
    });
  }
  std::stable_sort(rows.begin(), rows.end(), [](const EcdsRow& a, const EcdsRow& b) {
    if (a.type_url != b.type_url) return a.type_url < b.type_url;
    return a.name < b.name;
  });
  TabWriter w(5);
  w.Row({"ECDS NAME", "TYPE"});
  for (const auto& r : rows) {
    std::string type = r.type_url;
    if (type.rfind(kTypePrefix, 0) == 0) type = type.substr(kTypePrefix.size());
    w.Row({r.name, type});
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
