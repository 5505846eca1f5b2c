#include "lib/crd/schema_validator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "lib/core/strings.h"

namespace meshctl::crd {

namespace {

// Go's %v for a float64: strconv 'g' with the shortest precision, which
// switches to %e when the exponent is < -4 or >= 6 (4.294967295e+09).
std::string GoFloat(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  if (exp < -4 || exp >= 6) {
    std::string mant = sci.substr(0, e);
    std::string ex = sci.substr(e + 1);
    char sign = ex[0] == '-' ? '-' : '+';
    if (ex[0] == '-' || ex[0] == '+') ex = ex.substr(1);
    while (ex.size() > 2 && ex[0] == '0') ex = ex.substr(1);
    if (ex.size() < 2) ex = "0" + ex;
    return mant + "e" + sign + ex;
  }
  r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

void AppendJson(const yaml::Node& n, std::string& out) {
  switch (n.type()) {
    case yaml::NodeType::kNull: out += "null"; return;
    case yaml::NodeType::kBool: out += n.AsBool().value_or(false) ? "true" : "false"; return;
    case yaml::NodeType::kInt:
      if (auto i = n.AsInt()) {
        out += std::to_string(*i);
      } else {
        out += GoFloat(n.AsDouble().value_or(0));
      }
      return;
    case yaml::NodeType::kFloat: out += GoFloat(n.AsDouble().value_or(0)); return;
    case yaml::NodeType::kString: out += core::GoQuote(n.text()); return;
    case yaml::NodeType::kSeq:
      out += '[';
      for (size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        AppendJson(n.at(i), out);
      }
      out += ']';
      return;
    case yaml::NodeType::kMap: {
      // Go's json.Marshal of a map sorts the keys.
      std::vector<size_t> order(n.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return n.KeyAt(a).text() < n.KeyAt(b).text(); });
      out += '{';
      for (size_t i = 0; i < order.size(); ++i) {
        if (i) out += ',';
        out += core::GoQuote(n.KeyAt(order[i]).text());
        out += ':';
        AppendJson(n.ValueAt(order[i]), out);
      }
      out += '}';
      return;
    }
  }
}

std::string Json(const yaml::Node& n) {
  std::string out;
  AppendJson(n, out);
  return out;
}

std::string_view ActualType(const yaml::Node& n) {
  switch (n.type()) {
    case yaml::NodeType::kNull: return "null";
    case yaml::NodeType::kBool: return "boolean";
    case yaml::NodeType::kInt: return "integer";
    case yaml::NodeType::kFloat: return "number";
    case yaml::NodeType::kString: return "string";
    case yaml::NodeType::kMap: return "object";
    case yaml::NodeType::kSeq: return "array";
  }
  return "";
}

bool IsIntegral(const yaml::Node& n) {
  if (n.IsInt()) return true;
  if (n.type() != yaml::NodeType::kFloat) return false;
  double d = n.AsDouble().value_or(0.5);
  return std::isfinite(d) && std::floor(d) == d;
}

bool TypeMatches(Schema::Type t, const yaml::Node& n) {
  switch (t) {
    case Schema::Type::kAny: return true;
    case Schema::Type::kObject: return n.IsMap();
    case Schema::Type::kArray: return n.IsSeq();
    case Schema::Type::kString: return n.IsString();
    case Schema::Type::kBoolean: return n.IsBool();
    case Schema::Type::kInteger: return IsIntegral(n);
    case Schema::Type::kNumber: return n.IsNumber();
  }
  return false;
}

bool JsonEqual(const yaml::Node& a, const yaml::Node& b) {
  if (a.IsNumber() && b.IsNumber()) {
    auto ai = a.AsInt(), bi = b.AsInt();
    if (a.IsInt() && b.IsInt() && ai && bi) return *ai == *bi;
    return a.AsDouble() == b.AsDouble();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case yaml::NodeType::kNull: return true;
    case yaml::NodeType::kBool: return a.AsBool() == b.AsBool();
    case yaml::NodeType::kString: return a.text() == b.text();
    case yaml::NodeType::kSeq:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!JsonEqual(a.at(i), b.at(i))) return false;
      return true;
    case yaml::NodeType::kMap:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        const yaml::Node* o = b.Get(a.KeyAt(i).text());
        if (!o || !JsonEqual(a.ValueAt(i), *o)) return false;
      }
      return true;
    default: return false;
  }
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool NeedsQuoting(std::string_view key) {
  if (key.empty()) return true;
  for (char c : key)
    if (c == '.' || c == '[' || c == ']' || c == '\'' || c == '"' || c == ' ') return true;
  return false;
}

// RFC 3339 date-time as Go's strfmt.DateTime accepts it (the common layouts).
bool IsDateTime(std::string_view s) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!(digits(0, 4) && s.size() > 10 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2))) return false;
  if (!(s[10] == 'T' || s[10] == 't' || s[10] == ' ')) return false;
  if (!(digits(11, 2) && s.size() > 13 && s[13] == ':' && digits(14, 2) && s.size() > 16 && s[16] == ':' &&
        digits(17, 2)))
    return false;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t b = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == b) return false;
  }
  if (i == s.size()) return false;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  return digits(i + 1, 2) && i + 3 < s.size() && s[i + 3] == ':' && digits(i + 4, 2) && i + 6 == s.size();
}

bool IsBase64(std::string_view s) {
  // Go's base64.StdEncoding (padded), as strfmt.Base64 decodes.
  if (s.size() % 4 != 0) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
    if (c == '=') ok = i >= s.size() - 2 && (i == s.size() - 1 || s[s.size() - 1] == '=');
    if (!ok) return false;
  }
  return true;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool IsIp(std::string_view s, int family) {
  std::string text(s);
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(family, text.c_str(), buf) == 1;
}

bool IsCidr(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash + 1 == s.size()) return false;
  std::string_view bits = s.substr(slash + 1);
  for (char c : bits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  if (bits.size() > 3) return false;
  int n = std::atoi(std::string(bits).c_str());
  std::string_view ip = s.substr(0, slash);
  if (IsIp(ip, AF_INET)) return n <= 32;
  return IsIp(ip, AF_INET6) && n <= 128;
}

// String formats meshctl checks, as the apiserver's format registry does;
// any other format (int32, int64, double, password, ...) is not checked on
// strings.
bool FormatOk(const std::string& format, std::string_view v) {
  if (format == "date-time" || format == "datetime") return IsDateTime(v);
  if (format == "byte") return IsBase64(v);
  if (format == "date") return IsDate(v);
  if (format == "uuid") return IsUuid(v);
  if (format == "ipv4") return IsIp(v, AF_INET);
  if (format == "ipv6") return IsIp(v, AF_INET6);
  if (format == "cidr") return IsCidr(v);
  return true;
}

struct Seg {
  const std::string* key = nullptr;  // nullptr: list index
  size_t index = 0;
};

class Walker {
 public:
  Walker(ValidationReport& report, std::vector<Violation>* sink, bool branch)
      : report_(report), sink_(sink), branch_(branch) {}

  void Walk(const Schema& s, const yaml::Node& n, bool root) {
    if (n.IsNull()) {
      if (s.nullable) return;
      if (s.type != Schema::Type::kAny) {
        TypeError(s, n);
        return;
      }
    } else if (!TypeMatches(s.type, n)) {
      TypeError(s, n);
      return;
    }

    if (s.format == "int-or-string" && !n.IsNull() && !n.IsString() && !IsIntegral(n)) {
      std::string actual(ActualType(n));
      Invalid(n, core::GoQuote(actual),
              fmt::format("{} in body must be of type int-or-string: {}", BodyName(), core::GoQuote(actual)));
      return;
    }
    if (!s.enum_values.empty()) CheckEnum(s, n);
    if (n.IsString()) CheckString(s, n);
    if (n.IsNumber()) CheckNumber(s, n);
    if (n.IsSeq()) CheckArray(s, n);
    if (n.IsMap()) CheckObject(s, n, root);
    CheckCombinators(s, n);
    if (!branch_ && !n.IsNull() && !s.validations.empty()) RunCel(s, n);
  }

 private:
  // ---- paths
  std::string KubePath() const {
    std::string out;
    for (const auto& seg : path_) {
      if (seg.key) {
        if (!out.empty()) out += '.';
        out += *seg.key;
      } else {
        out += '[';
        out += std::to_string(seg.index);
        out += ']';
      }
    }
    return out;
  }
  std::string Locator() const {
    std::string out;
    for (const auto& seg : path_) {
      if (seg.key) {
        if (NeedsQuoting(*seg.key)) {
          out += "['";
          out += *seg.key;
          out += "']";
        } else {
          if (!out.empty()) out += '.';
          out += *seg.key;
        }
      } else {
        out += '[';
        out += std::to_string(seg.index);
        out += ']';
      }
    }
    return out;
  }
  // The name kube-openapi uses in "<name> in body ..." texts.
  std::string BodyName() const {
    std::string p = KubePath();
    return p.empty() ? "body" : p;
  }

  void Add(Violation::Kind kind, yaml::Mark mark, std::string message, std::string path, std::string locator) {
    Violation v;
    v.kind = kind;
    v.mark = mark;
    v.message = std::move(message);
    v.path = std::move(path);
    v.locator = std::move(locator);
    sink_->push_back(std::move(v));
  }
  // "<path>: <body>" at the current path; the root prints as "<nil>", as an
  // empty field.Path does in kube-apiserver messages.
  void Here(const yaml::Node& n, const std::string& body) {
    std::string p = KubePath();
    Add(Violation::Kind::kSchema, n.mark(), (p.empty() ? "<nil>" : p) + ": " + body, p, Locator());
  }
  void Invalid(const yaml::Node& n, const std::string& bad_value, const std::string& detail) {
    Here(n, "Invalid value: " + bad_value + ": " + detail);
  }

  // ---- checks
  void TypeError(const Schema& s, const yaml::Node& n) {
    std::string actual(ActualType(n));
    Invalid(n, core::GoQuote(actual),
            fmt::format("{} in body must be of type {}: {}", BodyName(), TypeName(s.type), core::GoQuote(actual)));
  }

  void CheckEnum(const Schema& s, const yaml::Node& n) {
    for (const auto& e : s.enum_values)
      if (JsonEqual(e, n)) return;
    std::string allowed;
    for (size_t i = 0; i < s.enum_values.size(); ++i) {
      if (i) allowed += ", ";
      const auto& e = s.enum_values[i];
      allowed += e.IsString() ? core::GoQuote(e.text()) : core::GoQuote(Json(e));
    }
    Here(n, "Unsupported value: " + FormatBadValue(n) + ": supported values: " + allowed);
  }

  void CheckString(const Schema& s, const yaml::Node& n) {
    const std::string& v = n.text();
    if (s.max_length || s.min_length) {
      auto len = static_cast<int64_t>(RuneCount(v));
      if (s.max_length && len > *s.max_length)
        Here(n, fmt::format("Too long: may not be more than {} {}", *s.max_length, *s.max_length == 1 ? "byte" : "bytes"));
      if (s.min_length && len < *s.min_length)
        Invalid(n, core::GoQuote(v), fmt::format("{} in body should be at least {} chars long", BodyName(), *s.min_length));
    }
    if (s.pattern && !PatternMatches(*s.pattern, v))
      Invalid(n, core::GoQuote(v), fmt::format("{} in body should match '{}'", BodyName(), s.pattern_text));
    if (!s.format.empty()) {
      bool ok = FormatOk(s.format, v);
      if (!ok)
        Invalid(n, core::GoQuote(v), fmt::format("{} in body must be of type {}: {}", BodyName(), s.format, core::GoQuote(v)));
    }
  }

  void CheckNumber(const Schema& s, const yaml::Node& n) {
    double x = n.AsDouble().value_or(0);
    std::string bad = FormatBadValue(n);
    if (s.maximum) {
      bool fail = s.exclusive_maximum ? x >= *s.maximum : x > *s.maximum;
      if (fail)
        Invalid(n, bad, fmt::format("{} in body should be less than {}{}", BodyName(), s.exclusive_maximum ? "" : "or equal to ",
                                    GoFloat(*s.maximum)));
    }
    if (s.minimum) {
      bool fail = s.exclusive_minimum ? x <= *s.minimum : x < *s.minimum;
      if (fail)
        Invalid(n, bad, fmt::format("{} in body should be greater than {}{}", BodyName(),
                                    s.exclusive_minimum ? "" : "or equal to ", GoFloat(*s.minimum)));
    }
    if (s.multiple_of) {
      bool ok;
      auto xi = n.AsInt();
      double m = *s.multiple_of;
      if (n.IsInt() && xi && std::floor(m) == m && m < 9.2e18) {
        ok = *xi % static_cast<int64_t>(m) == 0;
      } else {
        double q = x / m;
        ok = std::isfinite(q) && std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
      }
      if (!ok) Invalid(n, bad, fmt::format("{} in body should be a multiple of {}", BodyName(), GoFloat(m)));
    }
  }

  void CheckArray(const Schema& s, const yaml::Node& n) {
    auto count = static_cast<int64_t>(n.size());
    if (s.max_items && count > *s.max_items)
      Here(n, fmt::format("Too many: {}: must have at most {} items", count, *s.max_items));
    if (s.min_items && count < *s.min_items)
      Invalid(n, std::to_string(count), fmt::format("{} in body should have at least {} items", BodyName(), *s.min_items));
    if (s.unique_items) {
      std::unordered_set<std::string> seen;
      for (const auto& item : n.children()) {
        if (!seen.insert(Json(item)).second) {
          Invalid(n, "\"\"", fmt::format("{} in body shouldn't contain duplicates", BodyName()));
          break;
        }
      }
    }
    if (s.list_type == Schema::ListType::kSet || s.list_type == Schema::ListType::kMap) {
      std::unordered_set<std::string> seen;
      for (size_t i = 0; i < n.size(); ++i) {
        const yaml::Node& item = n.at(i);
        std::string key;
        if (s.list_type == Schema::ListType::kSet) {
          key = Json(item);
        } else {
          if (!item.IsMap()) continue;
          yaml::Node keys = yaml::Node::Map(item.mark());
          for (const auto& k : s.list_map_keys) {
            const yaml::Node* v = item.Get(k);
            if (v) keys.Append(yaml::Node::Scalar(yaml::NodeType::kString, k, {}), *v);
          }
          key = Json(keys);
        }
        if (!seen.insert(key).second) {
          path_.push_back({nullptr, i});
          Here(item, "Duplicate value: " + (s.list_type == Schema::ListType::kSet ? FormatBadValue(item) : key));
          path_.pop_back();
        }
      }
    }
    if (s.items) {
      for (size_t i = 0; i < n.size(); ++i) {
        path_.push_back({nullptr, i});
        Walk(*s.items, n.at(i), false);
        path_.pop_back();
      }
    }
  }

  void CheckObject(const Schema& s, const yaml::Node& n, bool root) {
    auto count = static_cast<int64_t>(n.size());
    if (s.max_properties && count > *s.max_properties)
      Here(n, fmt::format("Too many: {}: must have at most {} items", count, *s.max_properties));
    if (s.min_properties && count < *s.min_properties)
      Invalid(n, std::to_string(count),
              fmt::format("{} in body should have at least {} properties", BodyName(), *s.min_properties));
    for (const auto& r : s.required) {
      if (n.Get(r)) continue;
      path_.push_back({&r, 0});
      Here(n, "Required value");
      path_.pop_back();
    }
    if (s.embedded_resource) {
      static const std::string kApiVersion = "apiVersion", kKind = "kind";
      for (const std::string* k : {&kApiVersion, &kKind}) {
        const yaml::Node* v = n.Get(*k);
        if (v && v->IsString() && !v->text().empty()) continue;
        path_.push_back({k, 0});
        Here(v ? *v : n, "Required value: must not be empty");
        path_.pop_back();
      }
    }
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string& key = n.KeyAt(i).text();
      const yaml::Node& value = n.ValueAt(i);
      path_.push_back({&key, 0});
      if (const Schema* p = s.Property(key)) {
        bool saved = branch_;
        if (root && key == "metadata") branch_ = true;  // ObjectMeta: no unknown-field or CEL checks here
        Walk(*p, value, false);
        branch_ = saved;
      } else if (s.additional == Schema::Additional::kSchema) {
        Walk(*s.additional_schema, value, false);
      } else if (s.additional == Schema::Additional::kTrue || s.preserve_unknown_fields) {
        // Kept as written, not validated.
      } else if ((root || s.embedded_resource) && (key == "apiVersion" || key == "kind" || key == "metadata")) {
        // Always part of an object; ObjectMeta is checked by CrdSet.
      } else if (!branch_ && s.type == Schema::Type::kObject) {
        // Untyped schemas (int-or-string, branch-only) report the value, not its keys.
        std::string p = KubePath();
        std::string msg = "unknown field " + core::GoQuote(p);
        if (std::string hint = Suggest(s, key); !hint.empty()) msg += " (did you mean " + core::GoQuote(hint) + "?)";
        Add(Violation::Kind::kUnknownField, n.KeyAt(i).mark(), std::move(msg), p, Locator());
      }
      path_.pop_back();
    }
  }

  // The declared property closest to a misspelt key: at most 2 edits and
  // fewer than half its length, so short keys get no wild guesses.
  static std::string Suggest(const Schema& s, const std::string& key) {
    std::string best;
    size_t best_d = 3;
    for (const auto& [name, _] : s.properties) {
      size_t d = core::EditDistance(core::ToLower(key), core::ToLower(name));
      if (d < best_d && 2 * d < key.size()) {
        best_d = d;
        best = name;
      }
    }
    return best;
  }

  bool Passes(const Schema& sub, const yaml::Node& n, std::vector<Violation>* errors) {
    std::vector<Violation> local;
    Walker w(report_, &local, true);
    w.path_ = path_;
    w.Walk(sub, n, false);
    bool ok = local.empty();
    if (errors) *errors = std::move(local);
    return ok;
  }

  void CheckCombinators(const Schema& s, const yaml::Node& n) {
    // Built only on failure: this runs for every node with a combinator.
    auto quoted = [this] { return fmt::format("\"{}\"", BodyName()); };
    for (const auto& sub : s.all_of) {
      std::vector<Violation> errs;
      if (!Passes(*sub, n, &errs)) {
        Invalid(n, "\"\"", quoted() + " must validate all the schemas (allOf)");
        for (auto& e : errs) sink_->push_back(std::move(e));
      }
    }
    if (!s.any_of.empty()) {
      std::vector<Violation> first;
      bool any = false;
      for (size_t i = 0; i < s.any_of.size() && !any; ++i) {
        std::vector<Violation> errs;
        any = Passes(*s.any_of[i], n, &errs);
        if (i == 0) first = std::move(errs);
      }
      if (!any) {
        Invalid(n, "\"\"", quoted() + " must validate at least one schema (anyOf)");
        for (auto& e : first) sink_->push_back(std::move(e));
      }
    }
    if (!s.one_of.empty()) {
      size_t valid = 0;
      std::vector<Violation> first;
      for (size_t i = 0; i < s.one_of.size(); ++i) {
        std::vector<Violation> errs;
        if (Passes(*s.one_of[i], n, &errs)) {
          ++valid;
        } else if (first.empty()) {
          first = std::move(errs);
        }
      }
      if (valid != 1) {
        std::string why = valid == 0 ? "Found none valid" : fmt::format("Found {} valid alternatives", valid);
        Invalid(n, "\"\"", quoted() + " must validate one and only one schema (oneOf). " + why);
        if (valid == 0)
          for (auto& e : first) sink_->push_back(std::move(e));
      }
    }
    if (s.not_schema && Passes(*s.not_schema, n, nullptr))
      Invalid(n, "\"\"", quoted() + " must not validate the schema (not)");
  }

  void RunCel(const Schema& s, const yaml::Node& n) {
    for (const auto& rule : s.validations) {
      if (rule.uses_old_self) continue;  // transition rules never run on create
      if (!rule.program) {
        ++report_.cel_not_evaluated;
        bool known = false;
        for (const auto& u : report_.unsupported_rules) known = known || u == rule.rule;
        if (!known) report_.unsupported_rules.push_back(rule.rule);
        continue;
      }
      ++report_.cel_evaluated;
      CelOutcome out = EvaluateCel(*rule.program, n);
      if (out.kind == CelOutcome::Kind::kTrue) continue;
      std::string msg = rule.message.empty() ? "failed rule: " + rule.rule : rule.message;
      if (out.kind == CelOutcome::Kind::kError) msg += " (rule evaluation error: " + out.error + ")";
      std::string path = KubePath();
      std::string locator = Locator();
      yaml::Mark mark = n.mark();
      if (!rule.field_path.empty()) {
        std::string fp = rule.field_path;
        if (fp[0] != '.' && fp[0] != '[') fp = "." + fp;
        path += fp;
        locator += fp;
        if (const yaml::Node* target = n.Find(rule.field_path)) mark = target->mark();
      }
      std::string body;
      if (rule.reason == "FieldValueRequired") body = "Required value: " + msg;
      else if (rule.reason == "FieldValueForbidden") body = "Forbidden: " + msg;
      else if (rule.reason == "FieldValueDuplicate") body = "Duplicate value: " + msg;
      else body = "Invalid value: " + core::GoQuote(TypeName(s.type)) + ": " + msg;
      Add(Violation::Kind::kCel, mark, (path.empty() ? "<nil>" : path) + ": " + body, path, locator);
    }
  }

  ValidationReport& report_;
  std::vector<Violation>* sink_;
  bool branch_;
  std::vector<Seg> path_;
};

}  // namespace

std::string FormatBadValue(const yaml::Node& n) {
  switch (n.type()) {
    case yaml::NodeType::kNull: return "\"null\"";
    case yaml::NodeType::kString: return core::GoQuote(n.text());
    case yaml::NodeType::kBool:
    case yaml::NodeType::kInt:
    case yaml::NodeType::kFloat:
    case yaml::NodeType::kMap:
    case yaml::NodeType::kSeq: return Json(n);
  }
  return "";
}

void ValidateObject(const Schema& root, const yaml::Node& object, ValidationReport& out) {
  Walker w(out, &out.violations, false);
  w.Walk(root, object, true);
}

}  // namespace meshctl::crd
