// Turning the seeds and assets people type (addresses, tx hashes, txid:vout, symbols) into the
// store ids a trace starts from (the chain a seed's form suggests: GuessChain, labels/screener.h).
// Shared by `fundtrace trace` and the server's trace endpoints.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "store/chain_store.h"
#include "trace/trace.h"

namespace fundtrace {

// Adds one seed to *out: a tx hash (64 hex digits, 0x optional), a Bitcoin output `txid:vout`,
// or an address. Errors: InvalidArgument (malformed; the message names the seed and what is
// wrong), NotFound (not in this chain's store; the message says to ingest it first).
Status ResolveTraceSeed(const ChainStore& store, const std::string& seed, TraceSeeds* out);

// Adds the assets named by symbol (case-insensitive) or token contract to *out. NotFound names
// the first unknown one.
Status ResolveTraceAssets(const ChainStore& store, const std::vector<std::string>& names,
                          std::set<AssetId>* out);

}  // namespace fundtrace
