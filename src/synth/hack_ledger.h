// Exact bookkeeping of stolen funds inside the attacker's addresses, for the ground truth.
//
// Funds are held in lots: `amount` of one asset, derived from `origin_amount` of one stolen asset
// (its origin). Stolen funds enter as lots whose origin is the asset itself. Moving, paying a fee
// or depositing takes lots oldest first, splitting a lot when only part of it is needed; the
// split part gets floor(origin_amount * part / amount) of the origin and the rest stays, so a
// lot taken whole always carries its full origin. A swap turns the pieces of one asset into
// another, dividing the output between them in proportion to their amounts the same way (the
// last piece gets the remainder). Hence, exactly, in integers:
//   - per asset:  held + taken = given in, for every asset (the ledger never creates or loses
//                 units; a swap takes the input asset and gives the output asset);
//   - per origin: for each stolen asset, the origin amounts of everything held and everything
//                 taken out (endpoints and fees) sum to what was stolen.
// Which lot pays a fee or a deposit is this ledger's own convention (oldest first); it matters
// only for the per-origin split, never for the amounts per asset.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "synth/names.h"
#include "synth/rng.h"

namespace fundtrace::synth {

// An asset of the ground truth: 0 is ETH, token i is i + 1.
using AssetKey = uint32_t;
inline constexpr AssetKey kEthAsset = 0;
inline constexpr AssetKey TokenAsset(uint32_t token) { return token + 1; }

struct Lot {
  AssetKey asset = kEthAsset;
  Uint128 amount = 0;
  AssetKey origin = kEthAsset;
  Uint128 origin_amount = 0;
};

// Amount of each stolen asset that something derives from.
using OriginSplit = std::map<AssetKey, Uint128>;

class HackLedger {
 public:
  // Stolen funds arrive at `a`: a lot whose origin is the asset itself.
  void Credit(SynthAddr a, AssetKey asset, Uint128 amount);
  Uint128 Balance(SynthAddr a, AssetKey asset) const;
  // Removes `amount` of `asset` from `a`, oldest lots first, and returns the pieces.
  // REQUIRES: Balance(a, asset) >= amount.
  std::vector<Lot> Take(SynthAddr a, AssetKey asset, Uint128 amount);
  // Adds pieces to `a` (after the lots it holds).
  void Give(SynthAddr a, const std::vector<Lot>& pieces);
  // The pieces `in` (all of one asset, total > 0) exchanged for `out` of `asset_out`.
  static std::vector<Lot> Convert(const std::vector<Lot>& in, AssetKey asset_out, Uint128 out);
  static OriginSplit Origins(const std::vector<Lot>& pieces);
  static Uint128 Total(const std::vector<Lot>& pieces);

  // Every address's remaining lots, merged per (asset, origin), in address order; empty lots
  // left out.
  std::map<SynthAddr, std::vector<Lot>> Holdings() const;

 private:
  std::map<SynthAddr, std::vector<Lot>> lots_;
};

// floor(a * b / c) with a 256-bit intermediate. REQUIRES: c > 0 and the result fits 128 bits.
Uint128 MulDiv(Uint128 a, Uint128 b, Uint128 c);

}  // namespace fundtrace::synth
