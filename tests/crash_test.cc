// Crash safety: a fundtrace process killed with SIGKILL in the middle of an ingest leaves the
// store exactly as it was before that ingest, fully readable, and a rerun completes it.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::HaveShared;
using testing::Json;
using testing::RunCli;
using testing::SharedData;
using testing::TempDir;
using testing::TestData;

std::string StatsText(const std::string& data) {
  auto r = RunCli("--data " + data + " --json stats");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  j.erase("bytes_on_disk");
  j.erase("data_dir");
  for (auto& c : j["chains"]) {
    c.erase("bytes_on_disk");
    c.erase("segments");
    c.erase("flow_files");  // derived: checked on their own below
  }
  return j.dump();
}

std::set<std::string> Files(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename());
  return names;
}

const std::string kFirst = TestData("eth/etl_transactions_3300k.csv");
const std::string kSecond = TestData("eth/etherscan_from_etl_3300k.csv");

// The second batch must add something new: take the Etherscan rendering of the same txs but
// into a store that first got only the ETL file's first half.
TEST(CrashSafety, KillAtEachCommitStepKeepsThePreviousState) {
  for (const char* point : {"after-segment", "before-manifest", "after-manifest"}) {
    TempDir dir;
    const std::string data = dir / "store";
    ASSERT_EQ(RunCli("--data " + data + " ingest btc " + TestData("btc/blk00000_first200.dat")).exit_code, 0);
    const std::string before = StatsText(data);
    auto killed = RunCli("--data " + data + " ingest etl " + kFirst,
                         std::string("FUNDTRACE_CRASH_AT=") + point);
    EXPECT_EQ(killed.signal, SIGKILL) << point << " exit " << killed.exit_code << " " << killed.err;

    // A clean reference: the same two ingests without a crash.
    const std::string ref = dir / "ref";
    ASSERT_EQ(RunCli("--data " + ref + " ingest btc " + TestData("btc/blk00000_first200.dat")).exit_code, 0);
    ASSERT_EQ(RunCli("--data " + ref + " ingest etl " + kFirst).exit_code, 0);

    const std::string after_crash = StatsText(data);
    if (std::string(point) == "after-manifest") {
      EXPECT_EQ(after_crash, StatsText(ref)) << point;  // the commit point was passed
    } else {
      EXPECT_EQ(after_crash, before) << point;  // readers see the state before
    }
    // Every address and tx is readable, and a rerun completes the ingest.
    auto r = RunCli("--data " + data + " --json tx 0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4");
    EXPECT_EQ(r.exit_code, std::string(point) == "after-manifest" ? 0 : 4) << point;
    ASSERT_EQ(RunCli("--data " + data + " ingest etl " + kFirst).exit_code, 0);
    // Readers leave half-written files alone (a writer may be running); the next writer removed
    // them: only the files the manifest names remain.
    {
      std::ifstream mf(data + "/eth/MANIFEST");
      nlohmann::json m = nlohmann::json::parse(mf);
      std::set<std::string> live = {"LOCK", "MANIFEST"};
      for (const char* field : {"segments", "flows", "addresses", "txs", "blocks"}) {
        for (const auto& n : m[field]) live.insert(n.get<std::string>());
      }
      if (m.contains("assets")) live.insert(m["assets"].get<std::string>());
      // The rerun wrote the flow index a crash left out: one flow file per segment.
      EXPECT_EQ(m["flows"].size(), m["segments"].size()) << point;
      for (const auto& f : Files(data + "/eth")) {
        EXPECT_TRUE(live.count(f)) << point << ": stray file " << f;
      }
    }
    ASSERT_EQ(RunCli("--data " + data + " ingest etherscan " + kSecond).exit_code, 0);
    ASSERT_EQ(RunCli("--data " + ref + " ingest etherscan " + kSecond).exit_code, 0);
    EXPECT_EQ(StatsText(data), StatsText(ref)) << point;
  }
}

// kill -9 at random moments of a longer ingest: the store is always either the state before
// or the state after, never anything in between, and always opens.
TEST(CrashSafety, RandomKillsDuringALongIngest) {
  if (!HaveShared("eth/phishing-accounts")) GTEST_SKIP() << "needs ../shared/data/eth/phishing-accounts";
  TempDir dir;
  const std::string data = dir / "store";
  ASSERT_EQ(RunCli("--data " + data + " ingest etl " + kFirst).exit_code, 0);
  const std::string before = StatsText(data);
  const std::string ref = dir / "ref";
  ASSERT_EQ(RunCli("--data " + ref + " ingest etl " + kFirst).exit_code, 0);
  ASSERT_EQ(RunCli("--data " + ref + " ingest etherscan " + SharedData("eth/phishing-accounts")).exit_code, 0);
  const std::string after = StatsText(ref);
  std::mt19937 rng(20261122);
  int saw_before = 0, saw_after = 0;
  // Delays spread over the ingest (about 0.7 s here), then one long enough to finish.
  for (int i = 0; i < 9; ++i) {
    double delay = i < 8 ? std::uniform_real_distribution<double>(0.02, 0.6)(rng) : 60.0;
    auto r = RunCli("--data " + data + " ingest etherscan " + SharedData("eth/phishing-accounts"),
                    "timeout -s KILL " + std::to_string(delay));
    std::string now = StatsText(data);
    if (now == before) {
      ++saw_before;
    } else {
      EXPECT_EQ(now, after) << "after a kill at " << delay << " s (exit " << r.exit_code << ")";
      ++saw_after;
      break;  // the ingest completed; nothing more to interrupt
    }
  }
  EXPECT_GT(saw_before, 0) << "no kill landed inside the ingest";
  EXPECT_EQ(saw_after, 1) << "the final uninterrupted ingest did not complete";
}

}  // namespace
}  // namespace fundtrace
