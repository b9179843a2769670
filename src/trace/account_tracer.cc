// Account-chain tracing (docs/trace.md, "Account chains").
//
// The engine keeps a queue of the txs that touch an address holding taint, in processing order
// (ascending chain order forward, descending backward). When taint first reaches an address it
// reads the address's whole history once: the part before the current event gives its balance
// per asset (so a haircut or a FIFO queue starts from what the address really held), the part
// after it adds the address's later txs to the queue. A backward trace is the same machine run
// over the reversed chain: events in descending order, every transfer from->to read as to->from.
#include "trace/account_tracer.h"

#include <algorithm>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "trace/holding.h"

namespace fundtrace {

namespace {

// The deadline is read once every this many txs (and before the first).
constexpr uint64_t kDeadlineEvery = 16;

Status DeadlineStatus(uint64_t txs) {
  return Status::DeadlineExceeded("the trace ran out of its time budget after " +
                                  std::to_string(txs) + " txs");
}

// Position of a transfer in chain order.
struct Pos {
  uint64_t order = 0;  // block << 32 | tx position
  TxId tx = 0;
  uint32_t seq_kind = 0;
  auto operator<=>(const Pos&) const = default;
};

struct AssetHash {
  size_t operator()(const std::pair<AddressId, AssetId>& k) const {
    return std::hash<uint64_t>()((uint64_t{k.first} << 32) ^ k.second);
  }
};

enum class AddrState : uint8_t { kHolding, kEndpoint, kCut };

struct Addr {
  AddrState state = AddrState::kHolding;
  int hop = 0;
  bool source = false;
  std::map<AssetId, U256> pre_balance;  // balance before taint arrived, by asset
};

// One transfer as the engine sees it (reversed in a backward trace).
struct Event {
  Transfer t;
  AddressId from = kNoAddress, to = kNoAddress;
  bool fee = false;
  bool handled = false;  // processed ahead of order (swap outflows)
};

class AccountTracer {
 public:
  AccountTracer(const ChainStore& store, TraceRecorder* rec)
      : store_(store),
        rec_(rec),
        opt_(rec->options()),
        backward_(opt_.backward),
        lots_(UsesLots(opt_.policy)) {}

  Status Run();

 private:
  uint64_t OrderOf(TxId tx) { return rec_->OrderOf(tx); }
  Pos PosOf(const Transfer& t) { return {OrderOf(t.tx), t.tx, t.seq_kind}; }
  // True when a comes before b in processing order.
  bool Before(const Pos& a, const Pos& b) const { return backward_ ? b < a : a < b; }
  bool InWindow(uint32_t block) const { return opt_.blocks.Contains(block); }
  Event MakeEvent(const Transfer& t) const;

  Status Track(AddressId a, const Pos& at, bool source, int hop, bool* tracked);
  void Enqueue(const Transfer& t);
  Holding& HoldingOf(AddressId a, AssetId asset);
  HoldingFlows& Flows(AssetId asset) { return flows_[asset]; }
  Status Credit(AddressId to, int from_hop, const Piece& piece, const Event& e);
  Status ProcessTx(TxId tx, bool seed);
  void DetectSwaps(std::vector<Event>& events);
  bool AllowedSeedAsset(AssetId a) const { return opt_.assets.empty() || opt_.assets.count(a); }

  const ChainStore& store_;
  TraceRecorder* rec_;
  const TraceOptions& opt_;
  const bool backward_;
  const bool lots_;

  std::unordered_map<AddressId, Addr> addrs_;
  size_t holders_ = 0;
  std::unordered_map<std::pair<AddressId, AssetId>, Holding, AssetHash> holdings_;
  std::map<AssetId, HoldingFlows> flows_;
  // Known transfers of queued txs, keyed by tx; each list in processing order.
  std::unordered_map<TxId, std::vector<Transfer>> pending_;
  std::unordered_set<TxId> seed_txs_;
  using QItem = std::pair<uint64_t, TxId>;
  std::vector<QItem> heap_;
  std::unordered_set<TxId> done_;
  // The tx being processed, and whether following a new address added transfers to it.
  TxId processing_tx_ = ~TxId{0};
  bool tx_grew_ = false;

  // Swap state of the tx being processed: per address, the tainted share of what it sent.
  struct SwapSide {
    std::map<AssetId, std::pair<U256, U256>> sent;  // asset -> (tainted, amount)
  };
  std::unordered_map<AddressId, SwapSide> swaps_;
};

Event AccountTracer::MakeEvent(const Transfer& t) const {
  Event e;
  e.t = t;
  e.fee = t.kind() == TransferKind::kFee;
  e.from = backward_ ? t.to : t.from;
  e.to = backward_ ? t.from : t.to;
  return e;
}

void AccountTracer::Enqueue(const Transfer& t) {
  if (done_.count(t.tx)) return;
  auto [it, inserted] = pending_.try_emplace(t.tx);
  std::vector<Transfer>& v = it->second;
  const bool bw = backward_;
  auto before = [bw](const Transfer& a, const Transfer& b) {
    return bw ? b.seq_kind < a.seq_kind : a.seq_kind < b.seq_kind;
  };
  auto pos = std::lower_bound(v.begin(), v.end(), t, before);
  if (pos != v.end() && pos->seq_kind == t.seq_kind) return;  // known already
  v.insert(pos, t);
  if (t.tx == processing_tx_) tx_grew_ = true;
  if (inserted) {
    heap_.push_back({OrderOf(t.tx), t.tx});
    if (backward_) {
      std::push_heap(heap_.begin(), heap_.end());
    } else {
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    }
  }
}

Holding& AccountTracer::HoldingOf(AddressId a, AssetId asset) {
  auto [it, inserted] = holdings_.try_emplace({a, asset});
  if (inserted) {
    Addr& ad = addrs_[a];
    auto pb = ad.pre_balance.find(asset);
    U256 balance = pb == ad.pre_balance.end() ? U256(0) : pb->second;
    it->second = Holding(opt_.policy, balance, ad.source && AllowedSeedAsset(asset), &Flows(asset));
  }
  return it->second;
}

// Starts following `a` at position `at`: reads its history, sets its balance before `at` and
// queues its later txs. *tracked is false when the address is cut (history too long) or is an
// inferred exchange deposit address (made an endpoint).
Status AccountTracer::Track(AddressId a, const Pos& at, bool source, int hop, bool* tracked) {
  *tracked = false;
  TraceStats& st = rec_->stats();
  std::vector<Transfer> h;
  const uint32_t last = backward_ ? static_cast<uint32_t>(at.order >> 32) : opt_.blocks.last;
  AddressId ids[1] = {a};
  FT_RETURN_IF_ERROR(store_.TransfersOf(ids, Direction::kBoth, BlockRange{0, last}, &h));
  ++st.addresses_fetched;
  st.transfers_fetched += h.size();
  Addr& ad = addrs_[a];
  ad.hop = hop;
  ad.source = source;
  if (!source && h.size() > opt_.max_history) {
    ad.state = AddrState::kCut;
    ++st.cut_history;
    TraceNode& n = rec_->Node(a, hop, NodeRole::kCut);
    n.cut_reason = "history";
    return Status::OK();
  }
  if (!source && !backward_ && opt_.infer_deposit_addresses && opt_.labels) {
    // An exchange deposit address: it only ever pays (fees aside) to exchange addresses.
    AddressId exchange = kNoAddress;
    bool only_exchange = true;
    for (const Transfer& t : h) {
      if (t.from != a || t.kind() == TransferKind::kFee || t.amount == 0) continue;
      const AddressLabel& l = rec_->labels().Of(t.to);
      if (!l.exchange) {
        only_exchange = false;
        break;
      }
      if (exchange == kNoAddress) exchange = t.to;
    }
    if (only_exchange && exchange != kNoAddress) {
      ad.state = AddrState::kEndpoint;
      const AddressLabel& l = rec_->labels().Of(exchange);
      TraceNode& n = rec_->Node(a, hop, NodeRole::kEndpoint);
      n.inferred_deposit = true;
      n.entity = l.entity;
      n.category = "exchange";
      n.label = "deposit address of " + (l.entity.empty() ? l.label : l.entity);
      return Status::OK();
    }
  }
  // Balance before `at` (forward) or just after it (backward: the real balance there), and the
  // txs still to come in the walk's order: forward the later ones, backward the earlier ones,
  // which the backward balance also counts (so the two are not exclusive).
  std::map<AssetId, std::pair<U256, U256>> flow;  // in, out
  for (const Transfer& t : h) {
    Pos p = PosOf(t);
    const bool counted = backward_ ? !(at < p) : p < at;
    if (counted) {
      if (t.to == a) flow[t.asset].first += t.amount;
      if (t.from == a) flow[t.asset].second += t.amount;
    }
    if (Before(at, p) && InWindow(t.block)) Enqueue(t);
  }
  for (const auto& [asset, io] : flow) {
    if (io.first > io.second) ad.pre_balance[asset] = io.first - io.second;
  }
  ad.state = AddrState::kHolding;
  ++holders_;
  rec_->Node(a, hop, source ? NodeRole::kSeed : NodeRole::kIntermediate);
  *tracked = true;
  return Status::OK();
}

Status AccountTracer::Credit(AddressId to, int from_hop, const Piece& piece, const Event& e) {
  const AssetId asset = e.t.asset;
  auto it = addrs_.find(to);
  if (it != addrs_.end()) {
    switch (it->second.state) {
      case AddrState::kHolding:
        HoldingOf(to, asset).Put(piece, &Flows(asset));
        return Status::OK();
      case AddrState::kEndpoint:
        rec_->Endpoint(to, asset, piece.tainted, e.t.tx);
        return Status::OK();
      case AddrState::kCut:
        rec_->Cut(to, asset, piece.tainted);
        return Status::OK();
    }
  }
  if (piece.tainted == 0) return Status::OK();
  if (piece.tainted < rec_->DustThreshold(asset, Flows(asset).seeded + Flows(asset).absorbed)) {
    rec_->Cons(asset).dust += piece.tainted;
    return Status::OK();
  }
  const int hop = from_hop + 1;
  const AddressLabel& label = rec_->labels().Of(to);
  if (label.stop) {
    addrs_[to].state = AddrState::kEndpoint;
    rec_->Node(to, hop, NodeRole::kEndpoint);
    rec_->Endpoint(to, asset, piece.tainted, e.t.tx);
    return Status::OK();
  }
  const char* cut = nullptr;
  if (hop > opt_.max_hops) {
    cut = "hops";
    ++rec_->stats().cut_hops;
  } else if (holders_ >= opt_.max_addresses) {
    cut = "addresses";
    ++rec_->stats().cut_addresses;
  }
  if (cut) {
    Addr& ad = addrs_[to];
    ad.state = AddrState::kCut;
    ad.hop = hop;
    rec_->Node(to, hop, NodeRole::kCut).cut_reason = cut;
    rec_->Cut(to, asset, piece.tainted);
    return Status::OK();
  }
  bool tracked = false;
  FT_RETURN_IF_ERROR(Track(to, PosOf(e.t), /*source=*/false, hop, &tracked));
  return Credit(to, from_hop, piece, e);  // now known: holding, endpoint or cut
}

// A swap: inside one tx, an address holding taint sends some assets and receives others back.
// Its outflows of the sent assets are processed first; the taint they carried leaves as
// swapped_out, and each received asset gets the tainted share of what was sent (the mean over
// the sent assets) as swapped_in.
void AccountTracer::DetectSwaps(std::vector<Event>& events) {
  swaps_.clear();
  std::unordered_map<AddressId, std::pair<std::set<AssetId>, std::set<AssetId>>> io;
  for (const Event& e : events) {
    if (e.fee || e.t.amount == 0 || e.from == e.to) continue;
    auto f = addrs_.find(e.from);
    if (f != addrs_.end() && f->second.state == AddrState::kHolding)
      io[e.from].first.insert(e.t.asset);
    auto t = addrs_.find(e.to);
    if (t != addrs_.end() && t->second.state == AddrState::kHolding)
      io[e.to].second.insert(e.t.asset);
  }
  for (const auto& [a, sides] : io) {
    if (sides.first.empty()) continue;
    bool other = false;
    for (AssetId r : sides.second) other |= !sides.first.count(r);
    if (other) swaps_[a];
  }
}

Status AccountTracer::ProcessTx(TxId tx, bool seed) {
  TraceStats& st = rec_->stats();
  ++st.txs_processed;
  processing_tx_ = tx;
  tx_grew_ = false;
  std::vector<Event> events;
  {
    auto it = pending_.find(tx);
    if (it != pending_.end()) {
      for (const Transfer& t : it->second) events.push_back(MakeEvent(t));
    }
  }
  if (events.empty()) return Status::OK();
  if (st.txs_processed == 1) st.first_block = events.front().t.block;
  st.last_block = events.front().t.block;

  DetectSwaps(events);
  bool any_swap = false;
  // Swap outflows first.
  for (Event& e : events) {
    if (e.fee || e.t.amount == 0 || !swaps_.count(e.from)) continue;
    Holding& h = HoldingOf(e.from, e.t.asset);
    Piece piece = h.Take(e.t.amount, &Flows(e.t.asset));
    auto& s = swaps_[e.from].sent[e.t.asset];
    s.first += piece.tainted;
    s.second += e.t.amount;
    rec_->Cons(e.t.asset).swapped_out += piece.tainted;
    if (TraceNode* n = rec_->FindNode(e.from)) n->sent.Add(e.t.asset, piece.tainted);
    piece.Clean();
    FT_RETURN_IF_ERROR(Credit(e.to, addrs_[e.from].hop, piece, e));
    e.handled = true;
    ++st.events_processed;
    any_swap = true;
  }
  if (any_swap) ++st.swaps;

  for (size_t i = 0; i < events.size(); ++i) {
    // Credit() may have started following an address of this tx: pick up its later transfers.
    if (tx_grew_) {
      tx_grew_ = false;
      auto it = pending_.find(tx);
      if (it != pending_.end()) {
        std::vector<Event> merged;
        size_t j = 0;
        for (const Transfer& t : it->second) {
          if (j < events.size() && events[j].t.seq_kind == t.seq_kind) {
            merged.push_back(events[j++]);
          } else {
            merged.push_back(MakeEvent(t));
          }
        }
        events.swap(merged);
      }
    }
    Event& e = events[i];
    if (e.handled) continue;
    e.handled = true;
    ++st.events_processed;
    const Transfer& t = e.t;
    if (t.amount == 0) continue;
    Piece piece;
    int from_hop = -1;
    auto f = addrs_.find(e.from);
    if (f != addrs_.end() && f->second.state == AddrState::kHolding) {
      piece = HoldingOf(e.from, t.asset).Take(t.amount, &Flows(t.asset));
      from_hop = f->second.hop;
    } else if (seed && !e.fee && e.to != kNoAddress && AllowedSeedAsset(t.asset)) {
      piece = Piece::Tainted(t.amount, lots_);
      rec_->Cons(t.asset).seeded += t.amount;
    } else {
      piece = Piece::Clean(t.amount, lots_);
    }
    // Swap inflow: the received asset takes the tainted share of what the address sent.
    if (!e.fee) {
      auto s = swaps_.find(e.to);
      if (s != swaps_.end() && !s->second.sent.count(t.asset) && !s->second.sent.empty()) {
        U256 conv = 0;
        for (const auto& [a, ts] : s->second.sent) conv += MulDiv(t.amount, ts.first, ts.second);
        conv /= s->second.sent.size();
        if (conv > 0) {
          U256 total = piece.tainted + conv;
          if (total > t.amount) {
            conv = t.amount - piece.tainted;
            total = t.amount;
          }
          rec_->Cons(t.asset).swapped_in += conv;
          piece.SetTaintedFront(total, lots_);
        }
      }
    }
    if (e.to == kNoAddress || e.fee) {
      if (!backward_ || e.to == kNoAddress) {
        rec_->Cons(t.asset).fees += piece.tainted;
        if (piece.tainted > 0) {
          if (TraceNode* n = rec_->FindNode(e.from)) n->sent.Add(t.asset, piece.tainted);
        }
        continue;
      }
    }
    FT_RETURN_IF_ERROR(Credit(e.to, from_hop, piece, e));
    if (piece.tainted > 0 && rec_->FindNode(e.to)) {
      rec_->Edge(e.from, e.to, t.asset, piece.tainted, t.tx);
    }
  }
  pending_.erase(tx);
  return Status::OK();
}

Status AccountTracer::Run() {
  // Seed txs: all their transfers are needed, whoever takes part.
  if (!opt_.seeds.txs.empty()) {
    std::vector<Transfer> ts;
    FT_RETURN_IF_ERROR(store_.TransfersOfTxs(opt_.seeds.txs, &ts));
    for (const Transfer& t : ts) Enqueue(t);
    for (TxId tx : opt_.seeds.txs) seed_txs_.insert(tx);
  }
  for (AddressId a : opt_.seeds.addresses) {
    if (addrs_.count(a)) continue;
    if (opt_.deadline.Expired()) return DeadlineStatus(0);
    Pos start = backward_ ? Pos{(uint64_t{opt_.blocks.last} << 32) | 0xFFFFFFFFu, ~TxId{0}, ~0u}
                          : Pos{uint64_t{opt_.blocks.first} << 32, 0, 0};
    bool tracked = false;
    FT_RETURN_IF_ERROR(Track(a, start, /*source=*/true, 0, &tracked));
    // Everything it held at the start is seeded, asset by asset.
    for (const auto& [asset, b] : addrs_[a].pre_balance) {
      if (AllowedSeedAsset(asset)) HoldingOf(a, asset);
    }
  }
  auto cmp_less = [this](const QItem& x, const QItem& y) { return backward_ ? x < y : x > y; };
  for (uint64_t n = 0; !heap_.empty(); ++n) {
    if (n % kDeadlineEvery == 0 && opt_.deadline.Expired()) return DeadlineStatus(n);
    std::pop_heap(heap_.begin(), heap_.end(), cmp_less);
    QItem q = heap_.back();
    heap_.pop_back();
    if (done_.count(q.second)) continue;
    const uint32_t block = static_cast<uint32_t>(q.first >> 32);
    if (!InWindow(block)) {
      pending_.erase(q.second);
      continue;
    }
    FT_RETURN_IF_ERROR(ProcessTx(q.second, seed_txs_.count(q.second) > 0));
    done_.insert(q.second);
  }
  // What is still held.
  for (auto& [key, h] : holdings_) {
    if (h.tainted() == 0) continue;
    rec_->Cons(key.second).held += h.tainted();
    if (TraceNode* n = rec_->FindNode(key.first)) n->held.Add(key.second, h.tainted());
  }
  for (const auto& [asset, f] : flows_) {
    rec_->Cons(asset).seeded += f.seeded;
    rec_->Cons(asset).absorbed += f.absorbed;
    rec_->stats().unknown_origin_topups += f.topups;
  }
  return Status::OK();
}

}  // namespace

Status TraceAccounts(const ChainStore& store, TraceRecorder* recorder) {
  AccountTracer t(store, recorder);
  return t.Run();
}

}  // namespace fundtrace
