// Reading the user's input files: plain files, directories (walked
// recursively, lexical order, only .yaml/.yml/.json as istioctl) and stdin
// ("-"). Everything is read whole into memory; parsing happens elsewhere.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::io {

struct InputFile {
  std::string path;     // as given on the command line or built by the walk; "-" for stdin
  std::string content;
  // Fetched from a Kubernetes API server (a JSON List; `path` is its URL):
  // its resources have no file:line and say they came from the cluster.
  bool from_cluster = false;
};

struct InputSet {
  std::vector<InputFile> files;
  // Files met in a directory walk and left out because of their extension.
  std::vector<std::string> skipped;
};

// True for the extensions istioctl reads from directories.
bool HasManifestExtension(const std::string& path);

// Reads every path. A missing or unreadable path is an IoError naming it.
// `stdin_stream` is read for "-" (at most once).
core::Result<InputSet> ReadInputs(const std::vector<std::string>& paths, std::istream& stdin_stream);

// Reads one file whole.
core::Result<std::string> ReadFile(const std::string& path);

// Writes `content` to `path` atomically: a temporary file in the same
// directory, flushed and fsynced, then renamed over the target.
core::Status WriteFileAtomic(const std::string& path, const std::string& content);

}  // namespace meshctl::io
