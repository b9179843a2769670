// A trace result as people and programs read it: the table of `fundtrace trace`, its JSON
// (also what the API serves), the endpoint CSV and the Graphviz graph. Addresses, tx hashes and
// assets are written as on chain (never as store ids), amounts as base-unit integers in JSON/CSV
// and in whole units in the table and the graph.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/chain_store.h"
#include "trace/trace.h"

namespace fundtrace {

nlohmann::json TraceToJson(const ChainStore& store, const TraceResult& r);
std::string TraceToTable(const ChainStore& store, const TraceResult& r, size_t max_rows);
std::string TraceEndpointsCsv(const ChainStore& store, const TraceResult& r);
std::string TraceToDot(const ChainStore& store, const TraceResult& r);
// The flow graph rendered to SVG by Graphviz `dot`. Unsupported when dot is missing or fails.
Result<std::string> TraceToSvg(const ChainStore& store, const TraceResult& r);
// The asset as written in reports: the native symbol, else the token contract's address.
std::string AssetKeyText(const ChainStore& store, AssetId asset);

}  // namespace fundtrace
