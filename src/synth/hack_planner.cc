#include "synth/hack_planner.h"

#include <algorithm>
#include <cassert>

namespace fundtrace::synth {
namespace {

constexpr uint64_t kTransferGas = 21000;
constexpr const char* kProtocols[] = {"Lendora", "Vaultix", "Yieldstone", "Stakeport",
                                      "Curvex",  "Aavo",    "Compoundly", "Bridgewell"};
// Tokens a hack may steal besides ETH (indexes into World::tokens(): the majors with a pool).
constexpr uint32_t kStealableTokens[] = {0, 1, 2, 4, 5};

}  // namespace

HackPlanner::HackPlanner(const World& world, uint64_t seed, int hack, uint64_t max_txs)
    : world_(world),
      rng_(seed, 0x6861636b00000000ull + static_cast<uint64_t>(hack)),
      hack_(hack),
      txs_left_(static_cast<int64_t>(max_txs)),
      pools_(world.pools()) {
  gas_price_ = rng_.Between(18, 70) * kGwei + rng_.Between(1, kGwei - 1);
  exchange_gas_price_ = rng_.Between(12, 45) * kGwei + rng_.Below(kGwei);
  relayer_gas_price_ = rng_.Between(15, 50) * kGwei + rng_.Below(kGwei);
}

SynthAddr HackPlanner::NewAddress(const char* role, uint32_t label_per_mille, bool holds_stolen) {
  const SynthAddr a =
      MakeAddr(AddrClass::kAttacker, (static_cast<uint64_t>(hack_) << 32) | next_address_++);
  const bool labelled = rng_.Chance(label_per_mille);
  plan_.truth.addresses.push_back({a, role, labelled, holds_stolen});
  if (labelled) {
    std::string what = role;
    if (!what.empty()) what[0] = static_cast<char>(what[0] - 'a' + 'A');
    std::replace(what.begin(), what.end(), '_', ' ');
    plan_.labels.push_back({a, plan_.truth.name + ": " + what, plan_.truth.name, "theft", "theft",
                            "synth:incident-report", static_cast<int>(rng_.Between(60, 100))});
  }
  return a;
}

uint64_t HackPlanner::TickFor(SynthAddr from, uint64_t tick) {
  uint64_t& r = ready_[from];
  r = std::max(r, tick);
  return r;
}

void HackPlanner::Arrive(SynthAddr to, uint64_t tick) {
  uint64_t& r = ready_[to];
  r = std::max(r, tick);
}

int HackPlanner::AddLaundering(PlannedTx tx) {
  tx.spec.gas_price = gas_price_;
  tx.tick = TickFor(tx.spec.from, tx.tick);
  const Uint128 fee = tx.spec.Fee();
  auto pieces = ledger_.Take(tx.spec.from, kEthAsset, fee);
  plan_.truth.fees += fee;
  for (const auto& [asset, amount] : HackLedger::Origins(pieces)) {
    plan_.truth.fee_origin[asset] += amount;
  }
  return AddOther(std::move(tx));
}

int HackPlanner::AddOther(PlannedTx tx) {
  plan_.transfers += tx.spec.TransferCount();
  plan_.txs.push_back(std::move(tx));
  --txs_left_;
  return static_cast<int>(plan_.txs.size()) - 1;
}

void HackPlanner::MaybeFail(const PlannedTx& tx, Uint128 needed) {
  if (!rng_.Chance(25) || !Budget(2)) return;
  PlannedTx failed = tx;
  failed.role = TxRole::kFailedAttempt;
  failed.endpoint = failed.swap = -1;
  failed.spec.failed = true;
  failed.spec.gas_used = rng_.Between(23000, std::max<uint64_t>(23000, failed.spec.gas_limit / 2));
  if (Eth(tx.spec.from) < needed + Fee(failed.spec.gas_used) + Fee(tx.spec.gas_used)) return;
  AddLaundering(std::move(failed));
}

int HackPlanner::AddEndpoint(Endpoint e) {
  plan_.truth.endpoints.push_back(std::move(e));
  return static_cast<int>(plan_.truth.endpoints.size()) - 1;
}

void HackPlanner::SendEth(SynthAddr from, SynthAddr to, Uint128 amount, TxRole role,
                          uint64_t tick) {
  assert(Eth(from) >= amount + Fee(kTransferGas));
  PlannedTx tx;
  tx.spec.from = from;
  tx.spec.to = to;
  tx.spec.value = amount;
  tx.tick = tick;
  tx.role = role;
  const uint64_t at = TickFor(from, tick);
  tx.tick = at;
  AddLaundering(std::move(tx));
  ledger_.Give(to, ledger_.Take(from, kEthAsset, amount));
  Arrive(to, at);
}

void HackPlanner::SendAllEth(SynthAddr from, SynthAddr to, TxRole role, uint64_t tick) {
  const Uint128 fee = Fee(kTransferGas);
  if (Eth(from) <= fee) return;
  SendEth(from, to, Eth(from) - fee, role, tick);
}

void HackPlanner::SendToken(SynthAddr from, SynthAddr to, uint32_t token, Uint128 amount,
                            TxRole role, uint64_t tick, uint64_t gas) {
  PlannedTx tx;
  tx.spec.from = from;
  tx.spec.to = world_.tokens()[token].address;
  tx.spec.call = CallKind::kTokenTransfer;
  tx.spec.arg_addr = to;
  tx.spec.arg_amount = amount;
  tx.spec.gas_used = gas;
  tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(30000);
  tx.spec.tokens.push_back({token, from, to, amount});
  tx.tick = tick;
  tx.role = role;
  assert(Eth(from) >= Fee(tx.spec.gas_used));
  const uint64_t at = TickFor(from, tick);
  tx.tick = at;
  AddLaundering(std::move(tx));
  ledger_.Give(to, ledger_.Take(from, TokenAsset(token), amount));
  Arrive(to, at);
}

bool HackPlanner::ExchangeDeposit(SynthAddr from, AssetKey asset, Uint128 amount, uint64_t tick) {
  if (amount == 0 || !Budget(4)) return false;
  PlannedTx tx;
  tx.spec.from = from;
  tx.role = TxRole::kExchangeDeposit;
  tx.tick = tick;
  if (accounts_.empty() || rng_.Chance(250)) {
    const uint64_t customer =
        (uint64_t{1} << 39) | (static_cast<uint64_t>(hack_) << 20) | accounts_.size();
    accounts_.push_back({world_.PickExchange(rng_), customer});
  }
  const auto [exchange, customer] = accounts_[rng_.Below(accounts_.size())];
  const SynthAddr deposit = world_.DepositAddress(exchange, customer);
  if (asset == kEthAsset) {
    if (Eth(from) < amount + Fee(kTransferGas)) return false;
    tx.spec.to = deposit;
    tx.spec.value = amount;
  } else {
    const uint32_t token = asset - 1;
    tx.spec.to = world_.tokens()[token].address;
    tx.spec.call = CallKind::kTokenTransfer;
    tx.spec.arg_addr = deposit;
    tx.spec.arg_amount = amount;
    tx.spec.gas_used = rng_.Between(34000, 65000);
    tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(30000);
    tx.spec.tokens.push_back({token, from, deposit, amount});
    if (ledger_.Balance(from, asset) < amount || Eth(from) < Fee(tx.spec.gas_used)) return false;
  }
  Endpoint e;
  e.kind = EndpointKind::kExchange;
  e.address = deposit;
  e.from = from;
  e.asset = asset;
  e.amount = amount;
  e.exchange = exchange;
  e.hot_wallet = world_.HotWallet(
      exchange, static_cast<uint32_t>(rng_.Below(world_.exchanges()[exchange].hot_wallets)));
  const int ep = AddEndpoint(e);
  tx.endpoint = ep;
  const int index = AddLaundering(std::move(tx));
  plan_.truth.endpoints[ep].tx = index;
  plan_.truth.endpoints[ep].origin = HackLedger::Origins(ledger_.Take(from, asset, amount));
  PlanSweep(ep, plan_.txs[index].tick + Delay(1, 40));
  return true;
}

void HackPlanner::PlanSweep(int endpoint, uint64_t tick) {
  Endpoint& e = plan_.truth.endpoints[endpoint];
  if (e.asset == kEthAsset) {
    PlannedTx sweep;
    sweep.spec.from = e.address;
    sweep.spec.to = e.hot_wallet;
    sweep.spec.gas_price = exchange_gas_price_;
    const Uint128 fee = sweep.spec.Fee();
    if (e.amount <= fee) return;  // dust the exchange leaves where it is
    sweep.spec.value = e.amount - fee;
    sweep.tick = tick;
    sweep.role = TxRole::kSweep;
    sweep.endpoint = endpoint;
    e.swept = sweep.spec.value;
    e.sweep_tx = AddOther(std::move(sweep));
    return;
  }
  const uint32_t token = e.asset - 1;
  PlannedTx move;
  move.spec.from = e.address;
  move.spec.to = world_.tokens()[token].address;
  move.spec.call = CallKind::kTokenTransfer;
  move.spec.arg_addr = e.hot_wallet;
  move.spec.arg_amount = e.amount;
  move.spec.gas_used = rng_.Between(34000, 65000);
  move.spec.gas_limit = move.spec.gas_used + 10000;
  move.spec.gas_price = exchange_gas_price_;
  move.spec.tokens.push_back({token, e.address, e.hot_wallet, e.amount});
  move.tick = tick;
  move.role = TxRole::kSweep;
  move.endpoint = endpoint;
  PlannedTx gas;
  gas.spec.from = e.hot_wallet;
  gas.spec.to = e.address;
  gas.spec.value = move.spec.Fee();
  gas.spec.gas_price = exchange_gas_price_;
  gas.tick = tick;
  gas.role = TxRole::kSweepGas;
  gas.endpoint = endpoint;
  e.swept = e.amount;
  e.sweep_gas_tx = AddOther(std::move(gas));
  e.sweep_tx = AddOther(std::move(move));
}

bool HackPlanner::MixerDeposit(SynthAddr from, uint32_t pool, uint64_t tick) {
  const MixerPoolInfo& m = world_.mixer_pools()[pool];
  PlannedTx tx;
  tx.spec.from = from;
  tx.spec.to = m.address;
  tx.spec.value = m.denomination;
  tx.spec.call = CallKind::kMixerDeposit;
  tx.spec.gas_used = rng_.Between(880000, 1100000);
  tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(200000);
  tx.tick = tick;
  tx.role = TxRole::kMixerDeposit;
  if (Eth(from) < m.denomination + Fee(tx.spec.gas_used) || !Budget(3)) return false;
  MaybeFail(tx, m.denomination);
  Endpoint e;
  e.kind = EndpointKind::kMixer;
  e.address = m.address;
  e.from = from;
  e.asset = kEthAsset;
  e.amount = m.denomination;
  e.mixer_pool = pool;
  const int ep = AddEndpoint(e);
  tx.endpoint = ep;
  const int index = AddLaundering(std::move(tx));
  plan_.truth.endpoints[ep].tx = index;
  plan_.truth.endpoints[ep].origin =
      HackLedger::Origins(ledger_.Take(from, kEthAsset, m.denomination));
  PlanWithdrawal(ep, plan_.txs[index].tick + Delay(10, 2500));
  return true;
}

void HackPlanner::PlanWithdrawal(int endpoint, uint64_t tick) {
  Endpoint& e = plan_.truth.endpoints[endpoint];
  const MixerPoolInfo& m = world_.mixer_pools()[e.mixer_pool];
  PlannedTx tx;
  tx.spec.to = m.address;
  tx.spec.call = CallKind::kMixerWithdraw;
  tx.spec.gas_used = rng_.Between(300000, 420000);
  tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(100000);
  tx.spec.gas_price = relayer_gas_price_;
  tx.tick = tick;
  tx.role = TxRole::kMixerWithdraw;
  tx.endpoint = endpoint;
  // A fifth of the notes go to an address that already holds an earlier withdrawal and so can
  // pay its own gas; the others reach a fresh address through a relayer.
  std::vector<SynthAddr> funded;
  for (const auto& [a, t] : post_mixer_) {
    if (t <= tick) funded.push_back(a);
  }
  if (!funded.empty() && rng_.Chance(200)) {
    const SynthAddr self = funded[rng_.Below(funded.size())];
    tx.spec.from = self;
    tx.spec.arg_addr = self;
    tx.spec.internals.push_back({m.address, self, m.denomination});
    e.withdraw_to = self;
  } else {
    const SynthAddr to = NewAddress("post_mixer", 0, /*holds_stolen=*/false);
    const SynthAddr relayer = world_.PickRelayer(rng_);
    const Uint128 fee = m.denomination * rng_.Between(10, 50) / 10000;
    tx.spec.from = relayer;
    tx.spec.arg_addr = to;
    tx.spec.arg_amount = fee;
    tx.spec.internals.push_back({m.address, to, m.denomination - fee});
    tx.spec.internals.push_back({m.address, relayer, fee});
    e.withdraw_to = to;
    e.relayer = relayer;
    e.relayer_fee = fee;
    post_mixer_.push_back({to, tick});
  }
  e.withdraw_tx = AddOther(std::move(tx));
}

bool HackPlanner::BridgeLock(SynthAddr from, AssetKey asset, Uint128 amount, uint64_t tick) {
  if (amount == 0 || !Budget(2)) return false;
  const uint32_t chain = world_.PickRemoteChain(rng_);
  PlannedTx tx;
  tx.spec.from = from;
  tx.spec.to = world_.bridge();
  tx.spec.call = CallKind::kBridgeLock;
  tx.spec.arg_number = world_.remote_chains()[chain].chain_id;
  tx.tick = tick;
  tx.role = TxRole::kBridgeLock;
  Uint128 eth_needed = 0;
  if (asset == kEthAsset) {
    tx.spec.value = amount;
    tx.spec.gas_used = rng_.Between(60000, 110000);
    eth_needed = amount;
  } else {
    tx.spec.tokens.push_back({asset - 1, from, world_.bridge(), amount});
    tx.spec.gas_used = rng_.Between(90000, 150000);
    if (ledger_.Balance(from, asset) < amount) return false;
  }
  tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(40000);
  if (Eth(from) < eth_needed + Fee(tx.spec.gas_used)) return false;
  const SynthAddr remote =
      MakeAddr(AddrClass::kRemote, (static_cast<uint64_t>(hack_) << 32) | next_address_++);
  tx.spec.arg_addr = remote;
  MaybeFail(tx, eth_needed);
  Endpoint e;
  e.kind = EndpointKind::kBridge;
  e.address = world_.bridge();
  e.from = from;
  e.asset = asset;
  e.amount = amount;
  e.remote_chain = chain;
  e.remote_recipient = remote;
  const int ep = AddEndpoint(e);
  tx.endpoint = ep;
  const int index = AddLaundering(std::move(tx));
  plan_.truth.endpoints[ep].tx = index;
  plan_.truth.endpoints[ep].origin = HackLedger::Origins(ledger_.Take(from, asset, amount));
  return true;
}

bool HackPlanner::Swap(SynthAddr from, uint32_t token, Uint128 amount, uint64_t tick) {
  const int p = world_.PoolOf(token);
  if (p < 0 || amount == 0 || !Budget(2)) return false;
  DexPool& pool = pools_[static_cast<size_t>(p)];
  const Uint128 out = pool.QuoteTokenIn(amount);
  PlannedTx tx;
  tx.spec.from = from;
  tx.spec.to = pool.address();
  tx.spec.call = CallKind::kSwapTokenIn;
  tx.spec.arg_amount = amount;
  tx.spec.gas_used = rng_.Between(110000, 190000);
  tx.spec.gas_limit = tx.spec.gas_used + rng_.Below(60000);
  tx.spec.tokens.push_back({token, from, pool.address(), amount});
  tx.spec.internals.push_back({pool.address(), from, out});
  tx.tick = tick;
  tx.role = TxRole::kSwap;
  if (out == 0 || Eth(from) < Fee(tx.spec.gas_used) ||
      ledger_.Balance(from, TokenAsset(token)) < amount) {
    return false;
  }
  MaybeFail(tx, 0);
  pool.ApplyTokenIn(amount, out);
  SwapRecord s;
  s.pool = static_cast<uint32_t>(p);
  s.address = from;
  s.asset_in = TokenAsset(token);
  s.amount_in = amount;
  s.asset_out = kEthAsset;
  s.amount_out = out;
  plan_.truth.swaps.push_back(s);
  tx.swap = static_cast<int>(plan_.truth.swaps.size()) - 1;
  const int index = AddLaundering(std::move(tx));
  SwapRecord& rec = plan_.truth.swaps.back();
  rec.tx = index;
  auto in = ledger_.Take(from, TokenAsset(token), amount);
  rec.origin = HackLedger::Origins(in);
  ledger_.Give(from, HackLedger::Convert(in, kEthAsset, out));
  return true;
}

void HackPlanner::Tokens(SynthAddr a, uint64_t tick) {
  uint64_t t = TickFor(a, tick);
  for (uint32_t token : kStealableTokens) {
    const AssetKey asset = TokenAsset(token);
    const Uint128 held = ledger_.Balance(a, asset);
    if (held == 0) continue;
    const uint64_t r = rng_.Below(10);
    Uint128 to_swap = r < 6 ? held : r < 9 ? held * rng_.Between(50, 90) / 100 : 0;
    const uint64_t chunks = rng_.Between(1, 3);
    for (uint64_t c = 0; c < chunks && to_swap > 0; ++c) {
      const Uint128 part = c + 1 == chunks ? to_swap : to_swap / (chunks - c);
      t += Delay(1, 4);
      if (!Swap(a, token, part, t)) break;
      to_swap -= part;
    }
    const Uint128 rest = ledger_.Balance(a, asset);
    if (rest == 0) continue;
    t += Delay(1, 10);
    if (rng_.Chance(500)) {
      ExchangeDeposit(a, asset, rest, t);
    } else {
      BridgeLock(a, asset, rest, t);
    }
  }
}

void HackPlanner::Peel(SynthAddr a, uint64_t tick) {
  const uint64_t hops = rng_.Between(3, 25);
  SynthAddr cur = a;
  uint64_t t = TickFor(a, tick);
  for (uint64_t j = 0; j < hops && Budget(8); ++j) {
    const Uint128 bal = Eth(cur);
    const Uint128 peel = bal * rng_.Between(20, 100) / 1000;
    if (bal < peel + Fee(kTransferGas) * 4) break;
    t += Delay(1, 12);
    if (!ExchangeDeposit(cur, kEthAsset, peel, t)) break;
    const SynthAddr next = NewAddress("peel", 50);
    SendAllEth(cur, next, TxRole::kPeel, t + rng_.Below(2));
    cur = next;
  }
  const uint64_t end = rng_.Below(10);
  t = TickFor(cur, t) + Delay(1, 20);
  if (end < 4) return;  // the chain's last address keeps what is left
  if (end < 7) {
    Bridge(cur, t);
  } else {
    Mix(cur, t);
  }
}

void HackPlanner::Mix(SynthAddr a, uint64_t tick) {
  SynthAddr depositor = a;
  uint64_t t = TickFor(a, tick);
  uint64_t cap = rng_.Between(8, 30), count = 0;
  const auto& pools = world_.mixer_pools();
  while (Budget(6)) {
    const Uint128 bal = Eth(depositor);
    const Uint128 margin = Fee(1300000) * 2;
    int choice = -1;
    for (int p = static_cast<int>(pools.size()) - 1; p >= 0; --p) {
      if (pools[static_cast<size_t>(p)].denomination + margin <= bal) {
        choice = p;
        break;
      }
    }
    if (choice < 0) break;
    if (choice > 0 && rng_.Chance(250)) --choice;  // sometimes a smaller note
    if (count >= cap) {
      if (bal < 10 * kWeiPerEth) break;
      const SynthAddr next = NewAddress("forward", 50);
      SendAllEth(depositor, next, TxRole::kForward, t + Delay(1, 6));
      depositor = next;
      t = TickFor(next, t);
      count = 0;
      cap = rng_.Between(8, 30);
      continue;
    }
    t += rng_.Below(3);
    if (!MixerDeposit(depositor, static_cast<uint32_t>(choice), t)) break;
    ++count;
  }
}

void HackPlanner::DepositToExchanges(SynthAddr a, uint64_t tick) {
  const uint64_t n = rng_.Between(1, 3);
  uint64_t t = TickFor(a, tick);
  for (uint64_t i = 0; i < n; ++i) {
    const Uint128 reserve = Fee(kTransferGas) * (n - i);
    if (Eth(a) <= reserve) break;
    const Uint128 avail = Eth(a) - reserve;
    Uint128 amount = avail * rng_.Between(20, 60) / 100;
    if (i + 1 == n) amount = rng_.Chance(400) ? avail - avail * rng_.Between(1, 10) / 1000 : avail;
    t += Delay(1, 10);
    if (!ExchangeDeposit(a, kEthAsset, amount, t)) break;
  }
}

void HackPlanner::Bridge(SynthAddr a, uint64_t tick) {
  const uint64_t n = rng_.Between(1, 2);
  uint64_t t = TickFor(a, tick);
  for (uint64_t i = 0; i < n; ++i) {
    // Room for this lock, the rest of them, and a failed attempt of each.
    const Uint128 reserve = Fee(110000) * 2 * (n - i);
    if (Eth(a) <= reserve) break;
    const Uint128 avail = Eth(a) - reserve;
    const Uint128 amount = i + 1 == n ? avail : avail * rng_.Between(30, 70) / 100;
    t += Delay(1, 10);
    if (!BridgeLock(a, kEthAsset, amount, t)) break;
  }
}

HackPlan HackPlanner::Plan() {
  HackTruth& truth = plan_.truth;
  truth.hack = hack_;
  truth.name = "Synth Hack " + std::to_string(hack_);
  truth.gas_price = gas_price_;
  truth.victim = MakeAddr(AddrClass::kVictim, static_cast<uint64_t>(hack_));
  truth.victim_label =
      std::string(kProtocols[static_cast<size_t>(hack_ - 1) % std::size(kProtocols)]) + " " +
      std::to_string(hack_) + ": Vault";
  truth.exploit_contract = MakeAddr(AddrClass::kExploit, static_cast<uint64_t>(hack_));
  plan_.labels.push_back({truth.victim, truth.victim_label,
                          truth.victim_label.substr(0, truth.victim_label.find(':')), "defi", "",
                          "synth:public", 100});
  if (rng_.Chance(800)) {
    plan_.labels.push_back({truth.exploit_contract, truth.name + ": Exploit Contract", truth.name,
                            "theft", "theft", "synth:incident-report", 90});
  }

  const SynthAddr exploiter = NewAddress("exploiter", 900, /*holds_stolen=*/false);
  const SynthAddr receiver = NewAddress("receiver", 700);

  // Preparation: gas money from an exchange, then the exploit contract.
  {
    const uint32_t x = world_.PickExchange(rng_);
    PlannedTx fund;
    fund.spec.from =
        world_.HotWallet(x, static_cast<uint32_t>(rng_.Below(world_.exchanges()[x].hot_wallets)));
    fund.spec.to = exploiter;
    fund.spec.value = Uint128{rng_.Between(8, 30)} * (kWeiPerEth / 10);
    fund.spec.gas_price = exchange_gas_price_;
    fund.role = TxRole::kFund;
    AddOther(std::move(fund));
    PlannedTx deploy;
    deploy.spec.from = exploiter;
    deploy.spec.created = truth.exploit_contract;
    deploy.spec.call = CallKind::kCreate;
    deploy.spec.gas_used = rng_.Between(800000, 2500000);
    deploy.spec.gas_limit = deploy.spec.gas_used + rng_.Below(500000);
    deploy.spec.gas_price = gas_price_;
    deploy.tick = rng_.Between(1, 6);
    deploy.role = TxRole::kDeploy;
    AddOther(std::move(deploy));
  }

  // The drain: ETH and perhaps tokens, over one to three seed txs.
  uint64_t t = plan_.txs.back().tick + rng_.Between(1, 4);
  const Uint128 stolen_eth =
      Uint128{rng_.LogUniform(200, 60000)} * kWeiPerEth + rng_.Below(1000000000000000000ull);
  std::vector<std::pair<uint32_t, Uint128>> tokens;
  if (rng_.Chance(700)) {
    const uint32_t first = kStealableTokens[rng_.Below(std::size(kStealableTokens))];
    tokens.push_back({first, 0});
    if (rng_.Chance(350)) {
      uint32_t second = kStealableTokens[rng_.Below(std::size(kStealableTokens))];
      if (second != first) tokens.push_back({second, 0});
    }
  }
  for (auto& [token, amount] : tokens) {
    amount = world_.TokenUnitsForUsd(
        token, Uint128{rng_.LogUniform(200000, 40000000)} * 1000000 + rng_.Below(1000000));
  }
  const uint64_t drains = rng_.Between(1, 3);
  Uint128 eth_left = stolen_eth;
  for (uint64_t d = 0; d < drains; ++d) {
    PlannedTx drain;
    drain.spec.from = exploiter;
    drain.spec.to = truth.exploit_contract;
    drain.spec.call = CallKind::kExploit;
    drain.spec.arg_number = rng_.Next() & 0xffffffffu;
    drain.spec.arg_amount = rng_.Next();
    drain.spec.via = truth.victim;
    drain.spec.gas_used = rng_.Between(300000, 2000000);
    drain.spec.gas_limit = drain.spec.gas_used + rng_.Below(1000000);
    drain.spec.gas_price = gas_price_;
    const Uint128 part = d + 1 == drains ? eth_left : eth_left * rng_.Between(20, 60) / 100;
    eth_left -= part;
    drain.spec.internals.push_back({truth.victim, receiver, part});
    ledger_.Credit(receiver, kEthAsset, part);
    truth.stolen[kEthAsset] += part;
    for (const auto& [token, amount] : tokens) {
      if (d != token % drains) continue;
      drain.spec.tokens.push_back({token, truth.victim, receiver, amount});
      ledger_.Credit(receiver, TokenAsset(token), amount);
      truth.stolen[TokenAsset(token)] += amount;
    }
    drain.tick = t;
    drain.role = TxRole::kDrain;
    AddOther(std::move(drain));
    t += rng_.Below(2);
  }
  Arrive(receiver, t);

  // The split.
  t += Delay(1, 6);
  // Three to twelve split addresses; up to thirty when the budget allows a big operation.
  const uint64_t budget = static_cast<uint64_t>(std::max<int64_t>(txs_left_, 0));
  const uint64_t k = std::max<uint64_t>(
      2, std::min<uint64_t>(rng_.Between(3, budget >= 1000 ? 30 : 12), budget / 25));
  std::vector<SynthAddr> splits;
  for (uint64_t i = 0; i < k; ++i) splits.push_back(NewAddress("split", 150));
  struct TokenSend {
    uint32_t token;
    size_t to;
    Uint128 amount;
    uint64_t gas;
  };
  std::vector<TokenSend> token_sends;
  for (const auto& [token, amount] : tokens) {
    const size_t j = rng_.Below(k);
    if (rng_.Chance(300)) {
      token_sends.push_back({token, j, amount / 2, 0});
      token_sends.push_back({token, (j + 1) % k, amount - amount / 2, 0});
    } else {
      token_sends.push_back({token, j, amount, 0});
    }
  }
  Uint128 fees = Fee(kTransferGas) * k;
  for (auto& s : token_sends) {
    s.gas = rng_.Between(34000, 65000);
    fees += Fee(s.gas);
  }
  const Uint128 eth = Eth(receiver) - fees;
  const Uint128 keep = rng_.Chance(200) ? eth * rng_.Between(5, 20) / 1000 : 0;
  const Uint128 spread = eth - keep;
  std::vector<uint64_t> weights;
  uint64_t weight_sum = 0;
  for (uint64_t i = 0; i < k; ++i) weight_sum += weights.emplace_back(rng_.LogUniform(1, 100));
  Uint128 given = 0;
  for (uint64_t i = 0; i < k; ++i) {
    const Uint128 part = i + 1 == k ? spread - given : spread * weights[i] / weight_sum;
    given += part;
    SendEth(receiver, splits[i], part, TxRole::kSplit, t + rng_.Below(3));
  }
  for (const auto& s : token_sends) {
    SendToken(receiver, splits[s.to], s.token, s.amount, TxRole::kSplit, t + rng_.Below(3), s.gas);
  }

  // Each split address: tokens first (swaps add ETH), then a strategy for its ETH.
  enum Strategy { kPeelS, kMixS, kExchangeS, kBridgeS, kConsolidateS, kRestS };
  std::vector<Strategy> order = {kPeelS, kMixS, kExchangeS, kBridgeS};
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.Below(i)]);
  SynthAddr consolidation = kNoAddr;
  for (uint64_t i = 0; i < k; ++i) {
    const SynthAddr a = splits[i];
    uint64_t at = TickFor(a, 0) + Delay(1, 30);
    Tokens(a, at);
    Strategy s;
    if (i < order.size()) {
      s = order[i];
    } else {
      static constexpr uint64_t kCumulative[] = {35, 60, 75, 85, 95, 100};
      s = static_cast<Strategy>(rng_.Pick(kCumulative, 6));
    }
    at = TickFor(a, at) + Delay(1, 20);
    switch (s) {
      case kPeelS:
        Peel(a, at);
        break;
      case kMixS:
        Mix(a, at);
        break;
      case kExchangeS:
        DepositToExchanges(a, at);
        break;
      case kBridgeS:
        Bridge(a, at);
        break;
      case kConsolidateS:
        if (consolidation == kNoAddr) consolidation = NewAddress("consolidation", 100);
        if (Budget(4)) SendAllEth(a, consolidation, TxRole::kConsolidate, at);
        break;
      case kRestS:
        break;
    }
  }
  if (consolidation != kNoAddr && Eth(consolidation) > 0) {
    const uint64_t at = TickFor(consolidation, 0) + Delay(1, 30);
    if (rng_.Chance(500)) {
      Mix(consolidation, at);
    } else {
      Bridge(consolidation, at);
    }
  }

  // Whatever is left rests where it is.
  for (const auto& [address, lots] : ledger_.Holdings()) {
    std::map<AssetKey, Endpoint> by_asset;
    for (const Lot& l : lots) {
      Endpoint& e = by_asset[l.asset];
      e.kind = EndpointKind::kResting;
      e.address = e.from = address;
      e.asset = l.asset;
      e.amount += l.amount;
      e.origin[l.origin] += l.origin_amount;
    }
    for (auto& [asset, e] : by_asset) AddEndpoint(std::move(e));
  }
  return std::move(plan_);
}

}  // namespace fundtrace::synth
