#include "lib/diag/sink.h"

namespace meshctl::diag {

void Attach(Diagnostic& d, const model::Resource& r, std::string_view field_path) {
  d.kind = r.kind;
  d.ns = r.ns;
  d.name = r.name;
  d.file = r.file;
  d.resource = &r;
  d.field_path = std::string(field_path);
  d.mark = r.from_cluster ? yaml::Mark{} : field_path.empty() ? r.start : r.Locate(field_path);
  d.from_cluster = r.from_cluster;
}

void DiagnosticSink::Report(std::string_view code, const model::Resource& r, std::string_view field_path,
                            std::vector<Arg> args) {
  Diagnostic d;
  d.code = std::string(code);
  const MessageType* m = FindMessage(code);
  d.severity = m ? m->level : Severity::kError;
  d.message = m ? FormatGo(m->tmpl, args) : std::string(code);
  Attach(d, r, field_path);
  diags_.push_back(std::move(d));
}

void DiagnosticSink::ReportText(std::string_view code, Severity severity, const model::Resource* r,
                                std::string_view field_path, std::string message) {
  Diagnostic d;
  d.code = std::string(code);
  d.severity = severity;
  d.message = std::move(message);
  if (r) Attach(d, *r, field_path);
  diags_.push_back(std::move(d));
}

}  // namespace meshctl::diag
