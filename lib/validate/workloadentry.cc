// WorkloadEntry (spec §5.6, also ServiceEntry endpoints) and WorkloadGroup
// (spec §5.7) rules.
#include <algorithm>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

void CheckWorkloadEntry(const Node* we, const std::vector<std::string>* service_ports, bool allow_fqdn,
                        const std::string& path, Findings& out) {
  std::string addr = Str(we, "address");
  if (addr.empty()) {
    if (Str(we, "network").empty()) {
      out.Error(path, "address is required");
      return;
    }
    out.Warning(path, fmt::format("address is unset with network {}", core::GoQuote(Str(we, "network"))));
  }
  std::string ap = Path(path, "address");
  if (addr.rfind("unix://", 0) == 0) {
    if (auto e = CheckUnixAddress(addr.substr(7)); !e.empty()) out.Error(ap, e);
    if (Len(we, "ports")) out.Error(Path(path, "ports"), fmt::format("unix endpoint {} must not include ports", addr));
  } else if (!addr.empty() && !IsIP(addr)) {
    if (!allow_fqdn)
      out.Error(ap, fmt::format("endpoint address {} is not a valid IP address", core::GoQuote(addr)));
    else if (!CheckFQDN(addr).empty())
      out.Error(ap, fmt::format("endpoint address {} is not a valid FQDN or an IP address", core::GoQuote(addr)));
  }
  if (const Node* ports = Get(we, "ports")) {
    for (size_t i = 0; i < ports->size(); ++i) {
      std::string name = ports->KeyAt(i).ToScalarString();
      std::string pp = Key(Path(path, "ports"), name);
      if (service_ports && std::find(service_ports->begin(), service_ports->end(), name) == service_ports->end())
        out.Error(pp, fmt::format("endpoint port {} is not defined by the service entry", name));
      if (auto e = CheckPortName(name); !e.empty()) out.Error(pp, e);
      if (auto e = CheckPort(ports->ValueAt(i).AsInt().value_or(0)); !e.empty()) out.Error(pp, e);
    }
  }
  CheckLabels(Get(we, "labels"), Path(path, "labels"), out);
}

void ValidateWorkloadEntry(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  CheckWorkloadEntry(r.spec, nullptr, true, "spec", out);
  (void)ctx;
}

void ValidateWorkloadGroup(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  const Node* spec = r.spec;
  if (!Has(spec, "template")) {
    out.Error("spec", "template is required");
    return;
  }
  if (const Node* md = Get(spec, "metadata")) {
    auto errs = LabelErrors(Get(md, "labels"));
    if (!errs.empty()) {
      out.Error("spec.metadata.labels", "invalid labels: " + errs.front());
      return;
    }
  }
  const Node* probe = Get(spec, "probe");
  if (!probe) return;
  const std::string pp = "spec.probe";
  for (std::string_view f : {"periodSeconds", "initialDelaySeconds", "timeoutSeconds", "successThreshold",
                             "failureThreshold"})
    if (Int(probe, f) < 0) out.Error(Path(pp, f), fmt::format("{} must be non-negative", f));
  if (const Node* hg = Get(probe, "httpGet")) {
    std::string hp = Path(pp, "httpGet");
    if (auto e = CheckPort(Int(hg, "port")); !e.empty()) out.Error(Path(hp, "port"), e);
    std::string scheme = Str(hg, "scheme");
    if (!scheme.empty() && scheme != "HTTP" && scheme != "HTTPS")
      out.Error(Path(hp, "scheme"), "httpGet.scheme must be one of \"HTTPS\", \"HTTP\"");
    if (const Node* hs = Get(hg, "httpHeaders")) {
      for (size_t i = 0; i < hs->size(); ++i) {
        std::string name = Str(&hs->at(i), "name");
        bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
        });
        if (!ok)
          out.Error(Idx(Path(hp, "httpHeaders"), i), fmt::format("header name {} is not a valid header name", name));
      }
    }
  } else if (const Node* ts = Get(probe, "tcpSocket")) {
    if (auto e = CheckPort(Int(ts, "port")); !e.empty()) out.Error(Path(pp, "tcpSocket.port"), e);
  } else if (const Node* ex = Get(probe, "exec")) {
    if (Len(ex, "command") == 0) out.Error(Path(pp, "exec"), "exec.command is required");
  } else if (Has(probe, "grpc")) {
    out.Error(pp, "unknown health check method *v1alpha3.ReadinessProbe_Grpc");
  } else {
    out.Error(pp, "unknown health check method <nil>");
  }
  (void)ctx;
}

}  // namespace meshctl::validate
