// The taint an amount of value carries (Piece) and the taint state of one holding (an address's
// balance of one asset, or one Bitcoin output) under each policy. All arithmetic is exact on
// U256; a haircut share is floor(amount x tainted / balance) computed in 512 bits.
#pragma once

#include <deque>
#include <vector>

#include "chain/amount.h"
#include "trace/trace.h"

namespace fundtrace {

// A run of units in arrival order, all tainted or all clean.
struct Lot {
  U256 amount = 0;
  bool tainted = false;
};

// Value moving along one transfer: its amount, the tainted part, and for FIFO/LIFO the lots in
// order (sum of lot amounts == amount; sum of tainted lots == tainted).
struct Piece {
  U256 amount = 0;
  U256 tainted = 0;
  std::vector<Lot> lots;  // FIFO/LIFO only

  static Piece Clean(const U256& amount, bool with_lots);
  static Piece Tainted(const U256& amount, bool with_lots);
  // Turns the taint of this piece into clean value (dust dropped, taint converted by a swap).
  void Clean();
  // Replaces the taint of a clean piece by `tainted` units at its front.
  void SetTaintedFront(const U256& tainted, bool with_lots);
};

// Appends `amount` units to `lots`, merging with the last lot when it has the same taint.
void AppendLot(std::vector<Lot>* lots, const U256& amount, bool tainted);

// floor(a * b / c) exactly, through 512 bits. REQUIRES: c > 0 and a result below 2^256
// (always so when b <= c).
U256 MulDiv(const U256& a, const U256& b, const U256& c);

// Where taint appears or disappears inside a holding, for the conservation line.
struct HoldingFlows {
  U256 seeded = 0;    // a seed holding: everything it receives or is found to hold
  U256 absorbed = 0;  // poison: clean value that entered a poisoned holding
  uint64_t topups = 0;
};

class Holding {
 public:
  Holding() = default;
  // A holding with `balance` of clean value before any taint arrived.
  Holding(TracePolicy policy, const U256& balance, bool source, HoldingFlows* flows);

  // Takes `amount` out. An outflow beyond the balance (the store's window does not show where
  // the rest came from) takes the whole balance plus clean value of unknown origin (tainted for
  // a seed holding, as everything a seed holds is).
  Piece Take(const U256& amount, HoldingFlows* flows);
  void Put(const Piece& piece, HoldingFlows* flows);

  const U256& balance() const { return balance_; }
  const U256& tainted() const { return tainted_; }
  bool source() const { return source_; }

 private:
  void PushLot(const U256& amount, bool tainted);
  TracePolicy policy_ = TracePolicy::kFifo;
  bool source_ = false;
  bool poisoned_ = false;
  U256 balance_ = 0;
  U256 tainted_ = 0;
  std::deque<Lot> lots_;  // FIFO/LIFO: front = oldest
};

inline bool UsesLots(TracePolicy p) { return p == TracePolicy::kFifo || p == TracePolicy::kLifo; }

}  // namespace fundtrace
