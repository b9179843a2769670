// The cast of the synthetic chain and what the generator remembers about it: tokens, exchanges
// with hot wallets and per-customer deposit addresses, DEX pools, the mixer's fixed-denomination
// pools and relayers, the bridge, miners, other contracts, and the users.
//
// Memory: the fixed entities are a few hundred small records; per user the world keeps only a
// 4-byte nonce, and per other address that sends txs (deposit addresses, hot wallets, relayers,
// attackers) a hash-map entry. Deposit addresses, created contracts and user addresses are
// numbered, never stored. So memory grows with the number of distinct senders (about 5 bytes
// per user), not with the number of transfers written.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "synth/dex_pool.h"
#include "synth/names.h"
#include "synth/rng.h"

namespace fundtrace::synth {

inline constexpr Uint128 kWeiPerEth = Uint128{1000000000000000000ull};
inline constexpr uint64_t kGwei = 1000000000ull;

struct TokenInfo {
  SynthAddr address = kNoAddr;
  std::string symbol;
  std::string name;
  int decimals = 18;
  uint64_t usd_micros = 1000000;  // price of one whole token in millionths of a USD
  uint32_t weight = 1;            // relative share of token transfers
  Uint128 total_supply = 0;       // base units, for tokens.csv
};

struct ExchangeInfo {
  std::string name;
  uint32_t weight = 1;       // relative share of customers
  uint32_t hot_wallets = 1;  // hot wallets 0 .. hot_wallets-1
};

struct MixerPoolInfo {
  SynthAddr address = kNoAddr;
  Uint128 denomination = 0;  // wei
  std::string label;         // e.g. "0.1 ETH"
  uint32_t weight = 1;       // relative share of deposits
};

struct RemoteChain {
  uint64_t chain_id = 0;
  std::string name;
  uint32_t weight = 1;
};

// One row of labels.csv (the plain label format: address,chain,label,entity,category,abuse,
// source,confidence).
struct LabelRow {
  SynthAddr address = kNoAddr;
  std::string label;
  std::string entity;
  std::string category;  // exchange, dex, bridge, mixer, defi, theft, …
  std::string abuse;     // empty, or the abuse type (theft)
  std::string source;
  int confidence = 100;  // 0..100
};

class World {
 public:
  // `initial_users` users exist before the first block (they hold funds from earlier history).
  World(uint64_t seed, uint64_t initial_users);

  const std::vector<TokenInfo>& tokens() const { return tokens_; }
  const std::vector<ExchangeInfo>& exchanges() const { return exchanges_; }
  const std::vector<MixerPoolInfo>& mixer_pools() const { return mixer_pools_; }
  const std::vector<RemoteChain>& remote_chains() const { return remote_chains_; }
  std::vector<DexPool>& pools() { return pools_; }
  const std::vector<DexPool>& pools() const { return pools_; }
  // The pool trading `token` against ETH, or -1.
  int PoolOf(uint32_t token) const;

  SynthAddr HotWallet(uint32_t exchange, uint32_t wallet) const;
  SynthAddr DepositAddress(uint32_t exchange, uint64_t customer) const;
  // The exchange a user banks with (`which` = 0 main, 1 second), a pure function of the user.
  uint32_t ExchangeOf(uint64_t user, uint32_t which) const;
  uint32_t PickExchange(Rng& rng) const;
  uint32_t PickToken(Rng& rng) const;
  uint32_t PickMixerPool(Rng& rng) const;
  uint32_t PickRemoteChain(Rng& rng) const;
  SynthAddr Relayer(uint32_t i) const { return MakeAddr(AddrClass::kRelayer, i); }
  uint32_t relayers() const { return kRelayers; }
  SynthAddr PickRelayer(Rng& rng) const;
  SynthAddr bridge() const { return MakeAddr(AddrClass::kBridge, 0); }
  SynthAddr bridge_operator() const { return MakeAddr(AddrClass::kBridgeOperator, 0); }
  SynthAddr disperse() const { return MakeAddr(AddrClass::kDisperse, 0); }
  SynthAddr PickMiner(Rng& rng) const;

  // Users are numbered 1, 2, …; lower numbers are older.
  uint64_t users() const { return nonces_.size() - 1; }
  SynthAddr NewUser();
  // An existing user: often one that received in a recent tx (funds received are spent soon,
  // and activity comes in bursts), else by rank, busy ones far more often (rank r with weight
  // ~1/r), sometimes uniformly so that the long tail acts too.
  SynthAddr PickSender(Rng& rng);
  // A counterparty: a new user with probability new_per_mille/1000, else an existing one drawn
  // like a sender. Remembered as recent.
  SynthAddr PickRecipient(Rng& rng, uint32_t new_per_mille);
  // Contracts: the first kAppContracts exist from the start; NewContract() numbers the next.
  SynthAddr PickAppContract(Rng& rng) const;
  SynthAddr NewContract() { return MakeAddr(AddrClass::kContract, next_contract_++); }

  // The nonce for the next tx of `from` (0 for its first tx), counting it.
  uint32_t TakeNonce(SynthAddr from);

  // Token amount in base units worth `usd_micros` millionths of a USD (rounded down, at least 1).
  Uint128 TokenUnitsForUsd(uint32_t token, Uint128 usd_micros) const;
  // Wei worth `usd_micros` at the world's reference ETH price.
  static Uint128 WeiForUsd(Uint128 usd_micros);
  static constexpr uint64_t kEthUsdMicros = 1850000000ull;

  // Labels of the entities that are public knowledge: exchange hot wallets, DEX pools, mixer
  // pools and relayers, the bridge and its operator, the disperse contract.
  void AppendLabels(std::vector<LabelRow>* out) const;

  static constexpr uint32_t kRelayers = 8;
  static constexpr size_t kRecentUsers = 4096;
  static constexpr uint32_t kMiners = 12;
  static constexpr uint64_t kAppContracts = 400;

 private:
  uint64_t seed_;
  std::vector<TokenInfo> tokens_;
  std::vector<ExchangeInfo> exchanges_;
  std::vector<MixerPoolInfo> mixer_pools_;
  std::vector<RemoteChain> remote_chains_;
  std::vector<DexPool> pools_;
  std::vector<int> pool_of_token_;
  std::vector<uint64_t> token_cumulative_, exchange_cumulative_, mixer_cumulative_,
      remote_cumulative_;
  SynthAddr PickExisting(Rng& rng, uint32_t recent, uint32_t ranked);
  void Remember(SynthAddr a) { recent_[recent_next_++ % kRecentUsers] = a; }

  std::vector<uint32_t> nonces_;   // by user number; [0] unused
  std::vector<SynthAddr> recent_;  // ring of users seen lately
  uint64_t recent_next_ = 0;
  std::unordered_map<SynthAddr, uint32_t> other_nonces_;
  uint64_t next_contract_ = kAppContracts;
};

}  // namespace fundtrace::synth
