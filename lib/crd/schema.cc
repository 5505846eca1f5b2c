#include "lib/crd/schema.h"

#include <re2/re2.h>

#include <algorithm>

#include <fmt/format.h>

namespace meshctl::crd {

class Pattern {
 public:
  explicit Pattern(const std::string& text) : re_(text, Options()) {}
  const RE2& re() const { return re_; }

 private:
  static RE2::Options Options() {
    RE2::Options o;
    o.set_log_errors(false);
    return o;
  }
  RE2 re_;
};

bool PatternMatches(const Pattern& p, std::string_view text) { return RE2::PartialMatch(text, p.re()); }

Schema::Schema() = default;
Schema::~Schema() = default;
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;

const Schema* Schema::Property(std::string_view name) const {
  auto it = std::lower_bound(properties.begin(), properties.end(), name,
                             [](const auto& p, std::string_view n) { return p.first < n; });
  if (it == properties.end() || it->first != name) return nullptr;
  return it->second.get();
}

void Schema::CountRules(size_t& rules, size_t& unsupported) const {
  for (const auto& r : validations) {
    if (r.uses_old_self) continue;
    ++rules;
    if (!r.program) ++unsupported;
  }
  for (const auto& [_, p] : properties) p->CountRules(rules, unsupported);
  if (additional_schema) additional_schema->CountRules(rules, unsupported);
  if (items) items->CountRules(rules, unsupported);
}

std::string_view TypeName(Schema::Type t) {
  switch (t) {
    case Schema::Type::kAny: return "";
    case Schema::Type::kObject: return "object";
    case Schema::Type::kArray: return "array";
    case Schema::Type::kString: return "string";
    case Schema::Type::kInteger: return "integer";
    case Schema::Type::kNumber: return "number";
    case Schema::Type::kBoolean: return "boolean";
  }
  return "";
}

namespace {

class Compiler {
 public:
  explicit Compiler(const std::string& file) : file_(file) {}

  core::Result<std::unique_ptr<Schema>> Compile(const yaml::Node& n, int depth) {
    if (depth > 256) return Error(n, "schema nested too deeply");
    if (!n.IsMap()) return Error(n, fmt::format("a schema must be a map, not {}", yaml::NodeTypeName(n.type())));
    auto s = std::make_unique<Schema>();
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string& key = n.KeyAt(i).text();
      const yaml::Node& v = n.ValueAt(i);
      RETURN_IF_ERROR(Keyword(*s, key, n.KeyAt(i), v, depth));
    }
    std::sort(s->properties.begin(), s->properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    s->has_defaults = s->default_value.has_value() || (s->items && s->items->has_defaults) ||
                      (s->additional_schema && s->additional_schema->has_defaults);
    for (const auto& [_, p] : s->properties) s->has_defaults = s->has_defaults || p->has_defaults;
    if (s->list_type == Schema::ListType::kMap && s->list_map_keys.empty())
      return Error(n, "x-kubernetes-list-type: map needs x-kubernetes-list-map-keys");
    return s;
  }

 private:
  core::Status Error(const yaml::Node& at, const std::string& msg) const {
    return core::DataError(fmt::format("{}:{}:{}: invalid CRD schema: {}", file_, at.mark().line, at.mark().column, msg));
  }

  core::Result<bool> Bool(const yaml::Node& v, const std::string& key) const {
    if (!v.IsBool()) return Error(v, key + " must be a boolean");
    return *v.AsBool();
  }
  core::Result<double> Number(const yaml::Node& v, const std::string& key) const {
    if (!v.IsNumber()) return Error(v, key + " must be a number");
    return *v.AsDouble();
  }
  core::Result<int64_t> Count(const yaml::Node& v, const std::string& key) const {
    auto i = v.AsInt();
    if (!v.IsInt() || !i || *i < 0) return Error(v, key + " must be a non-negative integer");
    return *i;
  }
  core::Result<std::string> String(const yaml::Node& v, const std::string& key) const {
    if (!v.IsString()) return Error(v, key + " must be a string");
    return v.text();
  }
  core::Result<std::vector<std::string>> Strings(const yaml::Node& v, const std::string& key) const {
    if (!v.IsSeq()) return Error(v, key + " must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : v.children()) {
      if (!item.IsString()) return Error(item, key + " must be a list of strings");
      out.push_back(item.text());
    }
    return out;
  }

  core::Status Keyword(Schema& s, const std::string& key, const yaml::Node& key_node, const yaml::Node& v, int depth) {
    // Keywords that only document or that the apiserver uses for defaulting.
    if (key == "default") {
      s.default_value = v;
      return core::Status::Ok();
    }
    if (key == "description" || key == "title" || key == "example" || key == "externalDocs" ||
        key == "id" || key == "$schema" || key == "x-kubernetes-map-type")
      return core::Status::Ok();
    if (key == "$ref" || key == "definitions" || key == "patternProperties" || key == "dependencies" ||
        key == "additionalItems")
      return Error(key_node, key + " is forbidden in CRD schemas (structural schema rules)");
    if (key == "type") {
      ASSIGN_OR_RETURN(std::string t, String(v, key));
      static const std::pair<const char*, Schema::Type> kTypes[] = {
          {"object", Schema::Type::kObject}, {"array", Schema::Type::kArray},     {"string", Schema::Type::kString},
          {"integer", Schema::Type::kInteger}, {"number", Schema::Type::kNumber}, {"boolean", Schema::Type::kBoolean},
      };
      for (const auto& [name, type] : kTypes) {
        if (t == name) {
          s.type = type;
          return core::Status::Ok();
        }
      }
      return Error(v, fmt::format("unsupported type \"{}\" (object, array, string, integer, number or boolean)", t));
    }
    if (key == "format") {
      ASSIGN_OR_RETURN(s.format, String(v, key));
      return core::Status::Ok();
    }
    if (key == "nullable") {
      ASSIGN_OR_RETURN(s.nullable, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-preserve-unknown-fields") {
      ASSIGN_OR_RETURN(s.preserve_unknown_fields, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-int-or-string") {
      ASSIGN_OR_RETURN(s.int_or_string, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-embedded-resource") {
      ASSIGN_OR_RETURN(s.embedded_resource, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "minimum" || key == "maximum" || key == "multipleOf") {
      ASSIGN_OR_RETURN(double d, Number(v, key));
      if (key == "multipleOf" && !(d > 0)) return Error(v, "multipleOf must be greater than 0");
      (key == "minimum" ? s.minimum : key == "maximum" ? s.maximum : s.multiple_of) = d;
      return core::Status::Ok();
    }
    if (key == "exclusiveMinimum") {
      ASSIGN_OR_RETURN(s.exclusive_minimum, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "exclusiveMaximum") {
      ASSIGN_OR_RETURN(s.exclusive_maximum, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "minLength" || key == "maxLength" || key == "minItems" || key == "maxItems" || key == "minProperties" ||
        key == "maxProperties") {
      ASSIGN_OR_RETURN(int64_t c, Count(v, key));
      if (key == "minLength") s.min_length = c;
      else if (key == "maxLength") s.max_length = c;
      else if (key == "minItems") s.min_items = c;
      else if (key == "maxItems") s.max_items = c;
      else if (key == "minProperties") s.min_properties = c;
      else s.max_properties = c;
      return core::Status::Ok();
    }
    if (key == "uniqueItems") {
      ASSIGN_OR_RETURN(s.unique_items, Bool(v, key));
      return core::Status::Ok();
    }
    if (key == "pattern") {
      ASSIGN_OR_RETURN(s.pattern_text, String(v, key));
      s.pattern = std::make_unique<Pattern>(s.pattern_text);
      if (!s.pattern->re().ok())
        return Error(v, fmt::format("pattern \"{}\" does not compile: {}", s.pattern_text, s.pattern->re().error()));
      return core::Status::Ok();
    }
    if (key == "enum") {
      if (!v.IsSeq()) return Error(v, "enum must be a list");
      s.enum_values.assign(v.children().begin(), v.children().end());
      return core::Status::Ok();
    }
    if (key == "required") {
      ASSIGN_OR_RETURN(s.required, Strings(v, key));
      return core::Status::Ok();
    }
    if (key == "properties") {
      if (!v.IsMap()) return Error(v, "properties must be a map");
      for (size_t i = 0; i < v.size(); ++i) {
        ASSIGN_OR_RETURN(auto p, Compile(v.ValueAt(i), depth + 1));
        s.properties.emplace_back(v.KeyAt(i).text(), std::move(p));
      }
      return core::Status::Ok();
    }
    if (key == "additionalProperties") {
      if (v.IsBool()) {
        s.additional = *v.AsBool() ? Schema::Additional::kTrue : Schema::Additional::kFalse;
        return core::Status::Ok();
      }
      ASSIGN_OR_RETURN(s.additional_schema, Compile(v, depth + 1));
      s.additional = Schema::Additional::kSchema;
      return core::Status::Ok();
    }
    if (key == "items") {
      if (v.IsSeq()) return Error(v, "items must be a single schema (a list of schemas is forbidden in CRDs)");
      ASSIGN_OR_RETURN(s.items, Compile(v, depth + 1));
      return core::Status::Ok();
    }
    if (key == "allOf" || key == "anyOf" || key == "oneOf") {
      if (!v.IsSeq()) return Error(v, key + " must be a list of schemas");
      auto& out = key == "allOf" ? s.all_of : key == "anyOf" ? s.any_of : s.one_of;
      for (const auto& item : v.children()) {
        ASSIGN_OR_RETURN(auto sub, Compile(item, depth + 1));
        out.push_back(std::move(sub));
      }
      return core::Status::Ok();
    }
    if (key == "not") {
      ASSIGN_OR_RETURN(s.not_schema, Compile(v, depth + 1));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-list-type") {
      ASSIGN_OR_RETURN(std::string t, String(v, key));
      if (t == "atomic") s.list_type = Schema::ListType::kAtomic;
      else if (t == "set") s.list_type = Schema::ListType::kSet;
      else if (t == "map") s.list_type = Schema::ListType::kMap;
      else return Error(v, fmt::format("x-kubernetes-list-type \"{}\" is not atomic, set or map", t));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-list-map-keys") {
      ASSIGN_OR_RETURN(s.list_map_keys, Strings(v, key));
      return core::Status::Ok();
    }
    if (key == "x-kubernetes-validations") return Validations(s, v);
    return Error(key_node, fmt::format("unknown schema keyword \"{}\"", key));
  }

  core::Status Validations(Schema& s, const yaml::Node& v) {
    if (!v.IsSeq()) return Error(v, "x-kubernetes-validations must be a list");
    for (const auto& item : v.children()) {
      if (!item.IsMap()) return Error(item, "an x-kubernetes-validations entry must be a map");
      CelRule r;
      const yaml::Node* rule = item.Get("rule");
      if (!rule || !rule->IsString() || rule->text().empty())
        return Error(item, "an x-kubernetes-validations entry needs a non-empty string rule");
      r.rule = rule->text();
      for (size_t i = 0; i < item.size(); ++i) {
        const std::string& k = item.KeyAt(i).text();
        const yaml::Node& val = item.ValueAt(i);
        if (k == "rule" || k == "optionalOldSelf") continue;
        if (k == "message") {
          ASSIGN_OR_RETURN(r.message, String(val, k));
        } else if (k == "messageExpression") {
          r.has_message_expression = true;
        } else if (k == "fieldPath") {
          ASSIGN_OR_RETURN(r.field_path, String(val, k));
        } else if (k == "reason") {
          ASSIGN_OR_RETURN(r.reason, String(val, k));
        } else {
          return Error(item.KeyAt(i), fmt::format("unknown x-kubernetes-validations field \"{}\"", k));
        }
      }
      r.uses_old_self = MentionsOldSelf(r.rule);
      if (!r.uses_old_self) {
        auto prog = CompileCel(r.rule);
        if (prog.ok()) {
          r.program = std::move(prog).value();
        } else {
          r.unsupported = prog.status().message();
        }
      }
      s.validations.push_back(std::move(r));
    }
    return core::Status::Ok();
  }

  const std::string& file_;
};

void Reposition(yaml::Node& n, yaml::Mark mark) {
  n.set_mark(mark);
  if (n.IsMap() || n.IsSeq())
    for (auto& c : n.mutable_children()) Reposition(c, mark);
}

}  // namespace

void ApplyDefaults(const Schema& s, yaml::Node& n) {
  if (!s.has_defaults) return;
  if (n.IsMap()) {
    for (const auto& [name, p] : s.properties) {
      if (!p->default_value) continue;
      yaml::Node* v = n.GetMutable(name);
      if (v && !(v->IsNull() && !p->nullable)) continue;
      yaml::Node def = *p->default_value;
      Reposition(def, v ? v->mark() : n.mark());
      if (v) {
        *v = std::move(def);
      } else {
        n.Append(yaml::Node::Scalar(yaml::NodeType::kString, name, n.mark()), std::move(def));
      }
    }
    for (size_t i = 0; i < n.size(); ++i) {
      const Schema* p = s.Property(n.KeyAt(i).text());
      if (!p && s.additional == Schema::Additional::kSchema) p = s.additional_schema.get();
      if (p) ApplyDefaults(*p, n.MutableValueAt(i));
    }
  } else if (n.IsSeq() && s.items) {
    for (size_t i = 0; i < n.size(); ++i) ApplyDefaults(*s.items, n.mutable_at(i));
  }
}

core::Result<std::unique_ptr<Schema>> CompileSchema(const yaml::Node& node, const std::string& file) {
  Compiler c(file);
  return c.Compile(node, 0);
}

}  // namespace meshctl::crd
