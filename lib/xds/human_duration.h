// Kubernetes' duration.HumanDuration, which istioctl uses for the "(age)" in
// verbose proxy-status cells: "45s", "3m2s", "170m", "5h3m", "3d4h", "2y10d".
#pragma once

#include <chrono>
#include <string>

namespace meshctl::xds {

std::string HumanDuration(std::chrono::nanoseconds d);

}  // namespace meshctl::xds
