#include "store/native_flows.h"

#include <algorithm>

namespace fundtrace {
namespace {

constexpr Wide kWideMax = ~Wide{0};


// Folds `b` into `a` (same address and other).
void Combine(NativeFlow* a, const NativeFlow& b, const TxHashLess& hash_less) {
  a->amount = SaturatingAdd(a->amount, b.amount);
  bool larger = b.largest != a->largest ? b.largest > a->largest
                                        : (b.largest_tx != a->largest_tx &&
                                           hash_less(b.largest_tx, a->largest_tx));
  if (larger) {
    a->largest = b.largest;
    a->largest_tx = b.largest_tx;
  }
}

// Sorts [from, end) and folds equal keys, keeping the first of each run.
void SortAndFold(std::vector<NativeFlow>* v, size_t from, const TxHashLess& hash_less) {
  std::sort(v->begin() + static_cast<ptrdiff_t>(from), v->end(),
            [](const NativeFlow& a, const NativeFlow& b) {
              return a.address != b.address ? a.address < b.address : a.other < b.other;
            });
  size_t w = from;
  for (size_t r = from; r < v->size(); ++r) {
    if (w > from && (*v)[w - 1].address == (*v)[r].address && (*v)[w - 1].other == (*v)[r].other) {
      Combine(&(*v)[w - 1], (*v)[r], hash_less);
    } else {
      (*v)[w++] = (*v)[r];
    }
  }
  v->resize(w);
}

}  // namespace

Wide SaturatingAdd(Wide a, Wide b) { return a > kWideMax - b ? kWideMax : a + b; }

Wide NativeFlowAmount(const Transfer& t) {
  if (t.asset != kNativeAsset || t.from == t.to) return 0;
  if (t.kind() != TransferKind::kNative && t.kind() != TransferKind::kInternal) return 0;
  if (t.amount > U256(kWideMax)) return kWideMax;
  return static_cast<Wide>(t.amount);
}

std::vector<AddressId> SortedIds(std::span<const AddressId> ids) {
  std::vector<AddressId> v(ids.begin(), ids.end());
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

void AggregateNativeFlows(std::span<const Transfer> rows, std::span<const AddressId> asked,
                          Direction dir, const TxHashLess& hash_less,
                          std::vector<NativeFlow>* out) {
  const size_t from = out->size();
  for (const Transfer& t : rows) {
    Wide v = NativeFlowAmount(t);
    if (v == 0) continue;
    AddressId mine = dir == Direction::kIn ? t.to : t.from;
    AddressId other = dir == Direction::kIn ? t.from : t.to;
    if (!std::binary_search(asked.begin(), asked.end(), mine)) continue;
    out->push_back(NativeFlow{mine, other, t.tx, v, v});
  }
  SortAndFold(out, from, hash_less);
}

void MergeNativeFlows(std::vector<NativeFlow>* flows, size_t from, const TxHashLess& hash_less) {
  SortAndFold(flows, from, hash_less);
}

}  // namespace fundtrace
