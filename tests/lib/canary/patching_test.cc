// Patching existing routing: for real-world-shaped inputs
// (testdata/canary/patching), the change is exactly the intended weights
// and added destinations/subsets. Checked structurally: the intended parts
// are asserted field by field, then put back to their old value, and the
// whole object must then equal the input (Node::Equals: every other route,
// match, retry, timeout, header rule, field and key order).
#include <catch2/catch.hpp>

#include "lib/canary/canary.h"
#include "lib/canary/server_fields.h"
#include "lib/io/files.h"
#include "lib/yaml/parser.h"

using namespace meshctl;
using canary::CanaryResult;
using canary::CanarySpec;

namespace {

const std::string kBase = "testdata/canary/base";
const std::string kP = "testdata/canary/patching/";

io::InputSet Inputs(const std::vector<std::string>& paths) {
  std::istringstream none;
  auto in = io::ReadInputs(paths, none);
  REQUIRE(in.ok());
  return std::move(in).value();
}

CanarySpec Spec(const std::string& service, int weight) {
  CanarySpec s;
  s.service = service;
  s.ns = "bookinfo";
  s.weight = weight;
  return s;
}

CanaryResult Run(const io::InputSet& inputs, const CanarySpec& spec) {
  auto r = canary::RunCanary(inputs, spec);
  INFO((r.ok() ? "" : r.status().message()));
  REQUIRE(r.ok());
  for (const auto& d : r->findings) INFO(d.ToString());
  CHECK_FALSE(r->has_errors);
  return std::move(r).value();
}

std::vector<yaml::Document> ParseText(const std::string& text, const std::string& name) {
  auto docs = yaml::ParseYamlStream(text, name);
  REQUIRE(docs.ok());
  return std::move(docs).value();
}

const yaml::Node* Doc(const std::vector<yaml::Document>& docs, const std::string& kind, const std::string& name) {
  for (const auto& d : docs) {
    const yaml::Node* k = d.root.Get("kind");
    const yaml::Node* n = d.root.Find("metadata.name");
    if (k && n && k->text() == kind && n->text() == name) return &d.root;
  }
  return nullptr;
}

const canary::FileChange* FileOf(const CanaryResult& r, const std::string& path) {
  for (const auto& f : r.files)
    if (f.path == path) return &f;
  return nullptr;
}

yaml::Node* MutableFind(yaml::Node& root, const std::string& path) {
  yaml::Node* cur = &root;
  for (const auto& seg : yaml::SplitFieldPath(path)) {
    if (seg.front() == '[') {
      size_t i = std::stoul(seg.substr(1));
      if (!cur->IsSeq() || i >= cur->size()) return nullptr;
      cur = &cur->mutable_at(i);
    } else {
      cur = cur->GetMutable(seg);
      if (!cur) return nullptr;
    }
  }
  return cur;
}

// The object before and after, as parsed from the input and output texts.
struct BeforeAfter {
  std::vector<yaml::Document> before_docs, after_docs;
  const yaml::Node* before = nullptr;
  yaml::Node after;
};

BeforeAfter Compare(const CanaryResult& r, const std::string& file, const std::string& kind, const std::string& name) {
  BeforeAfter ba;
  const canary::FileChange* fc = FileOf(r, file);
  REQUIRE(fc);
  ba.before_docs = ParseText(fc->before, file);
  ba.after_docs = ParseText(fc->after, file);
  ba.before = Doc(ba.before_docs, kind, name);
  const yaml::Node* after = Doc(ba.after_docs, kind, name);
  REQUIRE(ba.before);
  REQUIRE(after);
  ba.after = *after;
  return ba;
}

// Puts the old value of `path` back into `after`.
void Restore(BeforeAfter& ba, const std::string& path) {
  yaml::Node* a = MutableFind(ba.after, path);
  const yaml::Node* b = ba.before->Find(path);
  REQUIRE(a);
  REQUIRE(b);
  *a = *b;
}

std::string Str(const yaml::Node& root, const std::string& path) {
  const yaml::Node* n = root.Find(path);
  return n ? n->ToScalarString() : "<absent>";
}

// Every changed object printed for -o yaml equals what the rewritten file
// holds: the text patcher and the tree agree.
void CheckObjectsMatchFiles(const CanaryResult& r) {
  std::vector<std::vector<yaml::Document>> all;
  for (const auto& f : r.files) all.push_back(ParseText(f.after, f.path));
  for (const auto& obj : r.objects) {
    std::string kind = Str(obj, "kind"), name = Str(obj, "metadata.name");
    const yaml::Node* found = nullptr;
    for (const auto& docs : all)
      if (const yaml::Node* d = Doc(docs, kind, name)) found = d;
    INFO(kind << " " << name);
    REQUIRE(found);
    CHECK(found->Equals(obj));
  }
}

void CheckSplit(const yaml::Node& route, const std::string& host, const std::string& stable, int sw,
                const std::string& canary, int cw) {
  REQUIRE(route.IsSeq());
  REQUIRE(route.size() == 2);
  CHECK(Str(route, "[0].destination.host") == host);
  CHECK(Str(route, "[0].destination.subset") == stable);
  CHECK(Str(route, "[0].weight") == std::to_string(sw));
  CHECK(Str(route, "[1].destination.host") == host);
  CHECK(Str(route, "[1].destination.subset") == canary);
  CHECK(Str(route, "[1].weight") == std::to_string(cw));
}

}  // namespace

TEST_CASE("patch: several routes, hosts, matches, retries; only reviews routes shift", "[canary]") {
  CanarySpec spec = Spec("reviews", 20);
  spec.stable = "v1";
  spec.canary = "v2";
  auto r = Run(Inputs({kBase, kP + "multi-route.yaml"}), spec);
  REQUIRE(r.files.size() == 1);  // the base files are untouched
  CheckObjectsMatchFiles(r);

  auto vs = Compare(r, kP + "multi-route.yaml", "VirtualService", "bookinfo-routes");
  CheckSplit(*vs.after.Find("spec.http[1].route"), "reviews.bookinfo.svc.cluster.local", "v1", 80, "v2", 20);
  CHECK(Str(vs.after, "spec.http[1].route[1].destination.port.number") == "9080");
  CheckSplit(*vs.after.Find("spec.http[3].route"), "reviews", "v1", 80, "v2", 20);
  Restore(vs, "spec.http[1].route");
  Restore(vs, "spec.http[3].route");
  CHECK(vs.after.Equals(*vs.before));

  auto dr = Compare(r, kP + "multi-route.yaml", "DestinationRule", "reviews");
  yaml::Node* subsets = MutableFind(dr.after, "spec.subsets");
  REQUIRE(subsets->size() == 3);
  CHECK(Str(*subsets, "[2].name") == "v2");
  CHECK(Str(*subsets, "[2].labels.version") == "v2");
  subsets->mutable_children().pop_back();
  CHECK(dr.after.Equals(*dr.before));

  // Comments and formatting outside the change survive.
  CHECK(FileOf(r, kP + "multi-route.yaml")->after.find("owner: team-books # a comment that must survive") !=
        std::string::npos);
  CHECK(FileOf(r, kP + "multi-route.yaml")->after.find("allowMethods: [GET, POST]") != std::string::npos);
  bool noted = false;
  for (const auto& n : r.notes) noted |= n.find("jason-pinned") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("patch: --route picks one named route", "[canary]") {
  CanarySpec spec = Spec("reviews", 35);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.routes = {"reviews-default"};
  auto r = Run(Inputs({kBase, kP + "multi-route.yaml"}), spec);
  auto vs = Compare(r, kP + "multi-route.yaml", "VirtualService", "bookinfo-routes");
  CheckSplit(*vs.after.Find("spec.http[3].route"), "reviews", "v1", 65, "v2", 35);
  Restore(vs, "spec.http[3].route");
  CHECK(vs.after.Equals(*vs.before));
}

TEST_CASE("patch: refusals name the route and the reason", "[canary]") {
  CanarySpec spec = Spec("reviews", 20);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.routes = {"jason-pinned"};
  auto r = canary::RunCanary(Inputs({kBase, kP + "multi-route.yaml"}), spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == core::StatusCode::kDataError);
  CHECK(r.status().message().find("jason-pinned (http[0]) of VirtualService bookinfo/bookinfo-routes also sends to "
                                  "reviews subset v3") != std::string::npos);

  spec.routes = {"no-such-route"};
  r = canary::RunCanary(Inputs({kBase, kP + "multi-route.yaml"}), spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("routes that do: jason-pinned, reviews-api, reviews-default") != std::string::npos);

  spec.routes = {};
  r = canary::RunCanary(Inputs({kBase, kP + "foreign.yaml"}), spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("also sends to ratings") != std::string::npos);

  r = canary::RunCanary(Inputs({kBase, kP + "delegate-missing.yaml"}), spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("delegate VirtualService team-reviews/reviews-team, which is not in the input") !=
        std::string::npos);
}

TEST_CASE("patch: delegate VirtualService routes shift, the root stays", "[canary]") {
  CanarySpec spec = Spec("reviews", 10);
  spec.stable = "v1";
  spec.canary = "v2";
  auto r = Run(Inputs({kBase, kP + "delegate.yaml"}), spec);
  CheckObjectsMatchFiles(r);
  REQUIRE(r.objects.size() == 1);
  auto vs = Compare(r, kP + "delegate.yaml", "VirtualService", "reviews-delegate");
  CheckSplit(*vs.after.Find("spec.http[0].route"), "reviews", "v1", 90, "v2", 10);
  CheckSplit(*vs.after.Find("spec.http[1].route"), "reviews", "v1", 90, "v2", 10);
  Restore(vs, "spec.http[0].route");
  Restore(vs, "spec.http[1].route");
  CHECK(vs.after.Equals(*vs.before));
  auto root = Compare(r, kP + "delegate.yaml", "VirtualService", "bookinfo-root");
  CHECK(root.after.Equals(*root.before));
}

TEST_CASE("patch: http and tcp routes of a multi-port Service keep their ports", "[canary]") {
  auto r = Run(Inputs({kP + "multiport.yaml", kP + "multiport-routes.yaml"}), Spec("orders", 25));
  CHECK(r.stable == "v1");
  CHECK(r.canary == "v2");
  CheckObjectsMatchFiles(r);
  auto vs = Compare(r, kP + "multiport-routes.yaml", "VirtualService", "orders");
  CheckSplit(*vs.after.Find("spec.http[0].route"), "orders", "v1", 75, "v2", 25);
  CheckSplit(*vs.after.Find("spec.tcp[0].route"), "orders", "v1", 75, "v2", 25);
  CHECK(Str(vs.after, "spec.http[0].route[1].destination.port.number") == "8080");
  CHECK(Str(vs.after, "spec.tcp[0].route[1].destination.port.number") == "9000");
  Restore(vs, "spec.http[0].route");
  Restore(vs, "spec.tcp[0].route");
  CHECK(vs.after.Equals(*vs.before));
}

TEST_CASE("patch: a generated VirtualService for a multi-port Service routes per port", "[canary]") {
  auto r = Run(Inputs({kP + "multiport.yaml"}), Spec("orders", 25));
  REQUIRE(r.objects.size() == 2);
  const yaml::Node& vs = r.objects[0];
  CHECK(Str(vs, "spec.http[0].match[0].port") == "8080");
  CHECK(Str(vs, "spec.tcp[0].match[0].port") == "9000");
  CheckSplit(*vs.Find("spec.tcp[0].route"), "orders", "v1", 75, "v2", 25);
}

TEST_CASE("patch: tls route chosen by port and SNI", "[canary]") {
  auto r = Run(Inputs({kP + "tls.yaml"}), Spec("vault", 50));
  auto vs = Compare(r, kP + "tls.yaml", "VirtualService", "vault");
  CheckSplit(*vs.after.Find("spec.tls[0].route"), "vault", "v1", 50, "v2", 50);
  Restore(vs, "spec.tls[0].route");
  CHECK(vs.after.Equals(*vs.before));
}

TEST_CASE("patch: HTTPRoute rules keep matches, filters and timeouts", "[canary]") {
  CanarySpec spec = Spec("reviews", 20);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.target = canary::Target::kGatewayApi;
  auto r = Run(Inputs({kBase, kP + "httproute.yaml"}), spec);
  CheckObjectsMatchFiles(r);
  REQUIRE(r.files.size() == 1);
  auto hr = Compare(r, kP + "httproute.yaml", "HTTPRoute", "reviews");
  for (const char* rule : {"spec.rules[0].backendRefs", "spec.rules[1].backendRefs"}) {
    const yaml::Node& refs = *hr.after.Find(rule);
    REQUIRE(refs.size() == 2);
    CHECK(Str(refs, "[0].name") == "reviews-v1");
    CHECK(Str(refs, "[0].weight") == "80");
    CHECK(Str(refs, "[1].name") == "reviews-v2");
    CHECK(Str(refs, "[1].port") == "9080");
    CHECK(Str(refs, "[1].weight") == "20");
    Restore(hr, rule);
  }
  CHECK(hr.after.Equals(*hr.before));
}

TEST_CASE("patch: SMI TrafficSplit gets the canary backend and its Service", "[canary]") {
  CanarySpec spec = Spec("reviews", 20);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.target = canary::Target::kSmi;
  auto r = Run(Inputs({kBase, kP + "trafficsplit.yaml"}), spec);
  CheckObjectsMatchFiles(r);
  auto ts = Compare(r, kP + "trafficsplit.yaml", "TrafficSplit", "reviews");
  CHECK(Str(ts.after, "spec.backends[0].weight") == "80");
  CHECK(Str(ts.after, "spec.backends[1].service") == "reviews-v2");
  CHECK(Str(ts.after, "spec.backends[1].weight") == "20");
  Restore(ts, "spec.backends");
  CHECK(ts.after.Equals(*ts.before));
  // reviews-v2 did not exist: it is added next to the apex Service.
  const canary::FileChange* svc = FileOf(r, kBase + "/services.yaml");
  REQUIRE(svc);
  auto docs = ParseText(svc->after, "services.yaml");
  const yaml::Node* v2 = Doc(docs, "Service", "reviews-v2");
  REQUIRE(v2);
  CHECK(Str(*v2, "spec.selector.version") == "v2");
  CHECK(Str(*v2, "spec.selector.app") == "reviews");
}

TEST_CASE("patch: JSON input keeps its formatting for weight changes", "[canary]") {
  CanarySpec spec = Spec("reviews", 40);
  spec.stable = "v1";
  spec.canary = "v2";
  auto r = Run(Inputs({kBase, kP + "routing.json"}), spec);
  const canary::FileChange* fc = FileOf(r, kP + "routing.json");
  REQUIRE(fc);
  std::string expected = fc->before;
  expected.replace(expected.find("\"weight\": 70"), 12, "\"weight\": 60");
  expected.replace(expected.find("\"weight\": 30"), 12, "\"weight\": 40");
  CHECK(fc->after == expected);
  // The DestinationRule it needs goes into a YAML file (the Service's).
  CHECK(FileOf(r, kBase + "/services.yaml"));
}

TEST_CASE("patch: A/B rule and mirror follow the flags of each run", "[canary]") {
  io::InputSet in = Inputs({"testdata/canary/walkthrough"});
  CanarySpec ab = Spec("reviews", 0);
  ab.headers = {{"end-user", "jason"}};
  ab.mirror_percent = 25;
  auto first = Run(in, ab);
  // Apply the first run's files, then run again without --header/--mirror.
  io::InputSet next = in;
  for (auto& f : next.files)
    for (const auto& fc : first.files)
      if (fc.path == f.path) f.content = fc.after;
  {
    const yaml::Node& vs = first.objects[1];
    CHECK(Str(vs, "spec.http[0].name") == "reviews-canary-ab");
    CHECK(Str(vs, "spec.http[0].match[0].headers.end-user.exact") == "jason");
    CHECK(Str(vs, "spec.http[0].route[0].destination.subset") == "v2");
    CHECK(Str(vs, "spec.http[0].timeout") == "5s");  // settings copied from the route
    CHECK(Str(vs, "spec.http[1].mirror.subset") == "v2");
    CHECK(Str(vs, "spec.http[1].mirrorPercentage.value") == "25");
  }
  auto second = Run(next, Spec("reviews", 30));
  auto plain = Run(in, Spec("reviews", 30));
  // Same VirtualService as a plain 30 % run on the original input.
  const yaml::Node* a = nullptr;
  for (const auto& o : second.objects)
    if (Str(o, "kind") == "VirtualService") a = &o;
  const yaml::Node* b = nullptr;
  for (const auto& o : plain.objects)
    if (Str(o, "kind") == "VirtualService") b = &o;
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->Equals(*b));
}

TEST_CASE("patch: idempotent, and promote/rollback keep the roles", "[canary]") {
  io::InputSet in = Inputs({"testdata/canary/walkthrough"});
  auto apply = [](io::InputSet s, const CanaryResult& r) {
    for (auto& f : s.files)
      for (const auto& fc : r.files)
        if (fc.path == f.path) f.content = fc.after;
    return s;
  };
  auto ten = Run(in, Spec("reviews", 10));
  io::InputSet at10 = apply(in, ten);
  CHECK(Run(at10, Spec("reviews", 10)).objects.empty());
  auto promoted = Run(at10, Spec("reviews", 100));
  CHECK(promoted.stable == "v1");
  io::InputSet at100 = apply(at10, promoted);
  auto back = Run(at100, Spec("reviews", 0));
  CHECK(back.stable == "v1");
  CHECK(back.canary == "v2");
  const yaml::Node& vs = back.objects.at(0);
  CHECK(Str(vs, "spec.http[0].route[0].destination.subset") == "v1");
  CHECK(Str(vs, "spec.http[0].route[0].weight") == "100");
  CHECK(Str(vs, "spec.http[0].route[1].weight") == "0");
}

TEST_CASE("patch: items of a List (kubectl get -o yaml / -o json) stay in their List", "[canary]") {
  for (const char* file : {"live-list.yaml", "live-list.json"}) {
    INFO(file);
    CanarySpec spec = Spec("reviews", 10);
    spec.stable = "v1";
    spec.canary = "v2";
    auto r = Run(Inputs({kBase, kP + file}), spec);
    const canary::FileChange* fc = FileOf(r, kP + file);
    REQUIRE(fc);
    auto before = ParseText(fc->before, file);
    auto after = ParseText(fc->after, file);
    REQUIRE(after.size() == 1);
    const yaml::Node& list = after[0].root;
    CHECK(Str(list, "kind") == "List");
    CHECK(Str(list, "metadata.resourceVersion") == "");
    const yaml::Node* items = list.Get("items");
    REQUIRE(items);
    REQUIRE(items->size() == 2);
    // Each item equals the object canary reports (which leaves out the API
    // server's fields, resourceVersion, uid...), and nothing else changed.
    for (const auto& obj : r.objects) {
      bool found = false;
      for (const auto& item : items->children()) found |= canary::WithoutServerFields(item).Equals(obj);
      CHECK(found);
    }
    yaml::Node restored = list;
    for (size_t i = 0; i < items->size(); ++i) {
      std::string kind = Str(items->at(i), "kind");
      const yaml::Node* old_item = nullptr;
      for (const auto& it : before[0].root.Get("items")->children())
        if (Str(it, "kind") == kind) old_item = &it;
      REQUIRE(old_item);
      const char* path = kind == "VirtualService" ? "spec.http[0].route" : "spec.subsets";
      *MutableFind(restored.GetMutable("items")->mutable_at(i), path) = *old_item->Find(path);
    }
    CHECK(restored.Equals(before[0].root));
  }
}

TEST_CASE("patch: host mode shifts between per-version Services", "[canary]") {
  CanarySpec spec = Spec("reviews", 30);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.mode = canary::IstioMode::kHost;
  auto r = Run(Inputs({kBase, kP + "host-mode.yaml"}), spec);
  REQUIRE(r.files.size() == 1);  // existing Services are used, nothing created
  CheckObjectsMatchFiles(r);
  auto vs = Compare(r, kP + "host-mode.yaml", "VirtualService", "reviews");
  const yaml::Node& route = *vs.after.Find("spec.http[0].route");
  REQUIRE(route.size() == 2);
  CHECK(Str(route, "[0].destination.host") == "reviews-v1.bookinfo.svc.cluster.local");
  CHECK(Str(route, "[0].weight") == "70");
  CHECK(Str(route, "[1].destination.host") == "reviews-v2.bookinfo.svc.cluster.local");
  CHECK(Str(route, "[1].destination.port.number") == "9080");
  CHECK(Str(route, "[1].weight") == "30");
  Restore(vs, "spec.http[0].route");
  CHECK(vs.after.Equals(*vs.before));
}
