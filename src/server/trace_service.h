// Traces for the API: a trace request (JSON) turned into TraceOptions against one chain's
// snapshot, the trace run, and its answers: a summary with the endpoint table, the flow graph
// for the UI (nodes and edges with labels, categories and amounts in whole units), and the
// exports (JSON as `fundtrace trace --json`, endpoint CSV, Graphviz DOT, SVG).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/data_context.h"
#include "trace/trace.h"
#include "util/status.h"

namespace fundtrace {

// A finished trace and the snapshot it was computed on (ids in it refer to that store).
struct StoredTrace {
  std::shared_ptr<const ChainView> view;
  TraceResult result;
};

// The request body of POST /api/v1/trace (docs/api.md):
//   seeds: [address | tx hash | txid:vout], chain, policy, direction ("forward"/"backward"),
//   hops, stops (categories; [] = none), stop_addresses, assets, from_block, to_block,
//   max_addresses, dust.
struct TraceRequest {
  std::vector<std::string> seeds;
  Chain chain = Chain::kEthereum;
  TraceOptions options;
  std::vector<std::string> stop_addresses;
  std::vector<std::string> assets;
};

// Limits a request may not exceed.
inline constexpr size_t kMaxTraceSeeds = 10000;
inline constexpr int kMaxTraceHops = 100;
inline constexpr size_t kMaxTraceAddresses = 200000;

// Parses the JSON body. Errors: InvalidArgument naming the field.
Result<TraceRequest> ParseTraceRequest(const nlohmann::json& body);
// Resolves seeds, assets and stops against `view` and fills request->options. Errors:
// InvalidArgument (a malformed seed or unknown stop category), NotFound (a seed not in the store).
Status ResolveTraceRequest(const ChainView& view, TraceRequest* request);
// Whether the request is small enough to answer in the request's own thread.
bool IsSmallTrace(const TraceRequest& request, size_t sync_max_addresses);

// Runs a resolved request.
Result<std::shared_ptr<const StoredTrace>> RunStoredTrace(std::shared_ptr<const ChainView> view,
                                                          const TraceRequest& request);

// Summary for the UI and API clients: totals, conservation per asset, the endpoint table.
nlohmann::json TraceSummaryJson(const StoredTrace& t);
// The flow graph: at most `max_edges` edges (the largest per asset first) and their nodes.
nlohmann::json TraceGraphJson(const StoredTrace& t, size_t max_edges);
// An export: "json", "csv", "dot" or "svg" (Graphviz `dot` renders the SVG). Sets *type.
Result<std::string> TraceExport(const StoredTrace& t, const std::string& format,
                                const char** content_type);

}  // namespace fundtrace
