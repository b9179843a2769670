#include "chain/bech32.h"

#include <array>
#include <cstdio>
#include <utility>

namespace fundtrace {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t kChecksumLength = 6;
constexpr uint32_t kBech32Const = 1;
constexpr uint32_t kBech32mConst = 0x2bc830a3;
constexpr int kMaxWitnessVersion = 16;
constexpr size_t kMinProgramSize = 2;
constexpr size_t kMaxProgramSize = 40;
constexpr size_t kV0KeyHashSize = 20;
constexpr size_t kV0ScriptHashSize = 32;

// 5-bit value of each byte, kNotAValue where the byte is not in the charset.
constexpr uint8_t kNotAValue = 0xff;
constexpr std::array<uint8_t, 256> kValueOf = [] {
  std::array<uint8_t, 256> table{};
  table.fill(kNotAValue);
  for (size_t i = 0; i < kCharset.size(); ++i) {
    table[static_cast<uint8_t>(kCharset[i])] = static_cast<uint8_t>(i);
  }
  return table;
}();

std::string DescribeChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", byte);
  return buf;
}

// The BCH checksum of BIP-173 over 5-bit values.
uint32_t Polymod(std::span<const uint8_t> values) {
  static constexpr uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                             0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGenerator[i];
    }
  }
  return chk;
}

// The HRP expanded for checksumming (high bits, 0, low bits), followed by values.
std::vector<uint8_t> ChecksumInput(std::string_view hrp, std::span<const uint8_t> values) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1 + values.size() + kChecksumLength);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(c) >> 5));
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c & 31));
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

uint32_t ConstantOf(Bech32Encoding encoding) {
  return encoding == Bech32Encoding::kBech32 ? kBech32Const : kBech32mConst;
}

// Regroups bits from `from_bits`-wide to `to_bits`-wide values, big-endian. With pad, a
// partial last group is zero-filled; without, leftover bits must be fewer than from_bits and
// zero. Returns false when that fails.
bool ConvertBits(int from_bits, int to_bits, bool pad, std::span<const uint8_t> in,
                 std::vector<uint8_t>* out) {
  uint32_t acc = 0;
  int bits = 0;
  const uint32_t max_value = (1u << to_bits) - 1;
  for (uint8_t v : in) {
    acc = (acc << from_bits) | v;
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out->push_back(static_cast<uint8_t>((acc >> bits) & max_value));
    }
  }
  if (pad) {
    if (bits > 0) out->push_back(static_cast<uint8_t>((acc << (to_bits - bits)) & max_value));
    return true;
  }
  return bits < from_bits && ((acc << (to_bits - bits)) & max_value) == 0;
}

bool ValidProgramSize(int version, size_t size) {
  if (size < kMinProgramSize || size > kMaxProgramSize) return false;
  return version != 0 || size == kV0KeyHashSize || size == kV0ScriptHashSize;
}

}  // namespace

std::string EncodeBech32(Bech32Encoding encoding, std::string_view hrp,
                         std::span<const uint8_t> values) {
  std::vector<uint8_t> input = ChecksumInput(hrp, values);
  input.resize(input.size() + kChecksumLength, 0);
  uint32_t mod = Polymod(input) ^ ConstantOf(encoding);
  std::string out(hrp);
  out += '1';
  for (uint8_t v : values) out += kCharset[v];
  for (size_t i = 0; i < kChecksumLength; ++i) out += kCharset[(mod >> (5 * (5 - i))) & 31];
  return out;
}

Result<Bech32String> DecodeBech32(std::string_view text) {
  if (text.size() > kBech32MaxLength) {
    return Status::InvalidArgument("bech32 string too long (" + std::to_string(text.size()) +
                                   " characters, max 90)");
  }
  bool lower = false, upper = false;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 33 || c > 126) {
      return Status::InvalidArgument("invalid character " + DescribeChar(text[i]) +
                                     " at position " + std::to_string(i));
    }
    lower |= (c >= 'a' && c <= 'z');
    upper |= (c >= 'A' && c <= 'Z');
  }
  if (lower && upper) return Status::InvalidArgument("bech32 string has mixed case");
  size_t sep = text.rfind('1');
  if (sep == std::string_view::npos) return Status::InvalidArgument("no bech32 separator '1'");
  if (sep == 0) return Status::InvalidArgument("empty human-readable part");
  if (text.size() - sep - 1 < kChecksumLength) {
    return Status::InvalidArgument("bech32 checksum too short");
  }
  Bech32String out;
  out.hrp.reserve(sep);
  for (size_t i = 0; i < sep; ++i) {
    char c = text[i];
    out.hrp += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (size_t i = sep + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    uint8_t v = kValueOf[static_cast<uint8_t>(c)];
    if (v == kNotAValue) {
      return Status::InvalidArgument("invalid bech32 character " + DescribeChar(text[i]) +
                                     " at position " + std::to_string(i));
    }
    out.values.push_back(v);
  }
  uint32_t mod = Polymod(ChecksumInput(out.hrp, out.values));
  if (mod == kBech32Const) {
    out.encoding = Bech32Encoding::kBech32;
  } else if (mod == kBech32mConst) {
    out.encoding = Bech32Encoding::kBech32m;
  } else {
    return Status::InvalidArgument("bech32 checksum invalid");
  }
  out.values.resize(out.values.size() - kChecksumLength);
  return out;
}

std::string EncodeSegwitAddress(std::string_view hrp, int version,
                                std::span<const uint8_t> program) {
  if (version < 0 || version > kMaxWitnessVersion) return "";
  if (!ValidProgramSize(version, program.size())) return "";
  std::vector<uint8_t> values = {static_cast<uint8_t>(version)};
  ConvertBits(8, 5, /*pad=*/true, program, &values);
  return EncodeBech32(version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m, hrp,
                      values);
}

Result<SegwitAddress> DecodeSegwitAddress(std::string_view text) {
  FT_ASSIGN_OR_RETURN(Bech32String decoded, DecodeBech32(text));
  if (decoded.values.empty()) return Status::InvalidArgument("empty data section");
  int version = decoded.values[0];
  if (version > kMaxWitnessVersion) {
    return Status::InvalidArgument("invalid witness version " + std::to_string(version));
  }
  Bech32Encoding want = version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m;
  if (decoded.encoding != want) {
    bool want_bech32 = want == Bech32Encoding::kBech32;
    return Status::InvalidArgument("witness v" + std::to_string(version) + " address needs a " +
                                   (want_bech32 ? "bech32" : "bech32m") + " checksum, found " +
                                   (want_bech32 ? "bech32m" : "bech32"));
  }
  std::vector<uint8_t> program;
  if (!ConvertBits(5, 8, /*pad=*/false, std::span(decoded.values).subspan(1), &program)) {
    return Status::InvalidArgument("invalid padding in witness program");
  }
  if (program.size() < kMinProgramSize || program.size() > kMaxProgramSize) {
    return Status::InvalidArgument("invalid witness program length " +
                                   std::to_string(program.size()) + " (must be 2 to 40 bytes)");
  }
  if (!ValidProgramSize(version, program.size())) {
    return Status::InvalidArgument("witness v0 program must be 20 or 32 bytes, got " +
                                   std::to_string(program.size()));
  }
  SegwitAddress out;
  out.hrp = std::move(decoded.hrp);
  out.version = static_cast<uint8_t>(version);
  out.program.assign(program.begin(), program.end());
  return out;
}

}  // namespace fundtrace
