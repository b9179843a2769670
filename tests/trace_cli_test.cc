// End-to-end tests of `fundtrace trace`: accuracy against the synthetic hacks' ground truth,
// Bitcoin traces on real blocks, and the one-line errors of bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "cli_util.h"

namespace fundtrace::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A synthetic chain with hacks, ingested with its public labels.
class SynthTrace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto g = RunCli("synth --transfers 300000 --seed 7 --hacks 4 --out " + *dir_ / "s");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    auto i = RunCli("--data " + *dir_ / "d" + " ingest etl " + *dir_ / "s/etl");
    ASSERT_EQ(i.exit_code, 0) << i.err;
    auto l = RunCli("--data " + *dir_ / "d" + " labels import csv " + *dir_ / "s/labels.csv");
    ASSERT_EQ(l.exit_code, 0) << l.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static nlohmann::json Hack(int n) {
    char name[32];
    std::snprintf(name, sizeof name, "s/hacks/hack-%02d.json", n);
    std::ifstream f(*dir_ / name);
    return nlohmann::json::parse(f);
  }
  static nlohmann::json Trace(const std::string& args) {
    auto r = RunCli("--data " + *dir_ / "d" + " --json trace " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  static TempDir* dir_;
};
TempDir* SynthTrace::dir_ = nullptr;

// FIFO forward from the drain txs: what the ground truth says went to exchanges, bridges or is
// still resting (everything but the mixer) must be found at those same addresses.
TEST_F(SynthTrace, FifoFindsTheGroundTruthEndpointsOfEveryHack) {
  for (int n = 1; n <= 4; ++n) {
    nlohmann::json h = Hack(n);
    std::string seeds;
    for (const auto& t : h["seed_txs"]) seeds += " " + t.get<std::string>();
    nlohmann::json r = Trace(seeds + " --policy fifo --hops 100");
    ASSERT_TRUE(r["balanced"].get<bool>());
    auto contract = [&](const std::string& asset) {
      const auto& c = h["assets"][asset]["contract"];
      return c.is_null() ? std::string("eth") : Lower(c.get<std::string>());
    };
    std::map<std::pair<std::string, std::string>, double> ours;  // (address, asset) -> amount
    for (const auto& e : r["endpoints"]) {
      ours[{Lower(e["address"]), Lower(e["asset"])}] += std::stod(e["amount"].get<std::string>());
    }
    for (const auto& nd : r["nodes"]) {
      for (const auto& [asset, amount] : nd["held"].items()) {
        ours[{Lower(nd["address"]), Lower(asset)}] += std::stod(amount.get<std::string>());
      }
    }
    // Per asset (amounts of different assets do not add up).
    std::map<std::string, std::pair<double, double>> share;  // asset -> (truth, found)
    for (const auto& e : h["endpoints"]) {
      if (e["kind"] == "mixer") continue;
      const double amount = std::stod(e["amount"].get<std::string>());
      const std::string asset = contract(e["asset"]);
      share[asset].first += amount;
      auto it = ours.find({Lower(e["address"]), asset});
      if (it != ours.end()) share[asset].second += std::min(amount, it->second);
    }
    ASSERT_FALSE(share.empty());
    for (const auto& [asset, tf] : share) {
      std::printf(
          "hack %d, asset %s: %.6f of %.0f base units outside the mixer attributed to "
          "the right endpoints\n",
          n, asset.c_str(), tf.second / tf.first, tf.first);
      EXPECT_GE(tf.second / tf.first, 0.99) << "hack " << n << " asset " << asset;
    }
  }
}

TEST_F(SynthTrace, EveryPolicyAndDirectionBalances) {
  nlohmann::json h = Hack(1);
  std::string seed = h["seed_txs"][0];
  for (const char* p : {"poison", "haircut", "fifo", "lifo"}) {
    for (const char* dir : {"", " --backward"}) {
      nlohmann::json r = Trace(seed + " --policy " + p + dir);
      EXPECT_TRUE(r["balanced"].get<bool>()) << p << dir;
    }
  }
  // From the attacker addresses the ground truth names, too.
  std::string addrs;
  for (const auto& a : h["addresses"]) {
    if (a["holds_stolen"].get<bool>()) addrs += " " + a["address"].get<std::string>();
  }
  nlohmann::json r = Trace(addrs + " --policy haircut --hops 3");
  EXPECT_TRUE(r["balanced"].get<bool>());
}

TEST_F(SynthTrace, OutputFormats) {
  nlohmann::json h = Hack(2);
  std::string seed = h["seed_txs"][0];
  auto csv = RunCli("--data " + *dir_ / "d" + " trace " + seed + " --csv -");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("address,entity,category,label,inferred_deposit,asset", 0), 0u);
  auto dot = RunCli("--data " + *dir_ / "d" + " trace " + seed + " --dot -");
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_NE(dot.out.find("digraph trace"), std::string::npos);
  auto table = RunCli("--data " + *dir_ / "d" + " trace " + seed);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Endpoints by entity"), std::string::npos);
  EXPECT_NE(table.out.find("balanced"), std::string::npos);
}

TEST_F(SynthTrace, BadInputGetsOneLineThatSaysWhatToDo) {
  const std::string d = "--data " + *dir_ / "d";
  auto unknown = RunCli(d + " trace 0x00000000000000000000000000000000000000aa");
  EXPECT_EQ(unknown.exit_code, 4);
  EXPECT_NE(unknown.err.find("is not in the eth store: ingest its history first"),
            std::string::npos)
      << unknown.err;
  auto tx = RunCli(d + " trace 0x" + std::string(64, 'a'));
  EXPECT_EQ(tx.exit_code, 4);
  EXPECT_NE(tx.err.find("seed tx"), std::string::npos) << tx.err;
  auto typo = RunCli(d + " trace 0x" + std::string(64, 'a') + " --policy fif0");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown policy 'fif0': use poison, haircut, fifo or lifo"),
            std::string::npos)
      << typo.err;
  auto bad = RunCli(d + " trace 0x12345");
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  auto stop = RunCli(d + " trace 0x" + std::string(64, 'a') + " --stop-category exchnge");
  EXPECT_EQ(stop.exit_code, 4) << stop.err;  // the seed is checked first
  for (const auto& err : {unknown.err, tx.err, typo.err}) {
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
  // A seed that never sent anything: the exploit contract's victim pays, but a fresh address
  // that only received (a post-mixer address near the end may still hold) — use the receiver
  // with a window that ends before the drain.
  nlohmann::json h = Hack(1);
  std::string receiver;
  for (const auto& a : h["addresses"]) {
    if (a["role"] == "receiver") receiver = a["address"];
  }
  const int before = h["first_block"].get<int>() - 1;
  auto none = RunCli(d + " trace " + receiver + " --to-block " + std::to_string(before));
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_NE(none.err.find("nothing to trace"), std::string::npos) << none.err;
}

// Backward from an address that received 2.5 ETH from the Ronin exploiter and 2.5 ETH from
// another address (tests/data/risk): its 5 ETH came half from each. (Account backward traces
// once followed nothing: the seed's earlier txs were counted in its balance but never queued.)
TEST(TraceAccount, BackwardFindsWhereTheFundsCameFrom) {
  TempDir dir;
  const std::string d = "--data " + dir / "d";
  ASSERT_EQ(RunCli(d + " ingest etherscan " + TestData("risk/ronin_payout.csv")).exit_code, 0);
  for (const char* policy : {"fifo", "haircut", "lifo", "poison"}) {
    auto r = RunCli(d + " --json trace 0x00000000000000000000000000000000000f1000 --backward "
                        "--policy " + policy);
    ASSERT_EQ(r.exit_code, 0) << policy << ": " << r.err;
    auto j = Json(r);
    ASSERT_EQ(j["conservation"].size(), 1u);
    EXPECT_EQ(j["conservation"][0]["seeded"], "5000000000000000000") << policy;
    EXPECT_TRUE(j["conservation"][0]["balanced"].get<bool>()) << policy;
    std::map<std::string, std::string> held;
    for (const auto& n : j["nodes"]) {
      if (n["held"].contains("ETH")) held[Lower(n["address"])] = n["held"]["ETH"];
    }
    EXPECT_EQ(held["0x098b716b8aaf21512996dc57eb0615e2383e2f96"], "2500000000000000000") << policy;
    EXPECT_EQ(held["0x00000000000000000000000000000000000f2000"], "2500000000000000000") << policy;
  }
}

// Bitcoin backward into history the store does not have: tx f1bd8c6e… of block 413,567 spends
// an output of an earlier block, so its 0.9979 BTC end there, as cut at an unresolved input.
TEST(TraceBtc, BackwardEndsAtInputsOutsideTheStore) {
  TempDir dir;
  const std::string d = "--data " + dir / "d";
  ASSERT_EQ(RunCli(d + " ingest btc --no-merkle-check " + TestData("btc/block413567.raw")).exit_code,
            0);
  const std::string tx = "f1bd8c6e99baddc7b5ba7882f89a578549a669e5764801d8a0084aee9183ee11";
  auto r = RunCli(d + " --json trace " + tx + " --backward");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  ASSERT_EQ(j["conservation"].size(), 1u);
  EXPECT_EQ(j["conservation"][0]["seeded"], "99790000");
  EXPECT_EQ(j["conservation"][0]["cut"], "99790000");
  EXPECT_TRUE(j["conservation"][0]["balanced"].get<bool>());
  EXPECT_EQ(j["stats"]["cut_unresolved"], 1);
  EXPECT_EQ(j["stats"]["cut_history"], 0) << "not a history too long: an input outside the data";
  auto table = RunCli(d + " trace " + tx + " --backward");
  EXPECT_NE(table.out.find("not in the store"), std::string::npos) << table.out;
}

// Bitcoin: block 9's coinbase paid 50 BTC that Satoshi sent to Hal Finney in block 170.
TEST(TraceBtc, HaircutAndFifoFromACoinbaseOutput) {
  TempDir dir;
  const std::string d = "--data " + dir.path();
  ASSERT_EQ(RunCli(d + " ingest btc " + TestData("btc/blk00000_first200.dat")).exit_code, 0);
  const std::string coinbase9 =
      "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
  for (const char* policy : {"haircut", "fifo"}) {
    auto r = RunCli(d + " --json trace " + coinbase9 + " --policy " + policy);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["balanced"].get<bool>());
    EXPECT_EQ(j["conservation"][0]["seeded"], "5000000000");
    bool hal = false;
    for (const auto& n : j["nodes"]) {
      if (n["address"] == "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3") {
        hal = true;
        EXPECT_EQ(n["received"]["BTC"], "1000000000") << policy;  // 10 BTC in tx f4184fc5…
      }
    }
    EXPECT_TRUE(hal) << policy;
  }
  auto back =
      RunCli(d + " --json trace 1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3 --backward --policy fifo");
  ASSERT_EQ(back.exit_code, 0) << back.err;
  nlohmann::json j = nlohmann::json::parse(back.out);
  EXPECT_TRUE(j["balanced"].get<bool>());
  ASSERT_FALSE(j["endpoints"].empty());
  EXPECT_EQ(j["endpoints"][0]["category"], "coinbase");
}

}  // namespace
}  // namespace fundtrace::testing
