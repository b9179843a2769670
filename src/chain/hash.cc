#include "chain/hash.h"

#include <nettle/sha3.h>
#include <openssl/evp.h>

#include <array>
#include <cassert>
#include <cstdlib>

namespace fundtrace {
namespace {

constexpr size_t kKeccakRate = 136;  // bytes absorbed per permutation for a 256-bit output

// OpenSSL 3 looks an algorithm up on every EVP_Digest call; fetching it once and keeping one
// context per thread makes short hashes (txids, merkle nodes) about three times faster.
struct DigestContext {
  EVP_MD* md;
  EVP_MD_CTX* ctx;
  explicit DigestContext(const char* name)
      : md(EVP_MD_fetch(nullptr, name, nullptr)), ctx(EVP_MD_CTX_new()) {
    // Only a broken OpenSSL install lacks SHA-256 or RIPEMD-160.
    if (md == nullptr || ctx == nullptr) std::abort();
  }
  ~DigestContext() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  void Digest(std::span<const uint8_t> data, uint8_t* out) {
    unsigned int len = 0;
    if (EVP_DigestInit_ex(ctx, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx, out, &len) != 1) {
      std::abort();
    }
  }
};

void EvpDigest(const char* name, std::span<const uint8_t> data, uint8_t* out) {
  thread_local DigestContext sha256("SHA256");
  thread_local DigestContext ripemd160("RIPEMD160");
  (name[0] == 'S' ? sha256 : ripemd160).Digest(data, out);
}

}  // namespace

Digest32 Keccak256(std::span<const uint8_t> data) {
  // nettle's sha3_256 pads with 0x06 (FIPS 202); Ethereum's Keccak pads with 0x01. The
  // permutation is the same, so absorb with nettle's permutation and pad ourselves.
  sha3_state state{};
  auto* lanes = state.a;
  auto absorb = [&](const uint8_t* block) {
    for (size_t i = 0; i < kKeccakRate / 8; ++i) {
      uint64_t lane = 0;
      for (int b = 7; b >= 0; --b) lane = (lane << 8) | block[i * 8 + b];
      lanes[i] ^= lane;
    }
    sha3_permute(&state);
  };
  size_t off = 0;
  for (; off + kKeccakRate <= data.size(); off += kKeccakRate) absorb(data.data() + off);
  uint8_t last[kKeccakRate] = {};
  size_t rest = data.size() - off;
  for (size_t i = 0; i < rest; ++i) last[i] = data[off + i];
  last[rest] ^= 0x01;
  last[kKeccakRate - 1] ^= 0x80;
  absorb(last);
  Digest32 out;
  for (size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(lanes[i / 8] >> (8 * (i % 8)));
  return out;
}

Digest32 Sha256(std::span<const uint8_t> data) {
  Digest32 out;
  EvpDigest("SHA256", data, out.data());
  return out;
}

Digest32 DoubleSha256(std::span<const uint8_t> data) {
  Digest32 first = Sha256(data);
  return Sha256(first);
}

Digest20 Ripemd160(std::span<const uint8_t> data) {
  Digest20 out;
  EvpDigest("RIPEMD160", data, out.data());
  return out;
}

Digest20 Hash160(std::span<const uint8_t> data) {
  Digest32 sha = Sha256(data);
  return Ripemd160(sha);
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

namespace {

// Value of each hex digit, 0xff for any other byte.
constexpr std::array<uint8_t, 256> MakeNibbleTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<uint8_t>(c - 'A' + 10);
  return t;
}
constexpr std::array<uint8_t, 256> kNibble = MakeNibbleTable();

}  // namespace

bool FromHex(std::string_view hex, uint8_t* out, size_t out_size) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() != 2 * out_size) return false;
  uint8_t bad = 0;
  for (size_t i = 0; i < out_size; ++i) {
    uint8_t hi = kNibble[static_cast<uint8_t>(hex[2 * i])];
    uint8_t lo = kNibble[static_cast<uint8_t>(hex[2 * i + 1])];
    bad |= (hi | lo) & 0xf0;
    out[i] = static_cast<uint8_t>((hi << 4) | (lo & 0x0f));
  }
  return bad == 0;
}

bool FromHex(std::string_view hex, std::string* out) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() % 2 != 0) return false;
  out->resize(hex.size() / 2);
  return FromHex(hex, reinterpret_cast<uint8_t*>(out->data()), out->size());
}

}  // namespace fundtrace
