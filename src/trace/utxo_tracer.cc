// Bitcoin tracing (docs/trace.md, "Bitcoin").
//
// Forward: a tainted output is followed to the tx that spends it (found among its owner's
// spends, read once per owner address); that tx splits the taint of its inputs over its outputs
// and fee. Backward: a tainted output is followed to the tx that created it; that tx splits the
// taint of its outputs and fee (read as inputs) over its inputs, whose spent outputs (named by
// the inputs' outpoints) become tainted. A coinbase is where backward taint ends: newly mined.
#include "trace/utxo_tracer.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "trace/holding.h"

namespace fundtrace {

namespace {

// The deadline is read once every this many txs (and before the first).
constexpr uint64_t kDeadlineEvery = 16;

inline uint64_t Outpoint(TxId tx, uint32_t vout) { return (uint64_t{tx} << 32) | vout; }

struct TaintedOutput {
  Piece piece;
  AddressId owner = kNoAddress;
  int hop = 0;
};

class UtxoTracer {
 public:
  UtxoTracer(const ChainStore& store, TraceRecorder* rec)
      : store_(store),
        rec_(rec),
        opt_(rec->options()),
        backward_(opt_.backward),
        lots_(UsesLots(opt_.policy)) {}
  Status Run();

 private:
  uint64_t OrderOf(TxId tx) { return rec_->OrderOf(tx); }
  void Push(TxId tx) {
    if (queued_.count(tx) || done_.count(tx)) return;
    queued_.insert(tx);
    heap_.push_back({OrderOf(tx), tx});
    std::push_heap(heap_.begin(), heap_.end(), cmp_);
  }
  // Starts holding a tainted output; queues the tx that spends it (forward) or made it.
  Status Hold(uint64_t outpoint, AddressId owner, int hop, Piece piece, TxId via_tx);
  Status SpenderOf(uint64_t outpoint, AddressId owner, std::optional<TxId>* spender);
  Status ProcessTx(TxId tx);
  // The spending side of a tx: the piece of a held output (released from outputs_), or a clean
  // piece of `amount` when the output holds no taint.
  struct Sources {
    int hop = INT32_MAX;  // smallest hop of the tainted outputs taken
    AddressId main_from = kNoAddress;
    U256 main_taint = 0;
    bool any() const { return hop != INT32_MAX; }
  };
  Piece TakeOutput(uint64_t outpoint, const U256& amount, Sources* src);
  Status SeedAddress(AddressId a);
  Status SeedOutputsOfTx(TxId tx);

  const ChainStore& store_;
  TraceRecorder* rec_;
  const TraceOptions& opt_;
  const bool backward_;
  const bool lots_;
  std::function<bool(const std::pair<uint64_t, TxId>&, const std::pair<uint64_t, TxId>&)> cmp_ =
      [this](const auto& x, const auto& y) { return backward_ ? x < y : x > y; };
  std::vector<std::pair<uint64_t, TxId>> heap_;
  std::unordered_set<TxId> queued_, done_;
  std::unordered_map<uint64_t, TaintedOutput> outputs_;
  // Per owner address: its spends, outpoint -> spending tx (forward).
  std::unordered_map<AddressId, std::unordered_map<uint64_t, TxId>> spends_;
  std::unordered_set<AddressId> holders_;
  U256 absorbed_ = 0;
};

Status UtxoTracer::SpenderOf(uint64_t outpoint, AddressId owner, std::optional<TxId>* spender) {
  auto it = spends_.find(owner);
  if (it == spends_.end()) {
    std::vector<Transfer> h;
    AddressId ids[1] = {owner};
    FT_RETURN_IF_ERROR(
        store_.TransfersOf(ids, Direction::kOut, BlockRange{0, opt_.blocks.last}, &h));
    ++rec_->stats().addresses_fetched;
    rec_->stats().transfers_fetched += h.size();
    auto& m = spends_[owner];
    for (const Transfer& t : h) {
      if (t.kind() == TransferKind::kUtxoIn && t.prevout != kNoPrevout) m[t.prevout] = t.tx;
    }
    it = spends_.find(owner);
  }
  auto s = it->second.find(outpoint);
  if (s != it->second.end()) *spender = s->second;
  return Status::OK();
}

Status UtxoTracer::Hold(uint64_t outpoint, AddressId owner, int hop, Piece piece, TxId via_tx) {
  const AssetId asset = kNativeAsset;
  if (piece.tainted == 0) return Status::OK();
  if (auto seeded = outputs_.find(outpoint); seeded != outputs_.end() && seeded->second.hop == 0) {
    // An output of a seed address: all of it was seeded already (a seed address's outputs are
    // tainted whole), so the taint arriving here is not new.
    rec_->Cons(asset).seeded -= piece.tainted;
    return Status::OK();
  }
  if (piece.tainted < rec_->DustThreshold(asset, absorbed_)) {
    rec_->Cons(asset).dust += piece.tainted;
    return Status::OK();
  }
  if (owner == kNoAddress) {  // an OP_RETURN or unparsable script: the value is gone
    rec_->Cons(asset).fees += piece.tainted;
    return Status::OK();
  }
  const bool seed = hop == 0;
  const AddressLabel& label = rec_->labels().Of(owner);
  if (!seed && label.stop) {
    rec_->Node(owner, hop, NodeRole::kEndpoint);
    rec_->Endpoint(owner, asset, piece.tainted, via_tx);
    return Status::OK();
  }
  const char* cut = nullptr;
  if (hop > opt_.max_hops) {
    cut = "hops";
    ++rec_->stats().cut_hops;
  } else if (!holders_.count(owner) && holders_.size() >= opt_.max_addresses) {
    cut = "addresses";
    ++rec_->stats().cut_addresses;
  }
  if (cut) {
    TraceNode& n = rec_->Node(owner, hop, NodeRole::kCut);
    if (n.cut_reason.empty()) n.cut_reason = cut;
    rec_->Cut(owner, asset, piece.tainted);
    return Status::OK();
  }
  holders_.insert(owner);
  rec_->Node(owner, hop, seed ? NodeRole::kSeed : NodeRole::kIntermediate);
  std::optional<TxId> next;
  if (backward_) {
    next = static_cast<TxId>(outpoint >> 32);
  } else {
    FT_RETURN_IF_ERROR(SpenderOf(outpoint, owner, &next));
  }
  outputs_[outpoint] = TaintedOutput{std::move(piece), owner, hop};
  if (next && opt_.blocks.Contains(static_cast<uint32_t>(OrderOf(*next) >> 32))) Push(*next);
  return Status::OK();
}

Status UtxoTracer::SeedOutputsOfTx(TxId tx) {
  std::vector<Transfer> ts;
  TxId ids[1] = {tx};
  FT_RETURN_IF_ERROR(store_.TransfersOfTxs(ids, &ts));
  if (backward_) {
    // Backward from a tx: its outputs are the funds whose origin is asked; process the tx.
    for (const Transfer& t : ts) {
      if (t.kind() != TransferKind::kUtxoOut || t.amount == 0) continue;
      rec_->Cons(kNativeAsset).seeded += t.amount;
      outputs_[Outpoint(tx, t.seq())] = {Piece::Tainted(t.amount, lots_), t.to, 0};
      if (t.to != kNoAddress) rec_->Node(t.to, 0, NodeRole::kSeed);
    }
    Push(tx);
    return Status::OK();
  }
  for (const Transfer& t : ts) {
    if (t.kind() != TransferKind::kUtxoOut || t.amount == 0) continue;
    rec_->Cons(kNativeAsset).seeded += t.amount;
    FT_RETURN_IF_ERROR(Hold(Outpoint(tx, t.seq()), t.to, 0, Piece::Tainted(t.amount, lots_), tx));
  }
  return Status::OK();
}

Status UtxoTracer::SeedAddress(AddressId a) {
  std::vector<Transfer> h;
  AddressId ids[1] = {a};
  FT_RETURN_IF_ERROR(
      store_.TransfersOf(ids, Direction::kBoth, BlockRange{0, opt_.blocks.last}, &h));
  std::unordered_map<uint64_t, uint32_t> spent_at;  // outpoint -> block of the spend
  for (const Transfer& t : h) {
    if (t.kind() == TransferKind::kUtxoIn && t.from == a) spent_at[t.prevout] = t.block;
  }
  for (const Transfer& t : h) {
    if (t.kind() != TransferKind::kUtxoOut || t.to != a || t.amount == 0) continue;
    const uint64_t op = Outpoint(t.tx, t.seq());
    auto s = spent_at.find(op);
    if (backward_) {
      // Everything it received up to the end of the window.
      rec_->Cons(kNativeAsset).seeded += t.amount;
      outputs_[op] = {Piece::Tainted(t.amount, lots_), a, 0};
      rec_->Node(a, 0, NodeRole::kSeed);
      if (opt_.blocks.Contains(t.block)) Push(t.tx);
      continue;
    }
    // Forward: outputs it holds at the start or receives after.
    if (t.block < opt_.blocks.first && s != spent_at.end() && s->second < opt_.blocks.first)
      continue;
    rec_->Cons(kNativeAsset).seeded += t.amount;
    FT_RETURN_IF_ERROR(Hold(op, a, 0, Piece::Tainted(t.amount, lots_), t.tx));
  }
  return Status::OK();
}

Piece UtxoTracer::TakeOutput(uint64_t outpoint, const U256& amount, Sources* src) {
  auto o = outputs_.find(outpoint);
  if (o == outputs_.end()) return Piece::Clean(amount, lots_);
  src->hop = std::min(src->hop, o->second.hop);
  if (o->second.piece.tainted > src->main_taint) {
    src->main_taint = o->second.piece.tainted;
    src->main_from = o->second.owner;
  }
  if (TraceNode* n = rec_->FindNode(o->second.owner))
    n->sent.Add(kNativeAsset, o->second.piece.tainted);
  Piece p = std::move(o->second.piece);
  outputs_.erase(o);
  return p;
}

Status UtxoTracer::ProcessTx(TxId tx) {
  TraceStats& st = rec_->stats();
  std::vector<Transfer> ts;
  TxId ids[1] = {tx};
  FT_RETURN_IF_ERROR(store_.TransfersOfTxs(ids, &ts));
  ++st.txs_processed;
  st.events_processed += ts.size();
  if (!ts.empty()) {
    if (st.txs_processed == 1) st.first_block = ts.front().block;
    st.last_block = ts.front().block;
  }
  std::vector<const Transfer*> ins, outs;
  U256 fee = 0;
  bool has_fee_row = false;
  for (const Transfer& t : ts) {
    switch (t.kind()) {
      case TransferKind::kUtxoIn:
        ins.push_back(&t);
        break;
      case TransferKind::kUtxoOut:
        outs.push_back(&t);
        break;
      case TransferKind::kFee:
        fee += t.amount;
        has_fee_row = true;
        break;
      default:
        break;
    }
  }
  U256 in_known = 0, out_total = 0;
  size_t unresolved = 0;
  for (const Transfer* t : ins) {
    if (t->unresolved()) {
      ++unresolved;
    } else {
      in_known += t->amount;
    }
  }
  for (const Transfer* t : outs) out_total += t->amount;
  // Value of unresolved inputs: whatever balances the tx.
  U256 unknown = 0;
  if (in_known < out_total + fee) unknown = out_total + fee - in_known;
  if (!has_fee_row && unresolved == 0 && in_known > out_total) fee = in_known - out_total;
  const AssetId asset = kNativeAsset;

  if (!backward_) {
    std::vector<Piece> inputs;
    Sources src;
    for (const Transfer* t : ins) {
      inputs.push_back(t->unresolved() ? Piece::Clean(unknown / unresolved, lots_)
                                       : TakeOutput(t->prevout, t->amount, &src));
    }
    if (unresolved > 0 && unknown % unresolved != 0) {
      inputs.back().amount += unknown % unresolved;  // keep the sums exact
      if (lots_) inputs.back() = Piece::Clean(inputs.back().amount, true);
    }
    if (!src.any()) return Status::OK();
    const int hop = src.hop;
    const AddressId main_from = src.main_from;
    std::vector<U256> amounts;
    for (const Transfer* t : outs) amounts.push_back(t->amount);
    U256 absorbed = 0;
    std::vector<Piece> pieces = SplitTx(opt_.policy, inputs, amounts, fee, &absorbed);
    absorbed_ += absorbed;
    rec_->Cons(asset).absorbed += absorbed;
    rec_->Cons(asset).fees += pieces.back().tainted;
    for (size_t i = 0; i < outs.size(); ++i) {
      const Transfer* t = outs[i];
      const U256 tainted = pieces[i].tainted;
      FT_RETURN_IF_ERROR(Hold(Outpoint(tx, t->seq()), t->to, hop + 1, std::move(pieces[i]), tx));
      if (tainted > 0 && rec_->FindNode(t->to)) rec_->Edge(main_from, t->to, asset, tainted, tx);
    }
    return Status::OK();
  }

  // Backward: the outputs (then the fee) are the reversed inputs; the inputs the reversed outputs.
  std::vector<Piece> rin;
  Sources src;
  for (const Transfer* t : outs) rin.push_back(TakeOutput(Outpoint(tx, t->seq()), t->amount, &src));
  if (!src.any()) return Status::OK();
  const int hop = src.hop;
  const AddressId main_from = src.main_from;
  if (ins.empty()) {
    // A coinbase: the value was mined here. The taint ends at the miner's output.
    for (size_t i = 0; i < outs.size(); ++i) {
      if (rin[i].tainted == 0) continue;
      TraceNode& n = rec_->Node(outs[i]->to, hop, NodeRole::kEndpoint);
      if (n.category.empty()) n.category = "coinbase";
      rec_->Endpoint(outs[i]->to, asset, rin[i].tainted, tx);
    }
    return Status::OK();
  }
  rin.push_back(Piece::Clean(fee, lots_));
  std::vector<U256> amounts;
  for (const Transfer* t : ins) amounts.push_back(t->unresolved() ? U256(0) : t->amount);
  if (unresolved > 0) {
    // The unresolved inputs share the unknown value; their taint is cut (origin not stored).
    for (size_t i = 0; i < ins.size(); ++i) {
      if (ins[i]->unresolved()) amounts[i] = unknown / unresolved;
    }
    for (size_t i = ins.size(); i-- > 0;) {
      if (ins[i]->unresolved()) {
        amounts[i] += unknown % unresolved;
        break;
      }
    }
  }
  U256 absorbed = 0;
  // The reversed "fee" is nothing: inputs take all (outputs + fee) == inputs.
  std::vector<Piece> pieces = SplitTx(opt_.policy, rin, amounts, U256(0), &absorbed);
  absorbed_ += absorbed;
  rec_->Cons(asset).absorbed += absorbed;
  rec_->Cons(asset).fees += pieces.back().tainted;  // zero unless the sums did not meet
  for (size_t i = 0; i < ins.size(); ++i) {
    const Transfer* t = ins[i];
    if (t->unresolved()) {
      if (pieces[i].tainted > 0) {
        rec_->Cons(asset).cut += pieces[i].tainted;
        ++st.cut_unresolved;
      }
      continue;
    }
    const U256 tainted = pieces[i].tainted;
    FT_RETURN_IF_ERROR(Hold(t->prevout, t->from, hop + 1, std::move(pieces[i]), tx));
    if (tainted > 0 && rec_->FindNode(t->from)) rec_->Edge(main_from, t->from, asset, tainted, tx);
  }
  return Status::OK();
}

Status UtxoTracer::Run() {
  for (uint64_t op : opt_.seeds.outputs) {
    std::vector<Transfer> ts;
    TxId ids[1] = {static_cast<TxId>(op >> 32)};
    FT_RETURN_IF_ERROR(store_.TransfersOfTxs(ids, &ts));
    bool found = false;
    for (const Transfer& t : ts) {
      if (t.kind() != TransferKind::kUtxoOut || t.seq() != (op & 0xFFFFFFFFu)) continue;
      found = true;
      rec_->Cons(kNativeAsset).seeded += t.amount;
      if (backward_) {
        outputs_[op] = {Piece::Tainted(t.amount, lots_), t.to, 0};
        rec_->Node(t.to, 0, NodeRole::kSeed);
        Push(ids[0]);
      } else {
        FT_RETURN_IF_ERROR(Hold(op, t.to, 0, Piece::Tainted(t.amount, lots_), ids[0]));
      }
    }
    if (!found)
      return Status::NotFound("the seed tx has no output " + std::to_string(op & 0xFFFFFFFFu));
  }
  for (TxId tx : opt_.seeds.txs) FT_RETURN_IF_ERROR(SeedOutputsOfTx(tx));
  for (AddressId a : opt_.seeds.addresses) {
    if (opt_.deadline.Expired()) {
      return Status::DeadlineExceeded("the trace ran out of its time budget while seeding");
    }
    FT_RETURN_IF_ERROR(SeedAddress(a));
  }
  for (uint64_t n = 0; !heap_.empty(); ++n) {
    if (n % kDeadlineEvery == 0 && opt_.deadline.Expired()) {
      return Status::DeadlineExceeded("the trace ran out of its time budget after " +
                                      std::to_string(n) + " txs");
    }
    std::pop_heap(heap_.begin(), heap_.end(), cmp_);
    TxId tx = heap_.back().second;
    heap_.pop_back();
    queued_.erase(tx);
    if (done_.count(tx)) continue;
    done_.insert(tx);
    FT_RETURN_IF_ERROR(ProcessTx(tx));
  }
  for (const auto& [op, o] : outputs_) {
    if (o.piece.tainted == 0) continue;
    rec_->Cons(kNativeAsset).held += o.piece.tainted;
    if (TraceNode* n = rec_->FindNode(o.owner)) n->held.Add(kNativeAsset, o.piece.tainted);
  }
  return Status::OK();
}

}  // namespace

Status TraceUtxo(const ChainStore& store, TraceRecorder* recorder) {
  UtxoTracer t(store, recorder);
  return t.Run();
}

std::vector<Piece> SplitTx(TracePolicy policy, const std::vector<Piece>& inputs,
                           const std::vector<U256>& outputs, const U256& fee, U256* absorbed) {
  const bool lots = UsesLots(policy);
  std::vector<U256> sinks = outputs;
  sinks.push_back(fee);
  U256 total = 0, tainted = 0, sunk = 0;
  for (const Piece& p : inputs) {
    total += p.amount;
    tainted += p.tainted;
  }
  for (const U256& s : sinks) sunk += s;
  if (total > sunk) sinks.back() += total - sunk;  // what the outputs do not take is fee
  std::vector<Piece> out(sinks.size());
  switch (policy) {
    case TracePolicy::kPoison: {
      const bool any = tainted > 0;
      if (any) *absorbed += total - tainted;
      for (size_t i = 0; i < sinks.size(); ++i) {
        out[i] = any ? Piece::Tainted(sinks[i], false) : Piece::Clean(sinks[i], false);
      }
      break;
    }
    case TracePolicy::kHaircut: {
      // Cumulative floors: the parts sum exactly to the tainted total.
      U256 cum = 0, prev = 0;
      for (size_t i = 0; i < sinks.size(); ++i) {
        cum += sinks[i];
        U256 upto = cum >= total ? tainted : MulDiv(cum, tainted, total);
        out[i].amount = sinks[i];
        out[i].tainted = upto - prev;
        prev = upto;
      }
      break;
    }
    case TracePolicy::kFifo:
    case TracePolicy::kLifo: {
      std::vector<Lot> all;
      for (const Piece& p : inputs) {
        if (p.lots.empty()) {
          AppendLot(&all, p.tainted, true);
          AppendLot(&all, p.amount - p.tainted, false);
        } else {
          for (const Lot& l : p.lots) AppendLot(&all, l.amount, l.tainted);
        }
      }
      const bool fifo = policy == TracePolicy::kFifo;
      // FIFO: outputs take from the front in order, the fee last. LIFO: from the back.
      size_t front = 0, back = all.size();
      for (size_t i = 0; i < sinks.size(); ++i) {
        U256 need = sinks[i];
        out[i].amount = sinks[i];
        std::vector<Lot> taken;
        while (need > 0 && front < back) {
          Lot& l = fifo ? all[front] : all[back - 1];
          U256 take = l.amount < need ? l.amount : need;
          AppendLot(&taken, take, l.tainted);
          if (l.tainted) out[i].tainted += take;
          need -= take;
          l.amount -= take;
          if (l.amount == 0) {
            if (fifo) {
              ++front;
            } else {
              --back;
            }
          }
        }
        if (!fifo) std::reverse(taken.begin(), taken.end());
        if (need > 0) AppendLot(&taken, need, false);  // sums did not meet: clean filler
        if (lots) out[i].lots = std::move(taken);
      }
      break;
    }
  }
  return out;
}

}  // namespace fundtrace
