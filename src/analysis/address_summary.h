// The first look at an address: per-asset totals received, sent and paid as fees, the balance
// they imply, first and last activity, and the counterparties that moved the most value with it.
//
// Counterparties on account chains are the other side of each transfer. On Bitcoin a transfer
// has no single other side: every output of a tx is taken as paid by its inputs in proportion
// to their value. So the address sent to another output's owner its input share of that output,
// and received from another input's owner that input's share of the address's own outputs
// (integer division, rounded down). Change back to itself is neither.
#pragma once

#include <map>
#include <vector>

#include "store/chain_store.h"

namespace fundtrace {

struct AssetFlow {
  U256 received = 0;
  U256 sent = 0;
  U256 fees = 0;
  uint64_t transfers_in = 0;
  uint64_t transfers_out = 0;
  // received - sent - fees; negative when the store lacks part of the history.
  bool negative = false;
  U256 balance = 0;  // magnitude
};

struct Counterparty {
  AddressId address = kNoAddress;
  AssetId asset = kNativeAsset;
  U256 received_from = 0;  // value the queried address got from it
  U256 sent_to = 0;        // value the queried address sent to it
  uint64_t transfers = 0;
};

struct AddressSummary {
  AddressId id = kNoAddress;
  std::map<AssetId, AssetFlow> assets;
  uint64_t txs = 0;
  uint64_t failed_txs = 0;
  uint64_t unresolved_inputs = 0;
  TxId first_tx = 0, last_tx = 0;
  // Per asset (ascending id), the counterparties with the most value moved, largest first.
  std::vector<Counterparty> top_counterparties;
};

// REQUIRES: id names an address of `store`. Keeps `top_counterparties` per asset.
Result<AddressSummary> SummarizeAddress(const ChainStore& store, AddressId id,
                                        size_t top_counterparties);

}  // namespace fundtrace
