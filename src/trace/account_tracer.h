// The trace engine of account chains (Ethereum, TRON): a holding per (address, asset), events in
// global (block, tx position, kind, seq) order over the addresses that hold taint only.
#pragma once

#include "store/chain_store.h"
#include "trace/trace_recorder.h"

namespace fundtrace {

Status TraceAccounts(const ChainStore& store, TraceRecorder* recorder);

}  // namespace fundtrace
