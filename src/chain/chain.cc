#include "chain/chain.h"

namespace fundtrace {

std::string_view ChainName(Chain chain) {
  switch (chain) {
    case Chain::kEthereum: return "eth";
    case Chain::kBitcoin: return "btc";
    case Chain::kTron: return "trx";
  }
  return "?";
}

std::optional<Chain> ChainFromName(std::string_view name) {
  if (name == "eth" || name == "ethereum") return Chain::kEthereum;
  if (name == "btc" || name == "bitcoin") return Chain::kBitcoin;
  if (name == "trx" || name == "tron") return Chain::kTron;
  return std::nullopt;
}

std::string_view NativeSymbol(Chain chain) {
  switch (chain) {
    case Chain::kEthereum: return "ETH";
    case Chain::kBitcoin: return "BTC";
    case Chain::kTron: return "TRX";
  }
  return "?";
}

int NativeDecimals(Chain chain) {
  switch (chain) {
    case Chain::kEthereum: return 18;
    case Chain::kBitcoin: return 8;
    case Chain::kTron: return 6;
  }
  return 0;
}

}  // namespace fundtrace
