// `proxy-config bootstrap -o short`: Istio / Istio Proxy / Envoy versions,
// padding 1.
#include "lib/envoy/str_cat.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

core::Result<JsonView> SelectBootstrap(const ConfigDump& dump) { return dump.Section(type_url::kBootstrap); }

core::Status PrintBootstrapSummary(const ConfigDump& dump, std::ostream& out) {
  ASSIGN_OR_RETURN(JsonView section, SelectBootstrap(dump));
  JsonView node = section["bootstrap"]["node"];
  TabWriter w(1);
  JsonView istio_version = node["metadata"]["ISTIO_VERSION"];
  if (istio_version.present()) w.Row({"Istio Version:", istio_version.ScalarText()});
  JsonView sha = node["metadata"]["ISTIO_PROXY_SHA"];
  if (sha.present()) {
    std::string s = sha.ScalarText();
    auto colon = s.find(':');
    w.Row({"Istio Proxy Version:", colon == std::string::npos ? s : s.substr(colon + 1)});
  }
  std::string envoy = "0.0.0";
  JsonView build = node["user_agent_build_version"];
  if (build.present()) {
    JsonView v = build["version"];
    envoy = Cat(std::to_string(v["major_number"].Int(0)), ".", std::to_string(v["minor_number"].Int(0)), ".",
                std::to_string(v["patch"].Int(0)));
    JsonView md = build["metadata"];
    if (!md["build.label"].ScalarText().empty()) envoy += Cat("-", md["build.label"].ScalarText());
    for (const char* key : {"revision.status", "build.type", "ssl.version"}) {
      std::string value = md[key].ScalarText();
      if (!value.empty()) envoy += Cat("/", value);
    }
  }
  w.Row({"Envoy Version:", envoy});
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
