#include "lib/io/input_source.h"

namespace meshctl::io {

namespace {

class FileSource : public InputSource {
 public:
  FileSource(std::vector<std::string> paths, std::istream& in, ReadOptions opts)
      : paths_(std::move(paths)), in_(in), opts_(opts) {}
  core::Result<InputSet> Read() override { return ReadInputs(paths_, in_, opts_); }
  std::string Describe() const override {
    if (paths_.size() == 1) return paths_[0] == "-" ? "standard input" : paths_[0];
    return std::to_string(paths_.size()) + " paths";
  }

 private:
  std::vector<std::string> paths_;
  std::istream& in_;
  ReadOptions opts_;
};

}  // namespace

std::unique_ptr<InputSource> NewFileSource(std::vector<std::string> paths, std::istream& stdin_stream,
                                           ReadOptions opts) {
  return std::make_unique<FileSource>(std::move(paths), stdin_stream, opts);
}

}  // namespace meshctl::io
