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
};

// REQUIRES: id names an address of `store`.
Result<AddressOverview> OverviewOf(const ChainStore& store, AddressId id);

}  // namespace fundtrace
