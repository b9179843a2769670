#include "synth/background.h"

#include <algorithm>

namespace fundtrace::synth {
namespace {

// The action mix, in parts per 10,000 actions (cumulative order matters only for the draw).
enum Action : uint32_t {
  kEthTransfer,
  kTokenTransfer,
  kExchangeDeposit,
  kExchangeWithdrawal,
  kSwap,
  kAppCall,
  kCreate,
  kWalletExecute,
  kDisperse,
  kMixerDeposit,
  kBridgeLock,
  kBridgeRelease,
  kNumActions
};
constexpr uint32_t kActionWeights[kNumActions] = {3300, 2100, 650, 700, 800, 1050,
                                                  40,   150,  40,  30,  50,  50};
struct CumulativeActions {
  uint64_t c[kNumActions];
  constexpr CumulativeActions() : c() {
    uint64_t total = 0;
    for (uint32_t i = 0; i < kNumActions; ++i) c[i] = total += kActionWeights[i];
  }
};
constexpr CumulativeActions kActions;

// Round ETH amounts people like to send, in milli-ETH, and how often (cumulative weights).
constexpr uint64_t kRoundMilliEth[] = {10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000};
constexpr uint64_t kRoundCumulative[] = {14, 24, 34, 48, 58, 64, 74, 86, 91, 95, 97};

constexpr uint64_t kUsd = 1000000;  // micro-USD per USD

}  // namespace

Background::Background(World* world, uint64_t seed)
    : world_(world), rng_(seed, /*stream=*/0x6267) {}

uint64_t Background::GasPrice() { return base_fee_ + rng_.LogUniform(10000000, 3000000000); }

Uint128 Background::UsdMicros(uint64_t lo_usd, uint64_t hi_usd) {
  return Uint128{rng_.LogUniform(lo_usd * 100, hi_usd * 100)} * (kUsd / 100) +
         rng_.Below(kUsd / 100);
}

// Payment sizes: a third are round amounts (0.01 .. 10 ETH, small ones likelier); the rest are
// worth between $2 and $25k, log-uniformly, with one in fifty between $25k and $2M. Of
// those, half are typed by hand (1 to 4 significant digits), half computed (wei precision cut
// at 10^6 .. 10^12).
Uint128 Background::EthAmount() {
  if (rng_.Chance(330)) {
    const uint32_t i = rng_.Pick(kRoundCumulative, std::size(kRoundCumulative));
    return Uint128{kRoundMilliEth[i]} * (kWeiPerEth / 1000);
  }
  const Uint128 usd = rng_.Chance(20) ? UsdMicros(25000, 2000000) : UsdMicros(2, 25000);
  Uint128 wei = World::WeiForUsd(usd);
  Uint128 unit = 1;
  if (rng_.Chance(500)) {
    int digits = 0;
    for (Uint128 v = wei; v > 0; v /= 10) ++digits;
    for (int cut = digits - static_cast<int>(rng_.Between(1, 4)); cut > 0; --cut) unit *= 10;
  } else {
    for (uint64_t cut = rng_.Between(6, 12); cut > 0; --cut) unit *= 10;
  }
  if (wei > unit) wei -= wei % unit;
  return wei == 0 ? 1 : wei;
}

void Background::MaybeFail(TxSpec* tx, uint32_t per_mille) {
  if (!rng_.Chance(per_mille)) return;
  tx->failed = true;
  tx->gas_used = std::max<uint64_t>(21000, rng_.Between(tx->gas_used / 4, tx->gas_limit));
}

void Background::Next(TxUnit* unit, Later* later) {
  unit->Reset();
  switch (static_cast<Action>(rng_.Pick(kActions.c, kNumActions))) {
    case kEthTransfer:
      EthTransfer(unit);
      break;
    case kTokenTransfer:
      TokenTransfer(unit);
      break;
    case kExchangeDeposit:
      ExchangeDeposit(unit, later);
      break;
    case kExchangeWithdrawal:
      ExchangeWithdrawal(unit);
      break;
    case kSwap:
      Swap(unit);
      break;
    case kAppCall:
      AppCall(unit);
      break;
    case kCreate:
      Create(unit);
      break;
    case kWalletExecute:
      WalletExecute(unit);
      break;
    case kDisperse:
      Disperse(unit);
      break;
    case kMixerDeposit:
      MixerDeposit(unit, later);
      break;
    case kBridgeLock:
      BridgeLock(unit);
      break;
    case kBridgeRelease:
      BridgeRelease(unit);
      break;
    case kNumActions:
      break;
  }
}

void Background::Filler(uint32_t transfers, TxUnit* unit) {
  unit->Reset();
  if (transfers == 3) {
    TokenTransfer(unit);
    unit->at(0).failed = false;
  } else {
    TxSpec& t = unit->Add();
    t.from = world_->PickSender(rng_);
    t.to = world_->PickRecipient(rng_, 0);
    t.value = EthAmount();
    t.gas_price = GasPrice();
  }
}

void Background::EthTransfer(TxUnit* unit) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  // One payment in three goes to an address never seen before.
  t.to = world_->PickRecipient(rng_, 330);
  t.value = EthAmount();
  t.gas_price = GasPrice();
}

void Background::TokenTransfer(TxUnit* unit) {
  TxSpec& t = unit->Add();
  const uint32_t token = world_->PickToken(rng_);
  t.from = world_->PickSender(rng_);
  t.to = world_->tokens()[token].address;
  const SynthAddr to = world_->PickRecipient(rng_, 250);
  const Uint128 amount = world_->TokenUnitsForUsd(
      token, rng_.Chance(40) ? UsdMicros(10000, 2000000) : UsdMicros(1, 10000));
  t.call = CallKind::kTokenTransfer;
  t.arg_addr = to;
  t.arg_amount = amount;
  t.gas_used = rng_.Between(29000, 65000);
  t.gas_limit = t.gas_used + rng_.Below(40000);
  t.gas_price = GasPrice();
  t.tokens.push_back({token, t.from, to, amount});
  MaybeFail(&t, 45);
}

void Background::ExchangeDeposit(TxUnit* unit, Later* later) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  const uint64_t user = PayloadOf(t.from);
  const uint32_t exchange = world_->ExchangeOf(user, rng_.Chance(200) ? 1 : 0);
  const SynthAddr deposit = world_->DepositAddress(exchange, user);
  t.gas_price = GasPrice();
  BackgroundEvent e;
  e.index = exchange;
  e.address = deposit;
  if (rng_.Chance(650)) {
    t.to = deposit;
    t.value = std::max(EthAmount(), kWeiPerEth / 100);  // exchanges' minimum deposit
    e.kind = BackgroundEvent::Kind::kSweepEth;
    e.amount = t.value;
  } else {
    const uint32_t token = world_->PickToken(rng_);
    const Uint128 amount = world_->TokenUnitsForUsd(token, UsdMicros(20, 200000));
    t.to = world_->tokens()[token].address;
    t.call = CallKind::kTokenTransfer;
    t.arg_addr = deposit;
    t.arg_amount = amount;
    t.gas_used = rng_.Between(34000, 65000);
    t.gas_limit = t.gas_used + rng_.Below(30000);
    t.tokens.push_back({token, t.from, deposit, amount});
    e.kind = BackgroundEvent::Kind::kSweepToken;
    e.token = token;
    e.amount = amount;
  }
  // Exchanges sweep within a block to a few hours.
  later->push_back({rng_.LogUniform(1, 200), e});
}

void Background::ExchangeWithdrawal(TxUnit* unit) {
  TxSpec& t = unit->Add();
  const uint32_t exchange = world_->PickExchange(rng_);
  t.from = world_->HotWallet(
      exchange,
      static_cast<uint32_t>(rng_.LogUniform(1, world_->exchanges()[exchange].hot_wallets) - 1));
  const SynthAddr to = world_->PickRecipient(rng_, 250);
  t.gas_price = GasPrice();
  if (rng_.Chance(550)) {
    t.to = to;
    t.value = EthAmount();
    return;
  }
  const uint32_t token = world_->PickToken(rng_);
  const Uint128 amount = world_->TokenUnitsForUsd(token, UsdMicros(10, 200000));
  t.to = world_->tokens()[token].address;
  t.call = CallKind::kTokenTransfer;
  t.arg_addr = to;
  t.arg_amount = amount;
  t.gas_used = rng_.Between(34000, 65000);
  t.gas_limit = t.gas_used + rng_.Below(30000);
  t.tokens.push_back({token, t.from, to, amount});
}

void Background::Swap(TxUnit* unit) {
  auto& pools = world_->pools();
  // Popular pools far more often.
  DexPool& pool = pools[rng_.LogUniform(1, pools.size()) - 1];
  const uint32_t token = pool.token();
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.to = pool.address();
  t.gas_used = rng_.Between(110000, 190000);
  t.gas_limit = t.gas_used + rng_.Below(60000);
  t.gas_price = GasPrice();
  // Traders push the price back towards the reference price: when the pool holds more tokens
  // per ETH than the reference (the token is cheap there), buying the token is likelier.
  const Uint128 ref_per_eth = world_->TokenUnitsForUsd(token, World::kEthUsdMicros);
  const Uint128 whole_eth = pool.eth_reserve() / kWeiPerEth;
  const bool cheap = whole_eth == 0 || pool.token_reserve() / whole_eth > ref_per_eth;
  const bool eth_in = rng_.Chance(cheap ? 700 : 300);
  const Uint128 usd = UsdMicros(10, 50000);
  if (eth_in) {
    const Uint128 in = World::WeiForUsd(usd);
    const Uint128 out = pool.QuoteEthIn(in);
    t.value = in;
    t.call = CallKind::kSwapEthIn;
    t.arg_amount = out - out / 100;  // minimum out: 1% slippage allowed
    t.tokens.push_back({token, pool.address(), t.from, out});
    MaybeFail(&t, 70);
    if (!t.failed && out > 0) {
      pool.ApplyEthIn(in, out);
    } else {
      t.tokens.clear();
      t.failed = true;
    }
  } else {
    const Uint128 in = world_->TokenUnitsForUsd(token, usd);
    const Uint128 out = pool.QuoteTokenIn(in);
    t.call = CallKind::kSwapTokenIn;
    t.arg_amount = in;
    t.tokens.push_back({token, t.from, pool.address(), in});
    t.internals.push_back({pool.address(), t.from, out});
    MaybeFail(&t, 70);
    if (!t.failed && out > 0) {
      pool.ApplyTokenIn(in, out);
    } else {
      t.tokens.clear();
      t.internals.clear();
      t.failed = true;
    }
  }
}

void Background::AppCall(TxUnit* unit) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.gas_price = GasPrice();
  if (rng_.Chance(300)) {
    // approve(spender, max) on a token, for a pool or an app.
    const uint32_t token = world_->PickToken(rng_);
    t.to = world_->tokens()[token].address;
    t.call = CallKind::kApprove;
    const int pool = world_->PoolOf(token);
    t.arg_addr = pool >= 0 && rng_.Chance(700)
                     ? world_->pools()[static_cast<size_t>(pool)].address()
                     : world_->PickAppContract(rng_);
    t.gas_used = rng_.Between(26000, 48000);
  } else {
    t.to = world_->PickAppContract(rng_);
    t.call = CallKind::kAppCall;
    t.arg_number = Mix64(PayloadOf(t.to) * 8 + rng_.Below(8)) & 0xffffffffu;
    t.arg_amount = rng_.Next();
    t.gas_used = rng_.LogUniform(30000, 600000);
    // Mints and purchases carry value.
    if (rng_.Chance(120)) t.value = EthAmount();
  }
  t.gas_limit = t.gas_used + t.gas_used / 2;
  MaybeFail(&t, 110);
}

void Background::Create(TxUnit* unit) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.created = world_->NewContract();
  t.call = CallKind::kCreate;
  t.gas_used = rng_.LogUniform(100000, 5000000);
  t.gas_limit = t.gas_used + t.gas_used / 4;
  t.gas_price = GasPrice();
}

void Background::WalletExecute(TxUnit* unit) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.to = world_->PickAppContract(rng_);
  const SynthAddr to = world_->PickRecipient(rng_, 250);
  const Uint128 value = EthAmount();
  t.call = CallKind::kWalletExecute;
  t.arg_addr = to;
  t.arg_amount = value;
  t.gas_used = rng_.Between(45000, 120000);
  t.gas_limit = t.gas_used + rng_.Below(50000);
  t.gas_price = GasPrice();
  t.internals.push_back({t.to, to, value});
  MaybeFail(&t, 30);
}

void Background::Disperse(TxUnit* unit) {
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.to = world_->disperse();
  t.call = CallKind::kDisperse;
  const uint64_t n = rng_.LogUniform(2, 30);
  const Uint128 each = EthAmount() / n + 1;
  const bool airdrop = rng_.Chance(500);
  for (uint64_t i = 0; i < n; ++i) {
    const Uint128 v = airdrop ? each : each + each * rng_.Below(100) / 100;
    t.internals.push_back({t.to, world_->PickRecipient(rng_, airdrop ? 700 : 200), v});
    t.value += v;
  }
  t.gas_used = 30000 + 9000 * n;
  t.gas_limit = t.gas_used + t.gas_used / 5;
  t.gas_price = GasPrice();
}

void Background::MixerDeposit(TxUnit* unit, Later* later) {
  const uint32_t pool = world_->PickMixerPool(rng_);
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.to = world_->mixer_pools()[pool].address;
  t.value = world_->mixer_pools()[pool].denomination;
  t.call = CallKind::kMixerDeposit;
  t.gas_used = rng_.Between(880000, 1100000);
  t.gas_limit = t.gas_used + rng_.Below(200000);
  t.gas_price = GasPrice();
  BackgroundEvent e;
  e.kind = BackgroundEvent::Kind::kMixerNote;
  e.index = pool;
  // Notes wait minutes to months (in blocks of 12 s).
  later->push_back({rng_.LogUniform(5, 40000), e});
}

void Background::MixerWithdrawal(uint32_t pool, TxUnit* unit) {
  const MixerPoolInfo& m = world_->mixer_pools()[pool];
  TxSpec& t = unit->Add();
  t.to = m.address;
  t.call = CallKind::kMixerWithdraw;
  t.gas_used = rng_.Between(300000, 420000);
  t.gas_limit = t.gas_used + rng_.Below(100000);
  t.gas_price = GasPrice();
  if (rng_.Chance(700)) {
    // Through a relayer, to a fresh address.
    const SynthAddr relayer = world_->PickRelayer(rng_);
    const SynthAddr to = world_->NewUser();
    const Uint128 fee = m.denomination * rng_.Between(10, 50) / 10000;
    t.from = relayer;
    t.arg_addr = to;
    t.arg_amount = fee;
    t.internals.push_back({m.address, to, m.denomination - fee});
    t.internals.push_back({m.address, relayer, fee});
  } else {
    t.from = world_->PickSender(rng_);
    t.arg_addr = t.from;
    t.internals.push_back({m.address, t.from, m.denomination});
  }
}

void Background::BridgeLock(TxUnit* unit) {
  const RemoteChain& chain = world_->remote_chains()[world_->PickRemoteChain(rng_)];
  TxSpec& t = unit->Add();
  t.from = world_->PickSender(rng_);
  t.to = world_->bridge();
  t.call = CallKind::kBridgeLock;
  t.arg_number = chain.chain_id;
  // Most people bridge to themselves: the remote address is numbered after the local one.
  t.arg_addr = MakeAddr(AddrClass::kRemote, PayloadOf(t.from));
  t.gas_price = GasPrice();
  if (rng_.Chance(600)) {
    t.value = EthAmount();
    t.gas_used = rng_.Between(60000, 110000);
  } else {
    const uint32_t token = world_->PickToken(rng_);
    t.tokens.push_back(
        {token, t.from, t.to, world_->TokenUnitsForUsd(token, UsdMicros(10, 100000))});
    t.gas_used = rng_.Between(90000, 150000);
  }
  t.gas_limit = t.gas_used + rng_.Below(40000);
  MaybeFail(&t, 20);
}

void Background::BridgeRelease(TxUnit* unit) {
  const RemoteChain& chain = world_->remote_chains()[world_->PickRemoteChain(rng_)];
  TxSpec& t = unit->Add();
  t.from = world_->bridge_operator();
  t.to = world_->bridge();
  t.call = CallKind::kBridgeRelease;
  t.arg_number = chain.chain_id;
  t.arg_amount = remote_deposits_++;
  // The sender on the other chain, for bridge_events.csv.
  t.via = kNoAddr;
  t.arg_addr = MakeAddr(AddrClass::kRemote, (uint64_t{1} << 48) | remote_senders_++);
  const SynthAddr to = world_->PickRecipient(rng_, 300);
  t.gas_used = rng_.Between(70000, 140000);
  t.gas_limit = t.gas_used + rng_.Below(40000);
  t.gas_price = GasPrice();
  if (rng_.Chance(600)) {
    t.internals.push_back({t.to, to, EthAmount()});
  } else {
    const uint32_t token = world_->PickToken(rng_);
    t.tokens.push_back({token, t.to, to, world_->TokenUnitsForUsd(token, UsdMicros(10, 100000))});
  }
}

void Background::Due(const BackgroundEvent& e, TxUnit* unit, Later* later) {
  unit->Reset();
  (void)later;
  switch (e.kind) {
    case BackgroundEvent::Kind::kSweepEth: {
      TxSpec& t = unit->Add();
      t.from = e.address;
      t.to = world_->HotWallet(e.index, 0);
      // Sweepers pay what the block asks, at most 100 gwei; the deposit covers the fee.
      t.gas_price = std::min<uint64_t>(GasPrice(), 100 * kGwei);
      t.value = e.amount - t.Fee();
      break;
    }
    case BackgroundEvent::Kind::kSweepToken: {
      const SynthAddr hot = world_->HotWallet(e.index, 0);
      TxSpec& gas = unit->Add();
      TxSpec& move = unit->Add();
      move.from = e.address;
      move.to = world_->tokens()[e.token].address;
      move.call = CallKind::kTokenTransfer;
      move.arg_addr = hot;
      move.arg_amount = e.amount;
      move.gas_used = rng_.Between(34000, 65000);
      move.gas_limit = move.gas_used + 10000;
      move.gas_price = GasPrice();
      move.tokens.push_back({e.token, e.address, hot, e.amount});
      gas.from = hot;
      gas.to = e.address;
      gas.value = move.Fee();
      gas.gas_price = move.gas_price;
      break;
    }
    case BackgroundEvent::Kind::kMixerNote:
      MixerWithdrawal(e.index, unit);
      break;
  }
}

}  // namespace fundtrace::synth
