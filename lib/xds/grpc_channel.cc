#include "lib/xds/grpc_channel.h"

#include <grpc/support/log.h>

#include <cstdlib>
#include <mutex>

#include <grpc/grpc.h>

#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>

#include "lib/core/strings.h"
#include "lib/io/files.h"

namespace meshctl::xds {

GrpcRuntime::GrpcRuntime() { grpc_init(); }
GrpcRuntime::~GrpcRuntime() { grpc_shutdown_blocking(); }

namespace {

// gRPC's own log lines (E1202 ... handshaker failed) would reach the
// terminal before meshctl's message, which says the same with hints. They
// are dropped unless the user asks for them with GRPC_VERBOSITY.
void QuietGrpcLogs() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("GRPC_VERBOSITY") != nullptr) return;
    gpr_set_log_function([](gpr_log_func_args*) {});
  });
}

}  // namespace

core::Result<std::shared_ptr<grpc::Channel>> MakeChannel(const DialOptions& d) {
  QuietGrpcLogs();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // a big mesh's syncz is tens of MB
  if (!d.authority.empty() && !d.plaintext) args.SetSslTargetNameOverride(d.authority);
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (d.plaintext) {
    creds = grpc::InsecureChannelCredentials();
  } else if (d.insecure && d.cert_dir.empty()) {
    grpc::experimental::TlsChannelCredentialsOptions o;
    o.set_verify_server_certs(false);
    o.set_check_call_host(false);
    o.set_certificate_verifier(std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
    creds = grpc::experimental::TlsCredentials(o);
  } else {
    grpc::SslCredentialsOptions o;
    std::string ca_path = d.cert_dir.empty() ? d.cacert : d.cert_dir + "/root-cert.pem";
    if (!ca_path.empty()) {
      ASSIGN_OR_RETURN(o.pem_root_certs, io::ReadFile(ca_path));
    } else if (!d.ca_pem.empty()) {
      o.pem_root_certs = d.ca_pem;
    }
    if (!d.cert_dir.empty()) {
      ASSIGN_OR_RETURN(o.pem_cert_chain, io::ReadFile(d.cert_dir + "/cert-chain.pem"));
      ASSIGN_OR_RETURN(o.pem_private_key, io::ReadFile(d.cert_dir + "/key.pem"));
    }
    creds = grpc::SslCredentials(o);
  }
  if (!creds) return core::Internal("gRPC refused the credentials for " + d.address);
  return grpc::CreateCustomChannel(d.address, creds, args);
}

void PrepareContext(const DialOptions& d, grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + d.timeout);
  if (!d.token.empty()) ctx.AddMetadata("authorization", "Bearer " + d.token);
}

namespace {

bool LooksLikeTls(const std::string& m) {
  std::string l = core::ToLower(m);
  return l.find("ssl") != std::string::npos || l.find("handshake") != std::string::npos ||
         l.find("certificate") != std::string::npos || l.find("tls") != std::string::npos;
}

bool LooksLikeTimeout(const std::string& m) {
  std::string l = core::ToLower(m);
  return l.find("timed out") != std::string::npos || l.find("timeout") != std::string::npos ||
         l.find("deadline") != std::string::npos;
}

}  // namespace

core::Status CallError(const grpc::Status& s, const DialOptions& d, std::string_view what) {
  std::string head = std::string(what) + " at " + DescribeEndpoint(d) + " over " + DescribeTransport(d) + " failed: ";
  std::string msg = s.error_message();
  std::string hint;
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      head += "UNAVAILABLE: " + msg;
      if (LooksLikeTimeout(msg)) {
        // Connected but nothing came back: a listener that does not accept
        // or answer, not a certificate problem.
        hint = "The endpoint took the connection but never answered within --timeout: check that the port is a "
               "running gRPC xDS server (istiod: 15012 TLS, 15010 plaintext) and is not overloaded.";
      } else if (LooksLikeTls(msg)) {
        hint = "The TLS handshake failed. Check --cacert (the CA of istiod's serving cert, root-cert.pem), "
               "--authority (the name in the cert, e.g. istiod.istio-system.svc), or pass --insecure to skip "
               "verification as istioctl does. If the port is plaintext (istiod's 15010), pass --plaintext.";
      } else if (d.plaintext) {
        hint = "Check the address. --plaintext is for istiod's plaintext port 15010; port 15012 needs TLS "
               "(drop --plaintext).";
      } else {
        hint = "Check the address and that the endpoint speaks TLS: istiod serves TLS xDS on port 15012; for the "
               "plaintext port 15010 pass --plaintext.";
      }
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      head += "UNAUTHENTICATED: " + msg;
      hint = d.token.empty()
                 ? "istiod requires an identity for istio.io/debug/* while ENABLE_DEBUG_ENDPOINT_AUTH=true (the "
                   "default): use TLS (port 15012) with --token/--token-file (a token for audience istio-ca, e.g. "
                   "`kubectl create token default -n istio-system --audience istio-ca`) or --cert-dir for mTLS."
                 : "The token was rejected: check that it is current and its audience is istio-ca, and that "
                   "istiod trusts its issuer. Plaintext 15010 only answers debug requests when istiod runs with "
                   "ENABLE_DEBUG_ENDPOINT_AUTH=false.";
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      head += "PERMISSION_DENIED: " + msg;
      hint = "The identity was accepted but not allowed: its namespace must be istiod's namespace "
             "(--istioNamespace) or listed in DEBUG_ENDPOINT_AUTH_ALLOWED_NAMESPACES, and its service account "
             "must be `default` as meshctl announces.";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      head += "DEADLINE_EXCEEDED: " + msg;
      hint = "No answer within --timeout. Check the address, network policies, and that it is a gRPC xDS port.";
      break;
    case grpc::StatusCode::UNIMPLEMENTED:
      head += "UNIMPLEMENTED: " + msg;
      hint = "The endpoint does not serve this gRPC service; check the port.";
      break;
    default:
      head += std::to_string(static_cast<int>(s.error_code())) + ": " + msg;
      break;
  }
  if (!hint.empty()) head += "\n  " + hint;
  return core::Unavailable(head);
}

}  // namespace meshctl::xds
