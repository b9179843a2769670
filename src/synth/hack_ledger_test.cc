#include "synth/hack_ledger.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>

namespace fundtrace::synth {
namespace {

constexpr Uint128 kEth = Uint128{1000000000000000000ull};

TEST(SynthHackLedger, SplitsOriginInProportionAndExactly) {
  HackLedger l;
  const SynthAddr a = MakeAddr(AddrClass::kAttacker, 1), b = MakeAddr(AddrClass::kAttacker, 2);
  l.Credit(a, kEthAsset, 3 * kEth);
  auto pieces = l.Take(a, kEthAsset, kEth);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].amount, kEth);
  EXPECT_EQ(pieces[0].origin_amount, kEth);
  l.Give(b, pieces);
  EXPECT_EQ(l.Balance(a, kEthAsset), 2 * kEth);
  EXPECT_EQ(l.Balance(b, kEthAsset), kEth);
}

TEST(SynthHackLedger, SwapCarriesOriginAcrossAssets) {
  HackLedger l;
  const SynthAddr a = MakeAddr(AddrClass::kAttacker, 1);
  const AssetKey usdc = TokenAsset(1);
  l.Credit(a, usdc, 3000000000);  // 3000 USDC
  auto in = l.Take(a, usdc, 3000000000);
  l.Give(a, HackLedger::Convert(in, kEthAsset, 2 * kEth));
  EXPECT_EQ(l.Balance(a, usdc), 0u);
  EXPECT_EQ(l.Balance(a, kEthAsset), 2 * kEth);
  // Paying a third of the ETH as a fee takes a third of the USDC origin.
  auto fee = l.Take(a, kEthAsset, 2 * kEth / 3);
  const OriginSplit o = HackLedger::Origins(fee);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o.at(usdc), 999999999u);  // floor(3e9 * (2e18/3) / 2e18)
  const auto held = l.Holdings();
  ASSERT_EQ(held.at(a).size(), 1u);
  EXPECT_EQ(held.at(a)[0].origin_amount + o.at(usdc), 3000000000u);
}

TEST(SynthHackLedger, MulDivUsesWideIntermediates) {
  const Uint128 big = Uint128{1} << 100;
  EXPECT_EQ(MulDiv(big, big, big), big);
  EXPECT_EQ(MulDiv(big, 3, 4), big / 4 * 3);
  EXPECT_EQ(MulDiv(0, big, 7), 0u);
}

// Any sequence of moves, fees, endpoint deposits and swaps keeps both balance equations exact.
RC_GTEST_PROP(SynthHackLedger, ConservesPerAssetAndPerOrigin, ()) {
  HackLedger l;
  const int n_addr = 4;
  auto addr = [](int i) { return MakeAddr(AddrClass::kAttacker, static_cast<uint64_t>(i)); };
  std::map<AssetKey, Uint128> stolen, out_amount, out_origin, swapped_in, swapped_out;
  for (AssetKey asset : {kEthAsset, TokenAsset(0), TokenAsset(2)}) {
    const Uint128 amount = Uint128{*rc::gen::inRange<uint64_t>(1, UINT64_MAX)} * 1000 + 1;
    l.Credit(addr(0), asset, amount);
    stolen[asset] += amount;
  }
  const int steps = *rc::gen::inRange(1, 60);
  for (int s = 0; s < steps; ++s) {
    const int from = *rc::gen::inRange(0, n_addr);
    const AssetKey asset = *rc::gen::element(kEthAsset, TokenAsset(0), TokenAsset(2));
    const Uint128 bal = l.Balance(addr(from), asset);
    if (bal == 0) continue;
    const Uint128 amount = MulDiv(bal, *rc::gen::inRange<uint64_t>(1, 1001), 1000);
    if (amount == 0) continue;
    const int kind = *rc::gen::inRange(0, 3);
    auto pieces = l.Take(addr(from), asset, amount);
    RC_ASSERT(HackLedger::Total(pieces) == amount);
    if (kind == 0) {  // to another attacker address
      l.Give(addr(*rc::gen::inRange(0, n_addr)), pieces);
    } else if (kind == 1) {  // out: an endpoint or a fee
      out_amount[asset] += amount;
      for (const auto& [o, v] : HackLedger::Origins(pieces)) out_origin[o] += v;
    } else {  // a swap into another asset
      const AssetKey to = asset == kEthAsset ? TokenAsset(0) : kEthAsset;
      const Uint128 got = Uint128{*rc::gen::inRange<uint64_t>(0, UINT64_MAX)};
      swapped_out[asset] += amount;
      swapped_in[to] += got;
      l.Give(addr(from), HackLedger::Convert(pieces, to, got));
    }
  }
  std::map<AssetKey, Uint128> held, held_origin;
  for (const auto& [a, lots] : l.Holdings()) {
    for (const Lot& lot : lots) {
      held[lot.asset] += lot.amount;
      held_origin[lot.origin] += lot.origin_amount;
    }
  }
  for (AssetKey asset : {kEthAsset, TokenAsset(0), TokenAsset(2)}) {
    RC_ASSERT(stolen[asset] + swapped_in[asset] ==
              held[asset] + out_amount[asset] + swapped_out[asset]);
    RC_ASSERT(stolen[asset] == held_origin[asset] + out_origin[asset]);
  }
}

}  // namespace
}  // namespace fundtrace::synth
