#include "trace/trace_recorder.h"

#include <algorithm>
#include <cmath>

namespace fundtrace {

TraceRecorder::TraceRecorder(const ChainStore& store, const TraceOptions& options)
    : store_(store), options_(options), labels_(store, options) {
  if (options.dust_ratio > 0) {
    dust_divisor_ = static_cast<uint64_t>(std::llround(1.0 / options.dust_ratio));
    if (dust_divisor_ == 0) dust_divisor_ = 1;
  }
}

TraceNode& TraceRecorder::Node(AddressId a, int hop, NodeRole role) {
  auto [it, inserted] = node_index_.try_emplace(a, nodes_.size());
  if (inserted) {
    TraceNode n;
    n.address = a;
    n.hop = hop;
    n.role = role;
    const AddressLabel& l = labels_.Of(a);
    n.label = l.label;
    n.entity = l.entity;
    n.category = l.category;
    nodes_.push_back(std::move(n));
  }
  return nodes_[it->second];
}

TraceNode* TraceRecorder::FindNode(AddressId a) {
  auto it = node_index_.find(a);
  return it == node_index_.end() ? nullptr : &nodes_[it->second];
}

void TraceRecorder::Edge(AddressId from, AddressId to, AssetId asset, const U256& amount, TxId tx) {
  if (amount == 0) return;
  TraceEdge& e = edges_[{from, to, asset}];
  e.from = from;
  e.to = to;
  e.asset = asset;
  e.amount += amount;
  ++e.transfers;
  if (e.txs.size() < kMaxEdgeTxs && (e.txs.empty() || e.txs.back() != tx)) e.txs.push_back(tx);
  if (TraceNode* n = FindNode(from)) n->sent.Add(asset, amount);
  if (TraceNode* n = FindNode(to)) n->received.Add(asset, amount);
}

const TraceRecorder::TxPlace& TraceRecorder::TxOf(TxId tx) {
  auto [it, inserted] = tx_cache_.try_emplace(tx);
  if (inserted) {
    const TxInfo info = store_.Tx(tx);
    it->second = {(uint64_t{info.block} << 32) | info.pos, info.time};
  }
  return it->second;
}

void TraceRecorder::Endpoint(AddressId to, AssetId asset, const U256& amount, TxId tx) {
  if (amount == 0) return;
  cons_[asset].endpoints += amount;
  TraceEndpoint& e = endpoints_[{to, asset}];
  const uint64_t time = TimeOf(tx);
  if (e.transfers == 0) {
    const TraceNode* n = FindNode(to);
    e.address = to;
    e.asset = asset;
    if (n) {
      e.entity = n->entity;
      e.category = n->category;
      e.label = n->label;
      e.inferred_deposit = n->inferred_deposit;
    }
    e.first_tx = tx;
    e.first_time = time;
  }
  e.amount += amount;
  ++e.transfers;
  e.last_tx = tx;
  e.last_time = time;
  if (e.txs.size() < kMaxEdgeTxs && (e.txs.empty() || e.txs.back() != tx)) e.txs.push_back(tx);
}

void TraceRecorder::Cut(AddressId to, AssetId asset, const U256& amount) {
  if (amount == 0) return;
  cons_[asset].cut += amount;
  if (TraceNode* n = FindNode(to)) n->held.Add(asset, amount);
}

U256 TraceRecorder::DustThreshold(AssetId asset, const U256& extra) const {
  if (dust_divisor_ == 0) return 0;
  U256 basis = extra;
  auto it = cons_.find(asset);
  if (it != cons_.end()) basis += it->second.seeded + it->second.swapped_in + it->second.absorbed;
  return basis / dust_divisor_;
}

TraceResult TraceRecorder::Finish() {
  TraceResult r;
  r.options = options_;
  r.options.labels = nullptr;
  r.stats = stats_;
  r.conservation = cons_;
  // Nodes: seeds first, then by hop, then by address key (stable across ingest batching).
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i)
    keys.push_back({store_.AddressKey(nodes_[i].address), i});
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    const TraceNode& x = nodes_[a.second];
    const TraceNode& y = nodes_[b.second];
    return std::tuple(x.role != NodeRole::kSeed, x.hop, a.first) <
           std::tuple(y.role != NodeRole::kSeed, y.hop, b.first);
  });
  for (const auto& k : keys) r.nodes.push_back(nodes_[k.second]);
  // Edges and endpoints: by asset, largest first, then by address keys (never by ids, which
  // depend on how the data was ingested).
  std::unordered_map<AddressId, std::string> key_cache;
  auto key = [&](AddressId a) -> const std::string& {
    auto [it, inserted] = key_cache.try_emplace(a);
    if (inserted && a != kNoAddress) it->second = store_.AddressKey(a);
    return it->second;
  };
  auto asset_key = [&](AssetId a) -> const std::string& { return store_.Asset(a).contract; };
  for (auto& [k, e] : edges_) r.edges.push_back(std::move(e));
  std::sort(r.edges.begin(), r.edges.end(), [&](const TraceEdge& a, const TraceEdge& b) {
    if (a.asset != b.asset) return asset_key(a.asset) < asset_key(b.asset);
    if (a.amount != b.amount) return a.amount > b.amount;
    if (a.from != b.from) return key(a.from) < key(b.from);
    return key(a.to) < key(b.to);
  });
  for (auto& [k, e] : endpoints_) r.endpoints.push_back(std::move(e));
  std::sort(r.endpoints.begin(), r.endpoints.end(),
            [&](const TraceEndpoint& a, const TraceEndpoint& b) {
              if (a.asset != b.asset) return asset_key(a.asset) < asset_key(b.asset);
              if (a.amount != b.amount) return a.amount > b.amount;
              return key(a.address) < key(b.address);
            });
  return r;
}

}  // namespace fundtrace
