// Prints walks: text (numbered hops, then the outcome) and JSON (the same
// data: hops, outcome, disagreements), so scripts can read every hop.
// `diffs` is nullptr when the walks were not compared.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/explain/request.h"
#include "lib/explain/walk.h"

namespace meshctl::explain {

void RenderText(const Request& req, const std::vector<const Walk*>& walks, const std::vector<Disagreement>* diffs,
                std::ostream& out);
nlohmann::ordered_json ToJson(const Request& req, const std::vector<const Walk*>& walks,
                              const std::vector<Disagreement>* diffs);

}  // namespace meshctl::explain
