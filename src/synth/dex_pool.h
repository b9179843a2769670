// A constant-product ETH/token pool (Uniswap V2 style, 0.3% fee) with exact integer reserves.
// Quotes use 256-bit intermediates, so they are exact and the same everywhere. The reserves are
// the generator's own price state: no Sync events are written.
#pragma once

#include <cstdint>

#include "synth/names.h"
#include "synth/rng.h"

namespace fundtrace::synth {

class DexPool {
 public:
  DexPool(SynthAddr address, uint32_t token, Uint128 eth_reserve, Uint128 token_reserve)
      : address_(address), token_(token), eth_(eth_reserve), tok_(token_reserve) {}

  SynthAddr address() const { return address_; }
  uint32_t token() const { return token_; }
  Uint128 eth_reserve() const { return eth_; }
  Uint128 token_reserve() const { return tok_; }

  // Token out for `eth_in` wei in, and ETH out for `token_in` units in:
  // out = in * 997 * R_out / (R_in * 1000 + in * 997), rounded down (< R_out).
  Uint128 QuoteEthIn(Uint128 eth_in) const { return Quote(eth_in, eth_, tok_); }
  Uint128 QuoteTokenIn(Uint128 token_in) const { return Quote(token_in, tok_, eth_); }

  // Applies a swap whose amounts were quoted earlier (a planned swap executes later, after other
  // swaps moved the price). If the pool cannot pay `out`, its reserve is first topped up (as a
  // liquidity provider would), so reserves stay positive.
  void ApplyEthIn(Uint128 eth_in, Uint128 token_out);
  void ApplyTokenIn(Uint128 token_in, Uint128 eth_out);

 private:
  static Uint128 Quote(Uint128 in, Uint128 r_in, Uint128 r_out);
  SynthAddr address_;
  uint32_t token_;
  Uint128 eth_;
  Uint128 tok_;
};

}  // namespace fundtrace::synth
