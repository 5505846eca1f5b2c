// How analyze loads its inputs: replaced copies dropped in place (the last copy
// kept, each identity reported once), the input text freed once parsed by the
// variant the commands use, and the label views that selector checks compare.
#include <catch2/catch.hpp>

#include "lib/analysis/engine.h"

namespace meshctl::analysis {
namespace {

std::string Service(const std::string& name, const std::string& port_name) {
  return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: default\nspec:\n" +
         "  selector:\n    app: " + name + "\n  ports:\n  - name: " + port_name + "\n    port: 80\n";
}

std::vector<const diag::Diagnostic*> WithCode(const AnalyzeResult& r, const std::string& code) {
  std::vector<const diag::Diagnostic*> out;
  for (const auto& d : r.diagnostics)
    if (d.code == code) out.push_back(&d);
  return out;
}

io::InputSet Copies() {
  io::InputSet in;
  // b is met first and copied three times; a twice, once inside a List; c once.
  in.files.push_back({"one.yaml", Service("b", "http-1") + "---\n" + Service("a", "http-1") + "---\n" +
                                      Service("c", "http") + "---\n" + Service("b", "http-2")});
  in.files.push_back({"two.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n"
                                  "  metadata: {name: a, namespace: default}\n  spec: {ports: [{name: http-2, port: 80}]}\n"
                                  "---\n" + Service("b", "http-3")});
  return in;
}

TEST_CASE("analyze keeps the last of several copies and lists every copy in load order",
          "[analysis][load]") {
  AnalyzeOptions opts;
  opts.all_namespaces = true;
  AnalyzeResult r = AnalyzeInputs(Copies(), opts);
  auto services = r.snapshot.OfKind(model::kinds::kService);
  REQUIRE(services.size() == 3);
  // Load order of the kept copies: c (one.yaml), then a (the List), then b (two.yaml).
  CHECK(services[0]->name == "c");
  CHECK(services[1]->name == "a");
  CHECK(services[1]->file == "two.yaml");
  CHECK(services[1]->list_index == 0);
  CHECK(services[2]->name == "b");
  CHECK(services[2]->file == "two.yaml");
  CHECK(services[2]->Find("spec.ports")->at(0).Get("name")->text() == "http-3");

  auto dup = WithCode(r, "MSH0206");
  REQUIRE(dup.size() == 2);
  // Reported on the kept copy, with every copy's position in load order (findings
  // are then sorted by position: a's kept copy comes first in two.yaml).
  CHECK(dup[0]->resource == services[1]);
  CHECK(dup[0]->message.find("(one.yaml:13, then two.yaml:4)") != std::string::npos);
  CHECK(dup[1]->resource == services[2]);
  CHECK(dup[1]->message.find("(one.yaml:1, one.yaml:37, then two.yaml:9)") != std::string::npos);
}

TEST_CASE("AnalyzeInputsReleasingText frees the text and finds what AnalyzeInputs finds", "[analysis][load]") {
  AnalyzeOptions opts;
  opts.all_namespaces = true;
  AnalyzeResult kept = AnalyzeInputs(Copies(), opts);
  io::InputSet in = Copies();
  AnalyzeResult released = AnalyzeInputsReleasingText(in, opts);
  REQUIRE(in.files.size() == 2);
  CHECK(in.files[0].path == "one.yaml");
  CHECK(in.files[0].content.empty());
  CHECK(in.files[0].content.capacity() <= std::string().capacity());
  CHECK(in.files[1].content.empty());
  REQUIRE(released.diagnostics.size() == kept.diagnostics.size());
  for (size_t i = 0; i < kept.diagnostics.size(); ++i) {
    CHECK(released.diagnostics[i].code == kept.diagnostics[i].code);
    CHECK(released.diagnostics[i].message == kept.diagnostics[i].message);
    CHECK(released.diagnostics[i].mark.line == kept.diagnostics[i].mark.line);
  }
  CHECK(released.snapshot.size() == kept.snapshot.size());
}

TEST_CASE("service.selector-no-workload compares labels as they are spelled for maps of strings",
          "[analysis][load]") {
  // Ints compare in their canonical form (0x10 is 16), nulls as "", a quoted "007" as
  // written; a workload in another namespace does not count; ExternalName is skipped.
  io::InputSet in;
  in.files.push_back({"sel.yaml",
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "metadata: {name: a, namespace: n1}\n"
      "spec:\n"
      "  template:\n"
      "    metadata:\n"
      "      labels: {app: a, version: 1, tier: 0x10, flag: true, empty: null}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata: {name: p, namespace: n2, labels: {app: p, \"007\": x}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s1, namespace: n1}\n"
      "spec: {selector: {app: a, version: \"1\"}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s2, namespace: n1}\n"
      "spec: {selector: {version: 1, tier: \"16\"}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s3, namespace: n2}\n"
      "spec: {selector: {app: a}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s4, namespace: n1}\n"
      "spec: {selector: {app: a, flag: \"true\", empty: \"\"}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s5, namespace: n2}\n"
      "spec: {selector: {\"007\": x}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s6, namespace: n2}\n"
      "spec: {selector: {app: p, zone: z}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s7, namespace: n2}\n"
      "spec: {type: ExternalName, selector: {app: nothing}}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: s8, namespace: n1}\n"
      "spec: {selector: {tier: 0x10}}\n"});
  AnalyzeOptions opts;
  opts.all_namespaces = true;
  AnalyzeResult r = AnalyzeInputs(in, opts);
  std::vector<std::string> reported;
  for (const auto* d : WithCode(r, "MSH0204")) reported.push_back(d->resource->name + " " + d->message);
  CHECK(reported == std::vector<std::string>{
                        "s3 Service n2/s3 selects no workload in the given files (selector app=a)",
                        "s6 Service n2/s6 selects no workload in the given files (selector app=p,zone=z)"});
}

}  // namespace
}  // namespace meshctl::analysis
