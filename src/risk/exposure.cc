#include "risk/exposure.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace fundtrace {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t NsSince(Clock::time_point t0) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
}

bool IsValueKind(TransferKind k) {  // account-chain kinds that move native value
  return k == TransferKind::kNative || k == TransferKind::kInternal;
}

// A node of the search tree: an address expanded (or to be expanded) at `hop`, reached from
// node `parent` by `tx`. The root (hop 0) is the subject, or the screened tx (address 0).
struct Node {
  AddressId address = kNoAddress;
  int32_t parent = -1;
  TxId tx = 0;
  int hop = 0;
  double weight = 0;  // share of the subject's value that reaches it
};

// Value moved on a UTXO chain between a frontier node (index `node`) and a counterparty: a
// proportional part of an output, whole units.
struct Edge {
  uint32_t node;
  AddressId other;
  TxId tx;
  double value;
};

// A share of the subject's value offered to a counterparty at some hop by one parent node.
struct Offer {
  AddressId other;
  uint32_t parent;
  TxId tx;
  double share;
};

}  // namespace

// One search in one direction.
class ExposureFinder::Search {
 public:
  Search(const ExposureFinder& f, const ExposureOptions& o, bool incoming, ExposureResult* out,
         ExposureCache* cache)
      : f_(f), o_(o), incoming_(incoming), out_(out), cache_(cache) {}

  // Address mode: the subject is the root; hop 1 is its counterparties.
  Status FromAddress(AddressId subject) {
    nodes_.push_back(Node{subject, -1, 0, 0, 1.0});
    visited_.insert(subject);
    std::vector<uint32_t> frontier = {0};
    for (int hop = 1; hop <= o_.hops && !frontier.empty(); ++hop) {
      std::vector<Offer> offers;
      double total = 0;
      FT_RETURN_IF_ERROR(Expand(frontier, hop, &offers, hop == 1 ? &total : nullptr));
      if (hop == 1) (incoming_ ? out_->received : out_->sent) = total;
      frontier = Process(&offers, hop);
      FT_RETURN_IF_ERROR(status_);
    }
    return Status::OK();
  }

  // Tx mode: the senders are hop 1, offered by the root (the tx).
  Status FromTx(TxId tx) {
    nodes_.push_back(Node{kNoAddress, -1, tx, 0, 1.0});
    std::vector<Transfer> rows;
    const TxId ids[1] = {tx};
    auto t0 = Clock::now();
    FT_RETURN_IF_ERROR(f_.store_.TransfersOfTxs(ids, &rows));
    out_->times.fetch += NsSince(t0);
    std::map<AddressId, double> by_sender;  // ordered: sums in a fixed order
    double total = 0;
    for (const Transfer& t : rows) {
      if (t.asset != kNativeAsset || t.from == kNoAddress) continue;
      bool value = IsValueKind(t.kind()) || t.kind() == TransferKind::kUtxoIn;
      if (!value || t.from == t.to) continue;
      double v = Value(t.amount);
      by_sender[t.from] += v;
      total += v;
    }
    std::vector<Offer> offers;
    if (total > 0) {
      for (const auto& [a, v] : by_sender) offers.push_back(Offer{a, 0, tx, v / total});
    } else {
      // No native value (a token transfer): the tx's first sender stands for all of it.
      for (const Transfer& t : rows) {
        if (t.from != kNoAddress && t.kind() != TransferKind::kFee) {
          offers.push_back(Offer{t.from, 0, tx, 1.0});
          break;
        }
      }
    }
    out_->received = total;
    std::vector<uint32_t> frontier = Process(&offers, 1);
    FT_RETURN_IF_ERROR(status_);
    for (int hop = 2; hop <= o_.hops && !frontier.empty(); ++hop) {
      offers.clear();
      FT_RETURN_IF_ERROR(Expand(frontier, hop, &offers, nullptr));
      frontier = Process(&offers, hop);
      FT_RETURN_IF_ERROR(status_);
    }
    return Status::OK();
  }

 private:
  double Value(const U256& amount) const { return amount.convert_to<double>() / f_.unit_; }

  // Reads the frontier's transfers (one batched call for every node not in the cache) and
  // turns each node's counterparties into offers: node weight * the counterparty's share of the
  // node's received (sent) value.
  Status Expand(const std::vector<uint32_t>& frontier, int hop, std::vector<Offer>* offers,
                double* root_total) {
    HopStats& st = Stats(hop);
    st.expanded += frontier.size();
    std::vector<const ExposureCache::Entry*> entry(frontier.size(), nullptr);
    std::vector<ExposureCache::Entry> fresh;  // for nodes not in the cache
    std::vector<AddressId> ids;
    std::unordered_map<AddressId, uint32_t> slot;  // address -> index in `fresh`
    for (uint32_t i = 0; i < frontier.size(); ++i) {
      AddressId a = nodes_[frontier[i]].address;
      if (cache_) entry[i] = cache_->Find(a, incoming_);
      if (!entry[i] && slot.emplace(a, static_cast<uint32_t>(ids.size())).second) ids.push_back(a);
    }
    if (!ids.empty()) FT_RETURN_IF_ERROR(Read(ids, slot, hop, &fresh));
    auto t0 = Clock::now();
    for (uint32_t i = 0; i < frontier.size(); ++i) {
      if (!entry[i]) {
        const ExposureCache::Entry& e = fresh[slot[nodes_[frontier[i]].address]];
        entry[i] = cache_ ? cache_->Put(nodes_[frontier[i]].address, incoming_, e) : &e;
      }
      const Node& n = nodes_[frontier[i]];
      for (const auto& c : entry[i]->counterparties) {
        offers->push_back(Offer{c.address, frontier[i], c.tx, n.weight * c.fraction});
      }
    }
    if (root_total) *root_total = entry.empty() ? 0 : entry[0]->total;
    out_->times.aggregate += NsSince(t0);
    return Status::OK();
  }

  // Reads the value flows of `ids` and builds each one's counterparty shares into (*out)[slot].
  Status Read(const std::vector<AddressId>& ids,
              const std::unordered_map<AddressId, uint32_t>& slot, int hop,
              std::vector<ExposureCache::Entry>* out) {
    out->assign(ids.size(), ExposureCache::Entry{});
    if (f_.store_.chain() == Chain::kBitcoin) return ReadUtxo(ids, slot, hop, out);
    std::vector<NativeFlow> flows;
    auto t0 = Clock::now();
    FT_RETURN_IF_ERROR(
        f_.store_.NativeFlows(ids, incoming_ ? Direction::kIn : Direction::kOut, &flows));
    out_->times.fetch += NsSince(t0);
    Stats(hop).flows += flows.size();
    t0 = Clock::now();
    std::vector<Wide> totals(ids.size(), 0);
    for (const NativeFlow& fl : flows) {
      Wide& t = totals[slot.at(fl.address)];
      t = SaturatingAdd(t, fl.amount);
    }
    for (size_t i = 0; i < ids.size(); ++i) (*out)[i].total = ToDouble(totals[i]);
    // Flows come sorted by (address, counterparty). Value from nowhere (a block reward) dilutes
    // the shares but names no one.
    for (const NativeFlow& fl : flows) {
      ExposureCache::Entry& en = (*out)[slot.at(fl.address)];
      if (fl.other == kNoAddress || en.total <= 0) continue;
      en.counterparties.push_back({fl.other, fl.largest_tx, ToDouble(fl.amount) / en.total});
    }
    out_->times.aggregate += NsSince(t0);
    return Status::OK();
  }

  // Bitcoin: the same shares from the txs' inputs and outputs (UtxoEdges).
  Status ReadUtxo(const std::vector<AddressId>& ids,
                  const std::unordered_map<AddressId, uint32_t>& slot, int hop,
                  std::vector<ExposureCache::Entry>* out) {
    std::vector<Transfer> rows;
    auto t0 = Clock::now();
    FT_RETURN_IF_ERROR(f_.store_.TransfersOf(ids, Direction::kBoth, BlockRange{}, &rows));
    out_->times.fetch += NsSince(t0);
    std::vector<Edge> edges;
    std::vector<double> totals(ids.size(), 0.0);
    FT_RETURN_IF_ERROR(UtxoEdges(rows, slot, &edges, &totals));
    t0 = Clock::now();
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
      return a.node != b.node ? a.node < b.node : a.other < b.other;
    });
    for (size_t i = 0; i < ids.size(); ++i) (*out)[i].total = totals[i];
    for (size_t b = 0; b < edges.size();) {
      size_t e = b;
      double sum = 0;
      size_t best = b;
      for (; e < edges.size() && edges[e].node == edges[b].node && edges[e].other == edges[b].other;
           ++e) {
        sum += edges[e].value;
        // The evidence tx: the largest single part; equal parts by tx hash.
        if (e != b && Larger(edges[e], edges[best])) best = e;
      }
      ExposureCache::Entry& en = (*out)[edges[b].node];
      if (en.total > 0) en.counterparties.push_back({edges[b].other, edges[best].tx, sum / en.total});
      ++Stats(hop).flows;
      b = e;
    }
    out_->times.aggregate += NsSince(t0);
    return Status::OK();
  }

  bool Larger(const Edge& a, const Edge& b) const {
    if (a.value != b.value) return a.value > b.value;
    if (a.tx == b.tx) return false;
    return f_.store_.Tx(a.tx).hash < f_.store_.Tx(b.tx).hash;
  }

  double ToDouble(Wide v) const { return static_cast<double>(v) / f_.unit_; }

  // Bitcoin: a tx's outputs are paid by its inputs in proportion to their value. Incoming to a
  // node: each output it owns, split over the other inputs' owners; outgoing: its input share of
  // every output owned by someone else. Change back to the node is neither.
  Status UtxoEdges(const std::vector<Transfer>& rows,
                   const std::unordered_map<AddressId, uint32_t>& slot, std::vector<Edge>* edges,
                   std::vector<double>* totals) {
    std::vector<TxId> txs;
    for (const Transfer& t : rows) {
      bool mine_out = t.kind() == TransferKind::kUtxoOut && slot.count(t.to);
      bool mine_in = t.kind() == TransferKind::kUtxoIn && slot.count(t.from);
      if ((incoming_ && mine_out) || (!incoming_ && mine_in)) txs.push_back(t.tx);
    }
    std::sort(txs.begin(), txs.end());
    txs.erase(std::unique(txs.begin(), txs.end()), txs.end());
    std::vector<Transfer> all;
    auto t0 = Clock::now();
    FT_RETURN_IF_ERROR(f_.store_.TransfersOfTxs(txs, &all));
    out_->times.fetch += NsSince(t0);
    for (size_t b = 0; b < all.size();) {
      size_t e = b;
      while (e < all.size() && all[e].tx == all[b].tx) ++e;
      double total_in = 0;
      for (size_t i = b; i < e; ++i) {
        if (all[i].kind() == TransferKind::kUtxoIn && !all[i].unresolved()) {
          total_in += Value(all[i].amount);
        }
      }
      for (size_t i = b; total_in > 0 && i < e; ++i) {
        const Transfer& out = all[i];
        if (out.kind() != TransferKind::kUtxoOut) continue;
        double ov = Value(out.amount);
        for (size_t j = b; j < e; ++j) {
          const Transfer& in = all[j];
          if (in.kind() != TransferKind::kUtxoIn || in.unresolved() || in.from == out.to) continue;
          double part = ov * Value(in.amount) / total_in;
          AddressId mine = incoming_ ? out.to : in.from, other = incoming_ ? in.from : out.to;
          auto it = slot.find(mine);
          if (it == slot.end() || part <= 0) continue;
          (*totals)[it->second] += part;
          if (other != kNoAddress) edges->push_back(Edge{it->second, other, out.tx, part});
        }
      }
      b = e;
    }
    return Status::OK();
  }

  // Sums the offers per counterparty, records hits on labelled risky ones, and returns the next
  // frontier: the unlabelled ones with the largest shares, at most `fanout`.
  std::vector<uint32_t> Process(std::vector<Offer>* offers, int hop) {
    HopStats& st = Stats(hop);
    auto t0 = Clock::now();
    std::stable_sort(offers->begin(), offers->end(),
                     [](const Offer& a, const Offer& b) { return a.other < b.other; });
    struct Cand {
      AddressId address;
      double share;
      uint32_t parent;  // of the largest offer
      TxId tx;
      double best;
    };
    std::vector<Cand> cands;
    for (const Offer& o : *offers) {
      if (!cands.empty() && cands.back().address == o.other) {
        Cand& c = cands.back();
        c.share += o.share;
        if (o.share > c.best) {
          c.best = o.share;
          c.parent = o.parent;
          c.tx = o.tx;
        }
      } else {
        cands.push_back(Cand{o.other, o.share, o.parent, o.tx, o.share});
      }
    }
    // Cycles back to the subject or to an address already expanded carry nothing new.
    cands.erase(std::remove_if(cands.begin(), cands.end(),
                               [&](const Cand& c) { return visited_.count(c.address) > 0; }),
                cands.end());
    st.counterparties += cands.size();
    out_->times.select += NsSince(t0);

    t0 = Clock::now();
    std::vector<const ScreenEntry*> entries(cands.size(), nullptr);
    if (!f_.relevant_.empty()) {
      for (size_t i = 0; i < cands.size(); ++i) {
        auto it = f_.relevant_.find(cands[i].address);
        if (it != f_.relevant_.end()) entries[i] = it->second;
      }
    }
    // Address keys (ids depend on ingest order, keys do not) only where needed: hits, and ties.
    std::vector<std::string> keys(cands.size());
    auto key = [&](size_t i) -> const std::string& {
      if (keys[i].empty()) keys[i] = f_.store_.AddressKey(cands[i].address);
      return keys[i];
    };
    out_->times.labels += NsSince(t0);

    t0 = Clock::now();
    std::vector<size_t> next;
    const double decay = std::pow(o_.decay, hop - 1);
    for (size_t i = 0; i < cands.size(); ++i) {
      const Cand& c = cands[i];
      const ScreenEntry* e = entries[i];
      bool risky = e && f_.IsRisky(*e);
      bool stop = e && (risky || f_.IsStop(*e));
      if (risky) {
        auto [it, fresh] = hits_.try_emplace(c.address);
        ExposureHit& h = it->second;
        if (fresh) {
          h.address = c.address;
          h.entry = e;
          h.incoming = incoming_;
          h.hop = hop;
          h.key = key(i);
        }
        h.share += c.share;
        h.decayed += c.share * decay;
        if (c.best > h.best) {
          h.best = c.best;
          h.path = PathTo(c.parent);
          h.path.push_back(PathStep{c.address, c.tx});
        }
      }
      if (stop) {
        ++st.labelled;
        continue;
      }
      if (hop < o_.hops) next.push_back(i);
    }
    // Largest shares first; equal shares by address key (ids depend on ingest order).
    std::sort(next.begin(), next.end(), [&](size_t a, size_t b) {
      if (cands[a].share != cands[b].share) return cands[a].share > cands[b].share;
      return key(a) < key(b);
    });
    // The largest shares first, within the fan-out, skipping hubs and staying in the budget.
    // Degrees come from one batched count over a window of candidates, not from their history.
    size_t window = 0;
    while (window < next.size() && window < 4 * o_.fanout &&
           cands[next[window]].share >= o_.min_share) {
      ++window;
    }
    std::vector<AddressId> window_ids;
    for (size_t k = 0; k < window; ++k) window_ids.push_back(cands[next[k]].address);
    std::vector<uint64_t> degree;
    out_->times.select += NsSince(t0);
    t0 = Clock::now();
    if (hop < o_.hops && !window_ids.empty()) {
      bool utxo = f_.store_.chain() == Chain::kBitcoin;
      Status s = f_.store_.TransferCounts(
          window_ids, utxo ? Direction::kBoth : (incoming_ ? Direction::kIn : Direction::kOut),
          &degree);
      if (!s.ok()) status_ = s;
    }
    out_->times.fetch += NsSince(t0);
    t0 = Clock::now();
    std::vector<uint32_t> frontier;
    uint64_t budget = 0;
    for (size_t k = 0; k < next.size(); ++k) {
      const Cand& c = cands[next[k]];
      bool take = k < window && k < degree.size() && frontier.size() < o_.fanout;
      if (take && degree[k] > o_.max_degree) {
        ++st.hubs;
        take = false;
      }
      if (take && budget + degree[k] > o_.hop_budget) take = false;
      if (!take) {
        ++st.cut;
        st.cut_share += c.share;
        continue;
      }
      budget += degree[k];
      frontier.push_back(static_cast<uint32_t>(nodes_.size()));
      nodes_.push_back(Node{c.address, static_cast<int32_t>(c.parent), c.tx, hop, c.share});
      visited_.insert(c.address);
    }
    out_->times.select += NsSince(t0);
    return frontier;
  }

  std::vector<PathStep> PathTo(uint32_t node) const {
    std::vector<PathStep> path;
    for (int32_t n = static_cast<int32_t>(node); n >= 0 && nodes_[n].hop > 0;
         n = nodes_[n].parent) {
      path.push_back(PathStep{nodes_[n].address, nodes_[n].tx});
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  HopStats& Stats(int hop) {
    for (auto& h : out_->hops) {
      if (h.hop == hop && h.incoming == incoming_) return h;
    }
    out_->hops.push_back(HopStats{});
    out_->hops.back().hop = hop;
    out_->hops.back().incoming = incoming_;
    return out_->hops.back();
  }

 public:
  // Hits of this direction, by share (largest first), then address key.
  void TakeHits(std::vector<ExposureHit>* out) {
    std::vector<ExposureHit> v;
    for (auto& [a, h] : hits_) v.push_back(std::move(h));
    std::sort(v.begin(), v.end(), [](const ExposureHit& a, const ExposureHit& b) {
      return a.share != b.share ? a.share > b.share : a.key < b.key;
    });
    for (auto& h : v) out->push_back(std::move(h));
  }

 private:
  const ExposureFinder& f_;
  const ExposureOptions& o_;
  bool incoming_;
  ExposureResult* out_;
  ExposureCache* cache_;
  std::vector<Node> nodes_;
  std::unordered_set<AddressId> visited_;
  std::unordered_map<AddressId, ExposureHit> hits_;
  Status status_;  // a failed degree count (Process returns no status)
};

const ExposureCache::Entry* ExposureCache::Find(AddressId a, bool incoming) const {
  auto it = map_.find((uint64_t{a} << 1) | incoming);
  return it == map_.end() ? nullptr : &it->second;
}

const ExposureCache::Entry* ExposureCache::Put(AddressId a, bool incoming, const Entry& e) {
  // Node-based map: inserting keeps the pointers handed out before valid.
  return &map_.insert_or_assign((uint64_t{a} << 1) | incoming, e).first->second;
}

ExposureFinder::ExposureFinder(const ChainStore& store, const ScreenIndex* labels,
                               const RiskWeights& weights)
    : store_(store), labels_(labels), weights_(weights) {
  int decimals = store.Asset(kNativeAsset).decimals;
  unit_ = std::pow(10.0, decimals < 0 ? 0 : decimals);
  if (!labels) return;
  for (uint16_t i = 0; i < kMaxRiskTerms; ++i) {
    std::string_view name = labels->TermName(i);
    if (name.empty()) break;
    const RiskWeight* w = weights.Find(name);
    term_weight_.push_back(w);
    if (w) risky_mask_ |= uint64_t{1} << i;
    if (weights.IsStop(name)) stop_mask_ |= uint64_t{1} << i;
  }
  labels->ForEach([&](std::string_view key, const ScreenEntry& e) {
    if (!IsRisky(e) && !IsStop(e)) return;
    if (auto id = store.FindAddress(key)) relevant_.emplace(*id, &e);
  });
}

std::vector<const RiskWeight*> ExposureFinder::RiskyTerms(const ScreenEntry& e) const {
  std::vector<const RiskWeight*> out;
  for (size_t i = 0; i < term_weight_.size(); ++i) {
    if (term_weight_[i] && ((e.risk_mask >> i) & 1)) out.push_back(term_weight_[i]);
  }
  return out;
}

Result<ExposureResult> ExposureFinder::OfAddress(AddressId subject, const ExposureOptions& options,
                                                 ExposureCache* cache) const {
  ExposureResult r;
  // Full: start over (entries are pure functions of the store, so this changes no answer).
  if (cache) cache->StartSearch();
  for (bool incoming : {true, false}) {
    if (incoming ? !options.incoming : !options.outgoing) continue;
    Search s(*this, options, incoming, &r, cache);
    FT_RETURN_IF_ERROR(s.FromAddress(subject));
    s.TakeHits(&r.hits);
  }
  return r;
}

Result<ExposureResult> ExposureFinder::OfTx(TxId tx, const ExposureOptions& options) const {
  ExposureResult r;
  Search s(*this, options, /*incoming=*/true, &r, nullptr);
  FT_RETURN_IF_ERROR(s.FromTx(tx));
  s.TakeHits(&r.hits);
  return r;
}

}  // namespace fundtrace
