// The kubeconfig loader (lib/kube/kubeconfig.cc) on any file content: it
// parses or is a DataError naming fuzz-kubeconfig.yaml[:line:col]; every
// context of a parsed config (at most 8) turns into a RestConfig or a Status
// with a message; no message ever contains a token, password or
// auth-provider value (each "TOKEN" of the input becomes a canary secret).
// The environment is empty and the service account directory missing, so
// nothing is read from the host but files the input names (certificate and
// token paths), and exec plugins are never run (only built).
#include <string>

#include "lib/kube/kubeconfig.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

constexpr std::string_view kCanary = "S3CRET-CANARY-0b7a11";
constexpr const char* kPath = "/nonexistent-meshctl-fuzz/fuzz-kubeconfig.yaml";

void CheckMessage(const meshctl::core::Status& st) {
  MESHCTL_FUZZ_CHECK(!st.message().empty(), "an error without a message");
  MESHCTL_FUZZ_CHECK(st.message().find(kCanary) == std::string::npos, "a message quotes a secret: " + st.message());
}

}  // namespace

MESHCTL_FUZZ_TARGET(kubeconfig_loader) {
  std::string text;
  text.reserve(data.size() + 64);
  for (size_t i = 0; i < data.size();) {
    if (data.substr(i, 5) == "TOKEN") {
      text += kCanary;
      i += 5;
    } else {
      text.push_back(data[i++]);
    }
  }
  auto parsed = meshctl::kube::ParseKubeconfig(text, kPath);
  if (!parsed.ok()) {
    MESHCTL_FUZZ_CHECK(parsed.status().code() == meshctl::core::StatusCode::kDataError,
                       "not a DataError: " + parsed.status().message());
    MESHCTL_FUZZ_CHECK(parsed.status().message().rfind(kPath, 0) == 0,
                       "message does not name the file: " + parsed.status().message());
    CheckMessage(parsed.status());
    return;
  }
  meshctl::kube::LoadEnvironment env;
  env.getenv = [](const std::string&) { return std::optional<std::string>(); };
  env.service_account_dir = "/nonexistent-meshctl-fuzz/serviceaccount";
  env.now = [] { return std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56)); };
  env.plugin_stderr_fd = -1;
  std::vector<std::string> contexts = {""};  // current-context
  for (const auto& [name, _] : parsed->contexts) {
    if (contexts.size() >= 8) break;
    contexts.push_back(name);
  }
  for (const auto& ctx : contexts) {
    meshctl::kube::ClusterFlags flags;
    flags.context = ctx;
    auto rc = meshctl::kube::BuildRestConfig(*parsed, flags, env);
    if (!rc.ok()) {
      CheckMessage(rc.status());
      continue;
    }
    MESHCTL_FUZZ_CHECK(rc->credentials != nullptr, "a RestConfig without a credential source");
    MESHCTL_FUZZ_CHECK(rc->origin.find(kCanary) == std::string::npos, "origin quotes a secret");
    std::string described = rc->credentials->Describe();
    MESHCTL_FUZZ_CHECK(described.find(kCanary) == std::string::npos, "Describe() quotes a secret: " + described);
  }
}
