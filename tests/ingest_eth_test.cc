// End to end: Ethereum data files through `fundtrace ingest`, then `stats`, `address`, `tx`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "chain/amount.h"
#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::HaveShared;
using testing::Json;
using testing::RunCli;
using testing::SharedData;
using testing::TempDir;
using testing::TestData;

nlohmann::json Stats(const std::string& data_dir) {
  auto r = RunCli("--data " + data_dir + " --json stats");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  return j.is_object() ? j["chains"][0] : nlohmann::json();
}
nlohmann::json Stats(const TempDir& dir) { return Stats(dir.path()); }

std::vector<std::vector<std::string>> ReadSimpleCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    rows.push_back(f);
  }
  return rows;
}

TEST(IngestEth, EtlTransactionsFixture) {
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " ingest etl " + TestData("eth/etl_transactions_3300k.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats(dir);
  EXPECT_EQ(s["txs"], 400);
  EXPECT_EQ(s["transfers"], 400);  // no receipts in this export: no fee transfers
  // Addresses = distinct from/to of the fixture.
  std::set<std::string> addrs;
  auto rows = ReadSimpleCsv(TestData("eth/etl_transactions_3300k.csv"));
  for (size_t i = 1; i < rows.size(); ++i) {
    addrs.insert(rows[i][5]);
    if (!rows[i][6].empty()) addrs.insert(rows[i][6]);
  }
  EXPECT_EQ(s["addresses"], addrs.size());
}

TEST(IngestEth, GzipAndPlainGiveTheSameStoreAndDeduplicate) {
  TempDir a, b;
  ASSERT_EQ(RunCli("--data " + a.path() + " ingest etl " + TestData("eth/etl_transactions_3300k.csv")).exit_code, 0);
  auto r = RunCli("--data " + b.path() + " ingest etl " + TestData("eth/etl_transactions_3300k_gz.csv.gz"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Stats(a), Stats(b));
  // Loading the other copy and the Etherscan rendering of the same txs adds nothing.
  auto before = Stats(a);
  ASSERT_EQ(RunCli("--data " + a.path() + " ingest etl " + TestData("eth/etl_transactions_3300k_gz.csv.gz")).exit_code, 0);
  ASSERT_EQ(RunCli("--data " + a.path() + " ingest etherscan " + TestData("eth/etherscan_from_etl_3300k.csv")).exit_code, 0);
  EXPECT_EQ(Stats(a), before);
}

TEST(IngestEth, AddressTotalsEqualTheSourceSums) {
  TempDir dir;
  ASSERT_EQ(RunCli("--data " + dir.path() + " ingest etherscan " + TestData("eth/etherscan_from_etl_3300k.csv")).exit_code, 0);
  auto rows = ReadSimpleCsv(TestData("eth/etl_transactions_3300k.csv"));
  // The busiest sender of the fixture.
  std::map<std::string, int> count;
  for (size_t i = 1; i < rows.size(); ++i) ++count[rows[i][5]];
  std::string addr = std::max_element(count.begin(), count.end(), [](auto& x, auto& y) { return x.second < y.second; })->first;
  U256 in = 0, out = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    U256 v = *ParseBaseUnits(rows[i][7]);
    if (rows[i][5] == addr) out += v;
    if (rows[i][6] == addr) in += v;
  }
  auto r = RunCli("--data " + dir.path() + " --json address " + addr);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["assets"][0]["asset"], "ETH");
  EXPECT_EQ(j["assets"][0]["sent"], ToDecimalString(out));
  EXPECT_EQ(j["assets"][0]["received"], ToDecimalString(in));
}

TEST(IngestEth, TxShowsItsTransfers) {
  TempDir dir;
  ASSERT_EQ(RunCli("--data " + dir.path() + " ingest etl " + TestData("eth/etl_transactions_3300k.csv")).exit_code, 0);
  auto r = RunCli("--data " + dir.path() + " --json tx 0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["block"], 3300400);
  ASSERT_EQ(j["transfers"].size(), 1u);
  EXPECT_EQ(j["transfers"][0]["amount"], "804264913889669500");
  EXPECT_EQ(j["transfers"][0]["from"], "0x942C4bc02DC8986215ADc1Ba2d27723fD4a98A8b");
  auto missing = RunCli("--data " + dir.path() + " tx 0x" + std::string(64, '0'));
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_NE(missing.err.find("not in"), std::string::npos);
}

// Writes the fixture with one line replaced, ingests it, and checks the error and that the
// store did not change.
void ExpectRejected(const std::string& format, const std::string& fixture, size_t line_no,
                    const std::string& replacement, const std::string& expect_in_error) {
  TempDir dir;
  std::ifstream in(TestData(fixture));
  std::string bad_path = dir / "bad.csv", line;
  std::ofstream out(bad_path);
  for (size_t n = 1; std::getline(in, line); ++n) out << (n == line_no ? replacement : line) << "\n";
  out.close();
  const std::string store = dir / "store";
  ASSERT_EQ(RunCli("--data " + store + " ingest " + format + " " + TestData(fixture)).exit_code, 0);
  auto before = Stats(store);
  auto r = RunCli("--data " + store + " ingest " + format + " " + bad_path);
  EXPECT_EQ(r.exit_code, 3) << replacement;
  EXPECT_NE(r.err.find("bad.csv:" + std::to_string(line_no)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(expect_in_error), std::string::npos) << r.err;
  EXPECT_EQ(Stats(store), before);
  EXPECT_EQ(before["transfers"], 400);
  // With --skip-bad the rest is stored and the bad row counted.
  auto skip = RunCli("--data " + dir.path() + "/store2 --json ingest " + format + " --skip-bad " + bad_path);
  EXPECT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_EQ(Json(skip)["skipped_bad"], 1);
}

TEST(IngestEth, BadRowsNameFileAndLineAndStoreNothing) {
  const std::string etl = "eth/etl_transactions_3300k.csv";
  const std::string good = "0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4,37,0xe4886d1a1f761ab36cda42deee7b224621fef5d8a88b6f384c57c7539cefbf88,3300400,0,";
  ExpectRejected("etl", etl, 5, "0xabc,1,2", "fields");
  ExpectRejected("etl", etl, 7, good + "0x942c4bc02dc8986215adc1ba2d27723fd4a98a8,0xabbb6bebfa05aa13e908eaa492bd7a8343760477,1,100000,100000000000,0x,1488775107,,,0", "from_address");
  ExpectRejected("etl", etl, 9, good + "0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b,0xabbb6bebfa05aa13e908eaa492bd7a8343760477,1" + std::string(80, '0') + ",100000,100000000000,0x,1488775107,,,0", "value");
  ExpectRejected("etl", etl, 11, good + "0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b,0xabbb6bebfa05aa13e908eaa492bd7a8343760477,-5,100000,100000000000,0x,1488775107,,,0", "value");
  const std::string es = "eth/etherscan_from_etl_3300k.csv";
  ExpectRejected("etherscan", es, 4, "3,0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4,3300400,1488775107,0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b,0xAbBB6bebfa05aa13e908eaa492bd7a8343760477,0.1,NULL,0x,0", "EIP-55");
  ExpectRejected("etherscan", es, 6, "5,0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4,3300400,1488775107,0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b,0xabbb6bebfa05aa13e908eaa492bd7a8343760477,0.0000000000000000001,NULL,0x,0", "Value");
}

TEST(IngestEth, TruncatedGzipAndWrongFilesAreRefused) {
  TempDir dir;
  std::string gz = dir / "cut.csv.gz";
  std::filesystem::copy_file(TestData("eth/etl_transactions_3300k_gz.csv.gz"), gz);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  auto r = RunCli("--data " + dir.path() + "/store ingest etl " + gz);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("cut.csv.gz"), std::string::npos) << r.err;
  r = RunCli("--data " + dir.path() + "/store ingest etl " + TestData("README.md"));
  EXPECT_NE(r.exit_code, 0);
  r = RunCli("--data " + dir.path() + "/store ingest etherscan " + TestData("eth/etl_transactions_3300k.csv"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not an Etherscan account export"), std::string::npos) << r.err;
  r = RunCli("--data " + dir.path() + "/store ingest etl /nonexistent/file.csv");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("/nonexistent/file.csv"), std::string::npos);
}

TEST(IngestEth, InvalidAddressArgumentsSayWhatIsWrong) {
  TempDir dir;
  ASSERT_EQ(RunCli("--data " + dir.path() + " ingest etl " + TestData("eth/etl_transactions_3300k.csv")).exit_code, 0);
  auto r = RunCli("--data " + dir.path() + " address 0x942C4bC02Dc8986215ADc1ba2D27723FD4A98A8B");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("EIP-55"), std::string::npos) << r.err;
  r = RunCli("--data " + dir.path() + " address 0x1234");
  EXPECT_EQ(r.exit_code, 3);
  r = RunCli("--data " + dir.path() + " address 0x000000000000000000000000000000000000dead");
  EXPECT_EQ(r.exit_code, 4);
}

// The real data of ../shared/data (not copied into the repo: its licence is not stated).
TEST(IngestEthShared, PhishingAccountsCountsAndIdempotence) {
  if (!HaveShared("eth/phishing-accounts")) GTEST_SKIP() << "needs ../shared/data/eth/phishing-accounts";
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " ingest etherscan " + SharedData("eth/phishing-accounts"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = Stats(dir);
  EXPECT_EQ(s["txs"], 101307);
  EXPECT_EQ(s["transfers"], 101307);
  // 45,629 distinct From/To addresses + 54 contracts created by txs whose To is NULL (the
  // published 45,630 counts the literal "NULL" as one address).
  EXPECT_EQ(s["addresses"], 45683);
  r = RunCli("--data " + dir.path() + " ingest etherscan " + SharedData("eth/phishing-accounts"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Stats(dir), s);

  // An account's totals equal the sums of its own CSV (failed txs move nothing).
  std::string acct = "0x002f0c8119c16d310342d869ca8bf6ace34d9c39";
  auto rows = ReadSimpleCsv(SharedData("eth/phishing-accounts/phishing accounts/phishing/" + acct + ".csv"));
  U256 in = 0, out = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][9] == "1") continue;
    U256 v = *ParseDecimalAmount(rows[i][6], 18);
    if (rows[i][4] == acct) out += v;
    if (rows[i][5] == acct) in += v;
  }
  r = RunCli("--data " + dir.path() + " --json address " + acct);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r)["assets"][0]["received"], ToDecimalString(in));
  EXPECT_EQ(Json(r)["assets"][0]["sent"], ToDecimalString(out));
}

TEST(IngestEthShared, EtlSamplesWithTracesAndTokens) {
  if (!HaveShared("eth/etl-samples")) GTEST_SKIP() << "needs ../shared/data/eth/etl-samples";
  TempDir dir;
  std::string d = SharedData("eth/etl-samples/");
  auto r = RunCli("--data " + dir.path() + " --json ingest etl " + d + "transactions.csv " + d +
                  "token_transfers.csv " + d + "traces.csv " + d + "tokens.csv " + d + "blocks.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  // 500 txs; 500 token transfers; traces: value-moving calls only.
  EXPECT_GE(j["added"]["txs"].get<int>(), 500);
  auto s = Stats(dir);
  EXPECT_GT(s["assets"].get<int>(), 1);
  // Ingesting again adds nothing.
  r = RunCli("--data " + dir.path() + " --json ingest etl " + d + "traces.csv " + d + "token_transfers.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r)["added"]["transfers"], 0);
}

}  // namespace
}  // namespace fundtrace
