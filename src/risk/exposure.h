// Exposure: how much of an address's value came from (incoming) or went to (outgoing) labelled
// risky addresses, directly (hop 1) or through unlabelled addresses (hop 2..N). Shares are
// carried by haircut: a counterparty that gave 40% of what the subject received, and itself
// received 25% of its own incoming value from a thief, exposes the subject to 0.4 * 0.25 = 10%
// theft at hop 2. Every hit keeps the path (addresses and txs, hop by hop) that carried the
// largest share, as evidence.
//
// The search expands one hop at a time with one batched NativeFlows call for the whole frontier
// (UTXO chains: TransfersOf plus TransfersOfTxs), never one call per edge. Per hop only the `fanout`
// unlabelled addresses carrying the largest shares are expanded; what is cut is counted.
// Exposure is never followed through labelled services (RiskWeights stop categories) or risky
// addresses. Values are the chain's native asset only (ETH, BTC, TRX: native and internal
// transfers, UTXO outputs); tokens are not priced and not counted (docs/risk.md).
//
// Determinism: results depend only on the transfers of the addresses visited and on labels;
// ties are broken by address key and chain order, never by dense ids or hash-map order.
// Thread-safety: an ExposureFinder is immutable; Find* may run concurrently. Construction
// looks up every risky or stop address of the labels in the store once (tens of ms for the
// ~180k addresses of all real labels), so that a search looks labels up by id.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "labels/screen_index.h"
#include "risk/risk_weights.h"
#include "store/chain_store.h"

namespace fundtrace {

struct ExposureOptions {
  int hops = 3;             // 1 = direct only
  size_t fanout = 48;       // unlabelled addresses expanded per hop
  double min_share = 1e-4;  // paths carrying less are cut
  // Unlabelled addresses with more transfers than this (in the search direction) are hubs: not
  // expanded (they are services the labels do not know; their history would dominate the time).
  uint64_t max_degree = 5000;
  uint64_t hop_budget = 20000;  // transfers read per hop beyond hop 1, at most
  double decay = 0.5;           // ExposureHit::decayed = sum of share_h * decay^(h-1)
  bool incoming = true;         // source of funds
  bool outgoing = true;         // destination of funds
};

// One step of a path: the address at hop `hop` and the tx that moved value between it and the
// address of the previous hop (the subject for hop 1).
struct PathStep {
  AddressId address = kNoAddress;
  TxId tx = 0;
};

// A labelled risky address reached by the search, in one direction.
struct ExposureHit {
  AddressId address = kNoAddress;
  std::string key;                     // its binary address key
  const ScreenEntry* entry = nullptr;  // its screening-index entry (labels and risk_mask)
  bool incoming = true;
  int hop = 0;                 // nearest hop it was met at
  double share = 0;            // share (0-1) of the subject's received/sent value it accounts for
  double decayed = 0;          // sum over hops of share_h * decay^(h-1)
  double best = 0;             // share carried by `path`
  std::vector<PathStep> path;  // path[0] is hop 1; path.back().address == address
};

struct HopStats {
  bool incoming = true;
  int hop = 0;
  uint64_t expanded = 0;        // addresses whose transfers were read at this hop
  uint64_t flows = 0;           // counterparty flows read (one per address and counterparty)
  uint64_t counterparties = 0;  // distinct counterparties met
  uint64_t labelled = 0;        // of which labelled (not expanded further)
  uint64_t cut = 0;      // unlabelled counterparties not expanded (fan-out, min share, budget, hub)
  uint64_t hubs = 0;     // of which cut for having more than max_degree transfers
  double cut_share = 0;  // share of the subject's value they carried
};

// Nanoseconds spent per phase, summed over hops and directions.
struct ExposureTimes {
  uint64_t fetch = 0;      // store calls (NativeFlows, TransferCounts; UTXO: TransfersOf(Txs))
  uint64_t aggregate = 0;  // edges per counterparty, shares
  uint64_t labels = 0;     // address keys and screening-index look-ups
  uint64_t select = 0;     // hits, paths, choosing the next frontier
};

struct ExposureResult {
  double received = 0;  // native value the subject received (tx: the tx's value), whole units
  double sent = 0;      // native value the subject sent
  std::vector<ExposureHit> hits;  // incoming first; then by share (largest first), address key
  std::vector<HopStats> hops;
  ExposureTimes times;
};

// Counterparty shares of addresses already expanded, kept between searches of one thread (a
// batch): an address's shares depend only on the store, so a hit answers exactly as a read
// would. Not thread-safe: one per thread. Bounded: cleared when a search starts and it holds
// max_entries (never during a search, which keeps pointers to its entries).
class ExposureCache {
 public:
  struct Counterparty {
    AddressId address;
    TxId tx;          // its largest transfer with the expanded address
    double fraction;  // of the expanded address's received (sent) value
  };
  struct Entry {
    double total = 0;                          // whole native units received (sent)
    std::vector<Counterparty> counterparties;  // by address id
  };
  explicit ExposureCache(size_t max_entries = 1 << 16) : max_entries_(max_entries) {}
  const Entry* Find(AddressId a, bool incoming) const;
  // The returned pointer stays valid until the next StartSearch.
  const Entry* Put(AddressId a, bool incoming, const Entry& e);
  // Called before each search: clears the cache when it is full.
  void StartSearch() {
    if (map_.size() >= max_entries_) map_.clear();
  }
  size_t size() const { return map_.size(); }

 private:
  size_t max_entries_;
  std::unordered_map<uint64_t, Entry> map_;
};

class ExposureFinder {
 public:
  // `labels` may be null (no labels: no hits). All references must outlive the finder.
  ExposureFinder(const ChainStore& store, const ScreenIndex* labels, const RiskWeights& weights);

  // Exposure of an address's received (incoming) and sent (outgoing) value.
  // `cache` (optional, the calling thread's own) keeps expansions for later searches.
  Result<ExposureResult> OfAddress(AddressId subject, const ExposureOptions& options,
                                   ExposureCache* cache = nullptr) const;
  // A tx screened as a deposit: its senders (inputs) are hop 1, weighted by the value each put
  // in; their own sources are hop 2 and beyond. Incoming only.
  Result<ExposureResult> OfTx(TxId tx, const ExposureOptions& options) const;

  // Whether an entry states a risky term (one listed in the weights).
  bool IsRisky(const ScreenEntry& e) const { return (e.risk_mask & risky_mask_) != 0; }
  // Whether an entry is a service the search does not go through (a stop category or term).
  bool IsStop(const ScreenEntry& e) const {
    return (e.risk_mask & stop_mask_) != 0 || (e.category < 64 && ((stop_mask_ >> e.category) & 1));
  }
  // Names of the risky terms an entry states.
  std::vector<const RiskWeight*> RiskyTerms(const ScreenEntry& e) const;

 private:
  class Search;
  const ChainStore& store_;
  const ScreenIndex* labels_;
  const RiskWeights& weights_;
  // The entries that change the search (risky or a stop), by store id: looked up per
  // counterparty instead of building its key and probing the index.
  std::unordered_map<AddressId, const ScreenEntry*> relevant_;
  uint64_t risky_mask_ = 0;                     // bit i: term i of the index is risky
  uint64_t stop_mask_ = 0;                      // bit i: term i is a stop category
  std::vector<const RiskWeight*> term_weight_;  // by term index
  double unit_ = 1;                             // base units per whole native unit
};

}  // namespace fundtrace
