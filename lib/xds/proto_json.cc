#include "lib/xds/proto_json.h"

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "lib/yaml/parser.h"

namespace meshctl::xds {

core::Result<nlohmann::json> MessageToJsonValue(const google::protobuf::Message& m, bool proto_names) {
  std::string s;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = proto_names;
  auto st = google::protobuf::util::MessageToJsonString(m, &s, o);
  if (!st.ok()) return core::DataError("cannot render " + m.GetTypeName() + " as JSON: " + st.ToString());
  nlohmann::json j = nlohmann::json::parse(s, nullptr, false);
  if (j.is_discarded()) return core::Internal("protobuf produced invalid JSON for " + m.GetTypeName());
  return j;
}

core::Result<std::string> MessageToJson4(const google::protobuf::Message& m) {
  std::string s;
  auto st = google::protobuf::util::MessageToJsonString(m, &s);
  if (!st.ok()) return core::DataError("cannot render " + m.GetTypeName() + " as JSON: " + st.ToString());
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(s, nullptr, false);
  if (j.is_discarded()) return core::Internal("protobuf produced invalid JSON for " + m.GetTypeName());
  if (j.is_object() && j.empty()) return std::string("{\n\n}");
  return j.dump(4);
}

namespace {

bool NeedsQuotes(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) return true;
  return s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':';
}

void Emit(YAML::Emitter& e, const nlohmann::json& v) {
  if (v.is_object()) {
    e << YAML::BeginMap;
    for (auto it = v.begin(); it != v.end(); ++it) {  // nlohmann::json keeps keys sorted
      e << YAML::Key;
      Emit(e, it.key());
      e << YAML::Value;
      Emit(e, it.value());
    }
    e << YAML::EndMap;
  } else if (v.is_array()) {
    e << YAML::BeginSeq;
    for (const auto& x : v) Emit(e, x);
    e << YAML::EndSeq;
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.find('\n') != std::string::npos || yaml::ResolvePlainScalar(s) != yaml::NodeType::kString) {
      e << YAML::DoubleQuoted << s;
    } else if (NeedsQuotes(s)) {
      e << YAML::SingleQuoted << s;
    } else {
      e << s;
    }
  } else if (v.is_boolean()) {
    e << (v.get<bool>() ? "true" : "false");
  } else if (v.is_number_integer()) {
    e << v.get<int64_t>();
  } else if (v.is_number()) {
    e << v.dump();
  } else {
    e << YAML::Null;
  }
}

}  // namespace

std::string JsonToYaml(const nlohmann::json& j) {
  YAML::Emitter e;
  e.SetIndent(2);
  e.SetSeqFormat(YAML::Block);
  e.SetMapFormat(YAML::Block);
  if (j.is_object() && j.empty()) return "{}\n";
  Emit(e, j);
  return std::string(e.c_str()) + "\n";
}

core::Result<std::vector<nlohmann::json>> ParseJsonDocuments(const std::string& text, const std::string& source) {
  std::vector<nlohmann::json> docs;
  std::istringstream in(text);
  while (true) {
    in >> std::ws;
    if (in.peek() == std::char_traits<char>::eof()) break;
    try {
      nlohmann::json j;
      in >> j;
      docs.push_back(std::move(j));
    } catch (const nlohmann::json::exception& e) {
      return core::DataError(source + ": not valid JSON: " + e.what());
    }
  }
  return docs;
}

core::Status JsonToMessage(const nlohmann::json& j, google::protobuf::Message& m, const std::string& source) {
  auto st = google::protobuf::util::JsonStringToMessage(j.dump(), &m);
  if (!st.ok()) return core::DataError(source + ": not a valid " + m.GetTypeName() + ": " + st.ToString());
  return core::Status::Ok();
}

}  // namespace meshctl::xds
