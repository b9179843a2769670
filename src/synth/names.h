// Names of things in the synthetic chain. Inside the generator an address is a 64-bit
// `SynthAddr`: its class (user, exchange deposit address, token contract, …) in the top byte and
// a number within the class below. Namer turns those numbers, tx serial numbers and block heights
// into the 20-byte addresses and 32-byte hashes written to the CSVs.
//
// Uniqueness is by construction, not by chance: the first 8 bytes of every address (and of every
// hash) are a keyed bijection of the 64-bit number, so two different addresses (or hashes)
// always differ there; the remaining bytes only make the text look like real hashes. The key is
// the seed, so a different seed names everything differently.
//
// Thread-safe (no mutable state); allocates nothing.
#pragma once

#include <cstdint>

namespace fundtrace::synth {

using SynthAddr = uint64_t;
inline constexpr SynthAddr kNoAddr = 0;

enum class AddrClass : uint8_t {
  kUser = 1,            // externally owned accounts of ordinary users
  kDeposit = 2,         // exchange deposit address: payload = exchange << 40 | customer
  kHotWallet = 3,       // exchange hot wallet: payload = exchange << 8 | wallet
  kToken = 4,           // ERC-20 contract: payload = token index
  kPool = 5,            // DEX pool: payload = pool index
  kMixer = 6,           // mixer pool contract: payload = denomination index
  kRelayer = 7,         // mixer relayer EOA
  kBridge = 8,          // bridge contract
  kBridgeOperator = 9,  // EOA that submits bridge releases
  kContract = 10,       // other contracts (created during the run, wallets, apps)
  kDisperse = 11,       // batch-payment contract
  kVictim = 12,         // a hacked protocol's contract: payload = hack
  kAttacker = 13,       // attacker-controlled EOA: payload = hack << 32 | n
  kExploit = 14,        // attacker's exploit contract: payload = hack
  kMiner = 15,          // block fee recipients
  kRemote = 16,         // an address on a bridge's other chain (bridge_events.csv only)
};

inline constexpr SynthAddr MakeAddr(AddrClass c, uint64_t payload) {
  return (static_cast<uint64_t>(c) << 56) | (payload & ((uint64_t{1} << 56) - 1));
}
inline constexpr AddrClass ClassOf(SynthAddr a) { return static_cast<AddrClass>(a >> 56); }
inline constexpr uint64_t PayloadOf(SynthAddr a) { return a & ((uint64_t{1} << 56) - 1); }

// Lengths of the texts Namer writes (no terminating NUL).
inline constexpr int kAddressTextLen = 42;  // "0x" + 40 lower-case hex digits
inline constexpr int kHashTextLen = 66;     // "0x" + 64 lower-case hex digits

class Namer {
 public:
  explicit Namer(uint64_t seed);

  // The address as ethereum-etl writes it (lower case). REQUIRES: a != kNoAddr.
  void Address(SynthAddr a, char out[kAddressTextLen]) const;
  // The 20 address bytes.
  void AddressBytes(SynthAddr a, uint8_t out[20]) const;
  // Hash of the tx with serial number `serial` (0, 1, 2, … in chain order).
  void TxHash(uint64_t serial, char out[kHashTextLen]) const;
  void BlockHash(uint64_t height, char out[kHashTextLen]) const;
  // Hash of a tx on a bridge's other chain (bridge_events.csv), numbered per run.
  void RemoteTxHash(uint64_t serial, char out[kHashTextLen]) const;
  // 32 bytes of filler derived from `n`, for calldata such as mixer commitments.
  void Word(uint64_t n, char out[64]) const;

 private:
  uint64_t Permute(uint64_t x) const;
  void Hash(uint64_t id, char out[kHashTextLen]) const;
  uint64_t k0_, k1_, k2_;
};

// Writes `n` bytes as 2n lower-case hex digits.
void HexBytes(const uint8_t* bytes, int n, char* out);
// Writes the 16 hex digits of v (big-endian).
void Hex64(uint64_t v, char out[16]);

}  // namespace fundtrace::synth
