#include "analysis/address_summary.h"

#include <algorithm>
#include <set>

namespace fundtrace {
namespace {

}  // namespace

Result<AddressSummary> SummarizeAddress(const ChainStore& store, AddressId id,
                                        size_t top_counterparties) {
  AddressSummary s;
  s.id = id;
  std::vector<Transfer> rows;
  const AddressId ids[1] = {id};
  FT_RETURN_IF_ERROR(store.TransfersOf(ids, Direction::kBoth, BlockRange{}, &rows));
  std::map<std::pair<AddressId, AssetId>, Counterparty> cps;
  auto credit = [&](AddressId other, AssetId asset, const U256& in, const U256& out) {
    if (other == kNoAddress || other == id) return;
    Counterparty& c = cps[{other, asset}];
    c.address = other;
    c.asset = asset;
    c.received_from += in;
    c.sent_to += out;
    ++c.transfers;
  };
  std::set<TxId> txs, utxo_txs;
  for (const Transfer& t : rows) {
    txs.insert(t.tx);
    AssetFlow& f = s.assets[t.asset];
    if (t.kind() == TransferKind::kUtxoIn || t.kind() == TransferKind::kUtxoOut) {
      utxo_txs.insert(t.tx);
    }
    if (t.kind() == TransferKind::kFee) {
      f.fees += t.amount;
      continue;
    }
    if (t.to == id) {
      f.received += t.amount;
      ++f.transfers_in;
      credit(t.from, t.asset, t.amount, 0);
    }
    if (t.from == id) {
      f.sent += t.amount;
      ++f.transfers_out;
      credit(t.to, t.asset, 0, t.amount);
    }
  }
  // Bitcoin: attribute through the whole tx.
  if (!utxo_txs.empty()) {
    std::vector<TxId> list(utxo_txs.begin(), utxo_txs.end());
    std::vector<Transfer> all;
    FT_RETURN_IF_ERROR(store.TransfersOfTxs(list, &all));
    for (size_t b = 0; b < all.size();) {
      size_t e = b;
      while (e < all.size() && all[e].tx == all[b].tx) ++e;
      U256 mine_in = 0, total_in = 0;
      for (size_t i = b; i < e; ++i) {
        const Transfer& t = all[i];
        if (t.kind() != TransferKind::kUtxoIn) continue;
        if (t.unresolved()) ++s.unresolved_inputs;
        total_in += t.amount;
        if (t.from == id) mine_in += t.amount;
      }
      // Each output to another address was paid by the inputs in proportion to their value:
      // the address's share of it was sent by the address. Each of its own outputs was paid
      // by the other inputs in proportion: received from them.
      for (size_t i = b; total_in > 0 && i < e; ++i) {
        const Transfer& out = all[i];
        if (out.kind() != TransferKind::kUtxoOut) continue;
        if (out.to != id && mine_in > 0) {
          credit(out.to, kNativeAsset, 0, out.amount * mine_in / total_in);
        } else if (out.to == id) {
          for (size_t j = b; j < e; ++j) {
            const Transfer& in = all[j];
            if (in.kind() == TransferKind::kUtxoIn && in.from != id) {
              credit(in.from, kNativeAsset, out.amount * in.amount / total_in, 0);
            }
          }
        }
      }
      b = e;
    }
    // credit() counted each split share as a transfer; count per tx instead.
    for (auto& [key, c] : cps) c.transfers = 0;
    for (size_t b = 0; b < all.size(); ++b) {
      const Transfer& t = all[b];
      AddressId other = t.kind() == TransferKind::kUtxoIn ? t.from : t.to;
      auto it = cps.find({other, t.asset});
      if (it != cps.end()) ++it->second.transfers;
    }
  }
  for (auto& [asset, f] : s.assets) {
    U256 out = f.sent + f.fees;
    f.negative = out > f.received;
    f.balance = f.negative ? out - f.received : f.received - out;
  }
  s.txs = txs.size();
  for (TxId tx : txs) {
    if (store.Tx(tx).status == TxStatus::kFailed) ++s.failed_txs;
  }
  if (!rows.empty()) {
    s.first_tx = rows.front().tx;
    s.last_tx = rows.back().tx;
  }
  std::vector<Counterparty> list;
  for (auto& [key, c] : cps) list.push_back(c);
  // Amounts of different assets do not compare: rank within each asset.
  std::sort(list.begin(), list.end(), [](const Counterparty& a, const Counterparty& b) {
    if (a.asset != b.asset) return a.asset < b.asset;
    U256 va = a.received_from + a.sent_to, vb = b.received_from + b.sent_to;
    return va != vb ? va > vb : a.address < b.address;
  });
  size_t kept_of_asset = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    kept_of_asset = (i > 0 && list[i].asset == list[i - 1].asset) ? kept_of_asset + 1 : 0;
    if (kept_of_asset < top_counterparties) s.top_counterparties.push_back(list[i]);
  }
  return s;
}

}  // namespace fundtrace
