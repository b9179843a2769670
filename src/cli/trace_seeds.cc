#include "cli/trace_seeds.h"

#include <strings.h>

#include <algorithm>
#include <cctype>

#include "chain/address.h"
#include "cli/format.h"

namespace fundtrace {

namespace {
bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c));
  });
}
std::string_view Bare(std::string_view h) {
  return h.size() >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') ? h.substr(2) : h;
}
std::string ChainText(const ChainStore& store) { return std::string(ChainName(store.chain())); }
}  // namespace

Status ResolveTraceSeed(const ChainStore& store, const std::string& s, TraceSeeds* out) {
  const size_t colon = s.find(':');
  const std::string_view h = std::string_view(s).substr(0, colon);
  if (Bare(h).size() == 64 && IsHex(Bare(h))) {
    Hash32 hash{};
    if (!ParseTxHashText(store.chain(), h, &hash)) {
      return Status::InvalidArgument("seed '" + s + "' is not a valid tx hash");
    }
    auto tx = store.FindTx(hash);
    if (!tx) {
      return Status::NotFound("seed tx " + std::string(h) + " is not in the " + ChainText(store) +
                              " store: ingest the block or file that holds it first");
    }
    if (colon == std::string::npos) {
      out->txs.push_back(*tx);
      return Status::OK();
    }
    if (store.chain() != Chain::kBitcoin) {
      return Status::InvalidArgument("seed '" + s + "': txid:vout outputs exist on Bitcoin only");
    }
    const std::string v = s.substr(colon + 1);
    if (v.empty() || v.size() > 6 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidArgument("seed '" + s + "': vout must be a small number");
    }
    out->outputs.push_back((uint64_t{*tx} << 32) | std::stoul(v));
    return Status::OK();
  }
  auto key = ParseAddress(store.chain(), s);
  if (!key.ok()) {
    return Status::InvalidArgument("seed '" + s + "': " + key.status().message() +
                                   " (a seed is an address, a tx hash or txid:vout)");
  }
  auto id = store.FindAddress(*key);
  if (!id) {
    return Status::NotFound("seed address " + s + " is not in the " + ChainText(store) +
                            " store: ingest its history first (fundtrace ingest), or check the "
                            "chain and the data directory");
  }
  out->addresses.push_back(*id);
  return Status::OK();
}

Status ResolveTraceAssets(const ChainStore& store, const std::vector<std::string>& names,
                          std::set<AssetId>* out) {
  for (const std::string& n : names) {
    bool found = false;
    auto key = ParseAddress(store.chain(), n);
    for (size_t a = 0; a < store.AssetCount(); ++a) {
      const AssetInfo& info = store.Asset(static_cast<AssetId>(a));
      const std::string sym = AssetSymbol(store, static_cast<AssetId>(a));
      if (strcasecmp(sym.c_str(), n.c_str()) == 0 ||
          (key.ok() && !info.contract.empty() && info.contract == *key)) {
        out->insert(static_cast<AssetId>(a));
        found = true;
      }
    }
    if (!found) {
      return Status::NotFound("asset '" + n + "' is not in the " + ChainText(store) +
                              " store: give its symbol (e.g. ETH, USDT) or token contract address");
    }
  }
  return Status::OK();
}

}  // namespace fundtrace
