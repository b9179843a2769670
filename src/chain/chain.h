// Chains and the per-chain vocabulary shared by every stage.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fundtrace {

enum class Chain : uint8_t { kEthereum = 0, kBitcoin = 1, kTron = 2 };
inline constexpr int kNumChains = 3;

// Short lower-case names used on the command line and in the store: "eth", "btc", "trx".
std::string_view ChainName(Chain chain);
std::optional<Chain> ChainFromName(std::string_view name);
// Symbol and decimals of the chain's native asset: ETH/18, BTC/8, TRX/6.
std::string_view NativeSymbol(Chain chain);
int NativeDecimals(Chain chain);

using Hash32 = std::array<uint8_t, 32>;

}  // namespace fundtrace
