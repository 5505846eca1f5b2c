#include "lib/explain/render.h"

#include <algorithm>

#include <fmt/format.h>

#include "lib/core/strings.h"

namespace meshctl::explain {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "ok";
    case Verdict::kWarn: return "warn";
    case Verdict::kFail: return "fail";
  }
  return "ok";
}

std::string Citation::Position() const {
  if (file.empty() || line == 0) return "";
  return fmt::format("{}:{}:{}", file, line, column);
}

void CitationJson(const Citation& c, nlohmann::ordered_json& j) {
  if (!c.object.empty()) j["object"] = c.object;
  if (!c.field.empty()) j["field"] = c.field;
  if (!c.file.empty()) {
    j["file"] = c.file;
    j["line"] = c.line;
    j["column"] = c.column;
  }
}

std::string SharesText(std::vector<Split> shares) {
  std::sort(shares.begin(), shares.end(), [](const Split& a, const Split& b) { return a.cluster < b.cluster; });
  std::vector<std::string> parts;
  for (const Split& s : shares) parts.push_back(fmt::format("{} {:.4g}%", s.cluster, s.share));
  return core::Join(parts, ", ");
}

namespace {

std::string RequestLine(const Request& req) {
  std::string q;
  for (const auto& [k, v] : req.query) q += (q.empty() ? "?" : "&") + k + "=" + v;
  std::string line = fmt::format("{} {}://{}{}{}", req.method, req.scheme, req.Authority(), req.path, q);
  if (!req.port_given || req.Authority().find(':') == std::string::npos) line += fmt::format(" (port {})", req.port);
  for (const auto& [k, v] : req.headers) line += fmt::format(" -H '{}: {}'", k, v);
  if (req.protocol != "http") line += " (" + req.protocol + ")";
  if (!req.sni.empty()) line += " sni " + req.sni;
  return line;
}

}  // namespace

void RenderText(const Request& req, const std::vector<const Walk*>& walks, const std::vector<Disagreement>* diffs,
                std::ostream& out) {
  out << "Request: " << RequestLine(req) << "\n";
  out << "From:    " << (req.from.empty() ? "(a sidecar)" : req.from) << (req.from_ns.empty() ? "" : "." + req.from_ns)
      << "\n";
  for (const Walk* w : walks) {
    out << "\n" << (w->kind == "config" ? "Config walk" : w->kind == "ambient" ? "Ambient path" : "Dump walk") << (w->source.empty() ? "" : " (" + w->source + ")")
        << ":\n";
    std::string branch;
    for (const Hop& h : w->hops) {
      if (h.branch != branch) {
        branch = h.branch;
        if (!branch.empty()) out << "  ── " << branch << "\n";
      }
      out << fmt::format("  {:>2}. {:<6} {:<24} {}\n", h.number, "[" + std::string(VerdictName(h.verdict)) + "]", h.step, h.summary);
      std::string where = h.object + (h.field.empty() ? "" : " " + h.field);
      std::string loc = h.Position();
      if (!where.empty() || !loc.empty()) out << "        at " << where << (loc.empty() ? "" : "  " + loc) << "\n";
      if (!h.envoy_name.empty()) out << "        envoy " << h.envoy_kind << " " << h.envoy_name << "\n";
      for (const auto& d : h.details) out << "        " << d << "\n";
    }
    // The Envoy objects the request passes, in order.
    std::vector<std::string> chain;
    std::vector<std::string> clusters;
    for (const Hop& h : w->hops) {
      if (h.envoy_name.empty()) continue;
      std::string item = h.envoy_kind + " " + h.envoy_name;
      if (h.envoy_kind == "cluster") {
        if (std::find(clusters.begin(), clusters.end(), h.envoy_name) == clusters.end()) clusters.push_back(h.envoy_name);
      } else if (h.branch.empty() && std::find(chain.begin(), chain.end(), item) == chain.end()) {
        chain.push_back(item);
      }
    }
    if (!clusters.empty()) chain.push_back(std::string(clusters.size() == 1 ? "cluster " : "clusters ") +
                                           core::Join(clusters, ", "));
    if (!chain.empty()) out << "  Envoy:   " << core::Join(chain, " → ") << "\n";
    const Outcome& o = w->outcome;
    out << "  Outcome: " << (o.reached ? "reached" : "FAILED") << " — " << o.result;
    if (!o.message.empty()) out << ": " << o.message;
    if (o.cause_hop) out << " (hop " << o.cause_hop << ")";
    out << "\n";
    for (const auto& d : o.destinations)
      out << fmt::format("    {:>6.4g}%  {}{}\n", d.share, d.cluster,
                         d.reached ? fmt::format("  ({} endpoint{})", d.endpoints, d.endpoints == 1 ? "" : "s")
                                   : "  → " + d.failure);
  }
  if (diffs) {
    if (diffs->empty()) {
      out << "\nThe config walk and the dump walk agree.\n";
    } else {
      out << "\nDisagreements (the proxy is stale, or meshctl's model is wrong):\n";
      for (const auto& d : *diffs) out << "  " << d.what << ": config says " << d.config << ", the dump says " << d.dump << "\n";
    }
  }
}

nlohmann::ordered_json ToJson(const Request& req, const std::vector<const Walk*>& walks,
                              const std::vector<Disagreement>* diffs) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json r;
  r["from"] = req.from;
  r["namespace"] = req.from_ns;
  r["method"] = req.method;
  r["scheme"] = req.scheme;
  r["host"] = req.host;
  r["port"] = req.port;
  r["authority"] = req.Authority();
  r["path"] = req.path;
  r["query"] = req.query;
  r["headers"] = req.headers;
  r["protocol"] = req.protocol;
  if (!req.sni.empty()) r["sni"] = req.sni;
  j["request"] = r;
  bool reached = true;
  for (const Walk* w : walks) {
    nlohmann::ordered_json wj;
    wj["source"] = w->source;
    nlohmann::ordered_json hops = nlohmann::ordered_json::array();
    for (const Hop& h : w->hops) {
      nlohmann::ordered_json hj;
      hj["number"] = h.number;
      hj["step"] = h.step;
      hj["verdict"] = std::string(VerdictName(h.verdict));
      hj["summary"] = h.summary;
      if (!h.branch.empty()) hj["branch"] = h.branch;
      CitationJson(h, hj);
      if (!h.envoy_name.empty()) hj["envoy"] = {{"kind", h.envoy_kind}, {"name", h.envoy_name}};
      if (!h.details.empty()) hj["details"] = h.details;
      hops.push_back(hj);
    }
    wj["hops"] = hops;
    const Outcome& o = w->outcome;
    nlohmann::ordered_json oj;
    oj["reached"] = o.reached;
    oj["result"] = o.result;
    oj["message"] = o.message;
    if (o.cause_hop) oj["causeHop"] = o.cause_hop;
    nlohmann::ordered_json dests = nlohmann::ordered_json::array();
    for (const auto& d : o.destinations) {
      nlohmann::ordered_json dj;
      dj["cluster"] = d.cluster;
      dj["host"] = d.host;
      dj["subset"] = d.subset;
      dj["port"] = d.port;
      dj["weight"] = d.weight;
      dj["share"] = d.share;
      dj["reached"] = d.reached;
      if (!d.failure.empty()) dj["failure"] = d.failure;
      dj["endpoints"] = d.endpoints;
      dests.push_back(dj);
    }
    oj["destinations"] = dests;
    wj["outcome"] = oj;
    reached = reached && o.reached;
    j[w->kind == "config" || w->kind == "ambient" ? w->kind : "dump"] = wj;
  }
  if (diffs) {
    nlohmann::ordered_json dj = nlohmann::ordered_json::array();
    for (const auto& d : *diffs) dj.push_back({{"what", d.what}, {"config", d.config}, {"dump", d.dump}});
    j["disagreements"] = dj;
  }
  j["reached"] = reached;
  return j;
}

std::vector<Disagreement> Compare(const Walk& config, const Walk& dump) {
  std::vector<Disagreement> out;
  auto envoy = [](const Walk& w, std::string_view kind) {
    for (const Hop& h : w.hops)
      if (h.envoy_kind == kind && h.branch.empty()) return h.envoy_name;
    return std::string();
  };
  for (std::string_view kind : {"listener", "virtual host"}) {
    std::string a = envoy(config, kind), b = envoy(dump, kind);
    if (!a.empty() && !b.empty() && a != b) out.push_back({std::string(kind), a, b});
  }
  auto clusters = [](const Walk& w) {
    std::vector<Split> v;
    for (const auto& d : w.outcome.destinations) v.push_back({d.cluster, d.share});
    return SharesText(std::move(v));
  };
  std::string a = clusters(config), b = clusters(dump);
  if (a != b) out.push_back({"destinations", a.empty() ? "none" : a, b.empty() ? "none" : b});
  if (config.outcome.reached != dump.outcome.reached || config.outcome.result != dump.outcome.result)
    out.push_back({"outcome", config.outcome.result, dump.outcome.result});
  return out;
}

}  // namespace meshctl::explain
