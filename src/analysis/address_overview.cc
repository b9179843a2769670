#include "analysis/address_overview.h"

#include "analysis/address_summary.h"

namespace fundtrace {

Result<AddressOverview> OverviewOf(const ChainStore& store, AddressId id) {
  FT_ASSIGN_OR_RETURN(AddressSummary s, SummarizeAddress(store, id, 0));
  AddressOverview o;
  auto it = s.assets.find(kNativeAsset);
  if (it != s.assets.end()) {
    const AssetFlow& f = it->second;
    o.balance = f.balance;
    o.negative = f.negative;
    o.total_received = f.received;
    o.total_spent = f.sent;
    o.fees = f.fees;
    o.received_count = f.transfers_in;
    o.spent_count = f.transfers_out;
  }
  o.data_first_block = store.Stats().min_block;
  o.txs_count = s.txs;
  o.first_tx = s.first_tx;
  o.last_tx = s.last_tx;
  if (s.txs > 0) {
    o.first_seen = store.Tx(s.first_tx).time;
    o.last_seen = store.Tx(s.last_tx).time;
  }
  return o;
}

}  // namespace fundtrace
