#include "lib/ambient/waypoint_tables.h"

#include <sstream>

#include "lib/envoy/tabwriter.h"

namespace meshctl::ambient {

namespace {

constexpr int kPadding = 5;

std::vector<const Waypoint*> InScope(const WaypointModel& m, const WaypointTableOptions& o, bool& any_gateway) {
  std::vector<const Waypoint*> out;
  any_gateway = false;
  for (const auto& w : m.waypoints) {
    if (!o.all_namespaces && w.ns != o.ns) continue;
    any_gateway = true;
    if (w.is_waypoint_class()) out.push_back(&w);
  }
  return out;
}

std::string Bound(const WaypointModel& m, const Waypoint& w) {
  size_t namespaces = 0, services = 0, workloads = 0;
  for (const Binding* b : m.BoundTo(w)) {
    std::string_view k = BindingKind(*b->object);
    if (k == "namespace") ++namespaces;
    if (k == "service" && TrafficTypeServes(w.traffic_type, "service")) ++services;
    if (k == "workload" && TrafficTypeServes(w.traffic_type, "workload")) ++workloads;
  }
  return std::to_string(namespaces) + " ns, " + std::to_string(services) + " svc, " + std::to_string(workloads) + " wl";
}

}  // namespace

void PrintWaypointList(const WaypointModel& m, const WaypointTableOptions& o, std::ostream& out) {
  bool any = false;
  std::vector<const Waypoint*> ws = InScope(m, o, any);
  if (!any) {
    out << "No waypoints found.\n";
    return;
  }
  envoy::TabWriter tw(kPadding);
  std::vector<std::string> header = {"NAME", "REVISION", "TRAFFIC TYPE", "PROGRAMMED"};
  if (o.all_namespaces) header.insert(header.begin(), "NAMESPACE");
  if (o.wide) header.insert(header.end(), {"ADDRESS", "EFFECTIVE TYPE", "BOUND"});
  tw.Row(header);
  for (const Waypoint* w : ws) {
    std::vector<std::string> row = {w->name, w->revision.empty() ? "default" : w->revision,
                                    w->traffic_label.empty() ? "none" : w->traffic_label, w->programmed()};
    if (o.all_namespaces) row.insert(row.begin(), w->ns);
    if (o.wide) {
      std::string addr;
      for (const auto& a : w->addresses) addr += (addr.empty() ? "" : ",") + a;
      row.insert(row.end(), {addr.empty() ? "<none>" : addr, w->traffic_type + " (" + w->traffic_source + ")",
                             Bound(m, *w)});
    }
    tw.Row(row);
  }
  tw.Flush(out);
}

core::Status PrintWaypointStatus(const WaypointModel& m, const WaypointTableOptions& o, std::ostream& out) {
  bool any = false;
  std::vector<const Waypoint*> ws = InScope(m, o, any);
  if (!any) {
    out << "No waypoints found.\n";
    return core::Status();
  }
  envoy::TabWriter tw(kPadding);
  if (o.all_namespaces) {
    tw.Row({"NAMESPACE", "NAME", "STATUS", "TYPE", "REASON", "MESSAGE"});
  } else {
    tw.Row({"NAME", "STATUS", "TYPE", "REASON", "MESSAGE"});
  }
  Condition cond;
  for (const Waypoint* w : ws) {
    bool programmed = false;
    for (const auto& c : w->conditions) {
      cond = c;
      if (c.type == "Programmed" && c.status == "True") {
        programmed = true;
        break;
      }
    }
    if (o.wait && !programmed) {
      return core::Unavailable("timed out while retrieving status for waypoint\t" + w->ns + "/" + w->name);
    }
    std::vector<std::string> row = {w->name, cond.status, cond.type, cond.reason, cond.message};
    if (o.all_namespaces) row.insert(row.begin(), w->ns);
    tw.Row(row);
  }
  tw.Flush(out);
  return core::Status();
}

}  // namespace meshctl::ambient
