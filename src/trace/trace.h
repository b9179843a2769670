// Fund tracing: follow tainted value forward (where did it go) or backward (where did it come
// from) through one chain's store, under a taint policy, until it reaches addresses of stop
// categories (exchanges, mixers, bridges by default) or a limit. The rules of every policy and
// limit are written in docs/trace.md; this header is the contract.
//
// The result keeps every unit of taint accounted for: per asset,
//   seeded + absorbed + swapped_in = held + endpoints + dust + fees + cut + swapped_out
// exactly, in integer base units (TraceResult::Conservation).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/amount.h"
#include "store/chain_store.h"
#include "util/deadline.h"
#include "util/status.h"

namespace fundtrace {

class ScreenIndex;

enum class TracePolicy : uint8_t { kPoison, kHaircut, kFifo, kLifo };
const char* TracePolicyName(TracePolicy p);
// "poison", "haircut", "fifo", "lifo" (case-insensitive); the error lists the valid names.
Result<TracePolicy> ParseTracePolicy(std::string_view name);

// What a trace starts from. Seed transactions: every value transfer of the tx except fees is
// seeded to its receiver (forward) or its sender (backward). Seed addresses: everything the
// address holds at the start and everything it receives after (forward), or everything it
// received before the end (backward). On Bitcoin a seed may also be one output (`txid:vout`).
struct TraceSeeds {
  std::vector<AddressId> addresses;
  std::vector<TxId> txs;
  std::vector<uint64_t> outputs;  // Bitcoin: (tx id << 32) | vout
};

struct TraceOptions {
  TracePolicy policy = TracePolicy::kFifo;
  bool backward = false;
  TraceSeeds seeds;
  // Window of blocks whose events are processed, both ends included. Forward traces start at
  // `first_block` (seed txs: their own block) and stop after `last_block`; backward traces go
  // the other way. Taint still in place at the far end is reported as held.
  BlockRange blocks;
  // Only these assets are seeded (empty: all). Swaps may still carry taint into other assets.
  std::set<AssetId> assets;
  // Taint reaching an address with a tag of one of these categories (taxonomy ids) stops there
  // and is recorded as an endpoint.
  std::set<std::string> stop_categories = {"exchange", "mixer", "bridge"};
  // Extra stop addresses given by the user (recorded as endpoints with category "stop").
  std::set<AddressId> stop_addresses;
  // Labels for stop categories and node names; null: no labels (only stop_addresses stop).
  const ScreenIndex* labels = nullptr;
  // Forward traces: an unlabelled address whose every outgoing transfer (fees aside) goes to an
  // exchange-labelled address is an exchange deposit address, and an endpoint of that exchange.
  bool infer_deposit_addresses = true;

  // Limits. A transfer whose tainted part is below dust_ratio x (the asset's taint seeded and
  // swapped in so far) leaves the trace as dust.
  int max_hops = 6;
  double dust_ratio = 1e-6;
  size_t max_addresses = 20000;  // addresses holding taint; beyond it taint is cut
  size_t max_history = 200000;   // an address with more transfers than this is cut (a service)
  // Time budget: the engines check it between txs (and before the first) and give up with
  // DeadlineExceeded when it has passed. Default: none.
  Deadline deadline;
};

struct TraceAmounts {
  std::map<AssetId, U256> by_asset;
  void Add(AssetId a, const U256& v);
  bool empty() const { return by_asset.empty(); }
};

enum class NodeRole : uint8_t { kSeed, kIntermediate, kEndpoint, kCut };
const char* NodeRoleName(NodeRole r);

struct TraceNode {
  AddressId address = kNoAddress;
  int hop = 0;
  NodeRole role = NodeRole::kIntermediate;
  std::string cut_reason;  // for kCut: "hops", "addresses", "history"
  TraceAmounts received, sent, held;
  // Label from the screening index (empty when unlabelled). For an inferred deposit address:
  // the exchange's entity and category "exchange", label "deposit address of <entity>".
  std::string label, entity, category;
  bool inferred_deposit = false;
};

struct TraceEdge {
  AddressId from = kNoAddress, to = kNoAddress;
  AssetId asset = kNativeAsset;
  U256 amount = 0;
  uint64_t transfers = 0;
  std::vector<TxId> txs;  // evidence, in chain order, at most kMaxEdgeTxs
};
inline constexpr size_t kMaxEdgeTxs = 50;

struct TraceEndpoint {
  AddressId address = kNoAddress;
  AssetId asset = kNativeAsset;
  U256 amount = 0;
  std::string entity, category, label;
  bool inferred_deposit = false;
  TxId first_tx = 0, last_tx = 0;
  uint64_t first_time = 0, last_time = 0;
  uint64_t transfers = 0;
  std::vector<TxId> txs;  // at most kMaxEdgeTxs
};

struct TraceConservation {
  U256 seeded = 0, absorbed = 0, swapped_in = 0;
  U256 held = 0, endpoints = 0, dust = 0, fees = 0, cut = 0, swapped_out = 0;
  bool balanced() const {
    return seeded + absorbed + swapped_in == held + endpoints + dust + fees + cut + swapped_out;
  }
};

struct TraceStats {
  uint64_t txs_processed = 0;
  uint64_t events_processed = 0;  // transfers applied
  uint64_t addresses_fetched = 0;
  uint64_t transfers_fetched = 0;
  uint64_t swaps = 0;
  uint64_t unknown_origin_topups = 0;  // outflows beyond the known balance (data window)
  uint64_t cut_hops = 0, cut_addresses = 0, cut_history = 0;
  // Bitcoin backward: taint reached inputs whose spent output is not in the store (no address,
  // no amount: the trace cannot go further there).
  uint64_t cut_unresolved = 0;
  uint32_t first_block = 0, last_block = 0;
  double seconds = 0;
};

struct TraceResult {
  TraceOptions options;
  std::vector<TraceNode> nodes;  // seeds first, then by hop, then by address key
  std::vector<TraceEdge> edges;
  std::vector<TraceEndpoint> endpoints;  // by amount, largest first, per asset
  std::map<AssetId, TraceConservation> conservation;
  TraceStats stats;
  bool balanced() const;
};

// Runs a trace. Errors: InvalidArgument for seeds that do not fit the chain (outputs on an
// account chain), NotFound for a seed with nothing to trace (no value seeded), IOError/
// Corruption from the store.
Result<TraceResult> RunTrace(const ChainStore& store, const TraceOptions& options);

}  // namespace fundtrace
