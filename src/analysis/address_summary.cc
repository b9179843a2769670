#include "analysis/address_summary.h"

#include <algorithm>
#include <set>

namespace fundtrace {
namespace {

// Splits `amount` over `weights` in proportion; the remainder goes to the largest weight.
std::vector<U256> Split(const U256& amount, const std::vector<U256>& weights) {
  std::vector<U256> parts(weights.size(), 0);
  U256 total = 0;
  for (const auto& w : weights) total += w;
  if (total == 0 || weights.empty()) return parts;
  U256 given = 0;
  size_t largest = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    // amount * weight fits: both below 2^128 for every real asset amount.
    parts[i] = amount / total * weights[i] + (amount % total) * weights[i] / total;
    given += parts[i];
    if (weights[i] > weights[largest]) largest = i;
  }
  parts[largest] += amount - given;
  return parts;
}

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
      U256 mine_in = 0, mine_out = 0;
      std::vector<AddressId> in_addr, out_addr;
      std::vector<U256> in_w, out_w;
      for (size_t i = b; i < e; ++i) {
        const Transfer& t = all[i];
        if (t.kind() == TransferKind::kUtxoIn) {
          if (t.unresolved()) ++s.unresolved_inputs;
          if (t.from == id) mine_in += t.amount;
          else { in_addr.push_back(t.from); in_w.push_back(t.amount); }
        } else if (t.kind() == TransferKind::kUtxoOut) {
          if (t.to == id) mine_out += t.amount;
          else { out_addr.push_back(t.to); out_w.push_back(t.amount); }
        }
      }
      // Net: what the address got from others' inputs, and what it sent to others' outputs.
      auto got = Split(mine_out, in_w);
      for (size_t i = 0; i < got.size(); ++i) credit(in_addr[i], kNativeAsset, got[i], 0);
      auto sent = Split(mine_in, out_w);
      for (size_t i = 0; i < sent.size(); ++i) credit(out_addr[i], kNativeAsset, 0, sent[i]);
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
