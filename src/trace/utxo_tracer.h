// The trace engine of Bitcoin: the unit of holding is the output (txid:vout); each tx applies the
// policy over its inputs and outputs as a whole.
#pragma once

#include "store/chain_store.h"
#include "trace/trace_recorder.h"

namespace fundtrace {

Status TraceUtxo(const ChainStore& store, TraceRecorder* recorder);

// Splits `inputs` (in order) over outputs of the given amounts (in order) and then the fee, under
// `policy`; returns one piece per output plus the fee's piece last. REQUIRES: the input amounts
// sum to the output amounts plus fee. Exposed for tests.
std::vector<struct Piece> SplitTx(TracePolicy policy, const std::vector<struct Piece>& inputs,
                                  const std::vector<U256>& outputs, const U256& fee,
                                  U256* absorbed);

}  // namespace fundtrace
