// The everyday activity of the synthetic chain, one action at a time: users paying each other in
// ETH and tokens, exchange deposits (swept to hot wallets later) and withdrawals, DEX swaps,
// contract calls and creations, smart-wallet payouts, batch payments, mixer deposits (withdrawn
// later to fresh addresses, mostly through relayers), bridge locks and releases, failed txs.
// The mix, amounts and gas are described in docs/synth.md ("Background activity").
//
// An action is a unit of one or two txs (a token sweep needs a gas top-up first) written
// together; actions that continue later (sweeps, mixer withdrawals) return events that the
// generator schedules and hands back to Due() when their block comes.
//
// Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "synth/rng.h"
#include "synth/tx_spec.h"
#include "synth/world.h"

namespace fundtrace::synth {

// A few txs written together (at most kMaxTxs). Keeps its TxSpec objects between uses, so
// building units allocates nothing once warmed up; references returned by Add() stay valid
// until Reset().
class TxUnit {
 public:
  static constexpr size_t kMaxTxs = 4;
  // REQUIRES: size() < kMaxTxs.
  TxSpec& Add() {
    TxSpec& t = txs_[n_++];
    t.Clear();
    return t;
  }
  void Reset() { n_ = 0; }
  size_t size() const { return n_; }
  const TxSpec& operator[](size_t i) const { return txs_[i]; }
  TxSpec& at(size_t i) { return txs_[i]; }
  uint32_t TransferCount() const {
    uint32_t n = 0;
    for (size_t i = 0; i < n_; ++i) n += txs_[i].TransferCount();
    return n;
  }

 private:
  std::array<TxSpec, kMaxTxs> txs_;
  size_t n_ = 0;
};

struct BackgroundEvent {
  enum class Kind : uint8_t { kSweepEth, kSweepToken, kMixerNote };
  Kind kind = Kind::kSweepEth;
  uint32_t index = 0;           // exchange (sweeps) or mixer pool (notes)
  uint32_t token = 0;           // kSweepToken
  SynthAddr address = kNoAddr;  // the deposit address (sweeps)
  Uint128 amount = 0;
};

// What an action leaves for later: an event `delay` blocks from now.
using Later = std::vector<std::pair<uint64_t, BackgroundEvent>>;

class Background {
 public:
  Background(World* world, uint64_t seed);

  // The base fee of the block being filled (wei per gas); tx prices are base fee + tip.
  void set_base_fee(uint64_t base_fee) { base_fee_ = base_fee; }

  // The next action into `unit` (reset first); its follow-ups into `later` (appended).
  void Next(TxUnit* unit, Later* later);
  // The follow-up `e` into `unit` (reset first).
  void Due(const BackgroundEvent& e, TxUnit* unit, Later* later);
  // A plain transfer between existing users: an ETH payment (2 transfers) when `transfers` is
  // 2, a token payment (3 transfers) when it is 3.
  void Filler(uint32_t transfers, TxUnit* unit);

 private:
  uint64_t GasPrice();
  Uint128 EthAmount();
  Uint128 UsdMicros(uint64_t lo_usd, uint64_t hi_usd);
  void EthTransfer(TxUnit* unit);
  void TokenTransfer(TxUnit* unit);
  void ExchangeDeposit(TxUnit* unit, Later* later);
  void ExchangeWithdrawal(TxUnit* unit);
  void Swap(TxUnit* unit);
  void AppCall(TxUnit* unit);
  void Create(TxUnit* unit);
  void WalletExecute(TxUnit* unit);
  void Disperse(TxUnit* unit);
  void MixerDeposit(TxUnit* unit, Later* later);
  void MixerWithdrawal(uint32_t pool, TxUnit* unit);
  void BridgeLock(TxUnit* unit);
  void BridgeRelease(TxUnit* unit);
  // Perhaps (per mille) turns the tx into a failed one that used part of its gas.
  void MaybeFail(TxSpec* tx, uint32_t per_mille);

  World* world_;
  Rng rng_;
  uint64_t base_fee_ = 20 * 1000000000ull;
  uint64_t remote_senders_ = 0;
  uint64_t remote_deposits_ = 0;
};

}  // namespace fundtrace::synth
