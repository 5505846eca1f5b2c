#include "lib/model/loader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "lib/core/parallel.h"
#include "lib/json/parser.h"
#include "lib/model/parse_hints.h"

namespace meshctl::model {

using core::Result;

namespace {

bool LooksLikeJson(std::string_view s) {
  size_t i = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i < s.size() && (s[i] == '{' || s[i] == '[');
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

core::Status PositionError(const std::string& file, yaml::Mark m, std::string_view msg) {
  return core::DataError(fmt::format("{}:{}:{}: {}", file, m.line, m.column, msg));
}

std::string_view ScalarText(const yaml::Node* n) {
  if (!n || !n->IsScalar() || n->IsNull()) return {};
  return n->text();
}

}  // namespace

Result<std::vector<yaml::Document>> ParseManifest(const io::InputFile& file, const yaml::ParseLimits& limits) {
  if (file.from_cluster || EndsWith(file.path, ".json")) return json::ParseJsonStream(file.content, file.path, limits);
  if (file.path == "-" && LooksLikeJson(file.content)) {
    auto r = json::ParseJsonStream(file.content, file.path, limits);
    if (r.ok()) return r;
    // Flow-style YAML also starts with '{'; let the YAML parser have a go.
  }
  auto docs = yaml::ParseYamlStream(file.content, file.path, limits);
  if (!docs.ok()) return WithParseHint(file, docs.status());  // Helm templates, `[2001:db8::]`
  return docs;
}

void MarkFromCluster(Resource& r) {
  r.file = {};
  r.start = yaml::Mark{};
  r.from_cluster = true;
}

Result<Resource> MakeResource(const yaml::Node& object, const std::string& file, yaml::Mark start,
                              const LoadOptions& opts) {
  if (!object.IsMap()) {
    return PositionError(file, object.mark(),
                         fmt::format("expected an object with apiVersion and kind, found a {}",
                                     yaml::NodeTypeName(object.type())));
  }
  Resource r;
  r.root = &object;
  r.file = KeepText(file);
  r.start = start;
  const yaml::Node* api = object.Get("apiVersion");
  const yaml::Node* kind = object.Get("kind");
  bool no_api = !api || api->IsNull();
  if (no_api && opts.require_api_version) return PositionError(file, object.mark(), "resource has no apiVersion");
  if (!no_api && !api->IsString()) return PositionError(file, api->mark(), "apiVersion must be a string");
  if (!kind || kind->IsNull()) return PositionError(file, object.mark(), "resource has no kind");
  if (!kind->IsString()) return PositionError(file, kind->mark(), "kind must be a string");
  if (!no_api) r.api_version = api->text();
  r.kind = kind->text();
  std::string_view g, v;
  SplitApiVersion(r.api_version, g, v);
  r.group = g;
  r.version = v;
  r.info = FindKind(r.group, r.kind);

  r.metadata = object.Get("metadata");
  if (r.metadata && r.metadata->IsNull()) r.metadata = nullptr;
  if (r.metadata && !r.metadata->IsMap())
    return PositionError(file, r.metadata->mark(), "metadata must be an object");
  r.spec = object.Get("spec");
  if (r.metadata) {
    r.name = ScalarText(r.metadata->Get("name"));
    r.ns = ScalarText(r.metadata->Get("namespace"));
  }
  bool namespaced = r.info ? r.info->namespaced : true;
  if (!namespaced) {
    r.ns = {};
  } else if (r.ns.empty() && !opts.default_namespace.empty()) {
    r.ns = KeepText(opts.default_namespace);
    r.namespace_defaulted = true;
  }
  return r;
}

namespace {

constexpr size_t kMinBytesForThreads = size_t{1} << 20;
// Smaller files are not worth handing back while they are parsed.
constexpr size_t kMinPagedBytes = size_t{1} << 20;

// A file's text, handed back to the kernel page by page as the parser moves past
// it (the pages read as zeros afterwards), and read from the file again when the
// parser needs the whole text a second time (io::ReadAgain: only if it is still
// the file that was read).
class FilePager final : public yaml::TextPager {
 public:
  // nullptr when the text is not a large regular file's bytes as read (stdin, a
  // live object, decoded UTF-16, a pipe: io::FileStamp unknown).
  static std::unique_ptr<FilePager> For(io::InputFile& file) {
    if (file.content.size() < kMinPagedBytes || !file.stamp.known()) return nullptr;
    return std::unique_ptr<FilePager>(new FilePager(file));
  }

  void Release(size_t from, size_t to) override {
    const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t base = reinterpret_cast<uintptr_t>(file_.content.data());
    // Whole pages inside the text only: its neighbours in memory are not ours.
    const uintptr_t first = (base + from + page - 1) & ~(page - 1);
    const uintptr_t last = (base + to) & ~(page - 1);
    if (last <= first) return;
    if (::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED) == 0) released_.store(true);
  }

  core::Status Restore() override {
    if (!released_.load()) return core::Status::Ok();
    // Still marked on failure: a later Restore must not report a torn text as whole.
    RETURN_IF_ERROR(io::ReadAgain(file_));
    released_.store(false);
    return core::Status::Ok();
  }

 private:
  explicit FilePager(io::InputFile& file) : file_(file) {}
  io::InputFile& file_;
  std::atomic<bool> released_{false};
};

}  // namespace

// Parsing only reads its file, so files can be parsed at once.
std::vector<Result<std::vector<yaml::Document>>> ParseFiles(const io::InputSet& inputs, const LoadOptions& opts,
                                                            io::InputSet* release) {
  const auto& files = inputs.files;
  size_t total = 0;
  for (const auto& f : files) total += f.content.size();
  size_t threads = opts.threads;
  if (threads == 0) threads = total >= kMinBytesForThreads ? core::DefaultThreads() : 1;
  std::vector<size_t> order(files.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return files[a].content.size() > files[b].content.size(); });
  std::vector<std::optional<Result<std::vector<yaml::Document>>>> out(files.size());
  core::RunTasks(order.size(), threads, [&](size_t k) {
    const io::InputFile& file = files[order[k]];
    yaml::ParseLimits limits = opts.limits;
    if (threads > 1 && file.content.size() * 2 > total) limits.threads = static_cast<uint32_t>(threads);
    std::unique_ptr<FilePager> pager = release ? FilePager::For(release->files[order[k]]) : nullptr;
    if (pager) limits.pager = pager.get();
    out[order[k]].emplace(ParseManifest(file, limits));
  });
  std::vector<Result<std::vector<yaml::Document>>> parsed;
  parsed.reserve(out.size());
  for (auto& r : out) parsed.push_back(std::move(*r));
  return parsed;
}


namespace {

// `release` (the same set, or null) has its text freed once parsed.
LoadResult Load(const io::InputSet& inputs, io::InputSet* release, const LoadOptions& opts) {
  LoadResult out;
  auto ignored = [&](const Resource& r) {
    return std::find(opts.ignored_namespaces.begin(), opts.ignored_namespaces.end(), r.ns) !=
           opts.ignored_namespaces.end();
  };
  std::vector<Result<std::vector<yaml::Document>>> parsed_files = ParseFiles(inputs, opts, release);
  if (release) io::ReleaseContents(*release);
  size_t documents = 0;  // a lower bound for the resources (a List holds more)
  for (const auto& parsed : parsed_files)
    if (parsed.ok()) documents += parsed->size();
  out.snapshot.Reserve(0, documents);
  for (size_t f = 0; f < inputs.files.size(); ++f) {
    const auto& file = inputs.files[f];
    auto parsed = std::move(parsed_files[f]);
    if (!parsed.ok()) {
      out.errors.push_back(parsed.status());
      continue;
    }
    if (parsed->empty()) {
      out.empty_files.push_back(file.path);
      continue;
    }
    for (const yaml::Document& doc : *parsed) {
      const yaml::Node& root = doc.root;
      const yaml::Node* items = root.IsMap() ? root.Get("items") : nullptr;
      const yaml::Node* kind = root.IsMap() ? root.Get("kind") : nullptr;
      bool list_kind = kind && kind->IsString() && EndsWith(kind->text(), "List");
      if (list_kind && items && !items->IsSeq() && !items->IsNull()) {
        // A List whose items are not a sequence is not a List of anything;
        // loading it as one object would hide its content.
        out.errors.push_back(PositionError(
            file.path, items->mark(),
            fmt::format("{} items must be a sequence of objects, found {}", kind->text(),
                        yaml::NodeTypeName(items->type()))));
        continue;
      }
      bool is_list = items && items->IsSeq() && list_kind;
      if (is_list) {
        for (size_t i = 0; i < items->size(); ++i) {
          auto r = MakeResource(items->at(i), file.path, items->at(i).mark(), opts);
          if (!r.ok()) {
            out.errors.push_back(r.status());
            continue;
          }
          r->doc_index = doc.index;
          r->list_index = static_cast<int>(i);
          if (file.from_cluster) MarkFromCluster(*r);
          if (!ignored(*r)) out.snapshot.AddResource(std::move(r).value());
        }
      } else {
        auto r = MakeResource(root, file.path, doc.start, opts);
        if (!r.ok()) {
          out.errors.push_back(r.status());
          continue;
        }
        r->doc_index = doc.index;
        if (file.from_cluster) MarkFromCluster(*r);
        if (!ignored(*r)) out.snapshot.AddResource(std::move(r).value());
      }
    }
    // The resources point into these documents: the array moves whole, they stay put.
    out.snapshot.KeepDocuments(std::move(*parsed));
  }
  out.snapshot.Finalize();
  return out;
}

}  // namespace

LoadResult LoadSnapshot(const io::InputSet& inputs, const LoadOptions& opts) { return Load(inputs, nullptr, opts); }

LoadResult LoadSnapshotReleasingText(io::InputSet& inputs, const LoadOptions& opts) {
  return Load(inputs, &inputs, opts);
}

}  // namespace meshctl::model
