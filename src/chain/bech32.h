// Bech32 (BIP-173) and Bech32m (BIP-350) strings, and the segregated-witness addresses written
// in them. A bech32 string is a human-readable part (HRP), the separator '1' (the last '1' in
// the string), then 5-bit values in the alphabet "qpzry9x8gf2tvdw0s3jn54khce6mua7l", the last
// six of which are a checksum. The two encodings differ only in the checksum constant.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace fundtrace {

enum class Bech32Encoding : uint8_t { kBech32, kBech32m };

inline constexpr size_t kBech32MaxLength = 90;

struct Bech32String {
  Bech32Encoding encoding;
  std::string hrp;              // lower case
  std::vector<uint8_t> values;  // 5-bit values, checksum removed
};

// Lower-case bech32 text of hrp and values, checksum appended.
// REQUIRES: hrp non-empty, characters in 33..126 and none upper case; every value < 32.
std::string EncodeBech32(Bech32Encoding encoding, std::string_view hrp,
                         std::span<const uint8_t> values);

// Accepts all-lower or all-upper text of at most 90 characters whose checksum is valid in
// either encoding, and reports which one matched. Fails with InvalidArgument saying what is
// wrong: "bech32 string has mixed case", "no bech32 separator '1'", "empty human-readable part",
// "bech32 checksum too short", "invalid bech32 character 'b' at position 5",
// "bech32 checksum invalid", ...
Result<Bech32String> DecodeBech32(std::string_view text);

struct SegwitAddress {
  std::string hrp;      // lower case, e.g. "bc"
  uint8_t version = 0;  // 0..16
  std::string program;  // 2..40 bytes; 20 or 32 when version is 0
};

// The segwit address of (hrp, version, program): bech32 for version 0, bech32m for 1..16.
// Returns "" if version or program length break the rules of BIP-141/BIP-350.
std::string EncodeSegwitAddress(std::string_view hrp, int version,
                                std::span<const uint8_t> program);

// Decodes a segwit address of any HRP (the caller checks the network). Beyond DecodeBech32's
// checks it fails on an empty data part, a version above 16, a program outside 2..40 bytes, a
// v0 program that is not 20 or 32 bytes, non-zero or over-long padding, and a checksum of the
// wrong encoding for the version (bech32 for v0, bech32m for v1+).
Result<SegwitAddress> DecodeSegwitAddress(std::string_view text);

}  // namespace fundtrace
