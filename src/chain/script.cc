#include "chain/script.h"

#include "chain/address.h"
#include "chain/hash.h"

namespace fundtrace {
namespace {

constexpr uint8_t kOp0 = 0x00;
constexpr uint8_t kOp1 = 0x51;
constexpr uint8_t kOp16 = 0x60;
constexpr uint8_t kOpReturn = 0x6a;
constexpr uint8_t kOpDup = 0x76;
constexpr uint8_t kOpEqual = 0x87;
constexpr uint8_t kOpEqualVerify = 0x88;
constexpr uint8_t kOpHash160 = 0xa9;
constexpr uint8_t kOpCheckSig = 0xac;
constexpr uint8_t kPush20 = 20;
constexpr size_t kHashSize = 20;
constexpr size_t kMaxScriptSize = 10000;
constexpr size_t kCompressedPubKeySize = 33;
constexpr size_t kUncompressedPubKeySize = 65;
constexpr size_t kMinProgramSize = 2;
constexpr size_t kMaxProgramSize = 40;

bool IsP2pkh(std::span<const uint8_t> s) {
  return s.size() == 25 && s[0] == kOpDup && s[1] == kOpHash160 && s[2] == kPush20 &&
         s[23] == kOpEqualVerify && s[24] == kOpCheckSig;
}

bool IsP2sh(std::span<const uint8_t> s) {
  return s.size() == 23 && s[0] == kOpHash160 && s[1] == kPush20 && s[22] == kOpEqual;
}

// Sets *version and *program for a BIP-141 witness program with a valid length for its version.
bool IsWitness(std::span<const uint8_t> s, uint8_t* version, std::span<const uint8_t>* program) {
  if (s.size() < 2 + kMinProgramSize || s.size() > 2 + kMaxProgramSize) return false;
  if (s[0] != kOp0 && (s[0] < kOp1 || s[0] > kOp16)) return false;
  if (static_cast<size_t>(s[1]) + 2 != s.size()) return false;
  *version = s[0] == kOp0 ? 0 : static_cast<uint8_t>(s[0] - kOp1 + 1);
  *program = s.subspan(2);
  // A v0 program of another length is not a valid output type: it falls to kNonstandard.
  return *version != 0 || program->size() == 20 || program->size() == 32;
}

// Sets *pubkey for <pubkey> OP_CHECKSIG whose key's first byte agrees with its length.
bool IsP2pk(std::span<const uint8_t> s, std::span<const uint8_t>* pubkey) {
  if (s.size() < 2 || s.back() != kOpCheckSig || static_cast<size_t>(s[0]) + 2 != s.size()) {
    return false;
  }
  *pubkey = s.subspan(1, s[0]);
  if (pubkey->size() == kCompressedPubKeySize) {
    return (*pubkey)[0] == 0x02 || (*pubkey)[0] == 0x03;
  }
  if (pubkey->size() == kUncompressedPubKeySize) {
    return (*pubkey)[0] == 0x04 || (*pubkey)[0] == 0x06 || (*pubkey)[0] == 0x07;
  }
  return false;
}

}  // namespace

std::optional<std::string> AddressKeyFromScript(std::span<const uint8_t> script) {
  // An empty script is anyone-can-spend: it has an owner key (kNonstandard) so a trace can
  // follow the value; OP_RETURN and oversized scripts can never be spent.
  if ((!script.empty() && script[0] == kOpReturn) || script.size() > kMaxScriptSize) {
    return std::nullopt;
  }
  if (IsP2pkh(script)) return MakeAddressKey(AddressType::kP2pkh, script.subspan(3, kHashSize));
  if (IsP2sh(script)) return MakeAddressKey(AddressType::kP2sh, script.subspan(2, kHashSize));
  uint8_t version = 0;
  std::span<const uint8_t> data;
  if (IsWitness(script, &version, &data)) {
    std::string key = MakeAddressKey(AddressType::kWitness, std::span(&version, 1));
    key.append(data.begin(), data.end());
    return key;
  }
  if (IsP2pk(script, &data)) return MakeAddressKey(AddressType::kP2pkh, Hash160(data));
  return MakeAddressKey(AddressType::kNonstandard, Sha256(script));
}

}  // namespace fundtrace
