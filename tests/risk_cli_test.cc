// End to end: `fundtrace risk` and `fundtrace profile` on small hand-built stores (Etherscan-style
// CSVs written here, labels from our own CSV or the label fixtures in tests/data/labels).
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::Json;
using testing::RunCli;
using testing::TempDir;
using testing::TestData;

// Distinct lower-case addresses and tx hashes for the fixtures.
std::string Addr(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "0x%040x", 0xa0000 + n);
  return buf;
}
std::string Hash(int n) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "0x%064x", 0xbeef00 + n);
  return buf;
}

std::string Lower(const nlohmann::json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : "";
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Row {
  int tx;
  std::string from, to, eth;
  int block = 0;
};

// Writes an Etherscan account-history CSV of `rows` (block = 100 + tx unless given).
std::string WriteRows(const TempDir& dir, const std::string& name, const std::vector<Row>& rows) {
  std::string path = dir / name;
  std::ofstream f(path);
  f << ",TxHash,BlockHeight,TimeStamp,From,To,Value,ContractAddress,Input,isError\n";
  int i = 0;
  for (const Row& r : rows) {
    int block = r.block ? r.block : 100 + r.tx;
    f << i++ << "," << Hash(r.tx) << "," << block << "," << 1500000000 + block * 15 << "," << r.from
      << "," << r.to << "," << r.eth << ",NULL,0x,0\n";
  }
  return path;
}

void Ingest(const std::string& data, const std::string& csv) {
  auto r = RunCli("--data " + data + " ingest etherscan " + csv);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
}

// Imports a label CSV: address,category,abuse,label,entity.
void Labels(const TempDir& dir, const std::string& data,
            const std::vector<std::vector<std::string>>& rows) {
  std::string path = dir / "labels.csv";
  std::ofstream f(path);
  f << "address,chain,label,entity,category,abuse,confidence\n";
  for (const auto& r : rows)
    f << r[0] << ",eth," << r[3] << "," << r[4] << "," << r[1] << "," << r[2] << ",70\n";
  f.close();
  auto res = RunCli("--data " + data + " labels import csv " + path);
  ASSERT_EQ(res.exit_code, 0) << res.err << res.out;
}

nlohmann::json Risk(const std::string& data, const std::string& args, int expect = 0) {
  auto r = RunCli("--data " + data + " --json risk " + args);
  EXPECT_EQ(r.exit_code, expect) << args << "\n" << r.err << r.out;
  return Json(r);
}

const nlohmann::json* DetailOf(const nlohmann::json& j, const std::string& category,
                               const std::string& direction = "incoming") {
  for (const auto& d : j["risk_detail"]) {
    if (d["category"] == category && d["direction"] == direction) return &d;
  }
  return nullptr;
}

// T (theft) -> S 1 ETH; X -> S 3 ETH; T -> X 1 ETH; U -> X 3 ETH. S received 4 ETH: 25% directly
// from T, and 75% from X, of whose own 4 ETH 25% came from T: 0.75 * 0.25 = 18.75% at hop 2.
class RiskFormula : public ::testing::Test {
 protected:
  void SetUp() override {
    data = dir / "data";
    Ingest(data, WriteRows(dir, "a.csv",
                           {{1, T, X, "1"}, {2, U, X, "3"}, {3, T, S, "1"}, {4, X, S, "3"}}));
    Labels(dir, data, {{T, "", "theft", "Test heist", "Heist Crew"}});
  }
  TempDir dir;
  std::string data;
  const std::string T = Addr(1), X = Addr(2), U = Addr(3), S = Addr(4);
};

TEST_F(RiskFormula, DirectAndIndirectSharesByHaircut) {
  auto j = Risk(data, S);
  const auto* d = DetailOf(j, "theft");
  ASSERT_NE(d, nullptr) << j.dump(2);
  EXPECT_EQ((*d)["entity"], "Heist Crew");
  EXPECT_EQ((*d)["risk_type"], "illicit_activity");
  EXPECT_EQ((*d)["exposure_type"], "direct");
  EXPECT_EQ((*d)["hop_num"], 1);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 43.75);  // 25 + 18.75
  EXPECT_DOUBLE_EQ((*d)["volume"].get<double>(), 1.75);    // of 4 ETH received
  // The evidence: the path carrying the largest share is the direct tx.
  ASSERT_EQ((*d)["path"].size(), 1u);
  EXPECT_EQ((*d)["path"][0]["tx"], Hash(3));
  // Effective exposure 0.25 + 0.1875 * 0.5 = 0.34375 >= full (0.05): the theft maximum, 90.
  EXPECT_EQ(j["score"], 90);
  EXPECT_EQ(j["risk_level"], "High");
  EXPECT_EQ(j["hacking_event"], "Heist Crew");
  ASSERT_FALSE(j["detail_list"].empty());
  EXPECT_EQ(j["detail_list"][0], "Interact With Malicious Address");
  EXPECT_DOUBLE_EQ(j["exposure"]["received"].get<double>(), 4.0);

  // Direct only: 25%.
  auto one = Risk(data, S + " --hops 1");
  d = DetailOf(one, "theft");
  ASSERT_NE(d, nullptr);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 25.0);
}

TEST_F(RiskFormula, IndirectPathCarriesEveryHop) {
  // X alone: its only risky source is T (25% of its incoming, direct). Y <- X <- T: hop 2.
  const std::string Y = Addr(5);
  Ingest(data, WriteRows(dir, "b.csv", {{5, X, Y, "2"}}));
  auto j = Risk(data, Y + " --direction in");
  const auto* d = DetailOf(j, "theft");
  ASSERT_NE(d, nullptr) << j.dump(2);
  EXPECT_EQ((*d)["exposure_type"], "indirect");
  EXPECT_EQ((*d)["hop_num"], 2);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 25.0);
  ASSERT_EQ((*d)["path"].size(), 2u);
  EXPECT_EQ((*d)["path"][0]["address"].get<std::string>().size(), 42u);
  EXPECT_EQ((*d)["path"][0]["tx"], Hash(5));  // X -> Y
  EXPECT_EQ((*d)["path"][1]["tx"], Hash(1));  // T -> X
  EXPECT_EQ((*d)["hop_dic"]["2"].size(), 1u);
  // 0.25 at hop 2 decays to 0.125: still >= full, so the maximum; no direct floor involved.
  EXPECT_EQ(j["score"], 90);
  // Hop 1 only: nothing.
  auto direct = Risk(data, Y + " --hops 1 --direction in");
  EXPECT_TRUE(direct["risk_detail"].empty());
  EXPECT_EQ(direct["score"], 3);
  EXPECT_EQ(direct["risk_level"], "Low");
}

TEST_F(RiskFormula, OutgoingExposureAndTxScreening) {
  // S sends 1 ETH to a phishing address P: outgoing exposure, direct. Paying a phisher is what
  // its victims do: shown as evidence, not scored.
  const std::string P = Addr(6), M = Addr(7);
  Ingest(data, WriteRows(dir, "c.csv", {{6, S, P, "1"}}));
  Labels(dir, data, {{P, "", "phishing", "Fake airdrop", ""}, {M, "mixer", "", "Mixer pool", ""}});
  auto j = Risk(data, S + " --direction out");
  const auto* d = DetailOf(j, "phishing", "outgoing");
  ASSERT_NE(d, nullptr) << j.dump(2);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 100.0);
  EXPECT_EQ((*d)["scored"], false);
  EXPECT_EQ(j["score"], 3) << "paying a phisher does not raise the score";
  EXPECT_EQ(DetailOf(j, "theft"), nullptr);
  // Paying a mixer does: S sends as much again to M; outgoing weight 0.5, direct floor 55.
  Ingest(data, WriteRows(dir, "d.csv", {{7, S, M, "1"}}));
  j = Risk(data, S + " --direction out");
  d = DetailOf(j, "mixer", "outgoing");
  ASSERT_NE(d, nullptr) << j.dump(2);
  EXPECT_EQ((*d)["scored"], true);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 50.0);
  EXPECT_EQ(j["score"], 80) << "min(1, 0.5 * 0.5 / 0.2) * 80";
  // A tx screened as a deposit: T -> S is hop 1 theft, with the tx itself as evidence.
  auto tx = Risk(data, Hash(3));
  d = DetailOf(tx, "theft");
  ASSERT_NE(d, nullptr) << tx.dump(2);
  EXPECT_EQ((*d)["hop_num"], 1);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 100.0);
  EXPECT_EQ((*d)["path"][0]["tx"], Hash(3));
  // X -> S: X's funds are 25% theft, at hop 2.
  tx = Risk(data, Hash(4));
  d = DetailOf(tx, "theft");
  ASSERT_NE(d, nullptr) << tx.dump(2);
  EXPECT_EQ((*d)["hop_num"], 2);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 25.0);
}

TEST_F(RiskFormula, BadInputGetsOneClearLine) {
  auto r = RunCli("--data " + data + " risk 0x12345");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("0x12345"), std::string::npos) << r.err;
  r = RunCli("--data " + data + " risk " + Addr(99));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no transfers"), std::string::npos) << r.err;
  r = RunCli("--data " + data + " risk " + Hash(99));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("is not in"), std::string::npos) << r.err;
  r = RunCli("--data " + data + " risk " + S + " --direction sideways");
  EXPECT_EQ(r.exit_code, 2);
  // The human table names score, level and the path.
  r = RunCli("--data " + data + " risk " + S);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Score     90 (High)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(Hash(3)), std::string::npos) << r.out;
}

TEST_F(RiskFormula, BatchScoresLinesAndNamesBadOnes) {
  std::string input = dir / "batch.txt";
  std::ofstream(input) << "address\n"
                       << S << "\n\nhello\n# a comment\n"
                       << Hash(3) << "\n"
                       << Addr(99) << "\n"
                       << T << ",extra,fields\n";
  auto r = RunCli("--data " + data + " risk --batch " + input);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("batch.txt:3: empty line"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("batch.txt:4: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("batch.txt:6: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tx hash"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("batch.txt:7: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("batch.txt:5"), std::string::npos) << r.err;  // comments are skipped
  EXPECT_EQ(r.err.find("batch.txt:1"), std::string::npos) << r.err;  // the header too
  // Two scored lines, in input order: S (High 90), T (own theft label: Severe).
  std::vector<std::string> lines;
  size_t b = 0;
  for (size_t e; (e = r.out.find('\n', b)) != std::string::npos; b = e + 1)
    lines.push_back(r.out.substr(b, e - b));
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0].rfind(S.substr(0, 6), 0), 0u);
  EXPECT_NE(lines[0].find("\t90\tHigh\t"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\tSevere\t"), std::string::npos) << lines[1];
  // JSON lines from stdin, same scores, multi-threaded.
  r = RunCli("--data " + data + " --json risk --batch - --threads 2 < " + input);
  EXPECT_EQ(r.exit_code, 3);
  auto first = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  EXPECT_EQ(first["line"], 2);
  EXPECT_EQ(first["score"], 90);
  // A file of valid addresses only exits 0.
  std::ofstream(input) << S << "\n" << X << "\n";
  r = RunCli("--data " + data + " risk --batch " + input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The same transfers ingested in two orders (different dense ids), with ties in the fan-out: the
// same answer; and ingesting unrelated data changes nothing.
TEST(RiskDeterminism, IndependentOfIngestOrderAndUnrelatedData) {
  TempDir dir;
  const std::string T = Addr(1), S = Addr(4);
  // S gets 1 ETH from each of X1..X4; each Xi got 1 ETH from T (theft) and 1 from a clean Ci.
  std::vector<Row> a, b;
  for (int i = 0; i < 4; ++i) {
    a.push_back({10 + i, Addr(20 + i), S, "1", 300});
    b.push_back({20 + i, T, Addr(20 + i), "1", 200});
    b.push_back({30 + i, Addr(40 + i), Addr(20 + i), "1", 200});
  }
  std::string fa = WriteRows(dir, "a.csv", a), fb = WriteRows(dir, "b.csv", b);
  std::string d1 = dir / "d1", d2 = dir / "d2";
  Ingest(d1, fa);
  Ingest(d1, fb);
  Ingest(d2, fb);
  Ingest(d2, fa);
  Labels(dir, d1, {{T, "", "theft", "T", ""}});
  Labels(dir, d2, {{T, "", "theft", "T", ""}});
  // --fanout 2 cuts two of four equal shares: which two must not depend on ids.
  auto j1 = Risk(d1, S + " --fanout 2"), j2 = Risk(d2, S + " --fanout 2");
  EXPECT_EQ(j1.dump(), j2.dump());
  const auto* d = DetailOf(j1, "theft");
  ASSERT_NE(d, nullptr) << j1.dump(2);
  EXPECT_DOUBLE_EQ((*d)["percent"].get<double>(), 25.0);  // 2 of 4 followed, each 50% theft
  // Equal shares are cut by address key: X1 and X2 are followed; the path goes through X1.
  EXPECT_EQ(Lower((*d)["path"][0]["address"]), Addr(20));
  bool cut_reported = false;
  for (const auto& h : j1["exposure"]["hops"]) cut_reported |= h["cut"] == 2;
  EXPECT_TRUE(cut_reported) << j1["exposure"].dump(2);
  // Unrelated data: new addresses, new blocks; S's answer is byte-identical.
  std::vector<Row> other;
  for (int i = 0; i < 20; ++i) other.push_back({100 + i, Addr(500 + i), Addr(600 + i), "5", 400});
  Ingest(d1, WriteRows(dir, "other.csv", other));
  EXPECT_EQ(Risk(d1, S + " --fanout 2").dump(), j1.dump());
  EXPECT_EQ(Risk(d1, S + " --fanout 2").dump(), j1.dump());  // and again
}

// Real labels from the fixtures: OFAC and GraphSense's ronin_bridge and tornado_cash packs.
class RiskRealLabels : public ::testing::Test {
 protected:
  void SetUp() override {
    data = dir / "data";
    for (const std::string& args : {"ofac " + TestData("labels/ofac") + " --as-of 2024-09-27",
                                    "graphsense " + TestData("labels/graphsense-tagpacks/packs")}) {
      auto r = RunCli("--data " + data + " labels import " + args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  TempDir dir;
  std::string data;
  const std::string ronin = "0x098b716b8aaf21512996dc57eb0615e2383e2f96";
};

TEST_F(RiskRealLabels, SanctionedAndTheftAreSevereWithTheSource) {
  auto j = Risk(data, ronin);  // labels only: no chain data in this store
  EXPECT_GE(j["score"].get<int>(), 91) << j.dump(2);
  EXPECT_EQ(j["risk_level"], "Severe");
  EXPECT_EQ(j["in_store"], false);
  std::map<std::string, std::string> source;
  for (const auto& o : j["own_risks"])
    source[o["category"]] = o["source"].is_null() ? "" : o["source"].get<std::string>();
  ASSERT_TRUE(source.count("sanctioned")) << j.dump(2);
  ASSERT_TRUE(source.count("theft")) << j.dump(2);
  EXPECT_EQ(source["sanctioned"].rfind("ofac", 0), 0u) << source["sanctioned"];
  EXPECT_EQ(source["theft"], "graphsense/ronin_bridge");
  EXPECT_EQ(j["detail_list"][0], "Sanctioned Entity");
  EXPECT_NE(j["hacking_event"].get<std::string>(), "");
}

TEST_F(RiskRealLabels, TornadoPoolScoresAsMixer) {
  auto j = Risk(data, "0x722122df12d4e14e13ac3b6895a86e84145b6967");
  bool mixer = false;
  for (const auto& o : j["own_risks"])
    mixer |= o["category"] == "mixer" && o["risk_type"] == "mixer";
  EXPECT_TRUE(mixer) << j.dump(2);
  bool listed = false;
  for (const auto& d : j["detail_list"]) listed |= d == "Mixer";
  EXPECT_TRUE(listed) << j.dump(2);
  EXPECT_GE(j["score"].get<int>(), 71);
}

// The Ronin exploiter paying an address (tests/data/risk/ronin_payout.csv, see its README): the
// receiver shows direct exposure, hop 1, with the tx hash.
TEST_F(RiskRealLabels, ReceiverOfRoninExploiterShowsDirectExposureWithTx) {
  Ingest(data, TestData("risk/ronin_payout.csv"));
  const std::string receiver = "0x00000000000000000000000000000000000f1000";
  auto j = Risk(data, receiver);
  const auto* d = DetailOf(j, "theft");
  ASSERT_NE(d, nullptr) << j.dump(2);
  EXPECT_EQ((*d)["exposure_type"], "direct");
  EXPECT_EQ((*d)["hop_num"], 1);
  EXPECT_EQ((*d)["address"], "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
  EXPECT_EQ((*d)["path"][0]["tx"],
            "0x00000000000000000000000000000000000000000000000000000000000f1001");
  EXPECT_NE(DetailOf(j, "sanctioned"), nullptr);
  EXPECT_GE(j["score"].get<int>(), 71);
}

TEST(ProfileCli, OverviewCounterpartiesActivityAndFirstFunder) {
  TempDir dir;
  std::string data = dir / "data";
  const std::string A = Addr(1), F = Addr(2), E = Addr(3), M = Addr(4), B = Addr(5);
  Ingest(data,
         WriteRows(
             dir, "p.csv",
             {{1, F, A, "2"}, {2, A, E, "0.5"}, {3, A, M, "0.5"}, {4, B, A, "1"}, {5, A, B, "1"}}));
  Labels(dir, data,
         {{E, "exchange", "", "Bitfinex 3", "Bitfinex"}, {M, "mixer", "", "Pool", "Tornado"}});
  auto r = RunCli("--data " + data + " --json profile " + A);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["overview"]["balance"], "1");
  EXPECT_EQ(j["overview"]["total_received"], "3");
  EXPECT_EQ(j["overview"]["total_spent"], "2");
  EXPECT_EQ(j["overview"]["txs_count"], 5);
  const auto& cps = j["counterparty"]["address_counterparty_list"];
  ASSERT_EQ(cps.size(), 4u);
  // B (1 in + 1 out) and F (2 in) tie at 2 ETH: by name (the address), F first.
  EXPECT_EQ(Lower(cps[0]["name"]), F);
  EXPECT_EQ(Lower(cps[1]["name"]), B);
  EXPECT_EQ(cps[0]["amount"], "2");
  EXPECT_DOUBLE_EQ(cps[0]["percent"].get<double>(), 40.0);
  bool bitfinex = false;
  for (const auto& c : cps) bitfinex |= c["name"] == "Bitfinex" && c["category"] == "exchange";
  EXPECT_TRUE(bitfinex) << cps.dump(2);
  std::map<std::string, int> spent;
  for (const auto& a : j["action"]["action_dic"]["spent_txs"]) spent[a["action"]] = a["count"];
  EXPECT_EQ(spent["Exchange"], 1);
  EXPECT_EQ(spent["Mixer"], 1);
  EXPECT_EQ(spent["Transfer"], 1);
  EXPECT_EQ(Lower(j["trace"]["first_address"]["address"]), F);
  EXPECT_EQ(j["trace"]["first_address"]["tx"], Hash(1));
  EXPECT_EQ(j["trace"]["use_platform"]["exchange"]["exchange_list"][0], "Bitfinex");
  EXPECT_EQ(j["trace"]["use_platform"]["mixer"]["count"], 1);
  r = RunCli("--data " + data + " profile " + A + " --section activity");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exchange 1 (33.3%)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Overview"), std::string::npos);
  r = RunCli("--data " + data + " profile " + Addr(77));
  EXPECT_EQ(r.exit_code, 4);
}

}  // namespace
}  // namespace fundtrace
