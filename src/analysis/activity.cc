#include "analysis/activity.h"

#include <algorithm>
#include <map>
#include <set>

namespace fundtrace {

std::string ActionOfCategory(std::string_view c) {
  if (c == "exchange") return "Exchange";
  if (c == "dex") return "DEX";
  if (c == "mixer") return "Mixer";
  if (c == "bridge") return "Bridge";
  if (c == "nft_market") return "NFT";
  if (c == "gambling") return "Gambling";
  return "";
}

Result<AddressActivity> ActivityOf(const ChainStore& store, const ScreenIndex* labels,
                                   AddressId id) {
  std::vector<Transfer> rows;
  const AddressId ids[1] = {id};
  FT_RETURN_IF_ERROR(store.TransfersOf(ids, Direction::kBoth, BlockRange{}, &rows));
  // The category of each counterparty, looked up once.
  std::map<AddressId, std::string> action_of;
  for (const Transfer& t : rows) {
    for (AddressId a : {t.from, t.to}) {
      if (a == kNoAddress || a == id || action_of.count(a)) continue;
      std::string action;
      if (labels) {
        if (const ScreenEntry* e = labels->Find(store.AddressKey(a))) {
          action = ActionOfCategory(labels->TermName(e->category));
          // A mixer or exchange may win as "sanctioned"; its risk bits still say what it is.
          for (std::string_view c : {"mixer", "exchange", "dex", "bridge"}) {
            if (!action.empty()) break;
            for (uint16_t i = 0; i < kMaxRiskTerms && !labels->TermName(i).empty(); ++i) {
              if (labels->TermName(i) == c && ((e->risk_mask >> i) & 1))
                action = ActionOfCategory(c);
            }
          }
        }
      }
      action_of[a] = action;
    }
  }
  std::map<std::string, uint64_t> received, spent;
  uint64_t n_received = 0, n_spent = 0;
  for (size_t b = 0; b < rows.size();) {
    size_t e = b;
    std::set<AssetId> in_assets, out_assets;
    std::string in_action, out_action;
    while (e < rows.size() && rows[e].tx == rows[b].tx) {
      const Transfer& t = rows[e++];
      if (t.kind() == TransferKind::kFee) continue;
      if (t.to == id && t.from != id) {
        in_assets.insert(t.asset);
        auto it = action_of.find(t.from);
        if (it != action_of.end() && !it->second.empty() && in_action.empty())
          in_action = it->second;
      }
      if (t.from == id && t.to != id) {
        out_assets.insert(t.asset);
        auto it = action_of.find(t.to);
        if (it != action_of.end() && !it->second.empty() && out_action.empty()) {
          out_action = it->second;
        }
      }
    }
    bool swap = false;
    for (AssetId a : in_assets) swap |= !out_assets.empty() && !out_assets.count(a);
    if (!in_assets.empty()) {
      ++n_received;
      ++received[!in_action.empty() ? in_action : swap ? "Swap" : "Transfer"];
    }
    if (!out_assets.empty()) {
      ++n_spent;
      ++spent[!out_action.empty() ? out_action : swap ? "Swap" : "Transfer"];
    }
    b = e;
  }
  auto list = [](const std::map<std::string, uint64_t>& m, uint64_t n) {
    std::vector<ActionCount> v;
    for (const auto& [a, c] : m) v.push_back({a, c, n ? 100.0 * double(c) / double(n) : 0});
    std::stable_sort(v.begin(), v.end(),
                     [](const ActionCount& x, const ActionCount& y) { return x.count > y.count; });
    return v;
  };
  AddressActivity out;
  out.received_txs = list(received, n_received);
  out.spent_txs = list(spent, n_spent);
  return out;
}

}  // namespace fundtrace
