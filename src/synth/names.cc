#include "synth/names.h"

#include <cstring>

#include "synth/rng.h"

namespace fundtrace::synth {
namespace {

// Ids of hashes: the top two bits say what is hashed, so tx, block and remote hashes never meet.
constexpr uint64_t kTxHashTag = 0;
constexpr uint64_t kBlockHashTag = uint64_t{1} << 62;
constexpr uint64_t kRemoteHashTag = uint64_t{2} << 62;
constexpr uint64_t kWordTag = uint64_t{3} << 62;

struct HexTable {
  char pairs[256][2];
  constexpr HexTable() : pairs() {
    const char* digits = "0123456789abcdef";
    for (int i = 0; i < 256; ++i) {
      pairs[i][0] = digits[i >> 4];
      pairs[i][1] = digits[i & 15];
    }
  }
};
constexpr HexTable kHex;

}  // namespace

void HexBytes(const uint8_t* bytes, int n, char* out) {
  for (int i = 0; i < n; ++i) std::memcpy(out + 2 * i, kHex.pairs[bytes[i]], 2);
}

void Hex64(uint64_t v, char out[16]) {
  for (int i = 7; i >= 0; --i) {
    std::memcpy(out + 2 * i, kHex.pairs[v & 0xff], 2);
    v >>= 8;
  }
}

Namer::Namer(uint64_t seed)
    : k0_(Mix64(seed ^ 0x6e616d6572306b30ull)),
      k1_(Mix64(seed ^ 0x6e616d6572316b31ull) | 1),
      k2_(Mix64(seed ^ 0x6e616d6572326b32ull)) {}

// Each step (xor with a constant, multiplication by an odd constant, xor with a right shift of
// itself, addition) is a bijection of 64-bit values, so the composition is one.
uint64_t Namer::Permute(uint64_t x) const {
  x ^= k0_;
  x *= k1_;
  x ^= x >> 29;
  x += k2_;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 32;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

void Namer::AddressBytes(SynthAddr a, uint8_t out[20]) const {
  const uint64_t head = Permute(a);
  const uint64_t t1 = Mix64(head ^ k2_), t2 = Mix64(head + k0_);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(head >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<uint8_t>(t1 >> (56 - 8 * i));
  for (int i = 0; i < 4; ++i) out[16 + i] = static_cast<uint8_t>(t2 >> (56 - 8 * i));
}

void Namer::Address(SynthAddr a, char out[kAddressTextLen]) const {
  const uint64_t head = Permute(a);
  out[0] = '0';
  out[1] = 'x';
  Hex64(head, out + 2);
  Hex64(Mix64(head ^ k2_), out + 18);
  char tail[16];
  Hex64(Mix64(head + k0_), tail);
  std::memcpy(out + 34, tail, 8);
}

void Namer::Hash(uint64_t id, char out[kHashTextLen]) const {
  const uint64_t head = Permute(id);
  out[0] = '0';
  out[1] = 'x';
  Hex64(head, out + 2);
  Hex64(Mix64(head ^ k0_), out + 18);
  Hex64(Mix64(head ^ k1_), out + 34);
  Hex64(Mix64(head ^ k2_), out + 50);
}

void Namer::TxHash(uint64_t serial, char out[kHashTextLen]) const {
  Hash(kTxHashTag | serial, out);
}
void Namer::BlockHash(uint64_t height, char out[kHashTextLen]) const {
  Hash(kBlockHashTag | height, out);
}
void Namer::RemoteTxHash(uint64_t serial, char out[kHashTextLen]) const {
  Hash(kRemoteHashTag | serial, out);
}
void Namer::Word(uint64_t n, char out[64]) const {
  char h[kHashTextLen];
  Hash(kWordTag | n, h);
  std::memcpy(out, h + 2, 64);
}

}  // namespace fundtrace::synth
