#include <catch2/catch.hpp>

#include "lib/model/loader.h"

using namespace meshctl;

namespace {

model::LoadResult Load(const std::string& path, const std::string& text, const std::string& ns = "") {
  io::InputSet in;
  in.files.push_back({path, text});
  model::LoadOptions opts;
  opts.default_namespace = ns;
  return model::LoadSnapshot(in, opts);
}

}  // namespace

TEST_CASE("resources get identity, namespace defaulting and indexes", "[model]") {
  auto r = Load("a.yaml",
                "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n---\n"
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bookinfo\n  labels: {istio-injection: enabled}\n",
                "default");
  REQUIRE(r.errors.empty());
  const auto& snap = r.snapshot;
  REQUIRE(snap.size() == 2);
  const auto* vs = snap.Find(model::kinds::kVirtualService, "default", "reviews");
  REQUIRE(vs);
  CHECK(vs->group == "networking.istio.io");
  CHECK(vs->version == "v1");
  CHECK(vs->namespace_defaulted);
  CHECK(vs->Origin() == "VirtualService default/reviews");
  const auto* ns = snap.Find(model::kinds::kNamespace, "", "bookinfo");
  REQUIRE(ns);  // cluster-scoped: no namespace even with a default
  CHECK(ns->Label("istio-injection") == "enabled");
  CHECK(ns->Origin() == "Namespace bookinfo");
  CHECK(snap.OfKind(model::kinds::kVirtualService).size() == 1);
  CHECK(snap.OfKindIn(model::kinds::kVirtualService, "other").empty());
}

TEST_CASE("kind: List items are expanded", "[model]") {
  auto r = Load("l.yaml",
                "apiVersion: v1\nkind: List\nitems:\n"
                "- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: x}\n"
                "- apiVersion: v1\n  kind: Service\n  metadata: {name: b, namespace: x}\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.snapshot.size() == 2);
  CHECK(r.snapshot.resources()[1].name == "b");
  CHECK(r.snapshot.resources()[1].list_index == 1);
  CHECK(r.snapshot.resources()[1].start.line == 7);
}

TEST_CASE("documents that are not objects with apiVersion and kind are errors", "[model]") {
  auto errs = [](const std::string& text) {
    auto r = Load("bad.yaml", text);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].ExitCode() == 65);
    return r.errors[0].message();
  };
  CHECK(errs("just a string\n") == "bad.yaml:1:1: expected an object with apiVersion and kind, found a string");
  CHECK(errs("- a\n- b\n") == "bad.yaml:1:1: expected an object with apiVersion and kind, found a list");
  CHECK(errs("kind: Service\nmetadata: {name: x}\n") == "bad.yaml:1:1: resource has no apiVersion");
  CHECK(errs("apiVersion: v1\nmetadata: {name: x}\n") == "bad.yaml:1:1: resource has no kind");
  CHECK(errs("apiVersion: v1\nkind: 7\n") == "bad.yaml:2:7: kind must be a string");
}

TEST_CASE("one bad document does not hide the others", "[model]") {
  auto r = Load("m.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n- x\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n");
  CHECK(r.errors.size() == 1);
  CHECK(r.snapshot.size() == 2);
}

TEST_CASE("empty and comment-only files hold no resources", "[model]") {
  auto r = Load("e.yaml", "# nothing here\n---\n");
  CHECK(r.errors.empty());
  CHECK(r.snapshot.size() == 0);
  CHECK(r.empty_files == std::vector<std::string>{"e.yaml"});
}

TEST_CASE("JSON manifests load with positions", "[model]") {
  auto r = Load("s.json", "{\"apiVersion\": \"v1\", \"kind\": \"Service\",\n \"metadata\": {\"name\": \"a\"}}");
  REQUIRE(r.errors.empty());
  REQUIRE(r.snapshot.size() == 1);
  CHECK(r.snapshot.resources()[0].Locate("metadata.name").line == 2);
}

TEST_CASE("Find names every resource, the first of two copies, and nothing else", "[model]") {
  std::string text;
  auto cm = [](const std::string& ns, const std::string& name, const std::string& v) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
           "\ndata: {v: \"" + v + "\"}\n---\n";
  };
  for (int i = 0; i < 3000; ++i) text += cm("ns-" + std::to_string(i % 7), "cm-" + std::to_string(i), "x");
  // Fields that run into each other the same way as a joined key would.
  text += cm("ab", "c", "1") + cm("a", "bc", "2");
  text += cm("ns-1", "cm-1", "second copy");
  text += "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cm-2\n  namespace: ns-2\n";
  auto r = Load("many.yaml", text);
  REQUIRE(r.errors.empty());
  const auto& snap = r.snapshot;
  for (int i = 0; i < 3000; ++i) {
    const auto* found = snap.Find(model::kinds::kConfigMap, "ns-" + std::to_string(i % 7), "cm-" + std::to_string(i));
    REQUIRE(found);
    REQUIRE(found->name == "cm-" + std::to_string(i));
  }
  CHECK(snap.Find(model::kinds::kConfigMap, "ns-1", "cm-1")->Find("data.v")->text() == "x");
  CHECK(snap.Find(model::kinds::kConfigMap, "ab", "c")->Find("data.v")->text() == "1");
  CHECK(snap.Find(model::kinds::kConfigMap, "a", "bc")->Find("data.v")->text() == "2");
  CHECK(snap.Find(model::kinds::kConfigMap, "ns-2", "cm-3") == nullptr);  // cm-3 is in ns-3
  CHECK(snap.Find(model::kinds::kConfigMap, "", "cm-0") == nullptr);
  CHECK(snap.Find(model::kinds::kSecret, "ns-2", "cm-2")->kind == "Secret");
  CHECK(snap.Find(model::kinds::kSecret, "ns-2", "cm-9") == nullptr);
  CHECK(model::Snapshot().Find(model::kinds::kSecret, "", "x") == nullptr);
}

// A resource's identity fields are views: they must not be able to take a temporary.
static_assert(!std::is_constructible_v<model::TextView, std::string&&>);
static_assert(!std::is_assignable_v<model::TextView&, std::string&&>);
static_assert(std::is_assignable_v<model::TextView&, const std::string&>);

TEST_CASE("identity fields stay valid after the input and the options are gone", "[model]") {
  model::LoadResult r;
  {
    std::string path = "manifests/deeply/nested/folder/reviews-virtualservice.yaml";
    std::string text =
        "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: reviews-route-for-all\n"
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a-service-with-a-long-name\n"
        "  namespace: explicit-namespace\n";
    r = Load(path, text, "a-defaulted-namespace-that-is-long");
    // Overwrite what the views could wrongly point at.
    path.assign(path.size(), 'x');
    text.assign(text.size(), 'x');
  }
  REQUIRE(r.errors.empty());
  REQUIRE(r.snapshot.size() == 2);
  const auto& vs = r.snapshot.resources()[0];
  CHECK(vs.api_version == "networking.istio.io/v1beta1");
  CHECK(vs.group == "networking.istio.io");
  CHECK(vs.version == "v1beta1");
  CHECK(vs.kind == "VirtualService");
  CHECK(vs.name == "reviews-route-for-all");
  CHECK(vs.ns == "a-defaulted-namespace-that-is-long");
  CHECK(vs.namespace_defaulted);
  CHECK(vs.file == "manifests/deeply/nested/folder/reviews-virtualservice.yaml");
  const auto& svc = r.snapshot.resources()[1];
  CHECK(svc.group.empty());
  CHECK(svc.version == "v1");
  CHECK(svc.ns == "explicit-namespace");
  CHECK(svc.FullName() == "explicit-namespace/a-service-with-a-long-name");
  CHECK(svc.Origin() == "Service explicit-namespace/a-service-with-a-long-name");
  // A copy of the snapshot's resources points at the same texts.
  model::Resource copy = svc;
  CHECK(copy.name.data() == svc.name.data());
}

TEST_CASE("KeepText keeps one copy of each text until exit", "[model]") {
  std::string_view a, b;
  {
    std::string text = "kept-text-" + std::to_string(12345);
    a = model::KeepText(text);
    b = model::KeepText(std::string("kept-text-12345"));
    text.assign(text.size(), 'x');
  }
  CHECK(a == "kept-text-12345");
  CHECK(a.data() == b.data());
}
