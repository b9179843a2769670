// Plans one hack from start to end before any of it is written, so its ground truth is exact
// and its size (txs, transfers) is known when the generator reserves room for it.
//
// The story (docs/synth.md, "Hacks"): the exploiter gets gas money from an exchange, deploys an
// exploit contract and drains the victim into a fresh receiver address (ETH and 0–2 tokens);
// the receiver splits the funds over fresh addresses; tokens are swapped to ETH at the DEX
// (some kept and deposited or bridged as tokens); each split address then peels to exchange
// deposit addresses along a chain of fresh addresses, deposits fixed denominations into the
// mixer, deposits to exchanges, locks funds in the bridge towards another chain, hands its
// funds to a consolidation address, or rests. Some contract calls fail first and are retried.
// After the endpoints: exchanges sweep deposits to hot wallets, and mixer notes are withdrawn
// to fresh addresses, mostly through relayers.
//
// Every tx of the attacker's addresses pays its fee at the hack's own gas price from the stolen
// funds (the exploiter's fees come from its own gas money and are not part of the hack), so the
// plan balances exactly: see HackLedger and CheckBalances.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "synth/ground_truth.h"
#include "synth/hack_ledger.h"
#include "synth/rng.h"
#include "synth/world.h"

namespace fundtrace::synth {

class HackPlanner {
 public:
  // `hack` numbers the hack from 1. The plan keeps to about `max_txs` txs (at least ~30 are
  // needed for a hack worth the name; fewer still gives a drain, a split and resting funds).
  // Pools are quoted in their state at planning time.
  HackPlanner(const World& world, uint64_t seed, int hack, uint64_t max_txs);
  HackPlan Plan();

 private:
  SynthAddr NewAddress(const char* role, uint32_t label_per_mille, bool holds_stolen = true);
  uint64_t TickFor(SynthAddr from, uint64_t tick);
  void Arrive(SynthAddr to, uint64_t tick);
  // Appends a tx sent from an address holding stolen funds: pays its fee from the ledger.
  int AddLaundering(PlannedTx tx);
  // Appends a tx that does not spend stolen funds (preparation, sweeps, withdrawals).
  int AddOther(PlannedTx tx);
  // Perhaps (2.5%) precedes the call `tx` with a failed attempt, when the sender can pay it on
  // top of `needed` wei.
  void MaybeFail(const PlannedTx& tx, Uint128 needed);
  int AddEndpoint(Endpoint e);

  // ETH or tokens to another attacker address.
  void SendEth(SynthAddr from, SynthAddr to, Uint128 amount, TxRole role, uint64_t tick);
  void SendAllEth(SynthAddr from, SynthAddr to, TxRole role, uint64_t tick);
  void SendToken(SynthAddr from, SynthAddr to, uint32_t token, Uint128 amount, TxRole role,
                 uint64_t tick, uint64_t gas);
  // Endpoints.
  bool ExchangeDeposit(SynthAddr from, AssetKey asset, Uint128 amount, uint64_t tick);
  bool MixerDeposit(SynthAddr from, uint32_t pool, uint64_t tick);
  bool BridgeLock(SynthAddr from, AssetKey asset, Uint128 amount, uint64_t tick);
  bool Swap(SynthAddr from, uint32_t token, Uint128 amount, uint64_t tick);
  // After an endpoint.
  void PlanSweep(int endpoint, uint64_t tick);
  void PlanWithdrawal(int endpoint, uint64_t tick);

  // Strategies for the ETH an address holds.
  void Peel(SynthAddr a, uint64_t tick);
  void Mix(SynthAddr a, uint64_t tick);
  void DepositToExchanges(SynthAddr a, uint64_t tick);
  void Bridge(SynthAddr a, uint64_t tick);
  void Tokens(SynthAddr a, uint64_t tick);

  Uint128 Eth(SynthAddr a) const { return ledger_.Balance(a, kEthAsset); }
  Uint128 Fee(uint64_t gas) const { return Uint128{gas} * gas_price_; }
  bool Budget(int64_t txs) const { return txs_left_ >= txs; }
  uint64_t Delay(uint64_t lo, uint64_t hi) { return rng_.LogUniform(lo, hi); }

  const World& world_;
  Rng rng_;
  int hack_;
  int64_t txs_left_;
  uint64_t gas_price_;
  uint64_t exchange_gas_price_;
  uint64_t relayer_gas_price_;
  HackLedger ledger_;
  HackPlan plan_;
  std::vector<DexPool> pools_;           // planning copy of the world's pools
  std::map<SynthAddr, uint64_t> ready_;  // first tick an address holds funds
  uint64_t next_address_ = 0;
  std::vector<std::pair<uint32_t, uint64_t>> accounts_;     // the attacker's (exchange, customer)
  std::vector<std::pair<SynthAddr, uint64_t>> post_mixer_;  // funded address, tick
};

}  // namespace fundtrace::synth
