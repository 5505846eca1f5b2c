// The document model and snapshot building (lib/model): the input is loaded
// as a YAML file, as a JSON file and as stdin (which sniffs JSON), exactly as
// validate and analyze load their inputs. Every resource must be reachable
// through the snapshot's indexes, and every load error names the file.
#include "lib/model/loader.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using namespace meshctl;

void LoadAs(std::string_view data, const std::string& path) {
  io::InputSet in;
  in.files.push_back({path, std::string(data)});
  model::LoadOptions opts;
  opts.default_namespace = "default";
  opts.limits.max_alias_nodes = 20'000;
  model::LoadResult loaded = model::LoadSnapshot(in, opts);
  for (const auto& e : loaded.errors) {
    MESHCTL_FUZZ_CHECK(!e.ok(), "an ok status among the load errors");
    MESHCTL_FUZZ_CHECK(e.message().rfind(path + ":", 0) == 0, "load error does not name the file: " + e.message());
  }
  const model::Snapshot& snap = loaded.snapshot;
  const uint32_t max_line = fuzz::MaxLines(data);
  for (const auto& r : snap.resources()) {
    MESHCTL_FUZZ_CHECK(r.root != nullptr && r.root->IsMap(), "resource without an object root");
    MESHCTL_FUZZ_CHECK(r.file == path, "resource from another file: " + r.file);
    MESHCTL_FUZZ_CHECK(r.start.line <= max_line, "document start past the end");
    const model::Resource* found = snap.Find(r.gk(), r.ns, r.name);
    MESHCTL_FUZZ_CHECK(found != nullptr, "resource not found by name: " + r.FullName());
    MESHCTL_FUZZ_CHECK(found->gk() == r.gk() && found->ns == r.ns && found->name == r.name, "Find returned another");
    bool listed = false;
    for (const model::Resource* k : snap.OfKindIn(r.gk(), r.ns)) listed |= k == &r;
    MESHCTL_FUZZ_CHECK(listed, "resource missing from OfKindIn: " + r.FullName());
    (void)r.Labels();
    (void)r.Annotations();
    (void)r.Origin();
    (void)r.Locate("spec.hosts[0]");
  }
  (void)snap.Namespaces();
}

}  // namespace

MESHCTL_FUZZ_TARGET(model_snapshot) {
  LoadAs(data, "fuzz.yaml");
  LoadAs(data, "fuzz.json");
  LoadAs(data, "-");
}
