#include "lib/core/strings.h"
#include "lib/io/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

namespace meshctl::io {

namespace fs = std::filesystem;
using core::Result;
using core::Status;

void ReleaseContents(InputSet& inputs) {
  for (auto& f : inputs.files) std::string().swap(f.content);
}

bool HasManifestExtension(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

namespace {

std::string Quoted(const std::string& path) { return "\"" + path + "\""; }

std::string HumanBytes(uint64_t n) {
  if (n % (uint64_t{1} << 30) == 0 && n > 0) return std::to_string(n >> 30) + " GiB";
  if (n % (uint64_t{1} << 20) == 0 && n > 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

Status TooLarge(const std::string& name, uint64_t limit) {
  return core::DataError(name + ": input is larger than the " + HumanBytes(limit) +
                         " limit; raise it with --max-input-size (e.g. --max-input-size 1Gi)");
}

const char* FileTypeName(mode_t m) {
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISDIR(m)) return "a directory";
  return "not a regular file";
}

// Reads `fd` to the end, at most `limit` bytes (one more is an error).
// `expected` is the size fstat gave a regular file: the text goes into one
// buffer of that size instead of one that doubles as it fills (every step
// of that touched fresh pages: 64 MB of page faults for a 20 MB file).
Result<std::string> ReadFd(int fd, const std::string& name, uint64_t limit, uint64_t expected = 0) {
  std::string data;
  if (expected > 0) data.reserve(static_cast<size_t>(std::min(expected, limit)) + 1);
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::IoError("cannot read file " + Quoted(name) + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (data.size() + static_cast<uint64_t>(n) > limit) return TooLarge(name, limit);
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

// Opens and reads one path; `st` receives its status.
Result<std::string> ReadPath(const std::string& path, const ReadOptions& opts, struct stat& st) {
  // O_NONBLOCK: opening a FIFO without a writer must not hang here.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return core::IoError("cannot read file " + Quoted(path) + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0) return core::IoError("cannot read file " + Quoted(path) + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return core::IoError("cannot read file " + Quoted(path) + ": is a directory");
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > opts.max_bytes) return TooLarge(path, opts.max_bytes);
  } else if (S_ISFIFO(st.st_mode)) {
    // A pipe (|, <(...), /dev/fd/N) or a named FIFO: wait a bounded time for
    // a writer, then read it as a stream.
    struct pollfd p {
      fd, POLLIN, 0
    };
    int ms = static_cast<int>(std::min<int64_t>(opts.fifo_wait.count(), INT_MAX));
    int r;
    do r = ::poll(&p, 1, ms);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
      return core::IoError("cannot read file " + Quoted(path) + ": no process opened the FIFO for writing within " +
                           std::to_string(opts.fifo_wait.count() / 1000) + "s");
    }
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  } else {
    return core::IoError("cannot read file " + Quoted(path) + ": " + FileTypeName(st.st_mode) +
                         ", not a regular file or a pipe");
  }
  uint64_t expected = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  ASSIGN_OR_RETURN(std::string data, ReadFd(fd, path, opts.max_bytes, expected));
  return DecodeUtf16(std::move(data), path);
}

}  // namespace

Result<std::string> DecodeUtf16(std::string text, const std::string& name) {
  if (text.size() < 2) return text;
  auto b0 = static_cast<unsigned char>(text[0]), b1 = static_cast<unsigned char>(text[1]);
  bool le = b0 == 0xFF && b1 == 0xFE, be = b0 == 0xFE && b1 == 0xFF;
  if (!le && !be) return text;
  if (text.size() % 2 != 0) return core::DataError(name + ": UTF-16 text (byte order mark) has an odd number of bytes");
  auto unit = [&](size_t i) -> uint32_t {
    auto a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
    return le ? (uint32_t{b} << 8 | a) : (uint32_t{a} << 8 | b);
  };
  std::string out;
  out.reserve(text.size());
  int line = 1;
  for (size_t i = 2; i < text.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t lo = i + 2 < text.size() ? unit(i + 2) : 0;
      if (lo < 0xDC00 || lo > 0xDFFF)
        return core::DataError(name + ":" + std::to_string(line) + ": invalid UTF-16: unpaired surrogate");
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return core::DataError(name + ":" + std::to_string(line) + ": invalid UTF-16: unpaired surrogate");
    }
    if (u == '\n') ++line;
    core::AppendUtf8(out, u);
  }
  return out;
}

FileStamp StampOf(const struct stat& st) {
  if (!S_ISREG(st.st_mode) || st.st_size <= 0) return {};
  return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

Status ReadAgain(InputFile& file) {
  const std::string& path = file.path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::IoError("cannot read file " + Quoted(path) + " again: " + std::strerror(errno));
  struct stat st {};
  bool same = file.stamp.known() && ::fstat(fd, &st) == 0 && StampOf(st) == file.stamp &&
              file.stamp.size == file.content.size();
  size_t done = 0;
  while (same && done < file.content.size()) {
    ssize_t n = ::pread(fd, file.content.data() + done, file.content.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) same = false;
    else done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (!same) return core::IoError(path + ": the file changed while meshctl was reading it; run again");
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path, const ReadOptions& opts) {
  struct stat st {};
  return ReadPath(path, opts, st);
}

Result<std::string> ReadStream(std::istream& in, const std::string& name, const ReadOptions& opts) {
  if (opts.stdin_closed && name == "standard input")
    return core::IoError("cannot read standard input: it is closed");
  std::string data;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    auto n = static_cast<uint64_t>(in.gcount());
    if (data.size() + n > opts.max_bytes) return TooLarge(name, opts.max_bytes);
    data.append(buf, static_cast<size_t>(n));
  }
  if (in.bad()) return core::IoError("cannot read " + name);
  return DecodeUtf16(std::move(data), name);
}

Result<uint64_t> ParseByteSize(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  std::string suffix = text.substr(i);
  auto bad = [&] {
    return core::InvalidArgument("invalid size \"" + text + "\": give bytes or a number with Ki, Mi, Gi (or K, M, G)");
  };
  if (i == 0 || i > 19) return bad();
  uint64_t n = std::stoull(text.substr(0, i));
  uint64_t mul = 1;
  if (suffix.empty()) mul = 1;
  else if (suffix == "Ki") mul = uint64_t{1} << 10;
  else if (suffix == "Mi") mul = uint64_t{1} << 20;
  else if (suffix == "Gi") mul = uint64_t{1} << 30;
  else if (suffix == "Ti") mul = uint64_t{1} << 40;
  else if (suffix == "K" || suffix == "k") mul = 1000;
  else if (suffix == "M") mul = 1000 * 1000;
  else if (suffix == "G") mul = 1000 * 1000 * 1000;
  else return bad();
  if (n == 0 || n > UINT64_MAX / mul) return bad();
  return n * mul;
}

namespace {

// Reads the files below `root` in lexical order of their full paths. Each
// directory is listed on its own so that an unreadable one is named.
Status WalkDirectory(const std::string& root, std::vector<std::string>& files, std::vector<std::string>& skipped) {
  std::vector<std::string> found;
  std::vector<std::string> pending = {root};
  while (!pending.empty()) {
    std::string dir = pending.back();
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return core::IoError("cannot read directory " + Quoted(dir) + ": " + ec.message());
    for (auto end = fs::directory_iterator(); it != end; it.increment(ec)) {
      if (ec) return core::IoError("cannot read directory " + Quoted(dir) + ": " + ec.message());
      std::error_code type_ec;
      // Symlinked directories are not followed (as the walk always did).
      if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
        pending.push_back(it->path().string());
        continue;
      }
      if (it->is_regular_file(type_ec)) found.push_back(it->path().string());
    }
    if (ec) return core::IoError("cannot read directory " + Quoted(dir) + ": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  for (auto& f : found) (HasManifestExtension(f) ? files : skipped).push_back(std::move(f));
  return Status::Ok();
}

}  // namespace

Result<InputSet> ReadInputs(const std::vector<std::string>& paths, std::istream& stdin_stream,
                            const ReadOptions& opts) {
  InputSet out;
  bool stdin_read = false;
  uint64_t used = 0;
  std::set<std::pair<dev_t, ino_t>> seen;
  auto budget = [&] {
    ReadOptions o = opts;
    o.max_bytes = opts.max_bytes - used;
    return o;
  };
  auto too_large = [&](Status st) {
    // Name the limit, not what was left of it.
    if (st.code() == core::StatusCode::kDataError && st.message().find("--max-input-size") != std::string::npos) {
      std::string name = st.message().substr(0, st.message().find(": input is larger"));
      return TooLarge(name, opts.max_bytes);
    }
    return st;
  };
  auto read_one = [&](const std::string& p) -> Status {
    struct stat st {};
    auto content = ReadPath(p, budget(), st);
    if (!content.ok()) return too_large(content.status());
    if (S_ISREG(st.st_mode) && !seen.emplace(st.st_dev, st.st_ino).second) return Status::Ok();  // named twice
    used += content->size();
    out.files.push_back({p, std::move(content).value()});
    FileStamp stamp = StampOf(st);
    if (stamp.size == out.files.back().content.size()) out.files.back().stamp = stamp;
    return Status::Ok();
  };
  for (const auto& p : paths) {
    if (p == "-") {
      if (stdin_read) continue;
      stdin_read = true;
      auto content = ReadStream(stdin_stream, "standard input", budget());
      if (!content.ok()) return too_large(content.status());
      used += content->size();
      out.files.push_back({"-", std::move(content).value()});
      continue;
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      int err = errno;
      struct stat lst {};
      if (err == ENOENT && ::lstat(p.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
        return core::IoError("cannot stat file " + Quoted(p) + ": symbolic link to a missing file");
      return core::IoError("cannot stat file " + Quoted(p) + ": " + std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
      std::vector<std::string> files;
      RETURN_IF_ERROR(WalkDirectory(p, files, out.skipped));
      for (const auto& f : files) RETURN_IF_ERROR(read_one(f));
    } else {
      RETURN_IF_ERROR(read_one(p));
    }
  }
  return out;
}

std::string ResolveSymlinks(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return path;
  return buf;
}

namespace {

// "." NAME ".meshctl-" ([0-9]+ "-")? [A-Za-z0-9]{6}: the temporary files
// WriteFileAtomic makes (with the writer's pid; without it before).
bool StaleTempName(const std::string& entry, const std::string& prefix) {
  if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return false;
  std::string rest = entry.substr(prefix.size());
  auto alnum6 = [](const std::string& s) {
    return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  };
  if (alnum6(rest)) return true;  // earlier meshctl versions: no pid to ask
  size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 10 || !alnum6(rest.substr(dash + 1))) return false;
  std::string pid = rest.substr(0, dash);
  if (!std::all_of(pid.begin(), pid.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return false;
  long n = std::stol(pid);
  if (n == static_cast<long>(::getpid())) return false;
  return ::kill(static_cast<pid_t>(n), 0) != 0 && errno == ESRCH;
}

std::string TempPrefix(const fs::path& target) { return "." + target.filename().string() + ".meshctl-"; }

unsigned DefaultMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~static_cast<unsigned>(mask);
}

// Writes a temporary file next to `path` and renames it over `path`;
// `prepare` sets mode and owner on the open descriptor.
template <typename Prepare>
Status ReplaceFile(const std::string& path, const std::string& content, Prepare prepare) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / (TempPrefix(target) + std::to_string(::getpid()) + "-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return core::IoError("cannot create temporary file next to " + Quoted(path) + ": " + std::strerror(errno));
  std::string tmp(name.data());
  auto fail = [&](const std::string& what, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::IoError(what + " " + Quoted(path) + ": " + std::strerror(err));
  };
  if (int err = prepare(fd); err != 0) return fail("cannot keep the owner and mode of", err);
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write", errno);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync", errno);
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return core::IoError("cannot close temporary file for " + Quoted(path));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return core::IoError("cannot replace " + Quoted(path) + ": " + std::strerror(err));
  }
  // The rename itself is durable once the directory is synced.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace

int RemoveStaleTempFiles(const std::string& path) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string prefix = TempPrefix(target);
  int removed = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (!StaleTempName(name, prefix)) continue;
    struct stat st {};
    std::string full = (dir / name).string();
    if (::lstat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::unlink(full.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

Status WriteFileAtomic(const std::string& path, const std::string& content, std::optional<unsigned> mode) {
  unsigned m;
  struct stat st {};
  if (mode) m = *mode;
  else if (::stat(path.c_str(), &st) == 0) m = st.st_mode & 07777;
  else m = DefaultMode();
  return ReplaceFile(path, content, [m](int fd) { return ::fchmod(fd, m) == 0 ? 0 : errno; });
}

Status CheckInPlaceWritable(const std::string& path) {
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0) return core::IoError("cannot write " + Quoted(path) + ": " + std::strerror(errno));
  std::string target = S_ISLNK(lst.st_mode) ? ResolveSymlinks(path) : path;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) return core::IoError("cannot write " + Quoted(path) + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return core::IoError("cannot write " + Quoted(path) + ": " + FileTypeName(st.st_mode));
  // The mode bits decide, also for root (who could write anyway): a file
  // made read-only is one the user does not want changed.
  if ((st.st_mode & 0222) == 0 || ::access(target.c_str(), W_OK) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return core::IoError("cannot write " + Quoted(path) + ": the file is read-only (mode " + mode +
                         "); nothing was changed");
  }
  if (st.st_nlink > 1) {
    return core::IoError("cannot write " + Quoted(path) + ": it has " + std::to_string(st.st_nlink) +
                         " hard links and --in-place replaces files by rename, which would split them; nothing was "
                         "changed (edit a copy, or use -o yaml)");
  }
  return Status::Ok();
}

Status WriteFileInPlace(const std::string& path, const std::string& content) {
  RETURN_IF_ERROR(CheckInPlaceWritable(path));
  std::string target = ResolveSymlinks(path);
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) return core::IoError("cannot write " + Quoted(path) + ": " + std::strerror(errno));
  RemoveStaleTempFiles(target);
  return ReplaceFile(target, content, [&st](int fd) {
    struct stat now {};
    if (::fstat(fd, &now) != 0) return errno;
    if ((now.st_uid != st.st_uid || now.st_gid != st.st_gid) && ::fchown(fd, st.st_uid, st.st_gid) != 0) return errno;
    return ::fchmod(fd, st.st_mode & 07777) == 0 ? 0 : errno;
  });
}

}  // namespace meshctl::io
