// Collects what a trace engine finds (nodes, edges, endpoints, the conservation columns) and
// turns it into a sorted TraceResult. Shared by the account and the Bitcoin engines.
#pragma once

#include <map>
#include <tuple>
#include <unordered_map>

#include "store/chain_store.h"
#include "trace/trace.h"
#include "trace/trace_labels.h"

namespace fundtrace {

class TraceRecorder {
 public:
  TraceRecorder(const ChainStore& store, const TraceOptions& options);

  TraceLabels& labels() { return labels_; }
  const TraceOptions& options() const { return options_; }
  TraceStats& stats() { return stats_; }
  TraceConservation& Cons(AssetId a) { return cons_[a]; }

  // The node of an address, created at `hop` with `role` when new.
  TraceNode& Node(AddressId a, int hop, NodeRole role);
  TraceNode* FindNode(AddressId a);
  void Edge(AddressId from, AddressId to, AssetId asset, const U256& amount, TxId tx);
  void Endpoint(AddressId to, AssetId asset, const U256& amount, TxId tx);
  void Cut(AddressId to, AssetId asset, const U256& amount);
  // Smallest tainted amount of `asset` that is not dust right now, given `extra` taint of the
  // asset introduced beside the recorded columns (seed holdings, poison absorption).
  U256 DustThreshold(AssetId asset, const U256& extra) const;

  // The tx's place in chain order (block << 32 | position) and its time, read once per tx.
  uint64_t OrderOf(TxId tx) { return TxOf(tx).order; }
  uint64_t TimeOf(TxId tx) { return TxOf(tx).time; }

  TraceResult Finish();

 private:
  struct TxPlace {
    uint64_t order = 0, time = 0;
  };
  const TxPlace& TxOf(TxId tx);
  const ChainStore& store_;
  const TraceOptions& options_;
  TraceLabels labels_;
  TraceStats stats_;
  std::map<AssetId, TraceConservation> cons_;
  std::vector<TraceNode> nodes_;
  std::unordered_map<AddressId, size_t> node_index_;
  std::map<std::tuple<AddressId, AddressId, AssetId>, TraceEdge> edges_;
  std::map<std::pair<AddressId, AssetId>, TraceEndpoint> endpoints_;
  std::unordered_map<TxId, TxPlace> tx_cache_;
  uint64_t dust_divisor_ = 0;  // round(1 / dust_ratio); 0: no dust
};

}  // namespace fundtrace
