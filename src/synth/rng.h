// The synthetic chain's source of randomness: xoshiro256** seeded through splitmix64, with
// samplers that use integer arithmetic only, so a (seed, stream) pair gives the same numbers on
// every platform and compiler (no floating point, no libm, no std::*_distribution, whose
// outputs the C++ standard leaves to the library).
//
// Streams: Rng(seed, stream) for different `stream` values are independent sequences. The
// generator gives each concern its own stream (background activity, each hack's planner), so a
// change in one does not shift the numbers another sees.
//
// Not thread-safe; one Rng per thread of use. Allocates nothing.
#pragma once

#include <algorithm>
#include <cstdint>

namespace fundtrace::synth {

using Uint128 = unsigned __int128;

// splitmix64's finaliser: a bijection of 64-bit values with good avalanche.
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t z = Mix64(seed ^ 0x5eedf00dcafe1234ull) ^ Mix64(stream + 0x243f6a8885a308d3ull);
    for (auto& x : s_) {
      z += 0x9e3779b97f4a7c15ull;
      x = Mix64(z);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) by the multiply-high method (bias below 2^-64 * n, irrelevant here).
  // REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((Uint128{Next()} * n) >> 64); }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi < UINT64_MAX.
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }

  // True with probability per_mille / 1000.
  bool Chance(uint32_t per_mille) { return Below(1000) < per_mille; }

  // A value in [lo, hi] whose logarithm is close to uniform: P(x) ~ log((x+1)/x), so there are
  // as many values between 1 and 10 as between 1000 and 10000. Drawn on [lo, hi+1) scaled up by
  // up to 2^20 (so small ranges get the same resolution as large ones) at 1/16 octave, uniform
  // within each sixteenth, then scaled back down. REQUIRES: 1 <= lo <= hi < 2^62.
  uint64_t LogUniform(uint64_t lo, uint64_t hi) {
    if (lo == hi) return lo;
    const int bits = 64 - __builtin_clzll(hi + 1);
    const int shift = bits >= 61 ? 0 : std::min(20, 61 - bits);
    const uint64_t a = lo << shift, b = ((hi + 1) << shift) - 1;
    const uint32_t ua = Log2Sixteenths(a), ub = Log2Sixteenths(b);
    for (;;) {
      const uint32_t u = ua + static_cast<uint32_t>(Below(ub - ua + 1));
      uint64_t from = Pow2Sixteenths(u), to = Pow2Sixteenths(u + 1) - 1;
      if (from < a) from = a;
      if (to > b) to = b;
      if (from <= to) return Between(from, to) >> shift;
    }
  }

  // Index in [0, n) drawn with the given cumulative weights (cumulative[n-1] is the total).
  // REQUIRES: n > 0 and cumulative[n-1] > 0.
  template <typename Array>
  uint32_t Pick(const Array& cumulative, uint32_t n) {
    const uint64_t r = Below(cumulative[n - 1]);
    uint32_t i = 0;
    while (cumulative[i] <= r) ++i;
    return i;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  // 2^(i/16) for i in [0, 16), as 32.32 fixed point (rounded down): exact integer constants.
  static constexpr uint64_t kFrac[16] = {
      0x100000000ull, 0x10b5586cfull, 0x1172b83c7ull, 0x12387a6e7ull,
      0x1306fe0a3ull, 0x13dea64c1ull, 0x14bfdad53ull, 0x15ab07dd4ull,
      0x16a09e667ull, 0x17a11473eull, 0x18ace5422ull, 0x19c49182aull,
      0x1ae89f995ull, 0x1c199bdd8ull, 0x1d5818dcfull, 0x1ea4afa2aull};

  // floor(2^(u/16)), for u < 62 * 16.
  static uint64_t Pow2Sixteenths(uint32_t u) {
    const uint32_t whole = u >> 4;
    return static_cast<uint64_t>((Uint128{kFrac[u & 15]} << whole) >> 32);
  }
  // The largest u with Pow2Sixteenths(u) <= x. REQUIRES: x >= 1.
  static uint32_t Log2Sixteenths(uint64_t x) {
    uint32_t whole = 63 - static_cast<uint32_t>(__builtin_clzll(x));
    uint32_t u = whole << 4;
    while ((u & 15) != 15 && Pow2Sixteenths(u + 1) <= x) ++u;
    return u;
  }

  uint64_t s_[4];
};

}  // namespace fundtrace::synth
