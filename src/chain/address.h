// Addresses as text (what users, explorers and data files write) and as binary keys (what the
// store uses as a dictionary key). A key is a std::string whose byte 0 is the AddressType and
// whose remaining bytes are the payload:
//   kEvm          20-byte account address
//   kTron         20-byte account hash, without TRON's 0x41 prefix
//   kP2pkh/kP2sh  20-byte HASH160
//   kWitness      1 byte witness version (0..16), then the program (2..40 bytes)
//   kNonstandard  32 bytes: SHA-256 of the scriptPubKey
// The layout is part of the store's on-disk format: never renumber a type.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "chain/chain.h"
#include "util/status.h"

namespace fundtrace {

enum class AddressType : uint8_t {
  kEvm = 1,
  kTron = 2,
  kP2pkh = 3,
  kP2sh = 4,
  kWitness = 5,
  kNonstandard = 6,
};

inline constexpr size_t kEvmKeySize = 21;  // type byte + 20

// The key of (type, payload). Does not check the payload against the layout above.
std::string MakeAddressKey(AddressType type, std::span<const uint8_t> payload);

// Parses what a user or a data file wrote into a key for `chain`. Surrounding whitespace is not
// trimmed. Accepted forms:
//   Ethereum  "0x" + 40 hex digits, or the 40 digits alone. All-lower or all-upper digits are
//             taken as they are; mixed case must match the EIP-55 checksum.
//   TRON      "T..." base58check of 0x41 + 20 bytes; also the 42-hex-digit "41..." form that
//             TRON's node APIs return.
//   Bitcoin   mainnet only: base58check P2PKH ("1...") and P2SH ("3..."), bech32/bech32m segwit
//             ("bc1..."), and "script:<64 hex>" for a nonstandard script's key.
// Fails with InvalidArgument "invalid address '<text>': <what is wrong>", e.g. "EIP-55 checksum
// mismatch (expected 0x...)", "bad base58 character 'O' at position 4", "bech32 checksum
// invalid", "testnet addresses are not supported", "wrong length 39 hex digits, expected 40".
Result<std::string> ParseAddress(Chain chain, std::string_view text);

// Canonical text of a key: EVM with EIP-55 checksum, TRON base58check, Bitcoin base58check,
// bech32 (v0) or bech32m (v1+), kNonstandard as "script:<64 hex>". A key that does not follow
// the layout yields "<bad address key HEX>" rather than failing, so logs never lose data.
std::string FormatAddress(std::string_view key);

// Fast path for ingesting EVM hex: on success writes the 21-byte kEvm key into *key (reusing
// its capacity) and returns true; accepts exactly what ParseAddress(kEthereum, text) accepts.
// Returns false on any problem, leaving *key unspecified; call ParseAddress for the message.
// Does not allocate unless *key lacks capacity; hashes only mixed-case input.
bool ParseEvmKey(std::string_view text, std::string* key);

// "0x" + the 40 hex digits of `bytes`, letters cased by EIP-55.
std::string EvmChecksumAddress(std::span<const uint8_t, 20> bytes);

}  // namespace fundtrace
