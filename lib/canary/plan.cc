#include "lib/canary/plan.h"

#include <fmt/format.h>

#include <charconv>

#include "lib/core/strings.h"

namespace meshctl::canary {

core::Result<std::vector<int>> ParseSteps(const std::string& csv) {
  std::vector<int> out;
  for (const auto& raw : core::Split(csv, ',')) {
    std::string_view part = core::Trim(raw);
    if (!part.empty() && part.back() == '%') part.remove_suffix(1);
    int v = -1;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size())
      return core::InvalidArgument("--steps: \"" + std::string(raw) + "\" is not a whole number");
    if (v < 1 || v > 100) return core::InvalidArgument("--steps: " + std::to_string(v) + " is out of range: give 1 to 100");
    if (!out.empty() && v <= out.back())
      return core::InvalidArgument("--steps must increase: " + std::to_string(v) + " comes after " +
                                   std::to_string(out.back()));
    out.push_back(v);
  }
  if (out.empty()) return core::InvalidArgument("--steps needs at least one weight, e.g. 1,5,10,25,50,100");
  return out;
}

core::Result<std::vector<int>> LinearSteps(int step, int max) {
  if (step < 1 || step > 100) return core::InvalidArgument("--step " + std::to_string(step) + " is out of range: give 1 to 100");
  if (max < step || max > 100)
    return core::InvalidArgument("--max " + std::to_string(max) + " is out of range: give " + std::to_string(step) +
                                 " (the step) to 100");
  std::vector<int> out;
  for (int w = step; w < max; w += step) out.push_back(w);
  out.push_back(max);
  return out;
}

std::string StepDirName(size_t index, int weight) { return fmt::format("step-{:02d}-w{}", index + 1, weight); }

std::string RenderPlanTable(const std::vector<int>& weights, const std::string& stable, const std::string& canary,
                            const std::vector<std::string>& dirs) {
  std::string a = stable + " (stable)", b = canary + " (canary)";
  size_t wa = std::max<size_t>(a.size(), 4), wb = std::max<size_t>(b.size(), 4);
  std::string out = fmt::format("{:<6}{:<{}}  {:<{}}", "STEP", a, wa, b, wb);
  if (!dirs.empty()) out += "  MANIFESTS";
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += "\n";
  for (size_t i = 0; i < weights.size(); ++i) {
    std::string row = fmt::format("{:<6}{:<{}}  {:<{}}", i + 1, fmt::format("{}%", 100 - weights[i]), wa,
                                  fmt::format("{}%", weights[i]), wb);
    if (i < dirs.size()) row += "  " + dirs[i];
    while (!row.empty() && row.back() == ' ') row.pop_back();
    out += row + "\n";
  }
  return out;
}

}  // namespace meshctl::canary
