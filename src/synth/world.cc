#include "synth/world.h"

#include <cstdio>

namespace fundtrace::synth {
namespace {

Uint128 Pow10(int n) {
  Uint128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

template <typename T, typename Weight>
std::vector<uint64_t> Cumulative(const std::vector<T>& items, Weight weight) {
  std::vector<uint64_t> c;
  uint64_t total = 0;
  for (const auto& item : items) c.push_back(total += weight(item));
  return c;
}

// The well-known tokens: symbol, name, decimals, price in micro-USD, share of transfers.
struct TokenSeed {
  const char* symbol;
  const char* name;
  int decimals;
  uint64_t usd_micros;
  uint32_t weight;
};
constexpr TokenSeed kMajorTokens[] = {
    {"USDT", "Tether USD (synthetic)", 6, 1000000, 300},
    {"USDC", "USD Coin (synthetic)", 6, 1000000, 220},
    {"DAI", "Dai Stablecoin (synthetic)", 18, 1000000, 80},
    {"WETH", "Wrapped Ether (synthetic)", 18, World::kEthUsdMicros, 60},
    {"WBTC", "Wrapped BTC (synthetic)", 8, 27000000000ull, 40},
    {"LINK", "ChainLink Token (synthetic)", 18, 6500000, 40},
    {"UNI", "Uniswap (synthetic)", 18, 5200000, 30},
    {"SHIBX", "Shiba Token (synthetic)", 18, 10, 40},
    {"PEPEX", "Pepe Token (synthetic)", 18, 1, 30},
};
constexpr int kLongTailTokens = 24;

}  // namespace

World::World(uint64_t seed, uint64_t initial_users) : seed_(seed) {
  Rng rng(seed, /*stream=*/0x776f726c64);  // "world"
  for (const auto& t : kMajorTokens) {
    TokenInfo info;
    info.symbol = t.symbol;
    info.name = t.name;
    info.decimals = t.decimals;
    info.usd_micros = t.usd_micros;
    info.weight = t.weight;
    tokens_.push_back(info);
  }
  for (int i = 1; i <= kLongTailTokens; ++i) {
    TokenInfo info;
    char sym[16], name[40];
    std::snprintf(sym, sizeof sym, "STK%02d", i);
    std::snprintf(name, sizeof name, "Synth Token %02d", i);
    info.symbol = sym;
    info.name = name;
    const uint64_t d = rng.Below(10);
    info.decimals = d < 7 ? 18 : d < 9 ? 9 : 6;
    info.usd_micros = rng.LogUniform(1000, 50000000);  // $0.001 .. $50
    info.weight = static_cast<uint32_t>(rng.LogUniform(1, 12));
    tokens_.push_back(info);
  }
  for (size_t i = 0; i < tokens_.size(); ++i) {
    TokenInfo& t = tokens_[i];
    t.address = MakeAddr(AddrClass::kToken, i);
    // Supply worth $0.1bn .. $50bn.
    t.total_supply = TokenUnitsForUsd(static_cast<uint32_t>(i),
                                      Uint128{rng.LogUniform(100, 50000)} * 1000000000000ull);
  }
  token_cumulative_ = Cumulative(tokens_, [](const TokenInfo& t) { return t.weight; });

  // One ETH pool per token except WETH; deep pools for the majors, shallow ones for the tail.
  pool_of_token_.assign(tokens_.size(), -1);
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].symbol == "WETH") continue;
    const bool major = i < std::size(kMajorTokens);
    const Uint128 eth =
        Uint128{major ? rng.LogUniform(20000, 80000) : rng.LogUniform(50, 2000)} * kWeiPerEth;
    const Uint128 usd = eth / kWeiPerEth * kEthUsdMicros;
    pool_of_token_[i] = static_cast<int>(pools_.size());
    pools_.emplace_back(MakeAddr(AddrClass::kPool, pools_.size()), static_cast<uint32_t>(i), eth,
                        TokenUnitsForUsd(static_cast<uint32_t>(i), usd));
  }

  exchanges_ = {{"Kraxen", 300, 4}, {"Coinvale", 220, 3}, {"Bitnova", 150, 2}, {"Hexabit", 100, 2},
                {"Okura", 80, 2},   {"Gemfield", 60, 1},  {"Polomint", 50, 1}, {"Zebrix", 40, 1}};
  exchange_cumulative_ = Cumulative(exchanges_, [](const ExchangeInfo& e) { return e.weight; });

  const struct {
    const char* label;
    uint64_t milli_eth;
    uint32_t weight;
  } kDenominations[] = {
      {"0.1 ETH", 100, 30}, {"1 ETH", 1000, 35}, {"10 ETH", 10000, 25}, {"100 ETH", 100000, 10}};
  for (const auto& d : kDenominations) {
    MixerPoolInfo m;
    m.address = MakeAddr(AddrClass::kMixer, mixer_pools_.size());
    m.denomination = Uint128{d.milli_eth} * (kWeiPerEth / 1000);
    m.label = d.label;
    m.weight = d.weight;
    mixer_pools_.push_back(m);
  }
  mixer_cumulative_ = Cumulative(mixer_pools_, [](const MixerPoolInfo& m) { return m.weight; });

  remote_chains_ = {{10, "Optimism", 30},
                    {42161, "Arbitrum One", 35},
                    {137, "Polygon", 20},
                    {56, "BNB Smart Chain", 15}};
  remote_cumulative_ = Cumulative(remote_chains_, [](const RemoteChain& c) { return c.weight; });

  nonces_.assign(1 + initial_users, 0);
  recent_.assign(kRecentUsers, kNoAddr);
}

int World::PoolOf(uint32_t token) const { return pool_of_token_[token]; }

SynthAddr World::HotWallet(uint32_t exchange, uint32_t wallet) const {
  return MakeAddr(AddrClass::kHotWallet, (uint64_t{exchange} << 8) | wallet);
}

SynthAddr World::DepositAddress(uint32_t exchange, uint64_t customer) const {
  return MakeAddr(AddrClass::kDeposit, (uint64_t{exchange} << 40) | customer);
}

uint32_t World::ExchangeOf(uint64_t user, uint32_t which) const {
  const uint64_t h = Mix64(seed_ ^ Mix64(user * 0x9e3779b97f4a7c15ull + which));
  const uint64_t r = h % exchange_cumulative_.back();
  uint32_t i = 0;
  while (exchange_cumulative_[i] <= r) ++i;
  return i;
}

uint32_t World::PickExchange(Rng& rng) const {
  return rng.Pick(exchange_cumulative_, static_cast<uint32_t>(exchange_cumulative_.size()));
}
uint32_t World::PickToken(Rng& rng) const {
  return rng.Pick(token_cumulative_, static_cast<uint32_t>(token_cumulative_.size()));
}
uint32_t World::PickMixerPool(Rng& rng) const {
  return rng.Pick(mixer_cumulative_, static_cast<uint32_t>(mixer_cumulative_.size()));
}
uint32_t World::PickRemoteChain(Rng& rng) const {
  return rng.Pick(remote_cumulative_, static_cast<uint32_t>(remote_cumulative_.size()));
}

SynthAddr World::PickRelayer(Rng& rng) const {
  // A few relayers carry most withdrawals.
  return Relayer(static_cast<uint32_t>(rng.LogUniform(1, kRelayers) - 1));
}

SynthAddr World::PickMiner(Rng& rng) const {
  return MakeAddr(AddrClass::kMiner, rng.LogUniform(1, kMiners) - 1);
}

SynthAddr World::NewUser() {
  nonces_.push_back(0);
  return MakeAddr(AddrClass::kUser, nonces_.size() - 1);
}

SynthAddr World::PickExisting(Rng& rng, uint32_t recent, uint32_t ranked) {
  const uint64_t n = users();
  const uint64_t r = rng.Below(1000);
  SynthAddr a;
  if (r < recent && recent_next_ > 0) {
    a = recent_[rng.Below(std::min<uint64_t>(recent_next_, kRecentUsers))];
  } else if (r < recent + ranked) {
    a = MakeAddr(AddrClass::kUser, rng.LogUniform(1, n));
  } else {
    a = MakeAddr(AddrClass::kUser, rng.Between(1, n));
  }
  return a;
}

SynthAddr World::PickSender(Rng& rng) { return PickExisting(rng, 620, 300); }

SynthAddr World::PickRecipient(Rng& rng, uint32_t new_per_mille) {
  if (rng.Chance(new_per_mille)) {
    const SynthAddr a = NewUser();
    Remember(a);
    return a;
  }
  const SynthAddr a = PickExisting(rng, 200, 480);
  Remember(a);
  return a;
}

SynthAddr World::PickAppContract(Rng& rng) const {
  // Mostly the long-lived apps, sometimes a contract created during the run.
  const uint64_t n = rng.Chance(900) ? kAppContracts : next_contract_;
  return MakeAddr(AddrClass::kContract, rng.LogUniform(1, n) - 1);
}

uint32_t World::TakeNonce(SynthAddr from) {
  if (ClassOf(from) == AddrClass::kUser) return nonces_[PayloadOf(from)]++;
  return other_nonces_[from]++;
}

Uint128 World::TokenUnitsForUsd(uint32_t token, Uint128 usd_micros) const {
  const TokenInfo& t = tokens_[token];
  const Uint128 units = usd_micros * Pow10(t.decimals) / t.usd_micros;
  return units == 0 ? 1 : units;
}

Uint128 World::WeiForUsd(Uint128 usd_micros) { return usd_micros * kWeiPerEth / kEthUsdMicros; }

void World::AppendLabels(std::vector<LabelRow>* out) const {
  const std::string src = "synth:public";
  for (uint32_t e = 0; e < exchanges_.size(); ++e) {
    for (uint32_t w = 0; w < exchanges_[e].hot_wallets; ++w) {
      out->push_back({HotWallet(e, w), exchanges_[e].name + " Hot Wallet " + std::to_string(w + 1),
                      exchanges_[e].name, "exchange", "", src, 100});
    }
  }
  for (const auto& p : pools_) {
    out->push_back({p.address(), "SynthSwap: ETH/" + tokens_[p.token()].symbol + " Pool",
                    "SynthSwap", "dex", "", src, 100});
  }
  for (const auto& m : mixer_pools_) {
    out->push_back({m.address, "SynthMixer: " + m.label, "SynthMixer", "mixer", "", src, 100});
  }
  for (uint32_t r = 0; r < kRelayers; ++r) {
    out->push_back({Relayer(r), "SynthMixer: Relayer " + std::to_string(r + 1), "SynthMixer",
                    "mixer", "", src, 80});
  }
  out->push_back({bridge(), "SynthBridge: Gateway", "SynthBridge", "bridge", "", src, 100});
  out->push_back({bridge_operator(), "SynthBridge: Relayer", "SynthBridge", "bridge", "", src, 90});
  out->push_back({disperse(), "SynthDisperse", "SynthDisperse", "payment service", "", src, 90});
}

}  // namespace fundtrace::synth
