// Writes every transfer of a store as CSV, for the Python baseline of the trace benchmark
// (bench/trace_baseline.py): block,pos,tx,kind,seq,from,to,asset,amount. Addresses and token
// contracts in lower-case hex, the native asset as "eth", amounts in base units.
//
//   trace_export DATA_DIR > transfers.csv
#include <cstdio>
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/hash.h"
#include "store/embedded_store.h"

using namespace fundtrace;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: trace_export DATA_DIR > transfers.csv\n");
    return 2;
  }
  auto store = EmbeddedChainStore::OpenReadOnly(argv[1], Chain::kEthereum);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const EmbeddedChainStore& s = **store;
  auto hex = [&](AddressId id) {
    if (id == kNoAddress) return std::string();
    std::string t = FormatAddress(s.AddressKey(id));
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  std::vector<std::string> assets;
  for (size_t a = 0; a < s.AssetCount(); ++a) {
    const AssetInfo& info = s.Asset(static_cast<AssetId>(a));
    std::string t = info.contract.empty() ? "eth" : FormatAddress(info.contract);
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    assets.push_back(t);
  }
  std::printf("block,pos,tx,kind,seq,from,to,asset,amount\n");
  const uint64_t txs = s.Stats().txs;
  std::vector<TxId> ids;
  std::vector<Transfer> out;
  for (uint64_t first = 0; first < txs; first += 100000) {
    ids.clear();
    out.clear();
    for (uint64_t t = first; t < std::min(txs, first + 100000); ++t)
      ids.push_back(static_cast<TxId>(t));
    if (Status st = s.TransfersOfTxs(ids, &out); !st.ok()) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      return 1;
    }
    for (const Transfer& t : out) {
      TxInfo info = s.Tx(t.tx);
      std::printf("%u,%u,0x%s,%d,%u,%s,%s,%s,%s\n", info.block, info.pos,
                  ToHex(std::span<const uint8_t>(info.hash.data(), info.hash.size())).c_str(),
                  static_cast<int>(t.kind()), t.seq(), hex(t.from).c_str(), hex(t.to).c_str(),
                  assets[t.asset].c_str(), ToDecimalString(t.amount).c_str());
    }
  }
  return 0;
}
