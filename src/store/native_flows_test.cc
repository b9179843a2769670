// Native flows three ways must agree: the embedded store's flow files, its row fallback for a
// segment without one (a store written before flow files existed), and a brute-force sum over
// TransfersOf. Random multi-batch chains with every row kind, self transfers, zero amounts,
// rewards from no one, equal amounts (tie by hash) and amounts past 2^128.
#include "store/native_flows.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "store/embedded_store.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const char* name) {
  static int n = 0;
  fs::path p = fs::temp_directory_path() /
               (std::string("fundtrace-") + name + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(n++));
  fs::remove_all(p);
  return p.string();
}

std::string Key(uint32_t i) {
  std::string k(21, '\0');
  k[0] = 1;
  std::memcpy(&k[1], &i, 4);
  return k;
}

// Writes `batches` random batches of `per_batch` txs over `addresses` addresses.
void Fill(EmbeddedChainStore* store, uint64_t seed, int batches, int per_batch, uint32_t addresses) {
  std::mt19937_64 rng(seed);
  uint32_t block = 1;
  for (int b = 0; b < batches; ++b) {
    auto batch = store->NewBatch();
    for (int i = 0; i < per_batch; ++i) {
      Hash32 h{};
      for (auto& byte : h) byte = static_cast<uint8_t>(rng());
      bool is_new;
      TxId tx = batch->Tx(TxInfo{h, block, static_cast<uint32_t>(i), 1000u + block,
                                 TxStatus::kSuccess},
                          &is_new);
      if (rng() % 5 == 0) ++block;
      int legs = 1 + static_cast<int>(rng() % 3);
      for (int l = 0; l < legs; ++l) {
        AddressId from = batch->Address(Key(1 + static_cast<uint32_t>(rng() % addresses)));
        AddressId to = batch->Address(Key(1 + static_cast<uint32_t>(rng() % addresses)));
        if (rng() % 20 == 0) from = kNoAddress;  // a reward from no one
        U256 amount = rng() % 4 == 0 ? U256(1000) : U256(rng() % 5000);  // ties and zeros
        if (rng() % 50 == 0) amount = (U256(1) << 200) + rng();          // past 2^128
        static const TransferKind kinds[] = {TransferKind::kNative, TransferKind::kInternal,
                                             TransferKind::kToken, TransferKind::kFee};
        TransferKind kind = kinds[rng() % 4];
        AssetId asset = kind == TransferKind::kToken ? batch->Asset(Key(999)) : kNativeAsset;
        if (kind == TransferKind::kFee) to = kNoAddress;
        batch->Add(tx, kind, static_cast<uint32_t>(l), from, to, asset, amount);
      }
    }
    CommitStats cs;
    ASSERT_TRUE(batch->Commit(&cs).ok());
  }
}

// The flows by brute force: a map over every row of TransfersOf.
std::vector<NativeFlow> BruteForce(const ChainStore& s, std::span<const AddressId> ids,
                                   Direction dir) {
  std::vector<Transfer> rows;
  EXPECT_TRUE(s.TransfersOf(ids, dir, BlockRange{}, &rows).ok());
  std::map<std::pair<AddressId, AddressId>, NativeFlow> m;
  for (const Transfer& t : rows) {
    Wide v = NativeFlowAmount(t);
    if (v == 0) continue;
    AddressId mine = dir == Direction::kIn ? t.to : t.from;
    AddressId other = dir == Direction::kIn ? t.from : t.to;
    if (std::find(ids.begin(), ids.end(), mine) == ids.end()) continue;
    auto [it, fresh] = m.try_emplace({mine, other}, NativeFlow{mine, other, t.tx, 0, v});
    NativeFlow& f = it->second;
    f.amount = SaturatingAdd(f.amount, v);
    if (v > f.largest || (v == f.largest && s.Tx(t.tx).hash < s.Tx(f.largest_tx).hash)) {
      f.largest = v;
      f.largest_tx = t.tx;
    }
  }
  std::vector<NativeFlow> out;
  for (auto& [k, f] : m) out.push_back(f);
  return out;
}

void ExpectSame(const std::vector<NativeFlow>& a, const std::vector<NativeFlow>& b,
                const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].address, b[i].address) << what << " #" << i;
    EXPECT_EQ(a[i].other, b[i].other) << what << " #" << i;
    EXPECT_TRUE(a[i].amount == b[i].amount) << what << " #" << i;
    EXPECT_TRUE(a[i].largest == b[i].largest) << what << " #" << i;
    EXPECT_EQ(a[i].largest_tx, b[i].largest_tx) << what << " #" << i;
  }
}

void CheckAll(const EmbeddedChainStore& s, uint32_t addresses, const std::string& what) {
  std::mt19937_64 rng(7);
  for (int q = 0; q < 60; ++q) {
    std::vector<AddressId> ids;
    int n = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      auto id = s.FindAddress(Key(1 + static_cast<uint32_t>(rng() % addresses)));
      if (id) ids.push_back(*id);
    }
    for (Direction dir : {Direction::kIn, Direction::kOut}) {
      std::vector<NativeFlow> got;
      ASSERT_TRUE(s.NativeFlows(ids, dir, &got).ok());
      std::vector<AddressId> sorted = ids;
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      ExpectSame(got, BruteForce(s, sorted, dir), what + (dir == Direction::kIn ? " in" : " out"));
    }
  }
}

TEST(NativeFlows, FlowFilesRowsAndBruteForceAgree) {
  const uint32_t kAddresses = 40;
  std::string dir = TempDir("flows");
  {
    auto store = EmbeddedChainStore::Open(dir, Chain::kEthereum, true);
    ASSERT_TRUE(store.ok()) << store.status().message();
    Fill(store->get(), 42, 4, 150, kAddresses);
    ChainStats st = (*store)->Stats();
    EXPECT_EQ(st.segments, 4u);
    EXPECT_EQ(st.flow_files, 4u) << "every commit writes its segment's flow file";
    CheckAll(**store, kAddresses, "flow files");
  }
  // A store written before flow files: drop them from the MANIFEST (the next writer open
  // deletes the unnamed files). Answers come from the rows, the same.
  {
    std::string manifest = dir + "/eth/MANIFEST";
    auto text = ReadFileToString(manifest);
    ASSERT_TRUE(text.ok());
    auto m = nlohmann::json::parse(*text);
    m["flows"] = nlohmann::json::array();
    ASSERT_TRUE(WriteFileAtomic(manifest, m.dump()).ok());
    auto store = EmbeddedChainStore::Open(dir, Chain::kEthereum, false);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ((*store)->Stats().flow_files, 0u);
    EXPECT_FALSE(fs::exists(dir + "/eth/flow-000001.ft"));
    CheckAll(**store, kAddresses, "rows");
    // Upgrade: a writer fills them in; a reader opened later sees them.
    uint64_t built = 0;
    ASSERT_TRUE((*store)->BuildMissingFlows(&built).ok());
    EXPECT_EQ(built, 4u);
    EXPECT_EQ((*store)->Stats().flow_files, 4u);
    ASSERT_TRUE((*store)->BuildMissingFlows(&built).ok());
    EXPECT_EQ(built, 0u);
  }
  auto reader = EmbeddedChainStore::OpenReadOnly(dir, Chain::kEthereum);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Stats().flow_files, 4u);
  CheckAll(**reader, kAddresses, "rebuilt flow files");
  EXPECT_FALSE((*reader)->BuildMissingFlows(nullptr).ok()) << "a reader may not write";
  reader->reset();
  fs::remove_all(dir);
}

TEST(NativeFlows, DamagedFlowFileIsNamed) {
  std::string dir = TempDir("flows-bad");
  {
    auto store = EmbeddedChainStore::Open(dir, Chain::kEthereum, true);
    ASSERT_TRUE(store.ok());
    Fill(store->get(), 1, 1, 50, 10);
  }
  std::string f = dir + "/eth/flow-000001.ft";
  ASSERT_TRUE(fs::exists(f));
  fs::resize_file(f, fs::file_size(f) - 8);
  auto store = EmbeddedChainStore::OpenReadOnly(dir, Chain::kEthereum);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("flow-000001.ft"), std::string::npos)
      << store.status().message();
  fs::remove_all(dir);
}

TEST(NativeFlows, SaturateInsteadOfWrapping) {
  Wide max = ~Wide{0};
  EXPECT_TRUE(SaturatingAdd(max - 1, 5) == max);
  EXPECT_TRUE(SaturatingAdd(2, 3) == Wide{5});
  Transfer t;
  t.from = 1;
  t.to = 2;
  t.seq_kind = PackSeqKind(TransferKind::kNative, 0);
  t.amount = U256(1) << 200;
  EXPECT_TRUE(NativeFlowAmount(t) == max);
  t.to = 1;
  EXPECT_TRUE(NativeFlowAmount(t) == Wide{0}) << "a transfer to itself moves nothing";
}

}  // namespace
}  // namespace fundtrace
