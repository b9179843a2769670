#include "store/types.h"

namespace fundtrace {

const char* TransferKindName(TransferKind kind) {
  switch (kind) {
    case TransferKind::kUtxoIn: return "utxo_in";
    case TransferKind::kNative: return "native";
    case TransferKind::kInternal: return "internal";
    case TransferKind::kToken: return "token";
    case TransferKind::kFee: return "fee";
    case TransferKind::kUtxoOut: return "utxo_out";
  }
  return "?";
}

const char* TxStatusName(TxStatus status) {
  switch (status) {
    case TxStatus::kUnknown: return "unknown";
    case TxStatus::kSuccess: return "success";
    case TxStatus::kFailed: return "failed";
  }
  return "?";
}

uint32_t PositionFromHash(const Hash32& hash) {
  uint32_t top = (uint32_t{hash[0]} << 24) | (uint32_t{hash[1]} << 16) | (uint32_t{hash[2]} << 8) |
                 uint32_t{hash[3]};
  return 0x80000000u | (top >> 1);
}

}  // namespace fundtrace
