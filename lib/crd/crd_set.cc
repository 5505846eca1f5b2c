#include "lib/crd/crd_set.h"

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/crd/schema_validator.h"
#include "lib/model/loader.h"

namespace meshctl::crd {

namespace {

constexpr std::string_view kCrdGroup = "apiextensions.k8s.io";
constexpr std::string_view kCrdKind = "CustomResourceDefinition";

std::string Key(std::string_view group, std::string_view kind) {
  std::string k(group);
  k += '/';
  k += kind;
  return k;
}

core::Status CrdError(const std::string& file, const yaml::Node& at, const std::string& msg) {
  return core::DataError(fmt::format("{}:{}:{}: invalid CustomResourceDefinition: {}", file, at.mark().line,
                                     at.mark().column, msg));
}

core::Result<std::string> RequiredString(const std::string& file, const yaml::Node& parent, std::string_view key,
                                         std::string_view where) {
  const yaml::Node* v = parent.Get(key);
  if (!v || !v->IsString() || v->text().empty())
    return CrdError(file, v ? *v : parent, fmt::format("{}.{} must be a non-empty string", where, key));
  return v->text();
}

void Report(diag::DiagnosticSink& sink, std::string_view code, const model::Resource& r, const std::string& locator,
            yaml::Mark mark, std::string message) {
  diag::Diagnostic d;
  d.code = std::string(code);
  const diag::MessageType* m = diag::FindMessage(code);
  d.severity = m ? m->level : diag::Severity::kError;
  d.message = m ? diag::FormatGo(m->tmpl, {std::move(message)}) : std::move(message);
  diag::Attach(d, r, locator);
  if (mark.known()) d.mark = mark;
  sink.Add(std::move(d));
}

}  // namespace

CrdSet::CrdSet() = default;
CrdSet::~CrdSet() = default;
CrdSet::CrdSet(CrdSet&&) noexcept = default;
CrdSet& CrdSet::operator=(CrdSet&&) noexcept = default;

std::string ObjectNameProblem(std::string_view name) {
  if (name.size() > 253) return "must be no more than 253 characters";
  // [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*
  bool ok = !name.empty();
  size_t label_start = 0;
  for (size_t i = 0; ok && i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      std::string_view label = name.substr(label_start, i - label_start);
      auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
      if (label.empty() || !alnum(label.front()) || !alnum(label.back())) ok = false;
      for (char c : label)
        if (!alnum(c) && c != '-') ok = false;
      label_start = i + 1;
    }
  }
  if (ok) return "";
  return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
         "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
}

core::Status CrdSet::AddFromSnapshot(const model::Snapshot& snap) {
  for (const auto& r : snap.resources()) {
    if (r.group != kCrdGroup || r.kind != kCrdKind || !r.root) continue;
    if (r.version != "v1") {
      const yaml::Node* av = r.root->Get("apiVersion");
      return CrdError(r.file, av ? *av : *r.root,
                      fmt::format("apiVersion {} is not supported (apiextensions.k8s.io/v1beta1 was removed in "
                                  "Kubernetes 1.22); convert the CRD to apiextensions.k8s.io/v1",
                                  r.api_version));
    }
    RETURN_IF_ERROR(AddCrd(*r.root, r.file));
  }
  return core::Status::Ok();
}

core::Status CrdSet::AddCrd(const yaml::Node& root, const std::string& file) {
  if (!root.IsMap()) return CrdError(file, root, "the document is not a map");
  auto crd = std::make_unique<Crd>();
  if (const yaml::Node* md = root.Get("metadata"); md && md->IsMap()) {
    if (const yaml::Node* n = md->Get("name"); n && n->IsString()) crd->name = n->text();
  }
  const yaml::Node* spec = root.Get("spec");
  if (!spec || !spec->IsMap()) return CrdError(file, spec ? *spec : root, "spec must be a map");
  ASSIGN_OR_RETURN(crd->group, RequiredString(file, *spec, "group", "spec"));
  const yaml::Node* names = spec->Get("names");
  if (!names || !names->IsMap()) return CrdError(file, names ? *names : *spec, "spec.names must be a map");
  ASSIGN_OR_RETURN(crd->kind, RequiredString(file, *names, "kind", "spec.names"));
  if (const yaml::Node* scope = spec->Get("scope"); scope && scope->IsString()) crd->scope = scope->text();
  bool preserve_root = false;
  if (const yaml::Node* p = spec->Get("preserveUnknownFields"); p && p->IsBool()) preserve_root = *p->AsBool();

  const yaml::Node* versions = spec->Get("versions");
  if (!versions || !versions->IsSeq() || versions->size() == 0)
    return CrdError(file, versions ? *versions : *spec, "spec.versions must be a non-empty list");
  for (size_t i = 0; i < versions->size(); ++i) {
    const yaml::Node& v = versions->at(i);
    std::string where = fmt::format("spec.versions[{}]", i);
    if (!v.IsMap()) return CrdError(file, v, where + " must be a map");
    Version ver;
    ASSIGN_OR_RETURN(ver.name, RequiredString(file, v, "name", where));
    for (const auto& earlier : crd->versions)
      if (earlier.name == ver.name)
        return CrdError(file, *v.Get("name"), fmt::format("{}.name: version {} is defined twice", where, ver.name));
    for (const auto& [key, dst] : {std::pair<const char*, bool*>{"served", &ver.served}, {"deprecated", &ver.deprecated}}) {
      const yaml::Node* b = v.Get(key);
      if (!b) continue;
      if (!b->IsBool()) return CrdError(file, *b, fmt::format("{}.{} must be a boolean", where, key));
      *dst = *b->AsBool();
    }
    if (const yaml::Node* w = v.Get("deprecationWarning"); w && w->IsString()) ver.deprecation_warning = w->text();
    const yaml::Node* schema = v.Get("schema");
    const yaml::Node* oas = schema && schema->IsMap() ? schema->Get("openAPIV3Schema") : nullptr;
    if (!oas) return CrdError(file, schema ? *schema : v, where + ".schema.openAPIV3Schema is required");
    ASSIGN_OR_RETURN(ver.schema, CompileSchema(*oas, file));
    if (preserve_root) ver.schema->preserve_unknown_fields = true;
    ver.schema->CountRules(ver.cel_rules, ver.cel_unsupported);
    crd->versions.push_back(std::move(ver));
  }
  by_gk_[Key(crd->group, crd->kind)] = std::move(crd);
  return core::Status::Ok();
}

core::Result<CrdSet> LoadCrdSet(const io::InputSet& inputs, std::vector<std::string>* notes) {
  // A file that does not parse is an error; a document that parses but is
  // no Kubernetes object (kustomize's `resources:` list without a kind) or
  // another kind is not a CRD: skipped with a note.
  for (const auto& f : inputs.files) {
    auto parsed = model::ParseManifest(f, {});
    if (!parsed.ok()) return parsed.status();
    for (const auto& d : *parsed) {
      const yaml::Node* kind = d.root.IsMap() ? d.root.Get("kind") : nullptr;
      const yaml::Node* api = d.root.IsMap() ? d.root.Get("apiVersion") : nullptr;
      bool is_crd = kind && kind->IsString() && kind->text() == kCrdKind && api && api->IsString() &&
                    api->text().rfind(std::string(kCrdGroup) + "/", 0) == 0;
      bool list = kind && kind->IsString() && kind->text().size() >= 4 &&
                  kind->text().compare(kind->text().size() - 4, 4, "List") == 0;
      if (is_crd || list || !notes) continue;
      std::string what = kind && kind->IsString() ? "a " + kind->text() : "not a Kubernetes object (no kind)";
      if (f.path.size() >= 18 && f.path.compare(f.path.size() - 18, 18, "kustomization.yaml") == 0 && !kind)
        what = "a kustomization file";
      notes->push_back(fmt::format("{}:{}: skipped, {} is not a CustomResourceDefinition", f.path,
                                   d.start.line ? d.start.line : 1, what));
    }
  }
  model::LoadResult loaded = model::LoadSnapshot(inputs, {});
  // Documents without apiVersion/kind were noted above; other load errors stand.
  for (const auto& e : loaded.errors) {
    const std::string& m = e.message();
    bool not_object = m.find("resource has no kind") != std::string::npos ||
                      m.find("resource has no apiVersion") != std::string::npos ||
                      m.find("expected an object with apiVersion and kind") != std::string::npos;
    if (!not_object) return e;
  }
  CrdSet set;
  RETURN_IF_ERROR(set.AddFromSnapshot(loaded.snapshot));
  if (set.size() == 0) {
    std::vector<std::string> paths;
    for (const auto& f : inputs.files) paths.push_back(f.path);
    return core::DataError(fmt::format("no apiextensions.k8s.io/v1 CustomResourceDefinition found in {}",
                                       paths.empty() ? std::string("the --crd inputs") : core::Join(paths, ", ")));
  }
  return set;
}

core::Result<CrdSet> LoadCrdSet(io::InputSource& source, std::vector<std::string>* notes) {
  ASSIGN_OR_RETURN(io::InputSet inputs, source.Read());
  return LoadCrdSet(inputs, notes);
}

bool CrdSet::Covers(std::string_view group, std::string_view kind) const {
  return by_gk_.count(Key(group, kind)) != 0;
}

CrdSet::Stats CrdSet::stats() const {
  Stats s;
  s.crds = by_gk_.size();
  for (const auto& [_, crd] : by_gk_) {
    s.versions += crd->versions.size();
    for (const auto& v : crd->versions) {
      s.cel_rules += v.cel_rules;
      s.cel_rules_unsupported += v.cel_unsupported;
    }
  }
  return s;
}

bool CrdSet::Validate(const model::Resource& r, diag::DiagnosticSink& sink) const {
  auto it = by_gk_.find(Key(r.group, r.kind));
  if (it == by_gk_.end()) return false;
  const Crd& crd = *it->second;

  const Version* ver = nullptr;
  std::vector<std::string> served;
  for (const auto& v : crd.versions) {
    if (v.served) served.push_back(v.name);
    if (v.name == r.version) ver = &v;
  }
  if (!ver || !ver->served) {
    Report(sink, "MSH0114", r, "apiVersion", {},
           fmt::format("no matches for kind {} in version {} (CustomResourceDefinition {} {} {})",
                       core::GoQuote(r.kind), core::GoQuote(r.api_version), crd.name,
                       ver ? "defines it but does not serve it; it serves" : "serves",
                       served.empty() ? std::string("no version") : core::Join(served, ", ")));
    return true;
  }
  if (ver->deprecated) {
    std::string text = ver->deprecation_warning.empty()
                           ? fmt::format("{}/{} {} is deprecated", crd.group, ver->name, crd.kind)
                           : ver->deprecation_warning;
    Report(sink, "MSH0115", r, "apiVersion", {}, text);
  }

  // ObjectMeta name rules.
  const yaml::Node* name = r.metadata ? r.metadata->Get("name") : nullptr;
  const yaml::Node* generate = r.metadata ? r.metadata->Get("generateName") : nullptr;
  if (!name || !name->IsString() || name->text().empty()) {
    if (!generate || !generate->IsString() || generate->text().empty())
      Report(sink, "MSH0116", r, "metadata.name", {}, "metadata.name: Required value: name or generateName is required");
  } else if (std::string why = ObjectNameProblem(name->text()); !why.empty()) {
    Report(sink, "MSH0116", r, "metadata.name", name->mark(),
           "metadata.name: Invalid value: " + core::GoQuote(name->text()) + ": " + why);
  }

  if (!r.root) return true;
  ValidationReport report;
  if (ver->schema->has_defaults) {
    // Defaults go into a copy: the snapshot stays as the user wrote it.
    yaml::Node defaulted = *r.root;
    ApplyDefaults(*ver->schema, defaulted);
    ValidateObject(*ver->schema, defaulted, report);
  } else {
    ValidateObject(*ver->schema, *r.root, report);
  }
  for (auto& v : report.violations) {
    std::string_view code = v.kind == Violation::Kind::kUnknownField ? "MSH0111"
                            : v.kind == Violation::Kind::kCel       ? "MSH0112"
                                                                    : "MSH0110";
    Report(sink, code, r, v.locator, v.mark, std::move(v.message));
  }
  if (report.cel_not_evaluated > 0) {
    Report(sink, "MSH0113", r, "", {},
           fmt::format("{} of {} x-kubernetes-validations rule evaluations skipped (outside the evaluated CEL "
                       "subset): {}",
                       report.cel_not_evaluated, report.cel_not_evaluated + report.cel_evaluated,
                       core::Join(report.unsupported_rules, "; ")));
  }
  return true;
}

}  // namespace meshctl::crd
