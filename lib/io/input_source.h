// Where manifests come from. Commands read through this interface so that
// files and stdin today, and a live API server later (kubectl-style JSON
// lists fetched through kubeconfig), feed the same loader: every source
// produces an InputSet of named texts.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/io/files.h"

namespace meshctl::io {

class InputSource {
 public:
  virtual ~InputSource() = default;
  virtual core::Result<InputSet> Read() = 0;
  // What the source reads, for messages ("3 paths", "stdin").
  virtual std::string Describe() const = 0;
};

// Files, directories (recursive) and "-" for `stdin`.
std::unique_ptr<InputSource> NewFileSource(std::vector<std::string> paths, std::istream& stdin_stream,
                                           ReadOptions opts = {});

}  // namespace meshctl::io
