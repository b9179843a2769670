// JSON of risk answers in MistTrack's field names (v2/v3 risk_score: score, risk_level,
// hacking_event, detail_list, risk_detail[{entity, risk_type, exposure_type, hop_num, hop_dic,
// volume, percent}], address_label, risk_report_url) plus fundtrace's evidence fields (category,
// direction, address, path with tx hashes, own labels with their source, what the search cut).
// Shared by the CLI and, later, the REST server.
#pragma once

#include <nlohmann/json.hpp>

#include "risk/risk_score.h"

namespace fundtrace {

// `store` may be null when the address has no chain data (then paths are empty anyway).
nlohmann::json RiskReportJson(const RiskReport& report, const ChainStore* store);
// One path step list as [{hop, address, tx}], hop 1 first.
nlohmann::json PathJson(const std::vector<PathStep>& path, const ChainStore& store);

}  // namespace fundtrace
