#include "lib/validate/field_ref.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace meshctl::validate {

std::string SnakeCase(std::string_view json_name) {
  std::string out;
  out.reserve(json_name.size() + 4);
  for (char c : json_name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string AppendKey(std::string_view path, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      plain = false;
      break;
    }
  }
  std::string out(path);
  if (plain) {
    if (!out.empty()) out += '.';
    out += key;
  } else {
    out += "['";
    out += key;
    out += "']";
  }
  return out;
}

FieldRef FieldRef::operator[](std::string_view json_name) const {
  std::string path = path_.empty() ? std::string(json_name) : path_ + "." + std::string(json_name);
  if (!IsMap()) return FieldRef(nullptr, std::move(path));
  if (const yaml::Node* n = node_->Get(json_name)) return FieldRef(n, std::move(path));
  std::string snake = SnakeCase(json_name);
  if (snake != json_name) {
    if (const yaml::Node* n = node_->Get(snake)) return FieldRef(n, path_.empty() ? snake : path_ + "." + snake);
  }
  return FieldRef(nullptr, std::move(path));
}

FieldRef FieldRef::At(size_t i) const {
  std::string path = path_ + "[" + std::to_string(i) + "]";
  if (!IsSeq() || i >= node_->size()) return FieldRef(nullptr, std::move(path));
  return FieldRef(&node_->at(i), std::move(path));
}

size_t FieldRef::size() const {
  if (node_ == nullptr || !(node_->IsMap() || node_->IsSeq())) return 0;
  return node_->size();
}

std::string FieldRef::KeyAt(size_t i) const { return IsMap() ? node_->KeyAt(i).ToScalarString() : std::string(); }

FieldRef FieldRef::ValueAt(size_t i) const {
  if (!IsMap()) return FieldRef();
  return FieldRef(&node_->ValueAt(i), AppendKey(path_, node_->KeyAt(i).ToScalarString()));
}

std::string FieldRef::Str() const {
  if (node_ == nullptr || !node_->IsString()) return std::string();
  return std::string(*node_->AsString());
}

std::optional<int64_t> FieldRef::Int() const {
  if (node_ == nullptr) return std::nullopt;
  if (node_->IsInt()) return node_->AsInt();
  if (node_->IsString()) {
    std::string_view s = *node_->AsString();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return v;
  }
  return std::nullopt;
}

std::optional<double> FieldRef::Number() const {
  if (node_ == nullptr) return std::nullopt;
  if (node_->IsNumber()) return node_->AsDouble();
  if (node_->IsString()) {
    std::string s(*node_->AsString());
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) return v;
  }
  return std::nullopt;
}

bool FieldRef::Bool() const {
  if (node_ == nullptr || !node_->IsBool()) return false;
  return node_->AsBool().value_or(false);
}

int FieldRef::Enum(std::span<const std::string_view> names_by_number, int dflt) const {
  if (!present()) return dflt;
  if (node_->IsString()) {
    std::string_view s = *node_->AsString();
    int i = 0;
    for (std::string_view n : names_by_number) {
      if (n == s) return i;
      ++i;
    }
    return -1;
  }
  if (auto v = node_->AsInt()) return static_cast<int>(*v);
  return -1;
}

}  // namespace meshctl::validate
