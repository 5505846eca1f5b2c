// Base64 encoding for HTTP headers and kubeconfig fields (decoding lives
// with its callers: lib/envoy/certificate.h, lib/analysis/cert_check.h).
#pragma once

#include <string>
#include <string_view>

namespace meshctl::core {

// Standard base64 (RFC 4648 section 4) with "=" padding and no line breaks.
std::string EncodeBase64(std::string_view bytes);

}  // namespace meshctl::core
