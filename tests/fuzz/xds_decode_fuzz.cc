// The xDS / protobuf decoding of syncz and CSDS responses (lib/xds): the
// input is either a saved syncz DiscoveryResponse as JSON (what
// `proxy-status --file` reads; also fed to the offline `proxy-config diff`
// twin) or protobuf wire bytes of a DiscoveryResponse and of a CSDS
// ClientStatusResponse (what the gRPC clients receive). Decoding and the
// status table must never crash; a failure is a DataError.
#include <chrono>
#include <sstream>

#include "lib/xds/config_diff.h"
#include "lib/xds/proxy_status.h"
#include "lib/xds/status_table.h"
#include "lib/xds/sync_status.h"
#include "tests/fuzz/fuzz_target.h"

using namespace meshctl;

namespace {

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

bool LooksLikeJson(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i < s.size() && (s[i] == '{' || s[i] == '[');
}

void Json(std::string_view data) {
  for (const char* output : {"table", "json", "yaml"}) {
    xds::StatusOptions o;
    o.from_files = {"-"};
    o.stdin_text = std::string(data);
    o.output = output;
    o.verbosity = 1;
    o.now = kNow;
    std::ostringstream out, err;
    core::Status st = xds::ProxyStatus(o, out, err);
    if (!st.ok())
      MESHCTL_FUZZ_CHECK(st.code() == core::StatusCode::kDataError, "not a DataError: " + st.message());
  }
  xds::DiffOptions d;
  d.proxy = "app-1.default";
  d.istiod_dump = std::string(data);
  d.istiod_source = "istiod.json";
  d.envoy_dump = std::string(data);
  d.envoy_source = "envoy.json";
  std::ostringstream out;
  (void)xds::ProxyDiff(d, out);
}

void Wire(std::string_view data) {
  envoy::service::discovery::v3::DiscoveryResponse r;
  if (r.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    (void)xds::IstiodId(r);
    auto rows = xds::ProxiesFromSyncz(r);
    if (rows.ok()) {
      for (const auto& p : *rows) {
        (void)xds::ShortNodeId(p.name);
        for (const auto& t : p.types) (void)xds::CellText(t, kNow);
      }
      (void)xds::RenderStatusTable(std::move(rows).value(), 2, kNow);
    }
  }
  envoy::service::status::v3::ClientStatusResponse c;
  if (c.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    xds::NormalizeCsds(c);
    auto rows = xds::ProxiesFromCsds(c, "csds:15010");
    (void)xds::RenderStatusTable(std::move(rows), 1, kNow);
  }
}

}  // namespace

MESHCTL_FUZZ_TARGET(xds_decode) {
  if (LooksLikeJson(data)) {
    Json(data);
  } else {
    Wire(data);
  }
}
