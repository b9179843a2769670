// Cryptographic digests used by the address codecs and the Bitcoin decoder.
// Keccak-256 (Ethereum's pre-standard SHA-3) comes from nettle; SHA-256 and RIPEMD-160 from
// OpenSSL. All functions are thread-safe and allocate nothing.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fundtrace {

using Digest32 = std::array<uint8_t, 32>;
using Digest20 = std::array<uint8_t, 20>;

Digest32 Keccak256(std::span<const uint8_t> data);
Digest32 Sha256(std::span<const uint8_t> data);
Digest32 DoubleSha256(std::span<const uint8_t> data);
Digest20 Ripemd160(std::span<const uint8_t> data);
// RIPEMD-160(SHA-256(data)): Bitcoin's HASH160.
Digest20 Hash160(std::span<const uint8_t> data);

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Lower-case hex without prefix.
std::string ToHex(std::span<const uint8_t> bytes);
// Accepts an optional 0x prefix and either case. Returns false on odd length or a non-hex digit.
bool FromHex(std::string_view hex, std::string* out);
// Decodes exactly out_size bytes (2 * out_size digits after an optional 0x) into out.
bool FromHex(std::string_view hex, uint8_t* out, size_t out_size);

}  // namespace fundtrace
