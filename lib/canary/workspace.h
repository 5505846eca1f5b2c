// The inputs of one canary run and the edits made to them. Generators read
// the loaded snapshot, take a mutable copy of a resource with Edit() (the
// original keeps its positions, which the text patcher needs) and add new
// objects with Create(). Render() turns the edits into new file texts,
// changing only what changed (lib/canary/text_patch.h).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/io/files.h"
#include "lib/model/loader.h"
#include "lib/yaml/node.h"

namespace meshctl::canary {

// Where created objects go when no YAML input file can take them.
inline constexpr const char* kGeneratedFile = "(generated)";

struct FileChange {
  std::string path;
  std::string before;  // "" for kGeneratedFile
  std::string after;
  bool created = false;  // only kGeneratedFile
};

class Workspace {
 public:
  // Loads `inputs`; any file that does not parse is a DataError (a file
  // meshctl cannot read is not a file it may rewrite).
  static core::Result<std::unique_ptr<Workspace>> Load(const io::InputSet& inputs, const std::string& default_ns);

  const model::Snapshot& snapshot() const { return snapshot_; }
  const io::InputSet& inputs() const { return inputs_; }

  // A mutable copy of `r`'s object (the same copy on every call).
  yaml::Node& Edit(const model::Resource& r);
  // The object as it is now: the edited copy, or the original.
  const yaml::Node& Current(const model::Resource& r) const;
  // Adds a new object; it is written at the end of `anchor_file` when that
  // is a YAML input, else to kGeneratedFile.
  void Create(yaml::Node object, const std::string& anchor_file);
  // Same, with the first YAML file of `anchors` (in order) as the anchor.
  void Create(yaml::Node object, const std::vector<std::string>& anchors);

  // Objects that differ from the input, then created ones, in load order.
  std::vector<const yaml::Node*> ChangedObjects() const;
  // Original resources whose object was changed.
  std::vector<const model::Resource*> ChangedResources() const;
  const std::vector<yaml::Node>& created() const { return created_; }

  // The files that change, with their old and new text.
  core::Result<std::vector<FileChange>> Render() const;

  static bool IsJsonFile(const io::InputFile& f);

 private:
  io::InputSet inputs_;
  model::Snapshot snapshot_;
  std::map<const model::Resource*, yaml::Node> edits_;
  std::vector<yaml::Node> created_;
  std::vector<std::string> created_files_;
};

// Route subsets no DestinationRule defines in a set of files, as
// "ns/host+subset" (what analyze reports as IST0101).
std::set<std::string> UnresolvedSubsets(const io::InputSet& files, const std::string& default_ns);

// The order in which to write `changes` (FileChange::path names a file of
// `inputs`) so that the files on disk stay a consistent set after every
// single write, should the writer be killed between two of them: no route
// names a subset that is defined neither before nor after the change.
// Subsets are thus added before the VirtualServices that use them, and
// routes leave a subset before it is removed. Indexes into `changes`; when
// no order keeps every step consistent, the remaining files follow in
// input order.
std::vector<size_t> SafeWriteOrder(const io::InputSet& inputs, const std::vector<FileChange>& changes,
                                   const std::string& default_ns);

// True when most line breaks of `text` are CRLF.
bool UsesCrlf(std::string_view text);
// `text` with every bare LF turned into CRLF.
std::string ToCrlf(std::string_view text);

}  // namespace meshctl::canary
