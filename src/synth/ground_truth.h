// A hack as the generator plans it and as its ground-truth file states it: the txs (with their
// roles), where every stolen unit ended (endpoints), the swaps that changed its asset, the fees
// it paid, and the attacker's addresses with whether the public labels know them. The schema
// of the JSON file is in docs/synth.md ("Ground truth").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "synth/etl_writer.h"
#include "synth/hack_ledger.h"
#include "synth/names.h"
#include "synth/tx_spec.h"
#include "synth/world.h"
#include "util/status.h"

namespace fundtrace::synth {

enum class TxRole : uint8_t {
  // The attacker's own preparation, paid from its own (not stolen) funds.
  kFund,    // an exchange withdrawal that gives the exploiter gas money
  kDeploy,  // the exploiter creates its exploit contract
  kDrain,   // a seed tx: the victim pays the receiver
  // Laundering: sent by an address holding stolen funds, fee paid from them.
  kSplit,            // the receiver spreads the funds over fresh addresses
  kSwap,             // tokens to ETH at a DEX pool, both legs in the tx
  kPeel,             // a peel-chain hop: the remainder moves to the next fresh address
  kForward,          // all funds move on to a fresh address
  kConsolidate,      // funds of several addresses join at one
  kExchangeDeposit,  // endpoint: an exchange deposit address
  kMixerDeposit,     // endpoint: a mixer pool
  kBridgeLock,       // endpoint: the bridge (release on another chain)
  kFailedAttempt,    // a tx that failed (status 0): moves nothing, pays its fee
  // After an endpoint (the funds are no longer the attacker's to move).
  kSweepGas,       // the exchange sends gas to a deposit address holding tokens
  kSweep,          // the deposit address forwards the deposit to a hot wallet
  kMixerWithdraw,  // a note is withdrawn to a fresh address (through a relayer or not)
};
const char* TxRoleName(TxRole role);
// True for roles whose fee is paid from stolen funds.
bool IsLaundering(TxRole role);

struct PlannedTx {
  TxSpec spec;
  uint64_t tick = 0;  // time after the hack's start, in ticks (the generator maps ticks to blocks)
  TxRole role = TxRole::kSplit;
  int endpoint = -1;  // the endpoint it creates or follows, index into HackTruth::endpoints
  int swap = -1;      // index into HackTruth::swaps
  // Filled when written:
  bool written = false;
  TxPosition pos;
  uint64_t bridge_deposit_id = 0;  // kBridgeLock: the bridge's deposit number
};

enum class EndpointKind : uint8_t { kExchange, kMixer, kBridge, kResting };
const char* EndpointKindName(EndpointKind kind);

struct Endpoint {
  EndpointKind kind = EndpointKind::kResting;
  SynthAddr address = kNoAddr;  // deposit address, mixer pool, bridge, or the resting address
  SynthAddr from = kNoAddr;     // the attacker address that paid it (== address when resting)
  AssetKey asset = kEthAsset;
  Uint128 amount = 0;
  OriginSplit origin;  // stolen assets it derives from (see HackLedger)
  int tx = -1;         // the deposit / lock tx; -1 for resting funds
  // kExchange:
  uint32_t exchange = 0;
  SynthAddr hot_wallet = kNoAddr;
  int sweep_gas_tx = -1;
  int sweep_tx = -1;
  Uint128 swept = 0;
  // kMixer:
  uint32_t mixer_pool = 0;
  int withdraw_tx = -1;
  SynthAddr withdraw_to = kNoAddr;
  SynthAddr relayer = kNoAddr;  // kNoAddr: withdrawn by the recipient itself
  Uint128 relayer_fee = 0;
  // kBridge:
  uint32_t remote_chain = 0;  // index into World::remote_chains()
  SynthAddr remote_recipient = kNoAddr;
};

struct SwapRecord {
  int tx = -1;
  uint32_t pool = 0;
  SynthAddr address = kNoAddr;  // the attacker address that swapped
  AssetKey asset_in = kEthAsset;
  Uint128 amount_in = 0;
  AssetKey asset_out = kEthAsset;
  Uint128 amount_out = 0;
  OriginSplit origin;  // of the input (and so of the output)
};

struct AttackerAddress {
  SynthAddr address = kNoAddr;
  std::string role;  // exploiter, receiver, split, peel, forward, consolidation, post_mixer
  bool labelled = false;
  bool holds_stolen = true;  // false for the exploiter and the post-mixer addresses
};

struct HackTruth {
  int hack = 0;  // 1, 2, …
  std::string name;
  SynthAddr victim = kNoAddr;
  std::string victim_label;
  SynthAddr exploit_contract = kNoAddr;
  uint64_t gas_price = 0;
  std::map<AssetKey, Uint128> stolen;
  std::vector<AttackerAddress> addresses;
  std::vector<Endpoint> endpoints;
  std::vector<SwapRecord> swaps;
  Uint128 fees = 0;  // wei paid by laundering txs
  OriginSplit fee_origin;
};

struct HackPlan {
  HackTruth truth;
  std::vector<PlannedTx> txs;  // in plan order: a tx comes after every tx it depends on
  std::vector<LabelRow> labels;
  uint64_t transfers = 0;  // Σ TransferCount of txs
  uint64_t first_block = 0;
  uint64_t blocks_per_tick = 1;
};

// Checks that the plan balances exactly (per asset and per origin; see docs/synth.md) and that
// every tx was written. Returns Corruption naming the first difference.
Status CheckBalances(const HackPlan& plan);

// Writes the plan's ground truth as JSON to `path` (through "<path>.partial").
Status WriteGroundTruth(const HackPlan& plan, const Namer& namer, const World& world, uint64_t seed,
                        const std::string& path);

}  // namespace fundtrace::synth
