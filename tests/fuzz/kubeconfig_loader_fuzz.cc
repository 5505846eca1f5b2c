// The kubeconfig loader (lib/kube/kubeconfig.cc) on any file content: it
// parses or is a DataError naming fuzz-kubeconfig.yaml[:line:col]; every
// context of a parsed config (at most 8) turns into a RestConfig or a Status
// with a message; no message, origin or Describe() contains a token,
// password, client key or auth-provider value (each "TOKEN" of the input
// becomes a canary, so the seeds' secrets are recognisable).
// The environment is empty and the service account directory missing, so
// nothing is read from the host but files the input names (certificate and
// token paths), and exec plugins are never run (only built).
#include <string>
#include <vector>

#include "lib/kube/kubeconfig.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

constexpr std::string_view kCanary = "S3CRET-CANARY-0b7a11";
constexpr const char* kPath = "/nonexistent-meshctl-fuzz/fuzz-kubeconfig.yaml";

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The secret values of the parsed users that are sure to be secrets: they
// hold the canary and occur once in the input (so no key or other field
// shares their text, which a message may quote).
std::vector<std::string> Secrets(const meshctl::kube::Kubeconfig& k, std::string_view text) {
  std::vector<std::string> out;
  auto add = [&](const meshctl::kube::Secret& s) {
    const std::string& v = s.reveal();
    if (v.find(kCanary) != std::string::npos && Count(text, v) == 1) out.push_back(v);
  };
  for (const auto& [_, u] : k.users) {
    add(u.token);
    add(u.password);
    add(u.client_key_data);
    if (u.auth_provider)
      for (const auto& [key, value] : u.auth_provider->config) add(value);
  }
  return out;
}

void CheckMessage(const std::string& message, const std::vector<std::string>& secrets) {
  MESHCTL_FUZZ_CHECK(!message.empty(), "an empty message");
  for (const auto& s : secrets) MESHCTL_FUZZ_CHECK(message.find(s) == std::string::npos, "quotes a secret: " + message);
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
    return;
  }
  const std::vector<std::string> secrets = Secrets(*parsed, text);
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
      CheckMessage(rc.status().message(), secrets);
      continue;
    }
    MESHCTL_FUZZ_CHECK(rc->credentials != nullptr, "a RestConfig without a credential source");
    CheckMessage(rc->origin, secrets);
    CheckMessage(rc->credentials->Describe(), secrets);
  }
}
