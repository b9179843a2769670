// Base58 and Base58Check as Bitcoin and TRON write them. The alphabet leaves out 0, O, I and l;
// each leading zero byte is written as one '1'. Base58Check appends the first 4 bytes of
// DoubleSha256(payload) to the payload before encoding. Bytes travel in std::string, as in
// FromHex. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundtrace {

std::string EncodeBase58(std::span<const uint8_t> bytes);

// On success holds the decoded bytes ("" decodes to ""). Fails with InvalidArgument naming the
// first bad character and its position, e.g. "bad base58 character 'O' at position 4".
// Whitespace is not skipped. Time is quadratic in the length: callers bound it.
Result<std::string> DecodeBase58(std::string_view text);

std::string EncodeBase58Check(std::span<const uint8_t> payload);

// On success holds the payload without its checksum. Fails with InvalidArgument on a bad
// character, on fewer than 4 decoded bytes, or with "base58check checksum mismatch".
Result<std::string> DecodeBase58Check(std::string_view text);

}  // namespace fundtrace
