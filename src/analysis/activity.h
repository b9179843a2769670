// MistTrack's address actions (v1/address_action): what an address's txs were, counted per tx
// separately for the txs in which it received (received_txs) and spent (spent_txs): Exchange,
// DEX, Mixer, Bridge, NFT, Gambling by the label category of its counterparty in the tx, Swap
// when it sent one asset and got another back in the same tx, Transfer otherwise.
#pragma once

#include <string>
#include <vector>

#include "labels/screen_index.h"
#include "store/chain_store.h"

namespace fundtrace {

struct ActionCount {
  std::string
      action;  // "Exchange", "DEX", "Mixer", "Bridge", "NFT", "Gambling", "Swap", "Transfer"
  uint64_t count = 0;
  double proportion = 0;  // percent of the txs of its side
};

struct AddressActivity {
  std::vector<ActionCount> received_txs;  // largest count first, then action name
  std::vector<ActionCount> spent_txs;
};

// `labels` may be null (every tx is then a Transfer or a Swap). REQUIRES: id in `store`.
Result<AddressActivity> ActivityOf(const ChainStore& store, const ScreenIndex* labels,
                                   AddressId id);

// The action of a counterparty category ("exchange" -> "Exchange"); "" for none.
std::string ActionOfCategory(std::string_view category);

}  // namespace fundtrace
