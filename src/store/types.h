// The rows the store keeps and answers with. Ids are dense per chain: address id 0 means "no
// address" (a coinbase's source, an OP_RETURN output, a fee's sink); asset id 0 is the chain's
// native asset.
#pragma once

#include <cstdint>
#include <string>

#include "chain/amount.h"
#include "chain/chain.h"

namespace fundtrace {

using AddressId = uint32_t;
using TxId = uint32_t;
using AssetId = uint32_t;
inline constexpr AddressId kNoAddress = 0;
inline constexpr AssetId kNativeAsset = 0;

// Kinds in their order inside a transaction: the kind is the high part of a row's sort key, so
// a tx's spent inputs come first, its created outputs last.
enum class TransferKind : uint8_t {
  kUtxoIn = 0,    // a Bitcoin input: `from` spent output `prevout` (to = kNoAddress)
  kNative = 1,    // the tx's own value (ETH value), also for failed txs with amount 0
  kInternal = 2,  // value moved by a contract call (from traces)
  kToken = 3,     // ERC-20 Transfer event
  kFee = 4,       // gas fee (EVM) or input minus output value (Bitcoin); to = kNoAddress
  kUtxoOut = 5,   // a Bitcoin output created by the tx (from = kNoAddress)
};
inline constexpr int kNumTransferKinds = 6;
const char* TransferKindName(TransferKind kind);

// seq_kind packs the kind (high 4 bits) and the position inside the tx (low 28 bits: output or
// input index, log index, trace ordinal).
inline constexpr uint32_t kSeqBits = 28;
inline constexpr uint32_t kMaxSeq = (1u << kSeqBits) - 1;
inline uint32_t PackSeqKind(TransferKind kind, uint32_t seq) {
  return (static_cast<uint32_t>(kind) << kSeqBits) | seq;
}
inline TransferKind KindOf(uint32_t seq_kind) { return static_cast<TransferKind>(seq_kind >> kSeqBits); }
inline uint32_t SeqOf(uint32_t seq_kind) { return seq_kind & kMaxSeq; }

// A Bitcoin input's spent output: (tx id << 32) | vout. kUnresolvedPrevout marks an input whose
// spent output was not in the store when it was ingested: its address and value are unknown.
inline constexpr uint64_t kNoPrevout = ~uint64_t{0};
inline constexpr uint32_t kUnresolvedTx = ~uint32_t{0};

// One unit of value movement as the store answers it.
struct Transfer {
  uint32_t block = 0;
  TxId tx = 0;
  AddressId from = kNoAddress;
  AddressId to = kNoAddress;
  AssetId asset = kNativeAsset;
  uint32_t seq_kind = 0;
  uint64_t prevout = kNoPrevout;  // kUtxoIn rows only
  U256 amount = 0;

  TransferKind kind() const { return KindOf(seq_kind); }
  uint32_t seq() const { return SeqOf(seq_kind); }
  bool unresolved() const {
    return kind() == TransferKind::kUtxoIn && (prevout >> 32) == kUnresolvedTx;
  }
};

enum class TxStatus : uint8_t { kUnknown = 0, kSuccess = 1, kFailed = 2 };
const char* TxStatusName(TxStatus status);

struct TxInfo {
  Hash32 hash{};
  uint32_t block = 0;
  // Position of the tx in its block when the source says it; otherwise 2^31 + the top 31 bits
  // of the hash, a deterministic order that does not depend on how data was batched.
  uint32_t pos = 0;
  uint64_t time = 0;  // unix seconds
  TxStatus status = TxStatus::kUnknown;
};
uint32_t PositionFromHash(const Hash32& hash);

struct BlockInfo {
  uint32_t height = 0;
  uint64_t time = 0;
  Hash32 hash{};  // all zero when the source does not give it
};

struct AssetInfo {
  std::string contract;  // address key of the token contract; empty for the native asset
  std::string symbol;    // may be empty when unknown
  int decimals = -1;     // -1 when unknown: amounts are then shown in base units
};

enum class Direction : uint8_t { kOut, kIn, kBoth };

struct BlockRange {
  uint32_t first = 0;
  uint32_t last = UINT32_MAX;
  bool Contains(uint32_t b) const { return b >= first && b <= last; }
};

}  // namespace fundtrace
