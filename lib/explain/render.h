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

// A citation's object, field and position as JSON members (object and
// field when set, file/line/column when the file is known).
void CitationJson(const Citation& c, nlohmann::ordered_json& j);

// "outbound|9080|v1|... 80%, outbound|9080|v2|... 20%", sorted by cluster;
// "" for none.
std::string SharesText(std::vector<Split> shares);

void RenderText(const Request& req, const std::vector<const Walk*>& walks, const std::vector<Disagreement>* diffs,
                std::ostream& out);
nlohmann::ordered_json ToJson(const Request& req, const std::vector<const Walk*>& walks,
                              const std::vector<Disagreement>* diffs);

}  // namespace meshctl::explain
