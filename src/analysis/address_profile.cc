#include "analysis/address_profile.h"

#include <algorithm>
#include <map>
#include <set>

namespace fundtrace {
namespace {

constexpr const char* kPlatforms[] = {"exchange", "dex", "mixer", "bridge", "nft_market"};
constexpr const char* kMalicious[] = {"phishing",         "ransomware", "theft",
                                      "money_laundering", "sanctioned", "scam"};

std::string NameOf(const ScreenIndex& labels, const ScreenEntry& e) {
  std::string name(labels.String(e.entity));
  return name.empty() ? std::string(labels.String(e.label)) : name;
}

}  // namespace

Result<AddressProfile> ProfileOf(const ChainStore& store, const ScreenIndex* labels, AddressId id) {
  std::vector<Transfer> rows;
  const AddressId ids[1] = {id};
  FT_RETURN_IF_ERROR(store.TransfersOf(ids, Direction::kBoth, BlockRange{}, &rows));
  AddressProfile p;
  std::set<AddressId> others;
  for (const Transfer& t : rows) {
    bool value = t.kind() == TransferKind::kNative || t.kind() == TransferKind::kInternal ||
                 t.kind() == TransferKind::kUtxoOut;
    if (p.first_funder == kNoAddress && value && t.to == id && t.asset == kNativeAsset &&
        t.amount > 0) {
      if (t.kind() == TransferKind::kUtxoOut) {
        // Bitcoin: the first input of the funding tx stands for its payer.
        std::vector<Transfer> tx_rows;
        const TxId txs[1] = {t.tx};
        FT_RETURN_IF_ERROR(store.TransfersOfTxs(txs, &tx_rows));
        for (const Transfer& in : tx_rows) {
          if (in.kind() == TransferKind::kUtxoIn && in.from != kNoAddress && in.from != id) {
            p.first_funder = in.from;
            break;
          }
        }
      } else if (t.from != id) {
        p.first_funder = t.from;
      }
      if (p.first_funder != kNoAddress) p.first_funding_tx = t.tx;
    }
    if (t.from != id && t.from != kNoAddress) others.insert(t.from);
    if (t.to != id && t.to != kNoAddress) others.insert(t.to);
  }
  if (!labels) return p;
  if (p.first_funder != kNoAddress) {
    if (const ScreenEntry* e = labels->Find(store.AddressKey(p.first_funder))) {
      p.first_funder_label = std::string(labels->String(e->label));
    }
  }
  std::map<std::string, std::set<std::string>> by_kind;
  for (AddressId a : others) {
    const ScreenEntry* e = labels->Find(store.AddressKey(a));
    if (!e) continue;
    std::string name = NameOf(*labels, *e);
    for (uint16_t i = 0; i < kMaxRiskTerms && !labels->TermName(i).empty(); ++i) {
      if (i == e->category || ((e->risk_mask >> i) & 1))
        by_kind[std::string(labels->TermName(i))].insert(name);
    }
  }
  for (const char* k : kPlatforms) {
    auto it = by_kind.find(k);
    p.platforms.push_back(
        {k, it == by_kind.end() ? std::vector<std::string>{}
                                : std::vector<std::string>(it->second.begin(), it->second.end())});
  }
  for (const char* k : kMalicious) {
    auto it = by_kind.find(k);
    p.malicious.push_back(
        {k, it == by_kind.end() ? std::vector<std::string>{}
                                : std::vector<std::string>(it->second.begin(), it->second.end())});
  }
  return p;
}

}  // namespace fundtrace
