#include "chain/base58.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "chain/hash.h"

namespace fundtrace {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr size_t kChecksumSize = 4;

// Digit value of each byte, kNotADigit where the byte is not in the alphabet.
constexpr uint8_t kNotADigit = 0xff;
constexpr std::array<uint8_t, 256> kDigitOf = [] {
  std::array<uint8_t, 256> table{};
  table.fill(kNotADigit);
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}();

// 'c' for a printable character, 0xNN otherwise.
std::string DescribeChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", byte);
  return buf;
}

}  // namespace

std::string EncodeBase58(std::span<const uint8_t> bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Big-endian base-58 digits of the rest; log(256)/log(58) < 1.38 digits per byte.
  std::vector<uint8_t> digits((bytes.size() - zeros) * 138 / 100 + 1);
  size_t used = 0;  // digits in use, counted from the end
  for (size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    size_t n = 0;
    for (auto it = digits.rbegin(); (carry != 0 || n < used) && it != digits.rend(); ++it, ++n) {
      carry += 256u * *it;
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    used = n;
  }
  auto it = digits.end() - static_cast<std::ptrdiff_t>(used);
  while (it != digits.end() && *it == 0) ++it;
  std::string out(zeros, '1');
  for (; it != digits.end(); ++it) out += kAlphabet[*it];
  return out;
}

Result<std::string> DecodeBase58(std::string_view text) {
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // log(58)/log(256) < 0.733 bytes per digit.
  std::vector<uint8_t> bytes((text.size() - zeros) * 733 / 1000 + 1);
  size_t used = 0;
  for (size_t i = zeros; i < text.size(); ++i) {
    uint8_t digit = kDigitOf[static_cast<uint8_t>(text[i])];
    if (digit == kNotADigit) {
      return Status::InvalidArgument("bad base58 character " + DescribeChar(text[i]) +
                                     " at position " + std::to_string(i));
    }
    unsigned carry = digit;
    size_t n = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || n < used) && it != bytes.rend(); ++it, ++n) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry % 256);
      carry /= 256;
    }
    used = n;
  }
  auto it = bytes.end() - static_cast<std::ptrdiff_t>(used);
  while (it != bytes.end() && *it == 0) ++it;
  std::string out(zeros, '\0');
  out.append(it, bytes.end());
  return out;
}

std::string EncodeBase58Check(std::span<const uint8_t> payload) {
  std::vector<uint8_t> data(payload.begin(), payload.end());
  Digest32 check = DoubleSha256(payload);
  data.insert(data.end(), check.begin(), check.begin() + kChecksumSize);
  return EncodeBase58(data);
}

Result<std::string> DecodeBase58Check(std::string_view text) {
  FT_ASSIGN_OR_RETURN(std::string data, DecodeBase58(text));
  if (data.size() < kChecksumSize) {
    return Status::InvalidArgument("base58check data too short for its 4-byte checksum");
  }
  std::string_view payload(data.data(), data.size() - kChecksumSize);
  Digest32 check = DoubleSha256(AsBytes(payload));
  if (!std::equal(check.begin(), check.begin() + kChecksumSize,
                  AsBytes(data).begin() + static_cast<std::ptrdiff_t>(payload.size()))) {
    return Status::InvalidArgument("base58check checksum mismatch");
  }
  data.resize(payload.size());
  return data;
}

}  // namespace fundtrace
