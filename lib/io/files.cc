#include "lib/io/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace meshctl::io {

namespace fs = std::filesystem;
using core::Result;
using core::Status;

bool HasManifestExtension(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::IoError("cannot read file \"" + path + "\": " + std::strerror(errno));
  }
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return core::IoError("cannot read file \"" + path + "\": is a directory");
  }
  if (st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return core::IoError("cannot read file \"" + path + "\": " + std::strerror(err));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

namespace {

Status WalkDirectory(const std::string& root, InputSet& out) {
  std::error_code ec;
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return core::IoError("cannot read directory \"" + root + "\": " + ec.message());
  for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) return core::IoError("cannot read directory \"" + root + "\": " + ec.message());
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    files.push_back(it->path().string());
  }
  if (ec) return core::IoError("cannot read directory \"" + root + "\": " + ec.message());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    if (!HasManifestExtension(f)) {
      out.skipped.push_back(f);
      continue;
    }
    ASSIGN_OR_RETURN(std::string content, ReadFile(f));
    out.files.push_back({f, std::move(content)});
  }
  return Status::Ok();
}

}  // namespace

Result<InputSet> ReadInputs(const std::vector<std::string>& paths, std::istream& stdin_stream) {
  InputSet out;
  bool stdin_read = false;
  for (const auto& p : paths) {
    if (p == "-") {
      if (stdin_read) continue;
      stdin_read = true;
      std::string content{std::istreambuf_iterator<char>(stdin_stream), std::istreambuf_iterator<char>()};
      if (stdin_stream.bad()) return core::IoError("cannot read standard input");
      out.files.push_back({"-", std::move(content)});
      continue;
    }
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      return core::IoError("cannot stat file \"" + p + "\": " +
                           (ec ? ec.message() : std::string("no such file or directory")));
    }
    if (fs::is_directory(st)) {
      RETURN_IF_ERROR(WalkDirectory(p, out));
    } else {
      ASSIGN_OR_RETURN(std::string content, ReadFile(p));
      out.files.push_back({p, std::move(content)});
    }
  }
  return out;
}

Status WriteFileAtomic(const std::string& path, const std::string& content) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".meshctl-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return core::IoError("cannot create temporary file next to \"" + path + "\": " + std::strerror(errno));
  std::string tmp(name.data());
  auto fail = [&](const std::string& what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::IoError(what + " \"" + path + "\": " + std::strerror(err));
  };
  // Keep the original file's permissions when it exists.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return core::IoError("cannot close temporary file for \"" + path + "\"");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return core::IoError("cannot replace \"" + path + "\": " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace meshctl::io
