// MistTrack's address overview (v1/address_overview) for the chain's native asset: balance,
// totals received and spent, transfer counts, txs, first and last seen. Amounts are exact.
#pragma once

#include "store/chain_store.h"

namespace fundtrace {

struct AddressOverview {
  U256 balance = 0;
  bool negative = false;  // the store holds only part of the history (balance is its magnitude)
  U256 total_received = 0, total_spent = 0, fees = 0;
  uint64_t received_count = 0, spent_count = 0;  // native transfers in / out
  uint64_t txs_count = 0;
  TxId first_tx = 0, last_tx = 0;
  uint64_t first_seen = 0, last_seen = 0;  // unix seconds
  // The data window: the first block of the store's data. When `negative`, the address sent
  // more than the store shows it received: its history before this block (or outside the
  // histories ingested) is missing, so `balance` is only the net flow within the window.
  uint32_t data_first_block = 0;
};

// REQUIRES: id names an address of `store`.
Result<AddressOverview> OverviewOf(const ChainStore& store, AddressId id);

}  // namespace fundtrace
