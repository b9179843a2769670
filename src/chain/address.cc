#include "chain/address.h"

#include <array>
#include <cstdio>
#include <utility>

#include "chain/base58.h"
#include "chain/bech32.h"
#include "chain/hash.h"

namespace fundtrace {
namespace {

constexpr size_t kEvmHexDigits = 40;
constexpr size_t kHashSize = 20;
constexpr size_t kBase58PayloadSize = 1 + kHashSize;  // version byte + HASH160
constexpr uint8_t kTronPrefix = 0x41;
constexpr uint8_t kBtcP2pkhVersion = 0x00;
constexpr uint8_t kBtcP2shVersion = 0x05;
constexpr uint8_t kBtcTestP2pkhVersion = 0x6f;
constexpr uint8_t kBtcTestP2shVersion = 0xc4;
constexpr std::string_view kBtcHrp = "bc";
constexpr std::string_view kScriptPrefix = "script:";
constexpr size_t kScriptHashSize = 32;  // SHA-256 of a nonstandard scriptPubKey
constexpr size_t kScriptHashHexDigits = 2 * kScriptHashSize;
constexpr size_t kMaxAddressText = 128;  // longer than any accepted form; bounds decoding cost
constexpr size_t kMaxEcho = 100;         // characters of bad input quoted back in a message
constexpr char kHexDigits[] = "0123456789abcdef";

// Value of each hex digit, kNotANibble for other bytes.
constexpr uint8_t kNotANibble = 0xff;
constexpr std::array<uint8_t, 256> kNibbleOf = [] {
  std::array<uint8_t, 256> table{};
  table.fill(kNotANibble);
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 6; ++i) {
    table['a' + i] = static_cast<uint8_t>(10 + i);
    table['A' + i] = static_cast<uint8_t>(10 + i);
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

std::string HexByte(uint8_t byte) {
  return std::string("0x") + kHexDigits[byte >> 4] + kHexDigits[byte & 15];
}

// The input as it may be shown in a message: at most kMaxEcho characters, control and
// non-ASCII bytes escaped.
std::string Quote(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < kMaxEcho; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += text[i];
    } else {
      out += "\\x";
      out += kHexDigits[byte >> 4];
      out += kHexDigits[byte & 15];
    }
  }
  if (text.size() > kMaxEcho) out += "...";
  return out;
}

Status Invalid(std::string_view text, std::string_view reason) {
  return Status::InvalidArgument("invalid address '" + Quote(text) + "': " + std::string(reason));
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

// Decodes text[offset..] as hex digits. On failure *why names the first bad character by its
// position in text.
bool DecodeHexAt(std::string_view text, size_t offset, std::string* out, std::string* why) {
  std::string_view hex = text.substr(offset);
  if (hex.size() % 2 != 0) {
    *why = "odd number of hex digits";
    return false;
  }
  out->resize(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); ++i) {
    uint8_t v = kNibbleOf[static_cast<uint8_t>(hex[i])];
    if (v == kNotANibble) {
      *why = "bad hex character " + DescribeChar(hex[i]) + " at position " +
             std::to_string(offset + i);
      return false;
    }
    if (i % 2 == 0) {
      (*out)[i / 2] = static_cast<char>(v << 4);
    } else {
      (*out)[i / 2] = static_cast<char>((*out)[i / 2] | v);
    }
  }
  return true;
}

// Shared by ParseEvmKey and ParseAddress. On failure returns false and, if why is not null,
// says what is wrong; the fast path passes null so that failing costs no allocation.
bool ParseEvm(std::string_view text, std::string* key, std::string* why) {
  size_t offset = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) offset = 2;
  std::string_view hex = text.substr(offset);
  std::array<uint8_t, kEvmHexDigits> nibbles;
  bool has_lower = false, has_upper = false;
  for (size_t i = 0; i < hex.size(); ++i) {
    char c = hex[i];
    uint8_t v = kNibbleOf[static_cast<uint8_t>(c)];
    if (v == kNotANibble) {
      if (why) {
        *why =
            "bad hex character " + DescribeChar(c) + " at position " + std::to_string(offset + i);
      }
      return false;
    }
    if (i < kEvmHexDigits) nibbles[i] = v;
    has_lower |= (c >= 'a' && c <= 'f');
    has_upper |= (c >= 'A' && c <= 'F');
  }
  if (hex.size() != kEvmHexDigits) {
    if (why) *why = "wrong length " + std::to_string(hex.size()) + " hex digits, expected 40";
    return false;
  }
  key->resize(kEvmKeySize);
  (*key)[0] = static_cast<char>(AddressType::kEvm);
  for (size_t i = 0; i < kHashSize; ++i) {
    (*key)[1 + i] = static_cast<char>((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
  }
  if (!(has_lower && has_upper)) return true;
  // Mixed case: each letter must be upper case exactly where the Keccak-256 of the lower-case
  // hex text has a nibble >= 8 (EIP-55).
  std::array<char, kEvmHexDigits> lower;
  for (size_t i = 0; i < kEvmHexDigits; ++i) lower[i] = kHexDigits[nibbles[i]];
  Digest32 hash = Keccak256(AsBytes(std::string_view(lower.data(), lower.size())));
  for (size_t i = 0; i < kEvmHexDigits; ++i) {
    if (nibbles[i] < 10) continue;
    int hash_nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 15;
    bool is_upper = hex[i] >= 'A' && hex[i] <= 'F';
    if (is_upper != (hash_nibble >= 8)) {
      if (why) {
        auto bytes = AsBytes(std::string_view(*key).substr(1));
        *why = "EIP-55 checksum mismatch (expected " +
               EvmChecksumAddress(std::span<const uint8_t, kHashSize>(bytes.data(), kHashSize)) +
               ")";
      }
      return false;
    }
  }
  return true;
}

Result<std::string> ParseTron(std::string_view text) {
  std::string payload;
  std::string why;
  constexpr size_t kTronHexDigits = 2 * kBase58PayloadSize;
  if (text.size() == kTronHexDigits && text.starts_with("41")) {
    if (!DecodeHexAt(text, 0, &payload, &why)) return Invalid(text, why);
  } else {
    Result<std::string> decoded = DecodeBase58Check(text);
    if (!decoded.ok()) return Invalid(text, decoded.status().message());
    payload = std::move(decoded).value();
  }
  if (payload.size() != kBase58PayloadSize) {
    return Invalid(text, "decoded to " + std::to_string(payload.size()) + " bytes, expected 21");
  }
  auto version = static_cast<uint8_t>(payload[0]);
  if (version != kTronPrefix) {
    return Invalid(text, "version byte " + HexByte(version) + " is not TRON's 0x41");
  }
  return MakeAddressKey(AddressType::kTron, AsBytes(payload).subspan(1));
}

Result<std::string> ParseBitcoinSegwit(std::string_view text) {
  Result<SegwitAddress> decoded = DecodeSegwitAddress(text);
  if (!decoded.ok()) return Invalid(text, decoded.status().message());
  if (decoded->hrp != kBtcHrp) {
    return Invalid(text, "unknown human-readable part '" + decoded->hrp + "'");
  }
  std::string payload(1, static_cast<char>(decoded->version));
  payload += decoded->program;
  return MakeAddressKey(AddressType::kWitness, AsBytes(payload));
}

Result<std::string> ParseBitcoin(std::string_view text) {
  std::string why;
  if (text.starts_with(kScriptPrefix)) {
    std::string hash;
    if (text.size() != kScriptPrefix.size() + kScriptHashHexDigits) {
      return Invalid(text, "expected 'script:' and 64 hex digits (SHA-256 of the scriptPubKey)");
    }
    if (!DecodeHexAt(text, kScriptPrefix.size(), &hash, &why)) return Invalid(text, why);
    return MakeAddressKey(AddressType::kNonstandard, AsBytes(hash));
  }
  if (StartsWithIgnoreCase(text, "bc1")) return ParseBitcoinSegwit(text);
  if (StartsWithIgnoreCase(text, "tb1"))
    return Invalid(text, "testnet addresses are not supported");
  if (StartsWithIgnoreCase(text, "bcrt1")) {
    return Invalid(text, "regtest addresses are not supported");
  }
  Result<std::string> decoded = DecodeBase58Check(text);
  if (!decoded.ok()) {
    // Well-formed bech32 of another network says more than a complaint about base58.
    Result<Bech32String> bech32 = DecodeBech32(text);
    if (bech32.ok()) return Invalid(text, "unknown human-readable part '" + bech32->hrp + "'");
    return Invalid(text, decoded.status().message());
  }
  const std::string& payload = *decoded;
  if (payload.size() != kBase58PayloadSize) {
    return Invalid(text, "decoded to " + std::to_string(payload.size()) + " bytes, expected 21");
  }
  auto hash = AsBytes(payload).subspan(1);
  switch (static_cast<uint8_t>(payload[0])) {
    case kBtcP2pkhVersion:
      return MakeAddressKey(AddressType::kP2pkh, hash);
    case kBtcP2shVersion:
      return MakeAddressKey(AddressType::kP2sh, hash);
    case kBtcTestP2pkhVersion:
    case kBtcTestP2shVersion:
      return Invalid(text, "testnet addresses are not supported");
    default:
      return Invalid(text, "unknown version byte " + HexByte(static_cast<uint8_t>(payload[0])) +
                               " (not a Bitcoin mainnet address)");
  }
}

std::string Base58CheckWithVersion(uint8_t version, std::string_view hash) {
  std::string payload(1, static_cast<char>(version));
  payload += hash;
  return EncodeBase58Check(AsBytes(payload));
}

}  // namespace

std::string MakeAddressKey(AddressType type, std::span<const uint8_t> payload) {
  std::string key(1, static_cast<char>(type));
  key.append(payload.begin(), payload.end());
  return key;
}

Result<std::string> ParseAddress(Chain chain, std::string_view text) {
  if (text.empty()) return Invalid(text, "empty");
  if (text.size() > kMaxAddressText) {
    return Invalid(text, "too long (" + std::to_string(text.size()) + " characters)");
  }
  switch (chain) {
    case Chain::kEthereum: {
      std::string key, why;
      if (!ParseEvm(text, &key, &why)) return Invalid(text, why);
      return key;
    }
    case Chain::kTron:
      return ParseTron(text);
    case Chain::kBitcoin:
      return ParseBitcoin(text);
  }
  return Invalid(text, "unknown chain");
}

std::string FormatAddress(std::string_view key) {
  std::string_view payload = key.empty() ? key : key.substr(1);
  auto type = key.empty() ? AddressType{0} : static_cast<AddressType>(key[0]);
  std::string out;
  switch (type) {
    case AddressType::kEvm:
      if (payload.size() == kHashSize) {
        out = EvmChecksumAddress(
            std::span<const uint8_t, kHashSize>(AsBytes(payload).data(), kHashSize));
      }
      break;
    case AddressType::kTron:
      if (payload.size() == kHashSize) out = Base58CheckWithVersion(kTronPrefix, payload);
      break;
    case AddressType::kP2pkh:
      if (payload.size() == kHashSize) out = Base58CheckWithVersion(kBtcP2pkhVersion, payload);
      break;
    case AddressType::kP2sh:
      if (payload.size() == kHashSize) out = Base58CheckWithVersion(kBtcP2shVersion, payload);
      break;
    case AddressType::kWitness:
      if (!payload.empty()) {
        out = EncodeSegwitAddress(kBtcHrp, static_cast<uint8_t>(payload[0]),
                                  AsBytes(payload.substr(1)));
      }
      break;
    case AddressType::kNonstandard:
      if (payload.size() == kScriptHashSize) {
        out = std::string(kScriptPrefix) + ToHex(AsBytes(payload));
      }
      break;
  }
  if (out.empty()) out = "<bad address key " + ToHex(AsBytes(key)) + ">";
  return out;
}

bool ParseEvmKey(std::string_view text, std::string* key) { return ParseEvm(text, key, nullptr); }

std::string EvmChecksumAddress(std::span<const uint8_t, 20> bytes) {
  std::string lower = ToHex(bytes);
  Digest32 hash = Keccak256(AsBytes(lower));
  std::string out = "0x";
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = lower[i];
    int hash_nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 15;
    if (c >= 'a' && hash_nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

}  // namespace fundtrace
