// One transaction of the synthetic chain as the generator decides it, before it is written:
// who sends it to whom with what value and gas, what it calls, and the value it moves inside
// (internal calls, written to traces.csv) and the tokens it moves (token_transfers.csv).
// The writer adds what depends on the chain position: hash, block, index, nonce, log indexes.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/names.h"
#include "synth/rng.h"

namespace fundtrace::synth {

// What the tx calls; decides the `input` calldata written (see docs/synth.md).
enum class CallKind : uint8_t {
  kPlain,          // value transfer, input "0x"
  kTokenTransfer,  // ERC-20 transfer(to, amount)
  kApprove,        // ERC-20 approve(spender, max)
  kAppCall,        // some other contract function, no value moved inside
  kCreate,         // contract creation: to is empty, `created` is the new contract
  kSwapEthIn,      // DEX: ETH in (tx value), token out
  kSwapTokenIn,    // DEX: token in, ETH out (internal)
  kMixerDeposit,   // mixer deposit(commitment)
  kMixerWithdraw,  // mixer withdraw(recipient, relayer, fee)
  kBridgeLock,     // bridge lock(chainId, recipient) of ETH or a token
  kBridgeRelease,  // bridge release(srcChainId, depositId)
  kWalletExecute,  // smart wallet execute(to, value)
  kDisperse,       // batch payment of ETH to many recipients
  kExploit,        // the attacker's call into its exploit contract
};

// Value moved by an internal call of the tx (trace_type call, call_type call).
struct InternalMove {
  SynthAddr from = kNoAddr;
  SynthAddr to = kNoAddr;
  Uint128 value = 0;  // never 0: zero-value calls move nothing and are not stored
};

// An ERC-20 Transfer event of the tx.
struct TokenMove {
  uint32_t token = 0;  // index into World::tokens()
  SynthAddr from = kNoAddr;
  SynthAddr to = kNoAddr;
  Uint128 amount = 0;
};

struct TxSpec {
  SynthAddr from = kNoAddr;
  SynthAddr to = kNoAddr;       // kNoAddr for a contract creation
  SynthAddr created = kNoAddr;  // the created contract (kCreate only)
  Uint128 value = 0;
  uint64_t gas_limit = 21000;
  uint64_t gas_used = 21000;
  uint64_t gas_price = 0;  // wei per gas; > 0, so every tx has a fee transfer
  bool failed = false;     // receipt_status 0: no value, no events, no internal moves; fee paid
  CallKind call = CallKind::kPlain;
  // Call arguments for the calldata: an address, an amount, a number (chain id, deposit id).
  SynthAddr arg_addr = kNoAddr;
  Uint128 arg_amount = 0;
  uint64_t arg_number = 0;
  // When set, the internal moves sit one level deeper, under a zero-value call from `to` to
  // `via` (an exploit contract calling the victim, which pays out).
  SynthAddr via = kNoAddr;
  std::vector<InternalMove> internals;
  std::vector<TokenMove> tokens;

  void Clear() {
    from = to = created = kNoAddr;
    value = 0;
    gas_limit = gas_used = 21000;
    gas_price = 0;
    failed = false;
    call = CallKind::kPlain;
    arg_addr = kNoAddr;
    arg_amount = 0;
    arg_number = 0;
    via = kNoAddr;
    internals.clear();
    tokens.clear();
  }
  Uint128 Fee() const { return Uint128{gas_used} * gas_price; }
  // Transfers the store makes of this tx: native (always, 0 when failed), fee, and each
  // internal move and token event unless the tx failed.
  uint32_t TransferCount() const {
    return 2 + (failed ? 0 : static_cast<uint32_t>(internals.size() + tokens.size()));
  }
};

}  // namespace fundtrace::synth
