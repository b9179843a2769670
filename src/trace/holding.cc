#include "trace/holding.h"

#include <cassert>

namespace fundtrace {

namespace {
using U512 = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    512, 512, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;

}  // namespace

void AppendLot(std::vector<Lot>* lots, const U256& amount, bool tainted) {
  if (amount == 0) return;
  if (!lots->empty() && lots->back().tainted == tainted) {
    lots->back().amount += amount;
  } else {
    lots->push_back({amount, tainted});
  }
}

U256 MulDiv(const U256& a, const U256& b, const U256& c) {
  assert(c > 0);
  if (b == c) return a;
  if (a == 0 || b == 0) return 0;
  // 128-bit fast path when every operand fits in 64 bits.
  if (a <= UINT64_MAX && b <= UINT64_MAX && c <= UINT64_MAX) {
    unsigned __int128 p =
        static_cast<unsigned __int128>(static_cast<uint64_t>(a)) * static_cast<uint64_t>(b);
    p /= static_cast<uint64_t>(c);
    return (U256(static_cast<uint64_t>(p >> 64)) << 64) | U256(static_cast<uint64_t>(p));
  }
  U512 p = U512(a) * U512(b);
  p /= U512(c);
  return U256(p);
}

Piece Piece::Clean(const U256& amount, bool with_lots) {
  Piece p;
  p.amount = amount;
  if (with_lots) AppendLot(&p.lots, amount, false);
  return p;
}

Piece Piece::Tainted(const U256& amount, bool with_lots) {
  Piece p;
  p.amount = amount;
  p.tainted = amount;
  if (with_lots) AppendLot(&p.lots, amount, true);
  return p;
}

void Piece::Clean() {
  tainted = 0;
  if (!lots.empty()) {
    lots.clear();
    AppendLot(&lots, amount, false);
  }
}

void Piece::SetTaintedFront(const U256& t, bool with_lots) {
  assert(t <= amount);
  tainted = t;
  lots.clear();
  if (with_lots) {
    AppendLot(&lots, t, true);
    AppendLot(&lots, amount - t, false);
  }
}

Holding::Holding(TracePolicy policy, const U256& balance, bool source, HoldingFlows* flows)
    : policy_(policy), source_(source), balance_(balance) {
  if (source_) {
    tainted_ = balance;
    flows->seeded += balance;
  }
  if (UsesLots(policy_)) PushLot(balance, source_);
}

void Holding::PushLot(const U256& amount, bool tainted) {
  if (amount == 0) return;
  if (!lots_.empty() && lots_.back().tainted == tainted) {
    lots_.back().amount += amount;
  } else {
    lots_.push_back({amount, tainted});
  }
}

Piece Holding::Take(const U256& amount, HoldingFlows* flows) {
  const bool lots = UsesLots(policy_);
  if (amount > balance_) {
    // Value of unknown origin: clean, except in a seed holding (all tainted) and in a
    // poisoned one (which absorbs it).
    U256 extra = amount - balance_;
    ++flows->topups;
    if (source_) {
      flows->seeded += extra;
      tainted_ += extra;
    } else if (poisoned_) {
      flows->absorbed += extra;
      tainted_ += extra;
    }
    balance_ = amount;
    if (lots) {
      // Oldest for FIFO (it was there before the window); LIFO takes from the back, so put it
      // at the front too: either way this outflow takes it and everything else.
      Lot l{extra, source_ || poisoned_};
      if (!lots_.empty() && lots_.front().tainted == l.tainted) {
        lots_.front().amount += extra;
      } else {
        lots_.push_front(l);
      }
    }
  }
  Piece out;
  out.amount = amount;
  switch (policy_) {
    case TracePolicy::kPoison:
      out.tainted = poisoned_ || source_ ? amount : U256(0);
      break;
    case TracePolicy::kHaircut:
      out.tainted = source_ ? amount : MulDiv(amount, tainted_, balance_);
      break;
    case TracePolicy::kFifo:
    case TracePolicy::kLifo: {
      U256 need = amount;
      const bool fifo = policy_ == TracePolicy::kFifo;
      while (need > 0) {
        assert(!lots_.empty());
        Lot& l = fifo ? lots_.front() : lots_.back();
        U256 take = l.amount < need ? l.amount : need;
        AppendLot(&out.lots, take, l.tainted);
        if (l.tainted) out.tainted += take;
        need -= take;
        l.amount -= take;
        if (l.amount == 0) {
          if (fifo) {
            lots_.pop_front();
          } else {
            lots_.pop_back();
          }
        }
      }
      break;
    }
  }
  balance_ -= amount;
  tainted_ -= out.tainted;
  if (poisoned_ || source_) tainted_ = balance_;
  return out;
}

void Holding::Put(const Piece& piece, HoldingFlows* flows) {
  balance_ += piece.amount;
  if (source_) {
    flows->seeded += piece.amount - piece.tainted;
    tainted_ = balance_;
    if (UsesLots(policy_)) PushLot(piece.amount, true);
    return;
  }
  if (policy_ == TracePolicy::kPoison) {
    if (!poisoned_ && piece.tainted > 0) {
      poisoned_ = true;
      flows->absorbed += balance_ - piece.amount;  // what it held before
    }
    if (poisoned_) {
      flows->absorbed += piece.amount - piece.tainted;
      tainted_ = balance_;
    }
    return;
  }
  tainted_ += piece.tainted;
  if (UsesLots(policy_)) {
    if (piece.lots.empty()) {
      PushLot(piece.amount - piece.tainted, false);
      PushLot(piece.tainted, true);
    } else {
      for (const Lot& l : piece.lots) PushLot(l.amount, l.tainted);
    }
  }
}

}  // namespace fundtrace
