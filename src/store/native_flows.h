// Native value flows: the native-asset value an address received from (or sent to) each of its
// counterparties, summed over all blocks, with the largest single transfer as evidence. This is
// what counterparty exposure (src/risk) needs from an address's history, in one entry per
// counterparty instead of one row per transfer.
//
// A flow counts the rows of an account chain that move value: kNative and kInternal transfers
// of the native asset with a non-zero amount between two different addresses. Value from or to
// no one (a block reward) is a flow whose `other` is kNoAddress. UTXO chains have no such rows:
// their flows are empty (their value moves through kUtxoIn/kUtxoOut rows of a tx).
//
// Amounts are exact in 128 bits (all ETH ever is below 2^87 wei); a sum that would pass 2^128
// (only hostile data) saturates, so results never depend on the order rows are summed in.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "store/types.h"

namespace fundtrace {

using Wide = unsigned __int128;

struct NativeFlow {
  AddressId address = kNoAddress;  // the address asked about
  AddressId other = kNoAddress;    // its counterparty; kNoAddress: value from/to no one
  TxId largest_tx = 0;             // the largest single transfer; equal amounts: smaller hash
  Wide amount = 0;                 // sum of the transfers, base units
  Wide largest = 0;                // amount of largest_tx's transfer
};

// Orders two txs by hash (the tie-break between equal largest transfers; ids depend on ingest
// order, hashes do not).
using TxHashLess = std::function<bool(TxId, TxId)>;

// The amount a flow counts for a transfer row, or 0 when the row moves no native value.
Wide NativeFlowAmount(const Transfer& t);
Wide SaturatingAdd(Wide a, Wide b);

// `ids` sorted, without repeats: the `asked` that AggregateNativeFlows takes.
std::vector<AddressId> SortedIds(std::span<const AddressId> ids);

// Appends to *out the flows of `rows` for the addresses in `asked` (sorted, unique) in
// direction `dir` (kIn: received, keyed by receiver; kOut: sent, keyed by sender), one per
// (address, other), sorted by (address, other). Rows of other addresses are ignored.
void AggregateNativeFlows(std::span<const Transfer> rows, std::span<const AddressId> asked,
                          Direction dir, const TxHashLess& hash_less, std::vector<NativeFlow>* out);

// Combines entries with the same (address, other) from [from, end) of *flows (e.g. one list per
// store segment) and sorts that range by (address, other).
void MergeNativeFlows(std::vector<NativeFlow>* flows, size_t from, const TxHashLess& hash_less);

}  // namespace fundtrace
