#include "synth/dex_pool.h"

#include "chain/amount.h"

namespace fundtrace::synth {
namespace {

U256 Wide(Uint128 v) {
  U256 r = static_cast<uint64_t>(v >> 64);
  r <<= 64;
  r += static_cast<uint64_t>(v);
  return r;
}

Uint128 Narrow(const U256& v) {
  U256 high = v >> 64;
  U256 low = v & U256(UINT64_MAX);
  return (Uint128{high.convert_to<uint64_t>()} << 64) | low.convert_to<uint64_t>();
}

}  // namespace

Uint128 DexPool::Quote(Uint128 in, Uint128 r_in, Uint128 r_out) {
  if (in == 0 || r_out == 0) return 0;
  const U256 in_fee = Wide(in) * 997;
  const U256 out = in_fee * Wide(r_out) / (Wide(r_in) * 1000 + in_fee);
  return Narrow(out);
}

void DexPool::ApplyEthIn(Uint128 eth_in, Uint128 token_out) {
  if (token_out >= tok_) tok_ += token_out * 2;
  eth_ += eth_in;
  tok_ -= token_out;
}

void DexPool::ApplyTokenIn(Uint128 token_in, Uint128 eth_out) {
  if (eth_out >= eth_) eth_ += eth_out * 2;
  tok_ += token_in;
  eth_ -= eth_out;
}

}  // namespace fundtrace::synth
