// MistTrack's counterparty analysis (v1/address_counterparty): who an address moved its native
// value with, grouped by entity when the counterparty is labelled, with exact amounts and each
// one's share of the total. Bitcoin counterparties are attributed through each tx as in
// address_summary.h.
#pragma once

#include <string>
#include <vector>

#include "labels/screen_index.h"
#include "store/chain_store.h"

namespace fundtrace {

struct CounterpartyShare {
  std::string name;         // entity (or label) of a labelled counterparty; "" when unlabelled
  std::string category;     // its category ("" when unlabelled)
  std::string address_key;  // the counterparty (the largest one of an entity)
  uint64_t addresses = 1;   // addresses grouped under `name`
  U256 received_from = 0;   // native value the address got from it
  U256 sent_to = 0;         // native value the address sent to it
  U256 amount = 0;          // received_from + sent_to
  double percent = 0;       // of the total amount over all counterparties
  uint64_t transfers = 0;
};

// Largest amount first (ties: name, then address key); at most `top` rows. `labels` may be
// null. REQUIRES: id names an address of `store`.
Result<std::vector<CounterpartyShare>> CounterpartiesOf(const ChainStore& store,
                                                        const ScreenIndex* labels, AddressId id,
                                                        size_t top);

}  // namespace fundtrace
