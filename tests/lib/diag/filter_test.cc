#include <catch2/catch.hpp>

#include "lib/diag/catalog.h"
#include "lib/diag/filter.h"
#include "lib/model/loader.h"

using namespace meshctl;
using diag::Diagnostic;
using diag::Severity;

namespace {

Diagnostic Make(const std::string& code, Severity s, const std::string& kind, const std::string& ns,
                const std::string& name, unsigned line = 1) {
  Diagnostic d;
  d.code = code;
  d.severity = s;
  d.kind = kind;
  d.ns = ns;
  d.name = name;
  d.message = "m " + code;
  d.file = "f.yaml";
  d.mark = {line, 1};
  return d;
}

}  // namespace

TEST_CASE("suppress rules parse as istioctl's -S", "[diag]") {
  auto r = diag::ParseSuppressRule("IST0102=Namespace frod");
  REQUIRE(r.ok());
  CHECK(r->code == "IST0102");
  CHECK(r->glob == "Namespace frod");
  for (const char* bad : {"IST0102", "=x", "IST0102=", "a=b=c"}) {
    auto e = diag::ParseSuppressRule(bad);
    CHECK_FALSE(e.ok());
    CHECK(e.status().ExitCode() == 64);
  }
}

TEST_CASE("filter: namespace, suppressions, order, duplicates", "[diag]") {
  std::vector<Diagnostic> in = {
      Make("IST0118", Severity::kInfo, "Service", "default", "a", 3),
      Make("IST0101", Severity::kError, "VirtualService", "default", "b", 9),
      Make("IST0101", Severity::kError, "VirtualService", "other", "c", 2),
      Make("IST0102", Severity::kInfo, "Namespace", "", "default", 1),
      Make("IST0102", Severity::kInfo, "Namespace", "", "other", 1),
      Make("MSH0002", Severity::kWarning, "Deployment", "default", "d", 4),
      Make("MSH0002", Severity::kWarning, "Deployment", "default", "d", 4),  // duplicate
  };
  diag::FilterOptions opts;
  opts.namespace_filter = "default";
  opts.suppressions.push_back({"IST0118", "Service default/*"});
  auto out = diag::FilterDiagnostics(in, opts);
  std::vector<std::string> got;
  for (const auto& d : out) got.push_back(d.ToString());
  CHECK(got == std::vector<std::string>{
                   "Error [IST0101] (VirtualService default/b f.yaml:9) m IST0101",
                   "Warning [MSH0002] (Deployment default/d f.yaml:4) m MSH0002",
                   "Info [IST0102] (Namespace default f.yaml:1) m IST0102",
               });
  CHECK(diag::AnyAtOrAbove(out, Severity::kError));
  CHECK(diag::AtOrAbove(out, Severity::kWarning).size() == 2);
}

TEST_CASE("the suppression annotation is honoured", "[diag]") {
  io::InputSet files;
  files.files.push_back({"a.yaml",
                         "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n"
                         "    galley.istio.io/analyze-suppress: IST0118,IST0150\n---\n"
                         "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  annotations:\n"
                         "    galley.istio.io/analyze-suppress: '*'\n---\n"
                         "apiVersion: v1\nkind: Service\nmetadata:\n  name: c\n  annotations:\n"
                         "    galley.istio.io/analyze-suppress: IST0150, IST0118\n"});
  auto loaded = model::LoadSnapshot(files, {});
  std::vector<Diagnostic> in;
  for (const auto& r : loaded.snapshot.resources()) {
    Diagnostic d = Make("IST0118", Severity::kInfo, "Service", "", r.name);
    d.resource = &r;
    in.push_back(d);
  }
  auto out = diag::FilterDiagnostics(in, {});
  REQUIRE(out.size() == 1);  // " IST0118" with a space is not trimmed, as istioctl
  CHECK(out[0].name == "c");
}

TEST_CASE("Go printf rendering of catalog templates", "[diag]") {
  CHECK(diag::FormatGo("Referenced %s not found: %q", {std::string("host"), std::string("a\"b")}) ==
        "Referenced host not found: \"a\\\"b\"");
  CHECK(diag::FormatGo("%v and %v", {std::vector<std::string>{"a", "b"}, std::vector<int64_t>{80, 443}}) ==
        "[a b] and [80 443]");
  CHECK(diag::FormatGo("%d%%", {int64_t{5}}) == "5%");
  CHECK(diag::FormatGo("%s %s", {std::string("x")}) == "x %!s(MISSING)");
}

TEST_CASE("the catalog is sorted, unique and has Istio's texts", "[diag]") {
  const auto& all = diag::AllMessages();
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].code < all[i].code);
  const auto* m = diag::FindMessage("IST0118");
  REQUIRE(m);
  CHECK(m->name == "PortNameIsNotUnderNamingConvention");
  CHECK(m->level == Severity::kInfo);
  CHECK(diag::FindMessage("IST0117")->retired);
  CHECK(diag::FindMessage("IST9999") == nullptr);
  CHECK(diag::DocumentationUrl("IST0101") ==
        "https://istio.io/v1.30/docs/reference/config/analysis/ist0101/?ref=istioctl-analyze");
}
