// JSON and YAML lists of findings. Keys are istioctl's (code,
// documentationUrl, level, message, origin, reference) plus meshctl's
// (column, fieldPath, file, line), all in alphabetical order as Go's
// encoding/json writes a map; tab indent and HTML escaping as istioctl.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "lib/diag/catalog.h"
#include "lib/output/renderer.h"
#include "lib/yaml/parser.h"

namespace meshctl::output {

namespace {

nlohmann::json ToJson(const diag::Diagnostic& d) {
  nlohmann::json j;  // std::map keys: alphabetical
  j["code"] = d.code;
  j["documentationUrl"] = diag::DocumentationUrl(d.code);
  j["level"] = std::string(diag::SeverityName(d.severity));
  j["message"] = d.message;
  if (d.has_resource()) {
    j["origin"] = d.Origin();
    std::string ref = d.Reference();
    if (!ref.empty()) j["reference"] = ref;
  }
  if (!d.file.empty()) j["file"] = d.file;
  if (d.mark.known()) {
    j["line"] = d.mark.line;
    j["column"] = d.mark.column;
  }
  if (!d.field_path.empty()) j["fieldPath"] = d.field_path;
  if (d.from_cluster) j["source"] = "cluster";  // read from the API server, no file
  if (!d.cluster.empty()) j["cluster"] = d.cluster;  // multi-cluster analysis: which one
  return j;
}

class JsonRenderer : public Renderer {
 public:
  void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const override {
    if (diags.empty()) {
      out << "[]\n";
      return;
    }
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& d : diags) arr.push_back(ToJson(d));
    out << GoStyleJsonEscape(arr.dump(1, '\t')) << "\n";
  }
};

// True when `s` written plain would not read back as the same string.
bool NeedsQuotes(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return true;
  if (yaml::ResolvePlainScalar(s) != yaml::NodeType::kString) return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) return true;
  return s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos || s.back() == ':';
}

// sigs.k8s.io/yaml style: sorted keys, scalars plain unless they would read
// back as something else, then single-quoted.
void EmitScalar(YAML::Emitter& e, const nlohmann::json& v) {
  if (v.is_number_integer()) {
    e << v.get<int64_t>();
    return;
  }
  const std::string s = v.get<std::string>();
  if (s.find('\n') != std::string::npos) {
    e << YAML::DoubleQuoted << s;
  } else if (NeedsQuotes(s)) {
    e << YAML::SingleQuoted << s;
  } else {
    e << s;
  }
}

class YamlRenderer : public Renderer {
 public:
  void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const override {
    if (diags.empty()) {
      out << "[]\n";
      return;
    }
    YAML::Emitter e;
    e << YAML::BeginSeq;
    for (const auto& d : diags) {
      e << YAML::BeginMap;
      const nlohmann::json j = ToJson(d);
      for (const auto& [k, v] : j.items()) {
        e << YAML::Key << k << YAML::Value;
        EmitScalar(e, v);
      }
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
    out << e.c_str() << "\n";
  }
};

}  // namespace

std::unique_ptr<Renderer> MakeJsonRenderer(const RenderOptions&) { return std::make_unique<JsonRenderer>(); }
std::unique_ptr<Renderer> MakeYamlRenderer(const RenderOptions&) { return std::make_unique<YamlRenderer>(); }

}  // namespace meshctl::output
