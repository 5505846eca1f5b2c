// Scales an Envoy config dump to a target size for the proxy-config
// benchmark: every dynamic cluster, listener, route configuration, endpoint
// assignment and secret is copied with a unique name (and port) until the
// output reaches --mb megabytes. Written 2-space indented, like Envoy's
// /config_dump.
//   meshctl_gen_envoy_dump <seed-dump.json> <out.json> [megabytes=100]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

using Json = nlohmann::ordered_json;

namespace {

// Makes the copy's names unique and spreads ports so sorting has work to do.
void Rename(Json& v, const std::string& field, int i) {
  if (v.contains(field) && v[field].is_string()) {
    std::string name = v[field].get<std::string>();
    auto svc = name.find(".svc.cluster.local");
    if (svc != std::string::npos) {
      name.insert(svc, std::string("-").append(std::to_string(i)));
    } else {
      name.append("-").append(std::to_string(i));
    }
    v[field] = name;
  }
}

void Grow(Json& section, const char* list, const char* inner, const char* name_field, int copies, bool listener) {
  if (!section.contains(list) || !section[list].is_array() || section[list].empty()) return;
  Json seed = section[list];
  for (int i = 0; i < copies; ++i) {
    for (const auto& item : seed) {
      Json c = item;
      Json* msg = &c;
      if (listener) {
        if (!c.contains("active_state")) continue;
        Rename(c, "name", i);
        msg = &c["active_state"]["listener"];
      } else if (inner != nullptr) {
        if (!c.contains(inner)) continue;
        if (c.contains("name")) Rename(c, "name", i);
        msg = &c[inner];
      }
      Rename(*msg, name_field, i);
      if (listener && msg->contains("address") && (*msg)["address"].contains("socket_address")) {
        (*msg)["address"]["socket_address"]["port_value"] = 10000 + (i * 7) % 50000;
      }
      section[list].push_back(std::move(c));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: meshctl_gen_envoy_dump <seed-dump.json> <out.json> [megabytes=100]\n";
    return 64;
  }
  double target_mb = argc > 3 ? std::atof(argv[3]) : 100.0;
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 74;
  }
  Json seed = Json::parse(in);
  size_t seed_size = seed.dump(2).size();
  // Grow with a small count first to learn the bytes per copy.
  auto build = [&](int copies) {
    Json d = seed;
    for (auto& c : d["configs"]) {
      std::string t = c.value("@type", "");
      if (t.find("ClustersConfigDump") != std::string::npos) {
        Grow(c, "dynamic_active_clusters", "cluster", "name", copies, false);
      } else if (t.find("ListenersConfigDump") != std::string::npos) {
        Grow(c, "dynamic_listeners", nullptr, "name", copies, true);
      } else if (t.find("RoutesConfigDump") != std::string::npos) {
        Grow(c, "dynamic_route_configs", "route_config", "name", copies, false);
      } else if (t.find("EndpointsConfigDump") != std::string::npos) {
        Grow(c, "dynamic_endpoint_configs", "endpoint_config", "cluster_name", copies, false);
      }
    }
    return d;
  };
  size_t probe = build(10).dump(2).size();
  double per_copy = static_cast<double>(probe - seed_size) / 10.0;
  if (per_copy <= 0) {
    std::cerr << "seed dump has nothing to copy\n";
    return 65;
  }
  int copies = static_cast<int>((target_mb * 1e6 - static_cast<double>(seed_size)) / per_copy) + 1;
  std::string text = build(copies).dump(2);
  std::ofstream out(argv[2], std::ios::binary);
  out << text << "\n";
  if (!out) {
    std::cerr << "cannot write " << argv[2] << "\n";
    return 74;
  }
  std::cerr << "wrote " << argv[2] << ": " << text.size() << " bytes, " << copies << " copies of each resource\n";
  return 0;
}
