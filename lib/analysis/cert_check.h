// Certificate checks for Gateway credential Secrets, as Istio's
// kube.ExtractCertInfo + xds.ValidateCertificate: the Secret must hold
// `cert`+`key` or `tls.crt`+`tls.key` (base64 `data`), and the first PEM
// block must parse as X.509 certificates valid at the current time.
#pragma once

#include <string>
#include <string_view>

#include "lib/model/resource.h"

namespace meshctl::analysis {

// Decodes standard base64 (padding optional, whitespace ignored); false on bad input.
bool DecodeBase64(std::string_view in, std::string& out);

// True when the Secret holds a usable, currently valid certificate.
bool IsValidCredentialSecret(const model::Resource& secret);

}  // namespace meshctl::analysis
