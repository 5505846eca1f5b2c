// Step plans for a canary: the sequence of canary weights a release goes
// through (Flagger's stepWeights / stepWeight+maxWeight semantics), and the
// table `meshctl canary --steps` prints.
#pragma once

#include <string>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::canary {

// "1,5,10,25,50,100": strictly increasing weights in 1..100.
core::Result<std::vector<int>> ParseSteps(const std::string& csv);

// --step S --max M: S, 2S, ... up to M (M itself is the last step even when
// it is not a multiple of S). 1 <= S <= M <= 100.
core::Result<std::vector<int>> LinearSteps(int step, int max);

// One row per step: step number, stable weight, canary weight, and the
// directory of the step's manifests when `dirs` is not empty.
std::string RenderPlanTable(const std::vector<int>& weights, const std::string& stable, const std::string& canary,
                            const std::vector<std::string>& dirs = {});

// "step-03-w25": the directory name of one step's manifests.
std::string StepDirName(size_t index, int weight);

}  // namespace meshctl::canary
