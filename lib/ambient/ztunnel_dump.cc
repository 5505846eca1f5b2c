#include "lib/ambient/ztunnel_dump.h"

#include <cctype>

#include "lib/envoy/str_cat.h"
#include "lib/json/parser.h"

namespace meshctl::ambient {

using envoy::Cat;
using envoy::JsonView;

namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view TypeName(const JsonView& v) {
  if (v.IsObject()) return "an object";
  if (v.IsArray()) return "an array";
  if (v.IsString()) return "a string";
  if (v.IsNumber()) return "a number";
  if (v.IsBool()) return "a boolean";
  return "null";
}

// A path segment for a map key: `.key` when it is a plain word, else
// `['key']` (the form yaml::Node::Locate follows).
std::string KeySegment(std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) plain &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  if (plain) return Cat(".", key);
  return Cat("['", key, "']");
}

}  // namespace

JsonView FieldFold(const JsonView& obj, std::string_view key) {
  if (!obj.IsObject()) return {};
  simdjson::dom::object o;
  if (obj.raw().get_object().get(o) != simdjson::SUCCESS) return {};
  simdjson::dom::element e;
  if (o.at_key(key).get(e) == simdjson::SUCCESS) return JsonView(e);
  for (simdjson::dom::key_value_pair kv : o) {
    if (EqualFold(kv.key, key)) return JsonView(kv.value);
  }
  return {};
}

// Walks the dump, type-checking every field it reads; the first mismatch is
// kept (with its position) and everything after it is skipped.
class DumpReader {
 public:
  explicit DumpReader(ZtunnelDump& d) : d_(d) {}

  core::Status Read() {
    JsonView root = d_.doc_->root();
    if (!root.IsObject()) {
      Fail("", "an object", root);
      return status_;
    }
    // Go's json: for each struct field the last matching key wins; take
    // the exact key first, as istioctl's tags are the current names.
    List(root, "workloads", [&](JsonView v, const std::string& p) { Workload(v, p); });
    List(root, "services", [&](JsonView v, const std::string& p) { Service(v, p); });
    List(root, "policies", [&](JsonView v, const std::string& p) { Policy(v, p); });
    List(root, "certificates", [&](JsonView v, const std::string& p) { Certs(v, p); });
    JsonView ws = FieldFold(root, "workloadState");
    std::string ws_path = WrittenKey(root, "workloadState");
    if (ws.present() && !ws.IsNull()) {
      if (!ws.IsObject()) {
        Fail(ws_path, "an object", ws);
      } else {
        ws.ForEachField([&](std::string_view k, JsonView v) {
          if (ok()) State(v, Cat(ws_path, KeySegment(k)));
        });
      }
    }
    return status_;
  }

 private:
  bool ok() const { return status_.ok(); }

  void Fail(const std::string& path, std::string_view want, const JsonView& found) {
    if (!ok()) return;
    // simdjson keeps no positions: the position-tracking parser finds the
    // value, only on this error path.
    std::string where = d_.doc_->source();
    auto positioned = json::ParseJsonStream(d_.doc_->text(), d_.doc_->source());
    if (positioned.ok() && !positioned->empty()) {
      yaml::Mark m = path.empty() ? positioned->front().root.mark() : positioned->front().root.Locate(path);
      if (m.known()) where = Cat(where, ":", std::to_string(m.line), ":", std::to_string(m.column));
    }
    std::string what = path.empty() ? std::string("config dump") : path;
    status_ = core::DataError(Cat(where, ": ", what, ": expected ", want, ", found ", TypeName(found)));
  }

  // The key as written at the top level (for paths in errors).
  static std::string WrittenKey(const JsonView& root, std::string_view key) {
    bool exact = false;
    std::string folded;
    root.ForEachField([&](std::string_view k, JsonView) {
      exact |= k == key;
      if (folded.empty() && EqualFold(k, key)) folded = std::string(k);
    });
    return exact || folded.empty() ? std::string(key) : folded;
  }

  // A top-level section: an array, or an object whose values are the
  // records (legacy layout). Null/absent: empty.
  template <typename F>
  void List(const JsonView& root, std::string_view key, F&& each) {
    JsonView v = FieldFold(root, key);
    if (!v.present() || v.IsNull()) return;
    std::string path = WrittenKey(root, key);
    if (v.IsArray()) {
      for (size_t i = 0; i < v.size() && ok(); ++i) each(v.At(i), Cat(path, "[", std::to_string(i), "]"));
    } else if (v.IsObject()) {
      v.ForEachField([&](std::string_view k, JsonView x) {
        if (ok()) each(x, Cat(path, KeySegment(k)));
      });
    } else {
      Fail(path, "an array or an object", v);
    }
  }

  bool Object(const JsonView& v, const std::string& path) {
    if (v.IsObject()) return true;
    Fail(path, "an object", v);
    return false;
  }

  std::string Str(const JsonView& obj, std::string_view key, const std::string& path) {
    JsonView v = FieldFold(obj, key);
    if (!v.present() || v.IsNull()) return "";
    if (!v.IsString()) {
      Fail(Cat(path, ".", key), "a string", v);
      return "";
    }
    return std::string(v.Str());
  }

  bool Bool(const JsonView& obj, std::string_view key, const std::string& path) {
    JsonView v = FieldFold(obj, key);
    if (!v.present() || v.IsNull()) return false;
    if (!v.IsBool()) {
      Fail(Cat(path, ".", key), "a boolean", v);
      return false;
    }
    return v.Bool();
  }

  // Each element of the array field `key` of `obj` (absent or null: none),
  // handed to `each(element, its path)`; stops at the first failure.
  template <typename F>
  void EachElement(const JsonView& obj, std::string_view key, const std::string& path, F&& each) {
    JsonView v = FieldFold(obj, key);
    if (!v.present() || v.IsNull()) return;
    std::string p = Cat(path, ".", key);
    if (!v.IsArray()) {
      Fail(p, "an array", v);
      return;
    }
    for (size_t i = 0; i < v.size() && ok(); ++i) each(v.At(i), Cat(p, "[", std::to_string(i), "]"));
  }

  // EachElement for an array of records: an element that is not an object fails.
  template <typename F>
  void EachObject(const JsonView& obj, std::string_view key, const std::string& path, F&& each) {
    EachElement(obj, key, path, [&](const JsonView& x, const std::string& xp) {
      if (Object(x, xp)) each(x, xp);
    });
  }

  std::vector<std::string> StrList(const JsonView& obj, std::string_view key, const std::string& path) {
    std::vector<std::string> out;
    EachElement(obj, key, path, [&](const JsonView& x, const std::string& xp) {
      if (x.IsString()) {
        out.emplace_back(x.Str());
      } else {
        Fail(xp, "a string", x);
      }
    });
    return out;
  }

  GatewayAddress Gateway(const JsonView& obj, std::string_view key, const std::string& path) {
    GatewayAddress g;
    JsonView v = FieldFold(obj, key);
    if (!v.present() || v.IsNull()) return g;
    std::string p = Cat(path, ".", key);
    if (!Object(v, p)) return g;
    g.present = true;
    g.destination = Str(v, "destination", p);
    return g;
  }

  void Workload(const JsonView& v, const std::string& path) {
    if (!Object(v, path)) return;
    ZWorkload w;
    w.raw = v;
    w.uid = Str(v, "uid", path);
    w.name = Str(v, "name", path);
    w.ns = Str(v, "namespace", path);
    w.node = Str(v, "node", path);
    w.protocol = Str(v, "protocol", path);
    w.status = Str(v, "status", path);
    w.hostname = Str(v, "hostname", path);
    w.service_account = Str(v, "serviceAccount", path);
    w.trust_domain = Str(v, "trustDomain", path);
    w.workload_type = Str(v, "workloadType", path);
    w.network = Str(v, "network", path);
    w.cluster_id = Str(v, "clusterId", path);
    w.ips = StrList(v, "workloadIps", path);
    w.waypoint = Gateway(v, "waypoint", path);
    if (ok()) d_.workloads_.push_back(std::move(w));
  }

  void Service(const JsonView& v, const std::string& path) {
    if (!Object(v, path)) return;
    ZService s;
    s.raw = v;
    s.name = Str(v, "name", path);
    s.ns = Str(v, "namespace", path);
    s.hostname = Str(v, "hostname", path);
    s.vips = StrList(v, "vips", path);
    s.waypoint = Gateway(v, "waypoint", path);
    JsonView ports = FieldFold(v, "ports");
    if (ports.present() && !ports.IsNull()) {
      if (!ports.IsObject()) {
        Fail(Cat(path, ".ports"), "an object", ports);
      } else {
        ports.ForEachField([&](std::string_view k, JsonView t) {
          if (!ok()) return;
          if (!t.IsNumber()) {
            Fail(Cat(path, ".ports", KeySegment(k)), "a number", t);
            return;
          }
          s.ports.push_back(Cat(k, ":", std::to_string(t.Int())));
        });
      }
    }
    JsonView eps = FieldFold(v, "endpoints");
    if (eps.present() && !eps.IsNull()) {
      std::string ep_path = Cat(path, ".endpoints");
      auto one = [&](JsonView e, const std::string& p) {
        if (!ok() || !Object(e, p)) return;
        s.endpoint_uids.push_back(Str(e, "workloadUid", p));
      };
      if (eps.IsObject()) {
        eps.ForEachField([&](std::string_view k, JsonView e) { one(e, Cat(ep_path, KeySegment(k))); });
      } else if (eps.IsArray()) {
        for (size_t i = 0; i < eps.size(); ++i) one(eps.At(i), Cat(ep_path, "[", std::to_string(i), "]"));
      } else {
        Fail(ep_path, "an object", eps);
      }
    }
    if (ok()) d_.services_.push_back(std::move(s));
  }

  void Policy(const JsonView& v, const std::string& path) {
    if (!Object(v, path)) return;
    ZPolicy p;
    p.raw = v;
    p.name = Str(v, "name", path);
    p.ns = Str(v, "namespace", path);
    p.action = Str(v, "action", path);
    p.scope = Str(v, "scope", path);
    p.dry_run = Bool(v, "dryRun", path);
    JsonView rules = FieldFold(v, "rules");
    if (rules.present() && !rules.IsNull()) {
      if (!rules.IsArray()) {
        Fail(Cat(path, ".rules"), "an array", rules);
      } else {
        p.rules = rules.size();
      }
    }
    if (ok()) d_.policies_.push_back(std::move(p));
  }

  std::vector<ZCert> CertList(const JsonView& obj, std::string_view key, const std::string& path) {
    std::vector<ZCert> out;
    EachObject(obj, key, path, [&](const JsonView& c, const std::string& cp) {
      ZCert z;
      z.serial = Str(c, "serialNumber", cp);
      z.valid_from = Str(c, "validFrom", cp);
      z.expiration = Str(c, "expirationTime", cp);
      Str(c, "pem", cp);  // checked for its type only
      out.push_back(std::move(z));
    });
    return out;
  }

  void Certs(const JsonView& v, const std::string& path) {
    if (!Object(v, path)) return;
    ZCertsDump c;
    c.raw = v;
    c.identity = Str(v, "identity", path);
    c.state = Str(v, "state", path);
    c.chain = CertList(v, "certChain", path);
    c.roots = CertList(v, "rootCerts", path);
    if (ok()) d_.certificates_.push_back(std::move(c));
  }

  std::vector<ZConnection> Connections(const JsonView& obj, std::string_view key, const std::string& path) {
    std::vector<ZConnection> out;
    EachObject(obj, key, path, [&](const JsonView& c, const std::string& cp) {
      ZConnection z;
      z.src = Str(c, "src", cp);
      z.original_dst = Str(c, "originalDst", cp);
      z.actual_dst = Str(c, "actualDst", cp);
      z.protocol = Str(c, "protocol", cp);
      out.push_back(std::move(z));
    });
    return out;
  }

  void State(const JsonView& v, const std::string& path) {
    if (!Object(v, path)) return;
    ZWorkloadState s;
    s.raw = v;
    s.state = Str(v, "state", path);
    JsonView info = FieldFold(v, "info");
    if (info.present() && !info.IsNull()) {
      std::string ip = Cat(path, ".info");
      if (Object(info, ip)) {
        s.name = Str(info, "name", ip);
        s.ns = Str(info, "namespace", ip);
        s.trust_domain = Str(info, "trustDomain", ip);
        s.service_account = Str(info, "serviceAccount", ip);
      }
    }
    JsonView conns = FieldFold(v, "connections");
    if (conns.present() && !conns.IsNull()) {
      std::string cp = Cat(path, ".connections");
      if (Object(conns, cp)) {
        s.inbound = Connections(conns, "inbound", cp);
        s.outbound = Connections(conns, "outbound", cp);
      }
    }
    if (ok()) d_.states_.push_back(std::move(s));
  }

  ZtunnelDump& d_;
  core::Status status_;
};

core::Result<ZtunnelDump> ZtunnelDump::Parse(std::string_view text, const std::string& source) {
  bool blank = true;
  for (char c : text) blank &= c == ' ' || c == '\t' || c == '\n' || c == '\r';
  if (blank) {
    return core::DataError(Cat(source, ": not a ztunnel config dump: unexpected end of JSON input"));
  }
  ASSIGN_OR_RETURN(auto doc, envoy::JsonDocument::Parse(text, source));
  ZtunnelDump d;
  d.doc_ = std::shared_ptr<envoy::JsonDocument>(std::move(doc));
  DumpReader r(d);
  RETURN_IF_ERROR(r.Read());
  return d;
}

}  // namespace meshctl::ambient
