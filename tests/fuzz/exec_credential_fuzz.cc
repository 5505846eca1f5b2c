// ParseExecCredential (lib/kube/auth.cc) on any plugin output, for both
// accepted API versions. Every "TOKEN" in the input is replaced by a canary
// secret first (the seeds carry it in token, key and apiVersion fields), so
// the check that no message quotes the plugin's output can see a secret:
// an answer is credentials (a token and/or a certificate with its key) or a
// DataError that never contains the canary.
#include <string>

#include "lib/kube/auth.h"
#include "tests/fuzz/fuzz_target.h"

namespace {
constexpr std::string_view kCanary = "S3CRET-CANARY-51ff0e";
}

MESHCTL_FUZZ_TARGET(exec_credential) {
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
  for (std::string_view api : {meshctl::kube::kExecApiV1, meshctl::kube::kExecApiV1Beta1}) {
    auto r = meshctl::kube::ParseExecCredential(text, api);
    if (!r.ok()) {
      MESHCTL_FUZZ_CHECK(r.status().code() == meshctl::core::StatusCode::kDataError,
                         "not a DataError: " + r.status().message());
      MESHCTL_FUZZ_CHECK(r.status().message().find(kCanary) == std::string::npos,
                         "an error message quotes a secret: " + r.status().message());
      MESHCTL_FUZZ_CHECK(!r.status().message().empty(), "an empty error message");
      continue;
    }
    const auto& c = r->credentials;
    bool token = !c.bearer_token.empty();
    bool cert = !c.client_cert_pem.empty();
    bool key = !c.client_key_pem.empty();
    MESHCTL_FUZZ_CHECK(token || cert, "accepted output without a token or a certificate");
    MESHCTL_FUZZ_CHECK(cert == key, "a certificate without its key, or a key alone");
  }
}
