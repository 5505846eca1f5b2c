// Turns input files into a Snapshot: parse (YAML or JSON), split into
// resources (expanding `kind: List`), read identity fields, default the
// namespace. Parse problems are collected per file so that one bad file does
// not hide findings in the others; the caller decides the exit code.
#pragma once

#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/io/files.h"
#include "lib/model/snapshot.h"
#include "lib/yaml/parser.h"

namespace meshctl::model {

struct LoadOptions {
  // Given to namespaced resources without metadata.namespace ("" leaves it empty).
  std::string default_namespace;
  // Resources in these namespaces are dropped (istioctl ignores kube-system & co.).
  std::vector<std::string> ignored_namespaces;
  yaml::ParseLimits limits;
  // false: a document without apiVersion is still loaded (apiVersion ""),
  // as istioctl validate looks only at `kind` for Kubernetes objects.
  bool require_api_version = true;
  // Files parsed at once, and pieces of one large stream (ParseLimits::
  // threads): 0 = core::DefaultThreads() when the input is 1 MB or more,
  // else 1. The snapshot and the errors are the same whatever the number.
  size_t threads = 0;
};

struct LoadResult {
  Snapshot snapshot;
  // One DataError per file or document that could not be used
  // ("file:line:col: message"); the rest of the input is still loaded.
  std::vector<core::Status> errors;
  // Files that held no document at all (empty or only comments).
  std::vector<std::string> empty_files;
};

// Parses one file's text as JSON (by extension, or by content for stdin)
// or YAML.
core::Result<std::vector<yaml::Document>> ParseManifest(const io::InputFile& file, const yaml::ParseLimits& limits);

// Reads identity fields of an object node; errors name the position of the
// offending field.
core::Result<Resource> MakeResource(const yaml::Node& object, const std::string& file, yaml::Mark start,
                                    const LoadOptions& opts);

// A resource read from the API server: no file, no position.
void MarkFromCluster(Resource& r);

// Every file of `inputs` parsed, in input order. A large input is parsed on
// threads (LoadOptions::threads): files at once, largest first, and a file
// that is most of the input cut into pieces too. The results are the same
// whatever the number of threads. `release` (the same set, or null) is a caller's
// leave to discard each file's text as it is parsed: the text of a large file on disk
// is handed back to the kernel a few hundred KB at a time, behind the parser, and read
// from the file again if the parser needs a second pass. Its content is then not
// the file's text any more: the caller frees it.
std::vector<core::Result<std::vector<yaml::Document>>> ParseFiles(const io::InputSet& inputs,
                                                                  const LoadOptions& opts,
                                                                  io::InputSet* release = nullptr);

LoadResult LoadSnapshot(const io::InputSet& inputs, const LoadOptions& opts);
// The same, for a caller with no use for the files' text afterwards (validate): the text
// of `inputs` is freed once it is parsed (paths stay), so a large input's text is not
// held with the resources built from it.
LoadResult LoadSnapshotReleasingText(io::InputSet& inputs, const LoadOptions& opts);

}  // namespace meshctl::model
