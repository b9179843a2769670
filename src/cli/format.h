// How the CLI shows things to a person: amounts with their asset's decimals, times in UTC,
// tx hashes in each chain's usual notation, and aligned tables.
#pragma once

#include <string>
#include <vector>

#include "store/chain_store.h"

namespace fundtrace {

std::string FormatTime(uint64_t unix_seconds);  // "2018-12-09 22:12:53 UTC", "-" for 0
std::string FormatCount(uint64_t n);            // 1,234,567
std::string FormatBytes(uint64_t n);            // 12.3 MB
// Amount in whole units of the asset, grouped; base units with " units" when decimals unknown.
std::string FormatAssetAmount(const ChainStore& store, AssetId asset, const U256& amount);
std::string AssetSymbol(const ChainStore& store, AssetId asset);
// Ethereum: 0x + hex of the hash; Bitcoin: the byte-reversed hex explorers show.
std::string TxHashText(Chain chain, const Hash32& hash);
bool ParseTxHashText(Chain chain, std::string_view text, Hash32* hash);
std::string AddressText(const ChainStore& store, AddressId id);  // "-" for kNoAddress

// A plain text table: a header row and rows, columns padded to their widest cell; columns
// listed in `right` are right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header, std::vector<size_t> right = {});
  void Add(std::vector<std::string> row);
  std::string ToString() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace fundtrace
