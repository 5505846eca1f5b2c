// `proxy-config secret`: RESOURCE NAME / TYPE / STATUS / VALID CERT /
// SERIAL NUMBER / NOT AFTER / NOT BEFORE [/ TRUST DOMAIN], padding 5.
#include "lib/envoy/str_cat.h"
#include "lib/envoy/certificate.h"
#include "lib/envoy/summaries.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

struct SecretRow {
  std::string name;
  std::string type;
  std::string status;
  CertificateInfo cert;
  std::string trust_domain;
};

std::string DataSource(const JsonView& ds) {
  if (ds["inline_bytes"].IsString()) {
    auto decoded = DecodeBase64(ds["inline_bytes"].Str());
    return decoded ? *decoded : std::string();
  }
  return std::string(ds["inline_string"].Str());
}

void AddRows(const JsonView& item, const std::string& status, std::vector<SecretRow>& rows) {
  std::string name(item["name"].Str());
  JsonView secret = item["secret"];
  JsonView chain = secret["tls_certificate"]["certificate_chain"];
  JsonView trusted = secret["validation_context"]["trusted_ca"];
  JsonView spiffe = secret["validation_context"]["custom_validator_config"]["typed_config"];
  auto row_for = [&](const std::string& pem, const std::string& fallback_type, const std::string& td) {
    SecretRow r{name, fallback_type, status, ParseFirstCertificate(pem), td};
    if (r.cert.parsed) r.type = r.cert.is_ca ? "CA" : "Cert Chain";
    if (r.trust_domain.empty()) r.trust_domain = r.cert.trust_domain;
    rows.push_back(std::move(r));
  };
  // SPIRE's ROOTCA carries an empty trusted_ca next to the SPIFFE
  // validator's federated bundles: one ROOTCA row per trust domain, as
  // istioctl prints it, whatever else the validation context holds.
  if (chain.IsObject()) {
    row_for(DataSource(chain), "Cert Chain", "");
  } else if (spiffe["trust_domains"].size() > 0) {
    spiffe["trust_domains"].ForEach([&](JsonView td) {
      row_for(DataSource(td["trust_bundle"]), "CA", std::string(td["name"].Str()));
    });
  } else if (trusted.IsObject()) {
    row_for(DataSource(trusted), "CA", "");
  } else {
    rows.push_back(SecretRow{name, "", status, {}, ""});
  }
}

}  // namespace

core::Result<JsonView> SelectSecrets(const ConfigDump& dump) { return dump.Section(type_url::kSecrets); }

core::Status PrintSecretSummary(const ConfigDump& dump, bool prefixed, int64_t now_unix, std::ostream& out) {
  ASSIGN_OR_RETURN(JsonView s, SelectSecrets(dump));
  std::vector<SecretRow> rows;
  s["dynamic_warming_secrets"].ForEach([&](JsonView item) { AddRows(item, "WARMING", rows); });
  s["dynamic_active_secrets"].ForEach([&](JsonView item) { AddRows(item, "ACTIVE", rows); });
  if (rows.empty()) {
    out << "No active or warming secrets found.\n";
    return core::Status::Ok();
  }
  bool trust_domains = true;
  for (const auto& r : rows) trust_domains &= !r.trust_domain.empty();
  TabWriter w(5);
  std::vector<std::string> header = {"RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER",
                                     "NOT BEFORE"};
  if (trust_domains) header.push_back("TRUST DOMAIN");
  w.Row(header);
  for (const auto& r : rows) {
    std::vector<std::string> row = {Cat(prefixed ? "secret/" : "", r.name),
                                    r.type,
                                    r.status,
                                    r.cert.ValidAt(now_unix) ? "true" : "false",
                                    r.cert.parsed ? r.cert.serial_hex : "",
                                    r.cert.parsed ? FormatRfc3339(r.cert.not_after) : "",
                                    r.cert.parsed ? FormatRfc3339(r.cert.not_before) : ""};
    if (trust_domains) row.push_back(r.trust_domain);
    w.Row(row);
  }
  w.Flush(out);
  return core::Status::Ok();
}

}  // namespace meshctl::envoy
