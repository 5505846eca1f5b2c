#include "lib/model/parse_hints.h"

#include <cctype>

#include <fmt/format.h>

namespace meshctl::model {

namespace {

// LINE and COL of "PATH:LINE:COL: ..." for the file's own path.
bool ErrorPosition(const std::string& path, const std::string& msg, size_t& line, size_t& col) {
  if (msg.compare(0, path.size() + 1, path + ":") != 0) return false;
  size_t i = path.size() + 1;
  auto number = [&](size_t& out) {
    size_t b = i;
    out = 0;
    while (i < msg.size() && std::isdigit(static_cast<unsigned char>(msg[i])) && i - b < 9)
      out = out * 10 + static_cast<size_t>(msg[i++] - '0');
    return i > b && i < msg.size() && msg[i] == ':';
  };
  if (!number(line)) return false;
  ++i;
  return number(col) && line > 0;
}

std::string_view LineOf(const std::string& text, size_t line) {
  size_t b = 0;
  for (size_t n = 1; n < line; ++n) {
    b = text.find('\n', b);
    if (b == std::string::npos) return {};
    ++b;
  }
  size_t e = text.find('\n', b);
  std::string_view l(text.data() + b, (e == std::string::npos ? text.size() : e) - b);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

// The first line that holds a template action `{{ ... }}` outside a comment; 0 when none.
size_t TemplateLine(const std::string& text) {
  size_t line = 1;
  for (size_t b = 0; b < text.size(); ++line) {
    size_t e = text.find('\n', b);
    std::string_view l(text.data() + b, (e == std::string::npos ? text.size() : e) - b);
    size_t open = l.find("{{");
    size_t hash = l.find_first_not_of(" \t");
    bool comment = hash != std::string_view::npos && l[hash] == '#';
    if (!comment && open != std::string_view::npos && l.find("}}", open + 2) != std::string_view::npos) return line;
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return 0;
}

}  // namespace

core::Status WithParseHint(const io::InputFile& file, const core::Status& error) {
  if (error.ok()) return error;
  const std::string& msg = error.message();
  if (size_t t = TemplateLine(file.content)) {
    return core::Status(error.code(),
                        fmt::format("{} (line {} holds a template action {{{{ ... }}}}: this looks like a Helm chart "
                                    "template, which must be rendered first, e.g. `helm template RELEASE CHART | "
                                    "meshctl analyze -`)",
                                    msg, t));
  }
  size_t line = 0, col = 0;
  if (msg.find("found unexpected ':'") != std::string::npos && ErrorPosition(file.path, msg, line, col)) {
    std::string_view l = LineOf(file.content, line);
    size_t at = col - 1;
    if (at < l.size() && l[at] == ':') {
      // The plain scalar around the ':' (flow context: it ends at , ] } or a blank).
      size_t b = at;
      while (b > 0 && std::string_view("[{, \t").find(l[b - 1]) == std::string_view::npos) --b;
      size_t e = at;
      while (e < l.size() && std::string_view("]}, \t").find(l[e]) == std::string_view::npos) ++e;
      std::string_view token = l.substr(b, e - b);
      return core::Status(
          error.code(),
          fmt::format("{}:{}:{}: the plain value {} in a flow collection holds a ':' followed by ',', ']' or '}}', "
                      "which this YAML reader (libyaml) does not accept though go-yaml does: quote it "
                      "(\"{}\") or write the list in block style",
                      file.path, line, b + 1, token, token));
    }
  }
  return error;
}

}  // namespace meshctl::model
