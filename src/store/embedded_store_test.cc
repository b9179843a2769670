#include "store/embedded_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fundtrace {
namespace {

class TempStoreDir {
 public:
  TempStoreDir() {
    static int n = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("fundtrace-store-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path_);
  }
  ~TempStoreDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

Hash32 H(uint8_t b) {
  Hash32 h{};
  h[0] = b;
  h[31] = b;
  return h;
}

std::string Key(char c) { return std::string("\x01", 1) + std::string(20, c); }

// Adds tx `n` (block n, position 0) moving `amount` from address a to b.
void AddTx(IngestBatch* batch, uint8_t n, char a, char b, const U256& amount) {
  bool is_new;
  TxId tx = batch->Tx(TxInfo{H(n), n, 0, 1000u + n, TxStatus::kSuccess}, &is_new);
  batch->Add(tx, TransferKind::kNative, 0, batch->Address(Key(a)), batch->Address(Key(b)),
             kNativeAsset, amount);
}

TEST(EmbeddedStore, CommitReopenAndQuery) {
  TempStoreDir dir;
  {
    auto store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, true);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto batch = (*store)->NewBatch();
    AddTx(batch.get(), 2, 'a', 'b', 5);
    AddTx(batch.get(), 1, 'b', 'c', 7);
    // A 256-bit amount that has no compact code.
    U256 huge = (U256(1) << 255) + 12345;
    AddTx(batch.get(), 3, 'a', 'c', huge);
    CommitStats cs;
    ASSERT_TRUE(batch->Commit(&cs).ok());
    EXPECT_EQ(cs.transfers, 3u);
    EXPECT_EQ(cs.addresses, 3u);
  }
  auto store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, false);
  ASSERT_TRUE(store.ok());
  ChainStats s = (*store)->Stats();
  EXPECT_EQ(s.transfers, 3u);
  EXPECT_EQ(s.txs, 3u);
  EXPECT_EQ(s.addresses, 3u);
  auto a = (*store)->FindAddress(Key('a'));
  ASSERT_TRUE(a);
  std::vector<Transfer> out;
  const AddressId ids[] = {*a};
  ASSERT_TRUE((*store)->TransfersOf(ids, Direction::kOut, BlockRange{}, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].block, 2u);  // chain order
  EXPECT_EQ(out[1].amount, (U256(1) << 255) + 12345);
  out.clear();
  ASSERT_TRUE((*store)->TransfersOf(ids, Direction::kOut, BlockRange{3, 3}, &out).ok());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_FALSE((*store)->FindAddress(Key('z')));
}

TEST(EmbeddedStore, LaterBatchesExtendAndDeduplicate) {
  TempStoreDir dir;
  auto store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, true);
  ASSERT_TRUE(store.ok());
  CommitStats cs;
  {
    auto batch = (*store)->NewBatch();
    AddTx(batch.get(), 1, 'a', 'b', 5);
    AddTx(batch.get(), 1, 'a', 'b', 5);  // same tx twice in one batch
    ASSERT_TRUE(batch->Commit(&cs).ok());
    EXPECT_EQ(cs.transfers, 1u);
    EXPECT_EQ(cs.duplicate_transfers, 1u);
  }
  {
    auto batch = (*store)->NewBatch();
    AddTx(batch.get(), 1, 'a', 'b', 5);  // already stored
    AddTx(batch.get(), 4, 'b', 'a', 2);  // new
    ASSERT_TRUE(batch->Commit(&cs).ok());
    EXPECT_EQ(cs.transfers, 1u);
    EXPECT_EQ(cs.duplicate_transfers, 1u);
    EXPECT_EQ(cs.addresses, 0u);
  }
  EXPECT_EQ((*store)->Stats().transfers, 2u);
  EXPECT_EQ((*store)->Stats().segments, 2u);
  // Queries merge segments in chain order.
  std::vector<Transfer> out;
  const AddressId ids[] = {*(*store)->FindAddress(Key('a'))};
  ASSERT_TRUE((*store)->TransfersOf(ids, Direction::kBoth, BlockRange{}, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].block, 1u);
  EXPECT_EQ(out[1].block, 4u);
}

TEST(EmbeddedStore, ResultsDoNotDependOnBatching) {
  TempStoreDir one, many;
  auto s1 = EmbeddedChainStore::Open(one.path(), Chain::kEthereum, true);
  auto s2 = EmbeddedChainStore::Open(many.path(), Chain::kEthereum, true);
  ASSERT_TRUE(s1.ok() && s2.ok());
  CommitStats cs;
  auto all = (*s1)->NewBatch();
  for (uint8_t i = 1; i <= 20; ++i) AddTx(all.get(), i, 'a' + i % 5, 'a' + (i * 3) % 5, i);
  ASSERT_TRUE(all->Commit(&cs).ok());
  for (uint8_t start : {11, 1, 16, 6}) {  // out of order on purpose
    auto b = (*s2)->NewBatch();
    for (uint8_t i = start; i < start + 5; ++i) AddTx(b.get(), i, 'a' + i % 5, 'a' + (i * 3) % 5, i);
    ASSERT_TRUE(b->Commit(&cs).ok());
  }
  for (char c = 'a'; c < 'f'; ++c) {
    std::vector<Transfer> x, y;
    const AddressId ix[] = {*(*s1)->FindAddress(Key(c))};
    const AddressId iy[] = {*(*s2)->FindAddress(Key(c))};
    ASSERT_TRUE((*s1)->TransfersOf(ix, Direction::kBoth, BlockRange{}, &x).ok());
    ASSERT_TRUE((*s2)->TransfersOf(iy, Direction::kBoth, BlockRange{}, &y).ok());
    ASSERT_EQ(x.size(), y.size());
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].block, y[i].block);
      EXPECT_EQ(x[i].amount, y[i].amount);
      EXPECT_EQ((*s1)->AddressKey(x[i].from), (*s2)->AddressKey(y[i].from));
    }
  }
}

TEST(EmbeddedStore, SecondWriterIsRefused) {
  TempStoreDir dir;
  auto a = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, true);
  ASSERT_TRUE(a.ok());
  auto b = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, true);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("in use"), std::string::npos);
}

TEST(EmbeddedStore, DamagedFilesAreReportedNotRead) {
  TempStoreDir dir;
  {
    auto store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, true);
    auto batch = (*store)->NewBatch();
    AddTx(batch.get(), 1, 'a', 'b', 5);
    CommitStats cs;
    ASSERT_TRUE(batch->Commit(&cs).ok());
  }
  std::string seg = dir.path() + "/eth/seg-000001.ft";
  ASSERT_TRUE(std::filesystem::exists(seg));
  std::filesystem::resize_file(seg, std::filesystem::file_size(seg) - 8);
  auto store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, false);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("seg-000001.ft"), std::string::npos);

  // A manifest of a future format is refused, not misread.
  std::string manifest = dir.path() + "/eth/MANIFEST";
  std::filesystem::resize_file(seg, 0);
  FILE* f = std::fopen(manifest.c_str(), "w");
  std::fputs("{\"format\": 9, \"chain\": \"eth\", \"generation\": 1}", f);
  std::fclose(f);
  store = EmbeddedChainStore::Open(dir.path(), Chain::kEthereum, false);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("format 9"), std::string::npos);
}

}  // namespace
}  // namespace fundtrace
