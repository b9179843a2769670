// ethereum-etl CSV exports (plain or gzip), recognised by their header:
//   transactions   -> the tx's value as a native transfer (amount 0 when receipt_status = 0),
//                     and the gas fee as a fee transfer when receipt_gas_used and a gas price
//                     are present (a failed tx still pays it);
//   token_transfers-> token transfers (seq = log index), one asset per token contract;
//   traces         -> value moved by internal calls, creates and self-destructs (seq = the
//                     trace's ordinal in depth-first order within its tx); the top-level call
//                     is the tx's own value and is the same transfer as the transactions row;
//                     failed traces, delegate/static calls, zero-value calls and block rewards
//                     (which have no tx) move nothing we model and are counted as skipped;
//   blocks         -> block heights, times and hashes;
//   tokens         -> symbol and decimals of token contracts.
// Files of one call are read in that order (blocks, tokens, transactions, traces, token
// transfers) so that txs get their position in the block from the transactions file.
#pragma once

#include <string>
#include <vector>

#include "ingest/ingest_common.h"

namespace fundtrace {

Status IngestEtlCsv(const std::vector<std::string>& paths, IngestBatch* batch,
                    const IngestOptions& options, IngestReport* report);

}  // namespace fundtrace
