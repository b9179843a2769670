#include "synth/hack_ledger.h"

#include <cassert>

#include "chain/amount.h"

namespace fundtrace::synth {
namespace {

U256 Wide(Uint128 v) {
  U256 r = static_cast<uint64_t>(v >> 64);
  r <<= 64;
  r += static_cast<uint64_t>(v);
  return r;
}

}  // namespace

Uint128 MulDiv(Uint128 a, Uint128 b, Uint128 c) {
  assert(c > 0);
  if (a == 0 || b == 0) return 0;
  if (b <= UINT64_MAX && a <= UINT64_MAX) return a * b / c;
  const U256 q = Wide(a) * Wide(b) / Wide(c);
  const U256 high = q >> 64;
  const U256 low = q & U256(UINT64_MAX);
  return (Uint128{high.convert_to<uint64_t>()} << 64) | low.convert_to<uint64_t>();
}

void HackLedger::Credit(SynthAddr a, AssetKey asset, Uint128 amount) {
  if (amount == 0) return;
  Give(a, {Lot{asset, amount, asset, amount}});
}

Uint128 HackLedger::Balance(SynthAddr a, AssetKey asset) const {
  auto it = lots_.find(a);
  if (it == lots_.end()) return 0;
  Uint128 total = 0;
  for (const Lot& l : it->second) {
    if (l.asset == asset) total += l.amount;
  }
  return total;
}

std::vector<Lot> HackLedger::Take(SynthAddr a, AssetKey asset, Uint128 amount) {
  std::vector<Lot> out;
  if (amount == 0) return out;
  auto& lots = lots_[a];
  for (Lot& l : lots) {
    if (amount == 0) break;
    if (l.asset != asset || l.amount == 0) continue;
    if (l.amount <= amount) {
      out.push_back(l);
      amount -= l.amount;
      l.amount = 0;
      l.origin_amount = 0;
    } else {
      const Uint128 origin_part = MulDiv(l.origin_amount, amount, l.amount);
      out.push_back(Lot{asset, amount, l.origin, origin_part});
      l.amount -= amount;
      l.origin_amount -= origin_part;
      amount = 0;
    }
  }
  assert(amount == 0 && "HackLedger::Take: balance too small");
  std::erase_if(lots, [](const Lot& l) { return l.amount == 0 && l.origin_amount == 0; });
  return out;
}

void HackLedger::Give(SynthAddr a, const std::vector<Lot>& pieces) {
  auto& lots = lots_[a];
  for (const Lot& p : pieces) {
    if (p.amount == 0 && p.origin_amount == 0) continue;
    if (!lots.empty() && lots.back().asset == p.asset && lots.back().origin == p.origin) {
      lots.back().amount += p.amount;
      lots.back().origin_amount += p.origin_amount;
    } else {
      lots.push_back(p);
    }
  }
}

std::vector<Lot> HackLedger::Convert(const std::vector<Lot>& in, AssetKey asset_out, Uint128 out) {
  const Uint128 total = Total(in);
  assert(total > 0);
  std::vector<Lot> result;
  Uint128 given = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const Uint128 part = i + 1 == in.size() ? out - given : MulDiv(out, in[i].amount, total);
    given += part;
    result.push_back(Lot{asset_out, part, in[i].origin, in[i].origin_amount});
  }
  return result;
}

OriginSplit HackLedger::Origins(const std::vector<Lot>& pieces) {
  OriginSplit o;
  for (const Lot& p : pieces) o[p.origin] += p.origin_amount;
  return o;
}

Uint128 HackLedger::Total(const std::vector<Lot>& pieces) {
  Uint128 t = 0;
  for (const Lot& p : pieces) t += p.amount;
  return t;
}

std::map<SynthAddr, std::vector<Lot>> HackLedger::Holdings() const {
  std::map<SynthAddr, std::vector<Lot>> out;
  for (const auto& [addr, lots] : lots_) {
    std::map<std::pair<AssetKey, AssetKey>, Lot> merged;
    for (const Lot& l : lots) {
      Lot& m = merged[{l.asset, l.origin}];
      m.asset = l.asset;
      m.origin = l.origin;
      m.amount += l.amount;
      m.origin_amount += l.origin_amount;
    }
    for (const auto& [key, l] : merged) {
      if (l.amount != 0 || l.origin_amount != 0) out[addr].push_back(l);
    }
  }
  return out;
}

}  // namespace fundtrace::synth
