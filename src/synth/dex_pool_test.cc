#include "synth/dex_pool.h"

#include <gtest/gtest.h>

namespace fundtrace::synth {
namespace {

constexpr Uint128 kEth = Uint128{1000000000000000000ull};

TEST(SynthDexPool, QuotesTheConstantProductFormula) {
  // 1000 ETH against 1,850,000 USDC (6 decimals).
  DexPool p(MakeAddr(AddrClass::kPool, 0), 1, 1000 * kEth, Uint128{1850000} * 1000000);
  // 1 ETH in: 1 * 997 * 1.85e12 / (1000 * 1000 + 997) USDC units.
  const Uint128 out = p.QuoteEthIn(kEth);
  EXPECT_EQ(out, Uint128{997} * 1850000000000ull / 1000997);
  EXPECT_LT(out, Uint128{1850} * 1000000);  // worse than the mid price: fee and slippage
  // Token in gives ETH out, below the mid price too.
  const Uint128 eth = p.QuoteTokenIn(Uint128{1850} * 1000000);
  EXPECT_LT(eth, kEth);
  EXPECT_GT(eth, kEth * 99 / 100);
  EXPECT_EQ(p.QuoteEthIn(0), 0u);
}

TEST(SynthDexPool, NeverQuotesTheWholeReserve) {
  DexPool p(MakeAddr(AddrClass::kPool, 0), 1, 10 * kEth, Uint128{18500} * 1000000);
  const Uint128 out = p.QuoteEthIn(Uint128{1} << 100);
  EXPECT_LT(out, p.token_reserve());
}

TEST(SynthDexPool, ApplyKeepsReservesPositive) {
  DexPool p(MakeAddr(AddrClass::kPool, 0), 1, 10 * kEth, 1000);
  p.ApplyTokenIn(5, 10 * kEth);  // more ETH out than the pool holds: topped up first
  EXPECT_GT(p.eth_reserve(), 0u);
  EXPECT_EQ(p.token_reserve(), 1005u);
  p.ApplyEthIn(kEth, 2000);
  EXPECT_GT(p.token_reserve(), 0u);
}

}  // namespace
}  // namespace fundtrace::synth
