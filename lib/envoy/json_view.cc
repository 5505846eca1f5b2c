#include "lib/envoy/json_view.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "lib/json/parser.h"
#include "lib/envoy/str_cat.h"

namespace meshctl::envoy {

namespace dom = simdjson::dom;

std::string LowerCamel(std::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

namespace {

// True when `key` is the lowerCamelCase spelling of `snake` ("user_agent" ->
// "userAgent"), compared without allocating.
bool IsCamelOf(std::string_view key, std::string_view snake) {
  size_t j = 0;
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    char want = upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
    if (j >= key.size() || key[j] != want) return false;
    ++j;
  }
  return j == key.size();
}

}  // namespace

JsonView JsonView::operator[](std::string_view key) const {
  dom::object obj;
  if (!present_ || e_.get_object().get(obj) != simdjson::SUCCESS) return {};
  // One pass: the exact key wins; the camelCase spelling is the fallback.
  size_t underscores = static_cast<size_t>(std::count(key.begin(), key.end(), '_'));
  size_t camel_len = key.size() - underscores;
  JsonView camel;
  for (dom::key_value_pair kv : obj) {
    if (kv.key == key) return JsonView(kv.value);
    if (underscores > 0 && kv.key.size() == camel_len && !camel.present() && IsCamelOf(kv.key, key)) {
      camel = JsonView(kv.value);
    }
  }
  return camel;
}

JsonView JsonView::At(size_t i) const {
  dom::array arr;
  if (!present_ || e_.get_array().get(arr) != simdjson::SUCCESS) return {};
  dom::element v;
  if (arr.at(i).get(v) != simdjson::SUCCESS) return {};
  return JsonView(v);
}

size_t JsonView::size() const {
  if (!present_) return 0;
  dom::array arr;
  if (e_.get_array().get(arr) == simdjson::SUCCESS) return arr.size();
  dom::object obj;
  if (e_.get_object().get(obj) == simdjson::SUCCESS) return obj.size();
  return 0;
}

std::vector<JsonView> JsonView::Items() const {
  std::vector<JsonView> out;
  ForEach([&](JsonView v) { out.push_back(v); });
  return out;
}

std::string_view JsonView::Str() const {
  std::string_view s;
  if (!present_ || e_.get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

int64_t JsonView::Int(int64_t fallback) const {
  if (!present_) return fallback;
  int64_t i;
  if (e_.get_int64().get(i) == simdjson::SUCCESS) return i;
  uint64_t u;
  if (e_.get_uint64().get(u) == simdjson::SUCCESS) return static_cast<int64_t>(u);
  double d;
  if (e_.get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  std::string_view s;
  if (e_.get_string().get(s) == simdjson::SUCCESS) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return v;
  }
  return fallback;
}

bool JsonView::Bool(bool fallback) const {
  bool b;
  if (!present_ || e_.get_bool().get(b) != simdjson::SUCCESS) return fallback;
  return b;
}

std::string JsonView::Minified() const {
  if (!present_) return {};
  return simdjson::minify(e_);
}

std::string JsonView::ScalarText() const {
  if (!present_) return {};
  if (e_.is_string()) return std::string(Str());
  return simdjson::minify(e_);
}

// ---- JsonDocument

namespace {

// Large documents: simdjson's buffers are ~1 byte per input byte written
// once in order, i.e. one page fault per 4 KB (a third of the CPU time of
// `pc cluster` on 100 MB). Transparent huge pages cut that to one per 2 MB
// where the kernel allows them (THP "madvise" mode, Debian's default).
constexpr size_t kHugePageHintBytes = size_t{8} << 20;

// Asks for huge pages on the whole pages inside [p, p+len). A hint: failure
// changes nothing.
void AdviseHugePages(const void* p, size_t len) {
  long page = sysconf(_SC_PAGESIZE);
  if (p == nullptr || page <= 0) return;
  auto begin = reinterpret_cast<uintptr_t>(p);
  auto mask = static_cast<uintptr_t>(page) - 1;
  uintptr_t first = (begin + mask) & ~mask, last = (begin + len) & ~mask;
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace

core::Status JsonDocument::ParseBuffer() {
  // A parser of its own, dropped on return: its structural index (4 bytes per
  // token, ~25 MB for a 100 MB dump) is needed only while parsing, and freeing
  // it leaves that room to the renderers. dom_ keeps the tape and strings.
  simdjson::dom::parser parser;
  if (size_ >= kHugePageHintBytes && parser.allocate(size_) == simdjson::SUCCESS &&
      dom_.allocate(size_) == simdjson::SUCCESS) {
    // Allocated to the document's size up front (parse_into_document then
    // keeps them) so the hint comes before the first touch. The members are
    // simdjson 3.0's (Debian 12's libsimdjson-dev); the lengths are lower
    // bounds of what document::allocate and set_capacity allocate for
    // `size_`: 4 bytes per input byte for the structural index, 8 for the
    // tape, 5/3 for strings.
    static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3, "check the buffer sizes of this simdjson version");
    AdviseHugePages(parser.implementation->structural_indexes.get(), size_ * sizeof(uint32_t));
    AdviseHugePages(dom_.tape.get(), size_ * sizeof(uint64_t));
    AdviseHugePages(dom_.string_buf.get(), size_ / 3 * 5);
  }
  auto err = parser.parse_into_document(dom_, data_, size_, /*realloc_if_needed=*/false).get(root_);
  if (err == simdjson::SUCCESS) return core::Status::Ok();
  if (err == simdjson::EMPTY) return core::DataError(Cat(source_, ": empty input, expected JSON"));
  // simdjson does not say where; the position-tracking loader does.
  auto positioned = json::ParseJsonStrict(text(), source_);
  if (!positioned.ok()) return positioned.status();
  return core::DataError(Cat(source_, ": invalid JSON: ", simdjson::error_message(err)));
}

core::Result<std::unique_ptr<JsonDocument>> JsonDocument::Parse(std::string_view content, const std::string& source) {
  std::string copy;
  copy.reserve(content.size() + simdjson::SIMDJSON_PADDING);
  copy.assign(content);
  return ParseOwned(std::move(copy), source);
}

core::Result<std::unique_ptr<JsonDocument>> JsonDocument::ParseOwned(std::string content, const std::string& source) {
  std::unique_ptr<JsonDocument> doc(new JsonDocument());
  doc->source_ = source;
  doc->owned_ = std::move(content);
  size_t size = doc->owned_.size();
  // simdjson may read up to SIMDJSON_PADDING bytes past the end: make them
  // part of the string (zeros). A string read in chunks has the capacity
  // already, so this neither moves nor copies it.
  doc->owned_.resize(size + simdjson::SIMDJSON_PADDING, '\0');
  doc->data_ = doc->owned_.data();
  doc->size_ = size;
  RETURN_IF_ERROR(doc->ParseBuffer());
  return doc;
}

JsonDocument::~JsonDocument() {
  if (map_ != nullptr) munmap(map_, map_len_);
}

bool JsonDocument::Map(const std::string& path, const io::ReadOptions& opts) {
  // O_NONBLOCK: a FIFO without a writer must not block here (lib/io waits
  // for it with a bound).
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st {};
  long page = sysconf(_SC_PAGESIZE);
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || page <= 0 ||
      static_cast<uint64_t>(st.st_size) > opts.max_bytes) {
    return false;
  }
  size_t size = static_cast<size_t>(st.st_size);
  size_t page_size = static_cast<size_t>(page);
  size_t span = (size + simdjson::SIMDJSON_PADDING + page_size - 1) / page_size * page_size;
  // Zero pages for the whole span, then the file over their start: every
  // byte past the file's end (rest of its last page, then the reserved
  // pages) reads as zero, whatever the file's size modulo the page size.
  void* base = mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return false;
  // MAP_POPULATE: the parser reads every page anyway; mapping them in one
  // call costs less than one page fault per 16 pages.
  void* m = mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  if (m == MAP_FAILED) {
    munmap(base, span);
    return false;
  }
  const auto* bytes = static_cast<const unsigned char*>(m);
  // UTF-16 (byte order mark): lib/io decodes it.
  if (size >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) {
    munmap(base, span);
    return false;
  }
  map_ = base;
  map_len_ = span;
  data_ = static_cast<const char*>(m);
  size_ = size;
  return true;
}

core::Result<std::unique_ptr<JsonDocument>> JsonDocument::Load(const std::string& path, const io::ReadOptions& opts) {
  std::unique_ptr<JsonDocument> doc(new JsonDocument());
  doc->source_ = path;
  if (!doc->Map(path, opts)) {
    // Pipes, /dev/fd/N, UTF-16, empty or oversized files and every error:
    // lib/io's reader, its limits and its messages.
    ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, opts));
    return ParseOwned(std::move(text), path);
  }
  RETURN_IF_ERROR(doc->ParseBuffer());
  return doc;
}

// ---- writers

namespace {

void WriteJsonString(std::string_view s, std::ostream& out) {
  static const char kHex[] = "0123456789abcdef";
  out << '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      case '\b': out << "\\b"; break;
      case '\f': out << "\\f"; break;
      default:
        if (c < 0x20) {
          out << "\\u00" << kHex[c >> 4] << kHex[c & 15];
        } else {
          out << static_cast<char>(c);
        }
    }
  }
  out << '"';
}

void Indent(std::ostream& out, int n) {
  for (int i = 0; i < n; ++i) out << ' ';
}

void WriteJsonValue(const JsonView& v, std::ostream& out, int indent, int depth) {
  if (v.IsObject()) {
    if (v.size() == 0) {
      out << "{}";
      return;
    }
    out << "{\n";
    size_t i = 0, n = v.size();
    v.ForEachField([&](std::string_view k, JsonView x) {
      Indent(out, indent * (depth + 1));
      WriteJsonString(k, out);
      out << ": ";
      WriteJsonValue(x, out, indent, depth + 1);
      out << (++i < n ? ",\n" : "\n");
    });
    Indent(out, indent * depth);
    out << "}";
  } else if (v.IsArray()) {
    if (v.size() == 0) {
      out << "[]";
      return;
    }
    out << "[\n";
    size_t i = 0, n = v.size();
    v.ForEach([&](JsonView x) {
      Indent(out, indent * (depth + 1));
      WriteJsonValue(x, out, indent, depth + 1);
      out << (++i < n ? ",\n" : "\n");
    });
    Indent(out, indent * depth);
    out << "]";
  } else if (v.IsString()) {
    WriteJsonString(v.Str(), out);
  } else if (v.present()) {
    out << v.Minified();
  } else {
    out << "null";
  }
}

// True when a plain YAML scalar with this text would not read back as the
// same string (numbers, booleans, null, empty, ...).
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* w : kWords) {
    if (lower == w) return true;
  }
  bool numeric = true;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' || c == '_')) {
      numeric = false;
      break;
    }
  }
  if (numeric) return true;
  return lower == ".inf" || lower == "-.inf" || lower == ".nan";
}

void EmitYaml(const nlohmann::ordered_json& v, YAML::Emitter& e) {
  if (v.is_object()) {
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    // Sorted keys, as istioctl's JSON-to-YAML conversion prints them.
    std::vector<const std::string*> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(&it.key());
    std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
    e << YAML::BeginMap;
    for (const std::string* k : keys) {
      e << YAML::Key;
      if (NeedsQuotes(*k)) e << YAML::DoubleQuoted;
      e << *k << YAML::Value;
      EmitYaml(v.at(*k), e);
    }
    e << YAML::EndMap;
  } else if (v.is_array()) {
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    e << YAML::BeginSeq;
    for (const auto& x : v) EmitYaml(x, e);
    e << YAML::EndSeq;
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (NeedsQuotes(s)) e << YAML::DoubleQuoted;
    e << s;
  } else if (v.is_null()) {
    e << YAML::Null;
  } else {
    e << v.dump();
  }
}

nlohmann::ordered_json ToNlohmannImpl(const JsonView& v) {
  if (v.IsObject()) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    v.ForEachField([&](std::string_view k, JsonView x) { o[std::string(k)] = ToNlohmannImpl(x); });
    return o;
  }
  if (v.IsArray()) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    v.ForEach([&](JsonView x) { a.push_back(ToNlohmannImpl(x)); });
    return a;
  }
  if (v.IsString()) return std::string(v.Str());
  if (v.IsBool()) return v.Bool();
  if (v.IsNumber()) {
    int64_t i;
    if (v.raw().get_int64().get(i) == simdjson::SUCCESS) return i;
    uint64_t u;
    if (v.raw().get_uint64().get(u) == simdjson::SUCCESS) return u;
    double d = 0;
    if (v.raw().get_double().get(d) != simdjson::SUCCESS) return nullptr;
    return d;
  }
  return nullptr;
}

}  // namespace

void WriteJson(const JsonView& v, std::ostream& out, int indent) {
  WriteJsonValue(v, out, indent, 0);
  out << "\n";
}

nlohmann::ordered_json ToNlohmann(const JsonView& v) { return ToNlohmannImpl(v); }

void WriteJson(const nlohmann::ordered_json& v, std::ostream& out, int indent) {
  out << v.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

void WriteYaml(const nlohmann::ordered_json& v, std::ostream& out) {
  YAML::Emitter e;
  e.SetIndent(2);
  EmitYaml(v, e);
  out << e.c_str() << "\n";
}

}  // namespace meshctl::envoy
