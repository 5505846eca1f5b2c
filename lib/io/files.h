// Reading the user's input files: plain files, directories (walked
// recursively, lexical order, only .yaml/.yml/.json as istioctl) and stdin
// ("-"). Everything is read whole into memory; parsing happens elsewhere.
//
// Reads are bounded (docs/reliability.md, "Input limits and safe writes"):
// at most ReadOptions::max_bytes in total (--max-input-size), only regular
// files, pipes and stdin (a device such as /dev/zero is refused), and a FIFO
// nobody writes to is given up after fifo_wait. UTF-16 text with a byte
// order mark is decoded to UTF-8 here, so every command sees the same text.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::io {

// 256 MiB: far above any real manifest set or config dump.
inline constexpr uint64_t kDefaultMaxInputBytes = uint64_t{256} << 20;

struct ReadOptions {
  // Bytes read in total by one ReadInputs call (or one ReadFile call).
  uint64_t max_bytes = kDefaultMaxInputBytes;
  // How long to wait for a writer on a FIFO that has none yet.
  std::chrono::milliseconds fifo_wait{10000};
  // Standard input was closed when meshctl started (fd 0 not open): "-" is
  // an I/O error instead of whatever file reused descriptor 0.
  bool stdin_closed = false;
};

// A regular file as it was when it was read, to tell whether reading it again
// gives the same text. All zero when the text is not exactly the file's bytes as
// read (stdin, a pipe, decoded UTF-16, an empty file).
struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool known() const { return size != 0; }
  bool operator==(const FileStamp&) const = default;
};

struct InputFile {
  std::string path;     // as given on the command line or built by the walk; "-" for stdin
  std::string content;
  // Fetched from a Kubernetes API server (a JSON List; `path` is its URL):
  // its resources have no file:line and say they came from the cluster.
  bool from_cluster = false;
  FileStamp stamp = {};
};

// The stamp of a file from its status (FileStamp::known() is false for anything
// but a non-empty regular file).
FileStamp StampOf(const struct stat& st);

// Reads a stamped file again into its own content, which keeps its size: for a
// reader that discarded pages of the text and needs them back. An IoError when
// the file can no longer be read or is not the file that was read.
core::Status ReadAgain(InputFile& file);

struct InputSet {
  std::vector<InputFile> files;
  // Files met in a directory walk and left out because of their extension.
  std::vector<std::string> skipped;
};

// Frees each file's text (its path and flags stay), for a caller done with it.
void ReleaseContents(InputSet& inputs);

// True for the extensions istioctl reads from directories.
bool HasManifestExtension(const std::string& path);

// Reads every path. A missing or unreadable path is an IoError naming it
// and saying why. `stdin_stream` is read for "-" (at most once); a file
// named twice (same device and inode) is read once.
core::Result<InputSet> ReadInputs(const std::vector<std::string>& paths, std::istream& stdin_stream,
                                  const ReadOptions& opts = {});

// Reads one file whole (regular file or pipe; bounded as above).
core::Result<std::string> ReadFile(const std::string& path, const ReadOptions& opts = {});

// Reads a stream whole, at most `opts.max_bytes`; `name` is for messages.
core::Result<std::string> ReadStream(std::istream& in, const std::string& name, const ReadOptions& opts = {});

// "256Mi", "1Gi", "500M", "4096": a byte count (binary and decimal
// suffixes, as Kubernetes quantities); InvalidArgument otherwise.
core::Result<uint64_t> ParseByteSize(const std::string& text);

// UTF-16 (LE or BE) text that starts with a byte order mark, as UTF-8;
// other text unchanged. DataError for an unpaired surrogate or odd length.
core::Result<std::string> DecodeUtf16(std::string text, const std::string& name);

// Writes `content` to `path` atomically: a temporary file in the same
// directory, flushed and fsynced, then renamed over the target. The file
// gets `mode` when given, else keeps its mode (a new one: 0666 minus umask).
core::Status WriteFileAtomic(const std::string& path, const std::string& content, std::optional<unsigned> mode = {});

// What --in-place writes: WriteFileAtomic that keeps the file's identity.
// Refuses (IoError, file untouched) a file without write permission in its
// mode bits (also as root), a file with several hard links (a rename would
// split them), and one whose owner cannot be kept. Writes through a symlink
// to its target. Removes stale temporary files of its own pattern next to
// the target (left by a killed run).
core::Status WriteFileInPlace(const std::string& path, const std::string& content);
// The checks WriteFileInPlace makes before writing, to run over a whole set
// of files before the first one is touched.
core::Status CheckInPlaceWritable(const std::string& path);

// The file a path names after following symlinks (the path itself when it
// is no symlink or cannot be resolved).
std::string ResolveSymlinks(const std::string& path);

// Deletes `.NAME.meshctl-PID-XXXXXX` files next to `path` whose process is
// gone (and `.NAME.meshctl-XXXXXX` of earlier versions); returns how many.
int RemoveStaleTempFiles(const std::string& path);

}  // namespace meshctl::io
