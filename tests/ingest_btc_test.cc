// End to end: Bitcoin block files through `fundtrace ingest btc`, checked through the CLI and
// the store's own interface.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "chain/address.h"
#include "cli/format.h"
#include "cli_util.h"
#include "store/embedded_store.h"

namespace fundtrace {
namespace {

using testing::HaveShared;
using testing::Json;
using testing::RunCli;
using testing::SharedData;
using testing::TempDir;
using testing::TestData;

nlohmann::json Stats(const std::string& data) {
  auto r = RunCli("--data " + data + " --json stats");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return Json(r)["chains"][0];
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Byte offset where the record of block `index` starts in a blk file (magic + size framing).
size_t RecordOffset(const std::string& blk, size_t index) {
  size_t pos = 0;
  for (size_t i = 0; i < index; ++i) {
    uint32_t size;
    std::memcpy(&size, blk.data() + pos + 4, 4);
    pos += 8 + size;
  }
  return pos;
}

// Checks every coinbase against the subsidy (50 BTC in this era) plus the block's fees.
void ExpectCoinbasesPaySubsidyPlusFees(const std::string& data, uint64_t expected_blocks) {
  auto store = EmbeddedChainStore::Open(data, Chain::kBitcoin, false);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ChainStats s = (*store)->Stats();
  std::vector<TxId> all(s.txs);
  for (TxId i = 0; i < s.txs; ++i) all[i] = i;
  std::vector<Transfer> rows;
  ASSERT_TRUE((*store)->TransfersOfTxs(all, &rows).ok());
  std::map<uint32_t, U256> coinbase_out, fees;
  for (const auto& t : rows) {
    TxInfo info = (*store)->Tx(t.tx);
    if (info.pos == 0 && t.kind() == TransferKind::kUtxoOut) coinbase_out[t.block] += t.amount;
    if (t.kind() == TransferKind::kFee) fees[t.block] += t.amount;
  }
  EXPECT_EQ(coinbase_out.size(), expected_blocks);
  uint64_t with_fees = 0;
  for (const auto& [block, paid] : coinbase_out) {
    EXPECT_EQ(paid, U256(5000000000ULL) + fees[block]) << "block " << block;
    with_fees += fees[block] != 0;
  }
  EXPECT_EQ(s.unresolved_inputs, 0u);
}

TEST(IngestBtc, First200BlocksOfBlk00000) {
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " ingest btc " + TestData("btc/blk00000_first200.dat"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats(dir.path());
  EXPECT_EQ(s["blocks"], 200);
  EXPECT_EQ(s["txs"], 205);
  EXPECT_EQ(s["unresolved_inputs"], 0);
  ExpectCoinbasesPaySubsidyPlusFees(dir.path(), 200);
  {
    auto store = EmbeddedChainStore::Open(dir.path(), Chain::kBitcoin, false);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(TxHashText(Chain::kBitcoin, (*store)->Block(0)->hash),
              "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  }
  // Block 170: the first payment, spending block 9's coinbase.
  r = RunCli("--data " + dir.path() + " --json tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["block"], 170);
  ASSERT_EQ(j["transfers"].size(), 3u);
  EXPECT_EQ(j["transfers"][0]["kind"], "utxo_in");
  EXPECT_EQ(j["transfers"][0]["from"], "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S");
  EXPECT_EQ(j["transfers"][0]["amount"], "5000000000");
  EXPECT_EQ(j["transfers"][0]["spends"],
            "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0");
  EXPECT_EQ(j["transfers"][1]["to"], "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3");
  EXPECT_EQ(j["transfers"][1]["amount"], "1000000000");
  // Counterparties: the 40 BTC change is not "sent"; the payee got 10.
  r = RunCli("--data " + dir.path() + " --json address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --top 50");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool found = false;
  const auto summary = Json(r);
  for (const auto& c : summary["top_counterparties"]) {
    if (c["address"] == "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3") {
      EXPECT_EQ(c["sent_to"], "1000000000");
      found = true;
    }
    EXPECT_NE(c["address"], "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S");
  }
  EXPECT_TRUE(found);
  // Ingesting again adds nothing.
  r = RunCli("--data " + dir.path() + " --json ingest btc " + TestData("btc/blk00000_first200.dat"));
  EXPECT_EQ(Json(r)["added"]["transfers"], 0);
  EXPECT_EQ(Stats(dir.path()), s);
  // The genesis output, shown under the address explorers use for it.
  r = RunCli("--data " + dir.path() + " --json address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r)["assets"][0]["received"], "5000000000");
}

TEST(IngestBtc, SplitFilesGiveTheSameStore) {
  TempDir dir;
  std::string blk = ReadAll(TestData("btc/blk00000_first200.dat"));
  size_t cut = RecordOffset(blk, 120);
  WriteAll(dir / "blk00001.dat", blk.substr(0, cut));
  WriteAll(dir / "blk00002.dat", blk.substr(cut));
  ASSERT_EQ(RunCli("--data " + dir.path() + "/whole ingest btc " + TestData("btc/blk00000_first200.dat")).exit_code, 0);
  ASSERT_EQ(RunCli("--data " + dir.path() + "/split ingest btc " + (dir / "blk00001.dat")).exit_code, 0);
  ASSERT_EQ(RunCli("--data " + dir.path() + "/split ingest btc " + (dir / "blk00002.dat")).exit_code, 0);
  auto whole = Stats(dir / "whole"), split = Stats(dir / "split");
  whole.erase("bytes_on_disk");
  split.erase("bytes_on_disk");
  whole.erase("segments");
  split.erase("segments");
  EXPECT_EQ(whole, split);
  for (const char* a : {"12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S", "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3"}) {
    auto x = RunCli("--data " + (dir / "whole") + " --json address " + a);
    auto y = RunCli("--data " + (dir / "split") + " --json address " + a);
    ASSERT_EQ(x.exit_code, 0) << x.err;
    EXPECT_EQ(Json(x), Json(y)) << a;
  }
}

TEST(IngestBtc, XorObfuscatedFileReadsTheSame) {
  TempDir dir;
  std::string blk = ReadAll(TestData("btc/blk00000_first200.dat"));
  const uint8_t key[8] = {0x5a, 0x01, 0xf3, 0x77, 0x00, 0x9c, 0x42, 0xe8};
  for (size_t i = 0; i < blk.size(); ++i) blk[i] = static_cast<char>(blk[i] ^ key[i % 8]);
  std::filesystem::create_directories(dir / "blocks");
  WriteAll(dir / "blocks/blk00000.dat", blk);
  WriteAll(dir / "blocks/xor.dat", std::string(reinterpret_cast<const char*>(key), 8));
  auto r = RunCli("--data " + (dir / "x") + " ingest btc " + (dir / "blocks"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(RunCli("--data " + (dir / "p") + " ingest btc " + TestData("btc/blk00000_first200.dat")).exit_code, 0);
  EXPECT_EQ(Stats(dir / "x")["txs"], Stats(dir / "p")["txs"]);
  EXPECT_EQ(Stats(dir / "x")["transfers"], Stats(dir / "p")["transfers"]);
}

TEST(IngestBtc, TruncatedFileIsReportedWithOffsetAndStoresNothing) {
  TempDir dir;
  std::string blk = ReadAll(TestData("btc/blk00000_first200.dat"));
  WriteAll(dir / "cut.dat", blk.substr(0, RecordOffset(blk, 150) + 100));
  ASSERT_EQ(RunCli("--data " + (dir / "s") + " ingest btc " + (dir / "cut.dat") + " --skip-bad").exit_code, 0);
  EXPECT_EQ(Stats(dir / "s")["blocks"], 150);
  auto r = RunCli("--data " + (dir / "t") + " ingest btc " + (dir / "cut.dat"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cut.dat: offset " + std::to_string(RecordOffset(blk, 150))), std::string::npos) << r.err;
  EXPECT_NE(RunCli("--data " + (dir / "t") + " stats").exit_code, 0);  // nothing stored
}

TEST(IngestBtc, RawBlockWithoutParentFindsItsHeightAndMarksUnresolvedInputs) {
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " ingest btc " + TestData("btc/block413567.raw"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--no-merkle-check"), std::string::npos) << r.err;
  r = RunCli("--data " + dir.path() + " --json ingest btc --no-merkle-check " + TestData("btc/block413567.raw"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats(dir.path());
  EXPECT_EQ(s["txs"], 1557);
  EXPECT_EQ(s["blocks"], 1);
  EXPECT_EQ(s["min_block"], 413567);
  // 4,887 inputs; those spending outputs of this same block resolve, the rest cannot.
  EXPECT_GT(s["unresolved_inputs"].get<int>(), 4000);
  EXPECT_LT(s["unresolved_inputs"].get<int>(), 4887);
}

TEST(IngestBtcShared, WholeBlk00000) {
  if (!HaveShared("btc/blk00000.dat")) GTEST_SKIP() << "needs ../shared/data/btc/blk00000.dat";
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " ingest btc " + SharedData("btc/blk00000.dat"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats(dir.path());
  EXPECT_EQ(s["blocks"], 4313);
  EXPECT_EQ(s["txs"], 4371);
  EXPECT_EQ(s["min_block"], 0);
  EXPECT_EQ(s["max_block"], 4312);
  ExpectCoinbasesPaySubsidyPlusFees(dir.path(), 4313);
}

}  // namespace
}  // namespace fundtrace
