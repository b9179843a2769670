// The label importers on every file of ../shared/data/labels (the real sources, some of which
// may not be copied into the repo). Skipped with a message when that data is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::HaveShared;
using testing::Json;
using testing::RunCli;
using testing::SharedData;
using testing::TempDir;

// One import of everything (about 10 s) serves every check, so the checks are the steps of one
// test rather than tests of their own (each test runs in its own process under ctest).
struct SharedStore {
  TempDir dir;
  nlohmann::json import;
  nlohmann::json Show(const std::string& a) const {
    auto r = RunCli("--data " + dir.path() + " --json labels show " + a);
    EXPECT_EQ(r.exit_code, 0) << a << ": " << r.err;
    return Json(r);
  }
};

bool Has(const nlohmann::json& a, const std::string& v) {
  for (const auto& x : a) {
    if (x == v) return true;
  }
  return false;
}

void EveryFileImports(const SharedStore& st) {
  const auto& j = st.import;
  EXPECT_EQ(j["files_failed"].size(), 0u) << j["files_failed"].dump(2);
  for (const auto& f : j["files_skipped"]) {
    std::string name = std::filesystem::path(f["path"].get<std::string>()).filename();
    EXPECT_TRUE(name == "README.md" || name == "LICENSE") << f.dump();
  }
  size_t files = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(SharedData("labels"));
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) ++files;
  }
  EXPECT_EQ(j["files"].get<size_t>() + j["files_skipped"].size(), files);
  EXPECT_EQ(j["unmapped"].size(), 0u) << j["unmapped"].dump(2);
  EXPECT_EQ(j["entities"]["records"], 3813);
}

void CountsAgreeWithTheSources(const SharedStore& st) {
  auto s = Json(RunCli("--data " + st.dir.path() + " --json labels stats"));
  auto count = [&](const std::string& source, const std::string& network) {
    for (const auto& r : s["by_network"]) {
      if (r["source"] == source && r["network"] == network) return r["tags"].get<int>();
    }
    return 0;
  };
  EXPECT_EQ(count("ofac", "ETH"), 152);
  // 435 XBT lines: 434 Bitcoin addresses and one TRON address OFAC lists under XBT.
  EXPECT_EQ(count("ofac", "XBT"), 434);
  auto issues = Json(RunCli("--data " + st.dir.path() + " --json labels stats --issues"))["issues"];
  int xbt_invalid = 0;
  for (const auto& i : issues) {
    if (i["source"] == "ofac" && i["kind"] == "invalid address" &&
        i["origin"].get<std::string>().find("sanctioned_addresses_XBT.txt") != std::string::npos) {
      ++xbt_invalid;
      EXPECT_EQ(i["address"], "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
    }
  }
  EXPECT_EQ(xbt_invalid, 1);
  std::map<std::string, nlohmann::json> ds;
  for (const auto& d : s["by_dataset"])
    ds[d["source"].get<std::string>() + "/" + d["dataset"].get<std::string>()] = d;
  // Etherscan (June 2023): 29,945 keys in combinedAllLabels.json are 29,772 addresses (173 are
  // written twice, in two letter cases).
  EXPECT_EQ(ds["etherscan/etherscan"]["addresses"], 29772);
  EXPECT_EQ(ds["etherscan/etherscan-2019"]["records"], 38617);
  EXPECT_EQ(ds["forta/etherscan_malicious_labels"]["records"], 7780);
  EXPECT_EQ(ds["scamsniffer/address"]["tags"], 2530);
  EXPECT_EQ(ds["tutela/known_addresses"]["records"], 19261);
  int graphsense_records = 0;
  for (const auto& [k, d] : ds) {
    if (k.rfind("graphsense/", 0) == 0) graphsense_records += d["records"].get<int>();
  }
  EXPECT_EQ(graphsense_records, 150523);
}

void RoninExploiterIsSanctionedAndTheft(const SharedStore& st) {
  auto j = st.Show("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  EXPECT_TRUE(Has(j["risks"], "sanctioned"));
  EXPECT_TRUE(Has(j["risks"], "theft"));
  std::set<std::string> sanctioned, theft;
  for (const auto& t : j["tags"]) {
    std::string where = t["source"].get<std::string>() + "/" + t["dataset"].get<std::string>();
    if (t["category"] == "sanctioned") sanctioned.insert(where);
    if (t["abuse"] == "theft") theft.insert(where);
  }
  EXPECT_TRUE(sanctioned.count("ofac/sdn"));
  EXPECT_TRUE(sanctioned.count("graphsense/ofac"));
  EXPECT_TRUE(sanctioned.count("graphsense/lazarus"));
  EXPECT_TRUE(sanctioned.count("etherscan/etherscan"));
  EXPECT_TRUE(theft.count("graphsense/ronin_bridge"));
  EXPECT_EQ(j["shown"]["category"], "sanctioned");
  EXPECT_EQ(j["shown"]["source"], "ofac");
}

void TornadoPoolsAreMixersAndSanctionedWhereListed(const SharedStore& st) {
  std::set<std::string> ofac;
  {
    std::ifstream in(SharedData("labels/ofac/sanctioned_addresses_ETH.txt"));
    for (std::string l; std::getline(in, l);) {
      std::transform(l.begin(), l.end(), l.begin(), ::tolower);
      ofac.insert(l);
    }
  }
  std::ifstream pools(SharedData("labels/tutela/tornado.csv"));
  std::string line;
  std::getline(pools, line);
  int n = 0, sanctioned = 0;
  while (std::getline(pools, line)) {
    std::string a = line.substr(0, line.find(','));
    auto j = st.Show(a);
    EXPECT_TRUE(Has(j["risks"], "mixer")) << a;
    bool listed = ofac.count(a) > 0;
    EXPECT_EQ(Has(j["risks"], "sanctioned"), listed) << a;
    if (listed) {
      EXPECT_EQ(j["shown"]["category"], "sanctioned") << a;
    }
    sanctioned += listed;
    ++n;
  }
  EXPECT_EQ(n, 19);
  EXPECT_GT(sanctioned, 0);
}

void ImportingAgainChangesNothing(const SharedStore& st) {
  auto r = RunCli("--data " + st.dir.path() + " --json labels import auto " + SharedData("labels"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["changed"], false);
  EXPECT_EQ(j["new"], 0);
  // The OFAC tags were dated by the second import; importing them again undated keeps the date.
  EXPECT_EQ(j["updated"].get<int>(), 0);
}

TEST(LabelsShared, EverySourceImportsAndTheFactsHold) {
  if (!HaveShared("labels"))
    GTEST_SKIP() << SharedData("labels") << " is absent: the real label sources are not here";
  SharedStore st;
  auto r = RunCli("--data " + st.dir.path() + " --json labels import auto " + SharedData("labels"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  st.import = Json(r);
  // The OFAC list's date (its data README) dates its tags.
  r = RunCli("--data " + st.dir.path() + " --json labels import ofac " + SharedData("labels/ofac") +
             " --as-of 2024-09-27");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    SCOPED_TRACE("every file imports");
    EveryFileImports(st);
  }
  {
    SCOPED_TRACE("counts agree with the sources");
    CountsAgreeWithTheSources(st);
  }
  {
    SCOPED_TRACE("Ronin bridge exploiter");
    RoninExploiterIsSanctionedAndTheft(st);
  }
  {
    SCOPED_TRACE("Tornado Cash pools");
    TornadoPoolsAreMixersAndSanctionedWhereListed(st);
  }
  {
    SCOPED_TRACE("importing again");
    ImportingAgainChangesNothing(st);
  }
}

}  // namespace
}  // namespace fundtrace
