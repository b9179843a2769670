#include "synth/ground_truth.h"

#include <nlohmann/json.hpp>

#include "synth/text_sink.h"

namespace fundtrace::synth {
namespace {

using Json = nlohmann::ordered_json;

std::string Dec(Uint128 v) {
  char buf[40];
  return std::string(buf, static_cast<size_t>(FormatUint(v, buf)));
}

std::string AddrText(const Namer& namer, SynthAddr a) {
  char buf[kAddressTextLen];
  namer.Address(a, buf);
  return std::string(buf, kAddressTextLen);
}

std::string TxText(const Namer& namer, uint64_t serial) {
  char buf[kHashTextLen];
  namer.TxHash(serial, buf);
  return std::string(buf, kHashTextLen);
}

std::string AssetName(const World& world, AssetKey asset) {
  return asset == kEthAsset ? "ETH" : world.tokens()[asset - 1].symbol;
}

Json Origins(const World& world, const OriginSplit& origin) {
  Json j = Json::object();
  for (const auto& [asset, amount] : origin) j[AssetName(world, asset)] = Dec(amount);
  return j;
}

// The sums both balance equations are made of.
struct Sums {
  std::map<AssetKey, Uint128> swapped_in, swapped_out, endpoints, endpoint_origin;
};

Sums Sum(const HackTruth& t) {
  Sums s;
  for (const auto& sw : t.swaps) {
    s.swapped_out[sw.asset_in] += sw.amount_in;
    s.swapped_in[sw.asset_out] += sw.amount_out;
  }
  for (const auto& e : t.endpoints) {
    s.endpoints[e.asset] += e.amount;
    for (const auto& [asset, amount] : e.origin) s.endpoint_origin[asset] += amount;
  }
  return s;
}

Uint128 Get(const std::map<AssetKey, Uint128>& m, AssetKey k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

// Every asset the hack touched, in key order.
std::vector<AssetKey> AssetsOf(const HackTruth& t, const Sums& s) {
  std::map<AssetKey, bool> keys;
  for (const auto& [k, v] : t.stolen) keys[k] = true;
  for (const auto& [k, v] : s.swapped_in) keys[k] = true;
  for (const auto& [k, v] : s.endpoints) keys[k] = true;
  keys[kEthAsset] = true;
  std::vector<AssetKey> out;
  for (const auto& [k, v] : keys) out.push_back(k);
  return out;
}

}  // namespace

const char* TxRoleName(TxRole role) {
  switch (role) {
    case TxRole::kFund:
      return "fund";
    case TxRole::kDeploy:
      return "deploy";
    case TxRole::kDrain:
      return "drain";
    case TxRole::kSplit:
      return "split";
    case TxRole::kSwap:
      return "swap";
    case TxRole::kPeel:
      return "peel";
    case TxRole::kForward:
      return "forward";
    case TxRole::kConsolidate:
      return "consolidate";
    case TxRole::kExchangeDeposit:
      return "exchange_deposit";
    case TxRole::kMixerDeposit:
      return "mixer_deposit";
    case TxRole::kBridgeLock:
      return "bridge_lock";
    case TxRole::kFailedAttempt:
      return "failed_attempt";
    case TxRole::kSweepGas:
      return "sweep_gas";
    case TxRole::kSweep:
      return "sweep";
    case TxRole::kMixerWithdraw:
      return "mixer_withdraw";
  }
  return "?";
}

bool IsLaundering(TxRole role) { return role >= TxRole::kSplit && role <= TxRole::kFailedAttempt; }

const char* EndpointKindName(EndpointKind kind) {
  switch (kind) {
    case EndpointKind::kExchange:
      return "exchange";
    case EndpointKind::kMixer:
      return "mixer";
    case EndpointKind::kBridge:
      return "bridge";
    case EndpointKind::kResting:
      return "resting";
  }
  return "?";
}

Status CheckBalances(const HackPlan& plan) {
  const HackTruth& t = plan.truth;
  const std::string where = t.name + ": ";
  for (size_t i = 0; i < plan.txs.size(); ++i) {
    if (!plan.txs[i].written) {
      return Status::Corruption(where + "planned tx " + std::to_string(i) + " was not written");
    }
  }
  const Sums s = Sum(t);
  for (AssetKey a : AssetsOf(t, s)) {
    const Uint128 in = Get(t.stolen, a) + Get(s.swapped_in, a);
    const Uint128 out = Get(s.endpoints, a) + Get(s.swapped_out, a) + (a == kEthAsset ? t.fees : 0);
    if (in != out) {
      return Status::Corruption(where + "asset " + std::to_string(a) + ": stolen + swapped in " +
                                Dec(in) + " != endpoints + fees + swapped out " + Dec(out));
    }
  }
  for (const auto& [a, stolen] : t.stolen) {
    const Uint128 out = Get(s.endpoint_origin, a) + Get(t.fee_origin, a);
    if (stolen != out) {
      return Status::Corruption(where + "origin " + std::to_string(a) + ": stolen " + Dec(stolen) +
                                " != endpoint origins + fee origins " + Dec(out));
    }
  }
  return Status::OK();
}

Status WriteGroundTruth(const HackPlan& plan, const Namer& namer, const World& world, uint64_t seed,
                        const std::string& path) {
  const HackTruth& t = plan.truth;
  auto tx_hash = [&](int i) -> Json {
    if (i < 0) return nullptr;
    return TxText(namer, plan.txs[static_cast<size_t>(i)].pos.serial);
  };
  Json j;
  j["format"] = "fundtrace-synth-hack";
  j["version"] = 1;
  j["seed"] = seed;
  j["chain"] = "eth";
  j["hack"] = t.hack;
  j["name"] = t.name;
  j["victim"] = {{"address", AddrText(namer, t.victim)}, {"label", t.victim_label}};
  j["exploit_contract"] = AddrText(namer, t.exploit_contract);
  j["gas_price"] = Dec(t.gas_price);

  const Sums sums = Sum(t);
  const std::vector<AssetKey> assets = AssetsOf(t, sums);
  Json asset_info = Json::object();
  for (AssetKey a : assets) {
    if (a == kEthAsset) {
      asset_info["ETH"] = {{"contract", nullptr}, {"decimals", 18}};
    } else {
      const TokenInfo& tok = world.tokens()[a - 1];
      asset_info[tok.symbol] = {{"contract", AddrText(namer, tok.address)},
                                {"decimals", tok.decimals}};
    }
  }
  j["assets"] = asset_info;
  Json stolen = Json::object();
  for (const auto& [a, v] : t.stolen) stolen[AssetName(world, a)] = Dec(v);
  j["stolen"] = stolen;

  Json seeds = Json::array();
  uint64_t first_block = UINT64_MAX, last_block = 0;
  for (const auto& tx : plan.txs) {
    if (tx.role == TxRole::kDrain) seeds.push_back(TxText(namer, tx.pos.serial));
    first_block = std::min(first_block, tx.pos.block);
    last_block = std::max(last_block, tx.pos.block);
  }
  j["seed_txs"] = seeds;
  j["first_block"] = first_block;
  j["last_block"] = last_block;

  Json addrs = Json::array();
  for (const auto& a : t.addresses) {
    addrs.push_back({{"address", AddrText(namer, a.address)},
                     {"role", a.role},
                     {"labelled", a.labelled},
                     {"holds_stolen", a.holds_stolen}});
  }
  j["addresses"] = addrs;

  Json txs = Json::array();
  for (const auto& tx : plan.txs) {
    Json row = {{"hash", TxText(namer, tx.pos.serial)},
                {"block", tx.pos.block},
                {"index", tx.pos.index},
                {"time", tx.pos.time},
                {"role", TxRoleName(tx.role)},
                {"from", AddrText(namer, tx.spec.from)},
                {"to", tx.spec.to == kNoAddr ? Json(nullptr) : Json(AddrText(namer, tx.spec.to))},
                {"value", Dec(tx.spec.value)},
                {"status", tx.spec.failed ? 0 : 1},
                {"fee", Dec(tx.spec.Fee())},
                {"fee_from_stolen", IsLaundering(tx.role)}};
    if (tx.spec.created != kNoAddr) row["created"] = AddrText(namer, tx.spec.created);
    if (tx.endpoint >= 0) row["endpoint"] = tx.endpoint;
    if (tx.swap >= 0) row["swap"] = tx.swap;
    txs.push_back(row);
  }
  j["txs"] = txs;

  Json swaps = Json::array();
  for (const auto& s : t.swaps) {
    swaps.push_back({{"tx", tx_hash(s.tx)},
                     {"pool", AddrText(namer, world.pools()[s.pool].address())},
                     {"address", AddrText(namer, s.address)},
                     {"asset_in", AssetName(world, s.asset_in)},
                     {"amount_in", Dec(s.amount_in)},
                     {"asset_out", AssetName(world, s.asset_out)},
                     {"amount_out", Dec(s.amount_out)},
                     {"origin", Origins(world, s.origin)}});
  }
  j["swaps"] = swaps;

  Json endpoints = Json::array();
  for (const auto& e : t.endpoints) {
    Json row = {{"kind", EndpointKindName(e.kind)},
                {"address", AddrText(namer, e.address)},
                {"from", AddrText(namer, e.from)},
                {"asset", AssetName(world, e.asset)},
                {"amount", Dec(e.amount)},
                {"origin", Origins(world, e.origin)},
                {"tx", tx_hash(e.tx)}};
    switch (e.kind) {
      case EndpointKind::kExchange:
        row["entity"] = world.exchanges()[e.exchange].name;
        row["hot_wallet"] = AddrText(namer, e.hot_wallet);
        row["sweep_gas_tx"] = tx_hash(e.sweep_gas_tx);
        row["sweep_tx"] = tx_hash(e.sweep_tx);
        row["swept"] = Dec(e.swept);
        break;
      case EndpointKind::kMixer:
        row["entity"] = "SynthMixer";
        row["pool"] = world.mixer_pools()[e.mixer_pool].label;
        row["withdraw_tx"] = tx_hash(e.withdraw_tx);
        row["withdraw_to"] = AddrText(namer, e.withdraw_to);
        row["relayer"] = e.relayer == kNoAddr ? Json(nullptr) : Json(AddrText(namer, e.relayer));
        row["relayer_fee"] = Dec(e.relayer_fee);
        break;
      case EndpointKind::kBridge: {
        const RemoteChain& c = world.remote_chains()[e.remote_chain];
        const uint64_t deposit_id = plan.txs[static_cast<size_t>(e.tx)].bridge_deposit_id;
        char remote[kHashTextLen];
        namer.RemoteTxHash((uint64_t{e.remote_chain} << 40) | deposit_id, remote);
        row["entity"] = "SynthBridge";
        row["remote_chain_id"] = c.chain_id;
        row["remote_chain"] = c.name;
        row["deposit_id"] = deposit_id;
        row["remote_recipient"] = AddrText(namer, e.remote_recipient);
        row["remote_tx"] = std::string(remote, kHashTextLen);
        break;
      }
      case EndpointKind::kResting:
        break;
    }
    endpoints.push_back(row);
  }
  j["endpoints"] = endpoints;
  j["fees"] = {{"ETH", Dec(t.fees)}, {"origin", Origins(world, t.fee_origin)}};

  Json by_asset = Json::object(), by_origin = Json::object();
  for (AssetKey a : assets) {
    const Uint128 in = Get(t.stolen, a) + Get(sums.swapped_in, a);
    const Uint128 fees = a == kEthAsset ? t.fees : 0;
    const Uint128 out = Get(sums.endpoints, a) + Get(sums.swapped_out, a) + fees;
    by_asset[AssetName(world, a)] = {{"stolen", Dec(Get(t.stolen, a))},
                                     {"swapped_in", Dec(Get(sums.swapped_in, a))},
                                     {"swapped_out", Dec(Get(sums.swapped_out, a))},
                                     {"endpoints", Dec(Get(sums.endpoints, a))},
                                     {"fees", Dec(fees)},
                                     {"holds", in == out}};
  }
  for (const auto& [a, stolen_amount] : t.stolen) {
    const Uint128 ep = Get(sums.endpoint_origin, a), fees = Get(t.fee_origin, a);
    by_origin[AssetName(world, a)] = {{"stolen", Dec(stolen_amount)},
                                      {"endpoints", Dec(ep)},
                                      {"fees", Dec(fees)},
                                      {"holds", stolen_amount == ep + fees}};
  }
  j["balance"] = {{"by_asset", by_asset}, {"by_origin", by_origin}};

  FT_ASSIGN_OR_RETURN(auto sink, TextSink::Create(path));
  sink->Put(j.dump(1));
  sink->Put('\n');
  return sink->Finish();
}

}  // namespace fundtrace::synth
