#include "lib/canary/workspace.h"

#include <algorithm>

#include "lib/analysis/vs_routes.h"
#include "lib/canary/text_patch.h"
#include "lib/model/kinds.h"

namespace meshctl::canary {

bool Workspace::IsJsonFile(const io::InputFile& f) {
  if (f.path.size() >= 5 && f.path.compare(f.path.size() - 5, 5, ".json") == 0) return true;
  if (f.path != "-") return false;
  for (char c : f.content) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

core::Result<std::unique_ptr<Workspace>> Workspace::Load(const io::InputSet& inputs, const std::string& default_ns) {
  auto ws = std::make_unique<Workspace>();
  ws->inputs_ = inputs;
  model::LoadOptions opts;
  opts.default_namespace = default_ns;
  model::LoadResult loaded = model::LoadSnapshot(ws->inputs_, opts);
  if (!loaded.errors.empty()) {
    std::string msg;
    for (const auto& e : loaded.errors) msg += (msg.empty() ? "" : "\n") + e.message();
    return core::DataError(msg);
  }
  ws->snapshot_ = std::move(loaded.snapshot);
  return ws;
}

yaml::Node& Workspace::Edit(const model::Resource& r) {
  auto it = edits_.find(&r);
  if (it == edits_.end()) it = edits_.emplace(&r, *r.root).first;
  return it->second;
}

const yaml::Node& Workspace::Current(const model::Resource& r) const {
  auto it = edits_.find(&r);
  return it == edits_.end() ? *r.root : it->second;
}

void Workspace::Create(yaml::Node object, const std::string& anchor_file) {
  std::string file = kGeneratedFile;
  for (const auto& f : inputs_.files)
    if (f.path == anchor_file && !IsJsonFile(f)) file = anchor_file;
  created_.push_back(std::move(object));
  created_files_.push_back(file);
}

void Workspace::Create(yaml::Node object, const std::vector<std::string>& anchors) {
  for (const auto& a : anchors)
    for (const auto& f : inputs_.files)
      if (f.path == a && !IsJsonFile(f)) return Create(std::move(object), a);
  Create(std::move(object), std::string(kGeneratedFile));
}

std::vector<const model::Resource*> Workspace::ChangedResources() const {
  std::vector<const model::Resource*> out;
  for (const auto& r : snapshot_.resources()) {
    auto it = edits_.find(&r);
    if (it != edits_.end() && !it->second.Equals(*r.root)) out.push_back(&r);
  }
  return out;
}

std::vector<const yaml::Node*> Workspace::ChangedObjects() const {
  std::vector<const yaml::Node*> out;
  for (const auto* r : ChangedResources()) out.push_back(&edits_.at(r));
  for (const auto& c : created_) out.push_back(&c);
  return out;
}

core::Result<std::vector<FileChange>> Workspace::Render() const {
  std::vector<FileChange> out;
  auto changed = ChangedResources();
  for (const auto& f : inputs_.files) {
    std::vector<TreeChange> changes;
    // Items of a `kind: List` are patched through their document, so that a
    // change the patcher cannot make in place rewrites the List, never
    // replaces it with one item. The file is parsed again for the document
    // roots (same parser, same positions).
    std::vector<yaml::Document> docs;
    std::map<uint32_t, yaml::Node> lists;  // doc index -> List with edited items
    for (const auto* r : changed) {
      if (r->file != f.path) continue;
      if (r->list_index < 0) {
        changes.push_back({r->root, &edits_.at(r)});
        continue;
      }
      if (docs.empty()) {
        auto parsed = model::ParseManifest(f, {});
        if (!parsed.ok()) return parsed.status();
        docs = std::move(parsed).value();
      }
      for (const auto& d : docs) {
        if (d.index != r->doc_index) continue;
        auto it = lists.find(d.index);
        if (it == lists.end()) it = lists.emplace(d.index, d.root).first;
        yaml::Node* items = it->second.GetMutable("items");
        if (!items || static_cast<size_t>(r->list_index) >= items->size())
          return core::Internal("List item " + std::to_string(r->list_index) + " of " + f.path + " not found");
        items->mutable_at(static_cast<size_t>(r->list_index)) = edits_.at(r);
      }
    }
    for (const auto& d : docs)
      if (auto it = lists.find(d.index); it != lists.end()) changes.push_back({&d.root, &it->second});
    std::vector<const yaml::Node*> appended;
    for (size_t i = 0; i < created_.size(); ++i)
      if (created_files_[i] == f.path) appended.push_back(&created_[i]);
    if (changes.empty() && appended.empty()) continue;
    auto text = PatchText(f.content, IsJsonFile(f), changes, appended);
    if (!text.ok()) return core::Status(text.status().code(), f.path + ": " + text.status().message());
    if (*text == f.content) continue;
    // The patcher writes LF; a CRLF file keeps its line endings.
    if (UsesCrlf(f.content)) *text = ToCrlf(*text);
    out.push_back({f.path, f.content, std::move(text).value(), false});
  }
  std::vector<const yaml::Node*> generated;
  for (size_t i = 0; i < created_.size(); ++i)
    if (created_files_[i] == kGeneratedFile) generated.push_back(&created_[i]);
  if (!generated.empty()) {
    auto text = PatchText("", false, {}, generated);
    if (!text.ok()) return text.status();
    out.push_back({kGeneratedFile, "", std::move(text).value(), true});
  }
  return out;
}

bool UsesCrlf(std::string_view text) {
  size_t lf = 0, crlf = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    ++lf;
    if (i > 0 && text[i - 1] == '\r') ++crlf;
  }
  return crlf > 0 && crlf * 2 >= lf;
}

std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::set<std::string> UnresolvedSubsets(const io::InputSet& files, const std::string& default_ns) {
  model::LoadOptions opts;
  opts.default_namespace = default_ns;
  model::LoadResult loaded = model::LoadSnapshot(files, opts);
  const model::Snapshot& snap = loaded.snapshot;
  std::set<std::string> defined;
  for (const model::Resource* dr : snap.OfKind(model::kinds::kDestinationRule)) {
    if (!dr->spec) continue;
    const yaml::Node* host = dr->spec->Get("host");
    const yaml::Node* ss = dr->spec->Get("subsets");
    if (!host || !ss || !ss->IsSeq()) continue;
    analysis::HostName h = analysis::ResolveHost(dr->ns, host->ToScalarString());
    for (const auto& sub : ss->children()) {
      const yaml::Node* name = sub.Get("name");
      defined.insert(h.ns + "/" + h.name + "+" + (name ? name->ToScalarString() : ""));
    }
  }
  std::set<std::string> out;
  for (const model::Resource* vs : snap.OfKind(model::kinds::kVirtualService)) {
    for (const auto& d : analysis::RouteDestinations(*vs)) {
      if (d.subset.empty()) continue;
      analysis::HostName h = analysis::ResolveHost(vs->ns, d.host);
      std::string key = h.ns + "/" + h.name + "+" + d.subset;
      if (!defined.count(key)) out.insert(key);
    }
  }
  return out;
}

std::vector<size_t> SafeWriteOrder(const io::InputSet& inputs, const std::vector<FileChange>& changes,
                                   const std::string& default_ns) {
  std::vector<size_t> order;
  if (changes.size() < 2) {
    for (size_t i = 0; i < changes.size(); ++i) order.push_back(i);
    return order;
  }
  // Only files that can hold a DestinationRule or a VirtualService matter;
  // the rest (workloads, Services, padding) is not loaded again and again.
  io::InputSet state;
  for (const auto& f : inputs.files)
    if (f.content.find("DestinationRule") != std::string::npos ||
        f.content.find("VirtualService") != std::string::npos)
      state.files.push_back(f);
  for (const auto& c : changes) {
    bool present = false;
    for (const auto& f : state.files) present |= f.path == c.path;
    if (!present) state.files.push_back({c.path, c.before});
  }
  auto apply = [](io::InputSet& set, const FileChange& c) {
    for (auto& f : set.files)
      if (f.path == c.path) f.content = c.after;
  };
  // Broken references the user already has, or will have after the whole
  // change, are not the writer's to prevent.
  std::set<std::string> allowed = UnresolvedSubsets(state, default_ns);
  {
    io::InputSet final_state = state;
    for (const auto& c : changes) apply(final_state, c);
    auto after = UnresolvedSubsets(final_state, default_ns);
    allowed.insert(after.begin(), after.end());
  }
  std::vector<bool> done(changes.size(), false);
  for (size_t step = 0; step < changes.size(); ++step) {
    size_t pick = changes.size();
    for (size_t i = 0; i < changes.size() && pick == changes.size(); ++i) {
      if (done[i]) continue;
      io::InputSet next = state;
      apply(next, changes[i]);
      auto broken = UnresolvedSubsets(next, default_ns);
      if (std::includes(allowed.begin(), allowed.end(), broken.begin(), broken.end())) pick = i;
    }
    if (pick == changes.size()) pick = static_cast<size_t>(std::find(done.begin(), done.end(), false) - done.begin());
    done[pick] = true;
    apply(state, changes[pick]);
    order.push_back(pick);
  }
  return order;
}

}  // namespace meshctl::canary
