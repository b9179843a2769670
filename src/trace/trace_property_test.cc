// Property tests of the trace engines over random small chains: the conservation line balances
// exactly for every policy and direction, and results do not depend on how the chain was split
// into ingest batches (nor on the order addresses got their ids).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "chain/address.h"
#include "store/embedded_store.h"
#include "trace/holding.h"
#include "trace/trace.h"
#include "trace/utxo_tracer.h"

namespace fundtrace {
namespace {

struct RowSpec {
  TransferKind kind;
  uint32_t seq;
  int from, to;  // address index, -1 = none
  int asset;     // 0 native, 1 token
  uint64_t amount;
  uint64_t prevout_tx = 0, prevout_vout = 0;  // UTXO inputs: tx index, vout
};
struct TxSpec {
  uint32_t block;
  uint32_t pos;
  std::vector<RowSpec> rows;
};
struct ChainSpec {
  Chain chain = Chain::kEthereum;
  int addresses = 0;
  std::vector<TxSpec> txs;
};

std::string KeyOf(Chain chain, int i) {
  std::string payload(20, '\0');
  payload[0] = static_cast<char>(0x10 + (i >> 8));
  payload[19] = static_cast<char>(i & 0xFF);
  return MakeAddressKey(chain == Chain::kBitcoin ? AddressType::kP2pkh : AddressType::kEvm,
                        std::span(reinterpret_cast<const uint8_t*>(payload.data()), 20));
}
Hash32 HashOf(size_t i) {
  Hash32 h{};
  h[0] = 0xAB;
  h[30] = static_cast<uint8_t>(i >> 8);
  h[31] = static_cast<uint8_t>(i);
  return h;
}
const std::string kToken = [] {
  std::string k = KeyOf(Chain::kEthereum, 4000);
  return k;
}();

// Writes the chain into a store in `parts` batches split by block; addresses are registered in
// a shuffled order when `shuffle` is set.
void Build(const ChainSpec& c, const std::string& dir, int parts, bool shuffle) {
  auto store = EmbeddedChainStore::Open(dir, c.chain, true);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const uint32_t last = c.txs.empty() ? 0 : c.txs.back().block;
  size_t t = 0;
  std::map<size_t, TxId> tx_ids;
  for (int p = 0; p < parts; ++p) {
    const uint32_t until = parts == 1 ? UINT32_MAX : (last + 1) * (p + 1) / parts;
    auto batch = (*store)->NewBatch();
    std::vector<int> order(c.addresses);
    for (int i = 0; i < c.addresses; ++i) order[i] = i;
    if (shuffle) std::reverse(order.begin(), order.end());
    std::map<int, AddressId> ids;
    for (int i : order) ids[i] = batch->Address(KeyOf(c.chain, i));
    AssetId token = c.chain == Chain::kEthereum ? batch->Asset(kToken) : 0;
    for (; t < c.txs.size() && c.txs[t].block < until; ++t) {
      const TxSpec& tx = c.txs[t];
      TxInfo info;
      info.hash = HashOf(t);
      info.block = tx.block;
      info.pos = tx.pos;
      info.time = 1600000000 + tx.block * 12;
      info.status = TxStatus::kSuccess;
      bool is_new = false;
      TxId id = batch->Tx(info, &is_new);
      tx_ids[t] = id;
      for (const RowSpec& r : tx.rows) {
        AddressId from = r.from < 0 ? kNoAddress : ids[r.from];
        AddressId to = r.to < 0 ? kNoAddress : ids[r.to];
        uint64_t prevout = kNoPrevout;
        if (r.kind == TransferKind::kUtxoIn)
          prevout = (uint64_t{tx_ids[r.prevout_tx]} << 32) | r.prevout_vout;
        batch->Add(id, r.kind, r.seq, from, to, r.asset ? token : kNativeAsset, U256(r.amount),
                   prevout);
      }
    }
    CommitStats st;
    Status s = batch->Commit(&st);
    ASSERT_TRUE(s.ok()) << s.message();
  }
}

ChainSpec GenAccountChain() {
  ChainSpec c;
  c.addresses = *rc::gen::inRange(4, 14);
  const int blocks = *rc::gen::inRange(2, 12);
  for (int b = 1; b <= blocks; ++b) {
    const int n = *rc::gen::inRange(1, 5);
    for (int p = 0; p < n; ++p) {
      TxSpec tx{static_cast<uint32_t>(b), static_cast<uint32_t>(p), {}};
      const int from = *rc::gen::inRange(0, c.addresses);
      const int to = *rc::gen::inRange(0, c.addresses);
      tx.rows.push_back(
          {TransferKind::kNative, 0, from, to, 0, *rc::gen::inRange<uint64_t>(0, 1000)});
      if (*rc::gen::inRange(0, 3) == 0) {  // a contract call moving value onwards / back
        const int other = *rc::gen::inRange(0, c.addresses);
        tx.rows.push_back(
            {TransferKind::kInternal, 1, to, other, 0, *rc::gen::inRange<uint64_t>(1, 500)});
      }
      if (*rc::gen::inRange(0, 3) == 0) {  // token leg (a swap when it comes back to `from`)
        const bool back = *rc::gen::element(true, false);
        tx.rows.push_back({TransferKind::kToken, 2, back ? to : from, back ? from : to, 1,
                           *rc::gen::inRange<uint64_t>(1, 100000)});
      }
      tx.rows.push_back({TransferKind::kFee, 0, from, -1, 0, *rc::gen::inRange<uint64_t>(0, 20)});
      c.txs.push_back(tx);
    }
  }
  return c;
}

ChainSpec GenUtxoChain() {
  ChainSpec c;
  c.chain = Chain::kBitcoin;
  c.addresses = *rc::gen::inRange(3, 10);
  struct Unspent {
    size_t tx;
    uint32_t vout;
    int owner;
    uint64_t value;
  };
  std::vector<Unspent> utxos;
  const int blocks = *rc::gen::inRange(2, 10);
  for (int b = 1; b <= blocks; ++b) {
    // A coinbase per block.
    TxSpec cb{static_cast<uint32_t>(b), 0, {}};
    const int outs = *rc::gen::inRange(1, 3);
    for (int v = 0; v < outs; ++v) {
      int owner = *rc::gen::inRange(0, c.addresses);
      uint64_t value = *rc::gen::inRange<uint64_t>(1, 5000);
      cb.rows.push_back({TransferKind::kUtxoOut, static_cast<uint32_t>(v), -1, owner, 0, value});
      utxos.push_back({c.txs.size(), static_cast<uint32_t>(v), owner, value});
    }
    c.txs.push_back(cb);
    const int n = *rc::gen::inRange(0, 4);
    for (int p = 1; p <= n && !utxos.empty(); ++p) {
      TxSpec tx{static_cast<uint32_t>(b), static_cast<uint32_t>(p), {}};
      const int ins = *rc::gen::inRange(1, std::min<int>(3, static_cast<int>(utxos.size())) + 1);
      uint64_t total = 0;
      for (int i = 0; i < ins; ++i) {
        size_t k = *rc::gen::inRange<size_t>(0, utxos.size());
        Unspent u = utxos[k];
        utxos.erase(utxos.begin() + static_cast<ptrdiff_t>(k));
        RowSpec r{TransferKind::kUtxoIn, static_cast<uint32_t>(i), u.owner, -1, 0, u.value};
        r.prevout_tx = u.tx;
        r.prevout_vout = u.vout;
        tx.rows.push_back(r);
        total += u.value;
      }
      const uint64_t fee = *rc::gen::inRange<uint64_t>(0, std::min<uint64_t>(total, 10) + 1);
      uint64_t left = total - fee;
      const int outs2 = *rc::gen::inRange(1, 4);
      for (int v = 0; v < outs2 && left > 0; ++v) {
        uint64_t value = v + 1 == outs2 ? left : *rc::gen::inRange<uint64_t>(1, left + 1);
        left -= value;
        int owner = *rc::gen::inRange(0, c.addresses);
        tx.rows.push_back({TransferKind::kUtxoOut, static_cast<uint32_t>(v), -1, owner, 0, value});
        utxos.push_back({c.txs.size(), static_cast<uint32_t>(v), owner, value});
      }
      if (fee > 0) tx.rows.push_back({TransferKind::kFee, 0, -1, -1, 0, fee + left});
      c.txs.push_back(tx);
    }
  }
  return c;
}

TraceOptions GenOptions(const EmbeddedChainStore& store, const ChainSpec& c) {
  TraceOptions o;
  o.policy = *rc::gen::element(TracePolicy::kPoison, TracePolicy::kHaircut, TracePolicy::kFifo,
                               TracePolicy::kLifo);
  o.backward = *rc::gen::element(false, true);
  o.max_hops = *rc::gen::inRange(1, 8);
  o.dust_ratio = *rc::gen::element(0.0, 0.001, 0.05);
  o.max_addresses = *rc::gen::inRange<size_t>(1, 20);
  o.stop_categories.clear();
  const int stops = *rc::gen::inRange(0, 3);
  for (int i = 0; i < stops; ++i) {
    o.stop_addresses.insert(*store.FindAddress(KeyOf(c.chain, *rc::gen::inRange(0, c.addresses))));
  }
  if (*rc::gen::element(true, false)) {
    o.seeds.addresses.push_back(
        *store.FindAddress(KeyOf(c.chain, *rc::gen::inRange(0, c.addresses))));
  } else {
    size_t t = *rc::gen::inRange<size_t>(0, c.txs.size());
    o.seeds.txs.push_back(*store.FindTx(HashOf(t)));
  }
  return o;
}

// The result keyed by what does not depend on ids.
std::string Canonical(const EmbeddedChainStore& s, const TraceResult& r) {
  std::map<std::string, std::string> m;
  for (const auto& [a, c] : r.conservation) {
    std::string k = "cons/" + s.Asset(a).contract;
    m[k] = ToDecimalString(c.seeded) + "," + ToDecimalString(c.absorbed) + "," +
           ToDecimalString(c.swapped_in) + "," + ToDecimalString(c.held) + "," +
           ToDecimalString(c.endpoints) + "," + ToDecimalString(c.dust) + "," +
           ToDecimalString(c.fees) + "," + ToDecimalString(c.cut) + "," +
           ToDecimalString(c.swapped_out);
  }
  for (const TraceEndpoint& e : r.endpoints) {
    m["ep/" + s.AddressKey(e.address) + "/" + s.Asset(e.asset).contract] =
        ToDecimalString(e.amount);
  }
  for (const TraceNode& n : r.nodes) {
    std::string v = std::to_string(n.hop) + NodeRoleName(n.role);
    for (const auto& [a, x] : n.held.by_asset)
      v += "/" + s.Asset(a).contract + "=" + ToDecimalString(x);
    m["node/" + s.AddressKey(n.address)] = v;
  }
  std::string out;
  for (const auto& [k, v] : m) out += k + "=" + v + "\n";
  return out;
}

void CheckChain(const ChainSpec& c) {
  std::filesystem::path base = std::filesystem::temp_directory_path() /
                               ("fundtrace-trace-prop-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  Build(c, (base / "one").string(), 1, false);
  Build(c, (base / "split").string(), *rc::gen::inRange(2, 4), true);
  {
    auto one = EmbeddedChainStore::OpenReadOnly((base / "one").string(), c.chain);
    auto split = EmbeddedChainStore::OpenReadOnly((base / "split").string(), c.chain);
    RC_ASSERT(one.ok());
    RC_ASSERT(split.ok());
    TraceOptions o = GenOptions(**one, c);
    auto r1 = RunTrace(**one, o);
    if (!r1.ok()) {
      RC_ASSERT(r1.status().IsNotFound());  // nothing seeded: fine
    } else {
      for (const auto& [a, cons] : r1->conservation) {
        RC_ASSERT(cons.balanced());
      }
      // The same trace on the store built in several batches, with other ids.
      TraceOptions o2 = o;
      auto remap = [&](AddressId id) { return *(*split)->FindAddress((*one)->AddressKey(id)); };
      for (auto& a : o2.seeds.addresses) a = remap(a);
      for (auto& t : o2.seeds.txs) t = *(*split)->FindTx((*one)->Tx(t).hash);
      std::set<AddressId> stops;
      for (AddressId a : o.stop_addresses) stops.insert(remap(a));
      o2.stop_addresses = stops;
      auto r2 = RunTrace(**split, o2);
      RC_ASSERT(r2.ok());
      RC_ASSERT(Canonical(**one, *r1) == Canonical(**split, *r2));
    }
  }
  std::filesystem::remove_all(base);
}

RC_GTEST_PROP(TraceProperty, AccountChainsConserveAndIgnoreBatching, ()) {
  CheckChain(GenAccountChain());
}

RC_GTEST_PROP(TraceProperty, UtxoChainsConserveAndIgnoreBatching, ()) {
  CheckChain(GenUtxoChain());
}

TEST(TraceHolding, FifoTakesOldestLotsFirst) {
  HoldingFlows f;
  Holding h(TracePolicy::kFifo, U256(10), false, &f);  // 10 clean
  h.Put(Piece::Tainted(U256(5), true), &f);
  Piece p = h.Take(U256(12), &f);  // 10 clean + 2 tainted
  EXPECT_EQ(p.tainted, 2);
  EXPECT_EQ(h.tainted(), 3);
  Holding l(TracePolicy::kLifo, U256(10), false, &f);
  l.Put(Piece::Tainted(U256(5), true), &f);
  EXPECT_EQ(l.Take(U256(6), &f).tainted, 5);
}

TEST(TraceHolding, HaircutIsProportionalAndExact) {
  HoldingFlows f;
  Holding h(TracePolicy::kHaircut, U256(30), false, &f);
  h.Put(Piece::Tainted(U256(10), false), &f);  // 10 of 40 tainted
  EXPECT_EQ(h.Take(U256(20), &f).tainted, 5);
  EXPECT_EQ(h.tainted(), 5);
  EXPECT_EQ(h.balance(), 20);
}

TEST(TraceHolding, PoisonAbsorbsCleanValue) {
  HoldingFlows f;
  Holding h(TracePolicy::kPoison, U256(30), false, &f);
  h.Put(Piece::Tainted(U256(10), false), &f);
  EXPECT_EQ(f.absorbed, 30);
  EXPECT_EQ(h.Take(U256(40), &f).tainted, 40);
}

TEST(TraceSplitTx, FifoFollowsInputOrderOverOutputsThenFee) {
  // Inputs: 5 clean, 5 tainted. Outputs 4, 4; fee 2: FIFO gives 0, 3 and the fee 2.
  std::vector<Piece> in = {Piece::Clean(U256(5), true), Piece::Tainted(U256(5), true)};
  U256 absorbed = 0;
  auto out = SplitTx(TracePolicy::kFifo, in, {U256(4), U256(4)}, U256(2), &absorbed);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].tainted, 0);
  EXPECT_EQ(out[1].tainted, 3);
  EXPECT_EQ(out[2].tainted, 2);
  auto hc = SplitTx(TracePolicy::kHaircut, in, {U256(4), U256(4)}, U256(2), &absorbed);
  EXPECT_EQ(hc[0].tainted + hc[1].tainted + hc[2].tainted, 5);
  EXPECT_EQ(hc[0].tainted, 2);
}

}  // namespace
}  // namespace fundtrace
