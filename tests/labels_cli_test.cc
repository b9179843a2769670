// End to end: `fundtrace labels ...` and `fundtrace screen` on the fixtures in tests/data/labels.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::Json;
using testing::RunCli;
using testing::TempDir;
using testing::TestData;

std::string L(const std::string& rel) { return TestData("labels/" + rel); }

// Imports every fixture source into `dir`, each as its own import.
void ImportAll(const TempDir& dir) {
  for (const std::string& args :
       {"ofac " + L("ofac") + " --as-of 2024-09-27", "graphsense " + L("graphsense-tagpacks/packs"),
        "graphsense-actors " + L("graphsense-tagpacks/actors"), "etherscan " + L("etherscan"),
        "etherscan " + L("etherscan-tags-2019"), "forta " + L("forta"),
        "csv " + L("csv/my-list.csv")}) {
    auto r = RunCli("--data " + dir.path() + " labels import " + args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err << r.out;
  }
}

nlohmann::json StatsJson(const TempDir& dir) {
  auto r = RunCli("--data " + dir.path() + " --json labels stats");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return Json(r);
}

uint64_t CountOf(const nlohmann::json& rows, const std::string& key, const std::string& value,
                 const std::string& key2 = "", const std::string& value2 = "") {
  for (const auto& r : rows) {
    if (r[key] == value && (key2.empty() || r[key2] == value2)) return r["tags"].get<uint64_t>();
  }
  return 0;
}

nlohmann::json Show(const TempDir& dir, const std::string& address, int expect_exit = 0) {
  auto r = RunCli("--data " + dir.path() + " --json labels show " + address);
  EXPECT_EQ(r.exit_code, expect_exit) << r.err;
  return Json(r);
}

bool Has(const nlohmann::json& array, const std::string& value) {
  for (const auto& v : array) {
    if (v == value) return true;
  }
  return false;
}

TEST(LabelsCli, ImportAndStatsCountTheSources) {
  TempDir dir;
  ImportAll(dir);
  auto s = StatsJson(dir);
  // OFAC fixture: 12 ETH addresses (txt and json are one list), XBT 5 valid of 6, TRX 6, USDT 26.
  EXPECT_EQ(CountOf(s["by_network"], "source", "ofac", "network", "ETH"), 12u);
  EXPECT_EQ(CountOf(s["by_network"], "source", "ofac", "network", "XBT"), 5u);
  EXPECT_EQ(CountOf(s["by_network"], "source", "ofac", "network", "USDT"), 26u);
  EXPECT_EQ(CountOf(s["by_network"], "source", "ofac", "network", "XMR"), 0u);
  bool found = false;
  for (const auto& d : s["by_dataset"]) {
    if (d["source"] == "ofac") {
      found = true;
      EXPECT_EQ(d["records"], 12 + 12 + 6 + 6 + 26 + 3);
      EXPECT_EQ(d["invalid"], 1);
      EXPECT_EQ(d["unsupported"], 3);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(s["actor_entities"], 4);
  EXPECT_EQ(s["unmapped"].size(), 0u);
  EXPECT_GT(CountOf(s["by_source"], "source", "graphsense"), 0u);
  EXPECT_GT(CountOf(s["by_source"], "source", "forta"), 0u);
  EXPECT_GT(CountOf(s["by_category"], "category", "sanctioned"), 0u);
  EXPECT_GT(CountOf(s["by_abuse"], "abuse", "theft"), 0u);
  // Human form.
  auto h = RunCli("--data " + dir.path() + " labels stats");
  ASSERT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("By source and network"), std::string::npos);
  EXPECT_TRUE(std::regex_search(h.out, std::regex("\nofac +XBT +5 +5\n"))) << h.out;
}

TEST(LabelsCli, RoninExploiterIsSanctionedAndTheftWithEachSource) {
  TempDir dir;
  ImportAll(dir);
  auto j = Show(dir, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["address"], "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
  EXPECT_TRUE(Has(j["risks"], "sanctioned"));
  EXPECT_TRUE(Has(j["risks"], "theft"));
  std::set<std::string> sanctioned_by, theft_by;
  for (const auto& t : j["tags"]) {
    std::string where = t["source"].get<std::string>() + "/" + t["dataset"].get<std::string>();
    if (t["category"] == "sanctioned") sanctioned_by.insert(where);
    if (t["abuse"] == "theft") theft_by.insert(where);
  }
  EXPECT_EQ(sanctioned_by, (std::set<std::string>{"ofac/sdn", "graphsense/ofac",
                                                  "graphsense/lazarus", "etherscan/etherscan"}));
  EXPECT_EQ(theft_by, (std::set<std::string>{"graphsense/ronin_bridge", "csv/my-list"}));
  // Winner first: our own list says forensic_investigation (70), above OFAC's authority_data (60).
  EXPECT_EQ(j["tags"][0]["winner"], true);
  EXPECT_EQ(j["tags"][0]["source"], "csv");
  EXPECT_EQ(j["tags"][1]["source"], "ofac");
  EXPECT_EQ(j["tags"][1]["lost_because"], "lower confidence (60 < 70)");
  EXPECT_EQ(j["entity"]["name"], "Lazarus Group");
  auto h =
      RunCli("--data " + dir.path() + " labels show 0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  ASSERT_EQ(h.exit_code, 0) << h.err;
  EXPECT_NE(h.out.find("Risks     sanctioned, theft"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("winner"), std::string::npos);
  EXPECT_NE(h.out.find("lost: lower confidence (60 < 70)"), std::string::npos) << h.out;
}

TEST(LabelsCli, TornadoPoolsAreMixersAndSanctionedWhereOfacListsThem) {
  TempDir dir;
  ImportAll(dir);
  std::set<std::string> ofac;
  std::ifstream list(L("ofac/sanctioned_addresses_ETH.txt"));
  for (std::string line; std::getline(list, line);) ofac.insert(line);
  YAML::Node pack = YAML::LoadFile(L("graphsense-tagpacks/packs/tornado_cash.yaml"));
  int checked = 0;
  for (const auto& t : pack["tags"]) {
    std::string a = t["address"].Scalar();
    a.erase(a.find_last_not_of(' ') + 1);
    auto j = Show(dir, a);
    EXPECT_TRUE(Has(j["risks"], "mixer")) << a;
    EXPECT_EQ(Has(j["risks"], "sanctioned"), ofac.count(a) > 0) << a;
    EXPECT_EQ(j["entity"]["name"], "Tornado Cash") << a;
    ++checked;
  }
  EXPECT_EQ(checked, 11);
}

TEST(LabelsCli, ImportingTwiceChangesNothing) {
  TempDir dir;
  ImportAll(dir);
  auto before = StatsJson(dir);
  auto exp1 = RunCli("--data " + dir.path() + " labels export --tagpack");
  auto idx_time = std::filesystem::last_write_time(dir / "labels.idx");
  for (const std::string& args :
       {"ofac " + L("ofac") + " --as-of 2024-09-27", "graphsense " + L("graphsense-tagpacks"),
        "etherscan " + L("etherscan"), "forta " + L("forta"), "csv " + L("csv")}) {
    auto r = RunCli("--data " + dir.path() + " --json labels import " + args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = Json(r);
    EXPECT_EQ(j["changed"], false) << args;
    EXPECT_EQ(j["new"], 0) << args;
    EXPECT_EQ(j["updated"], 0) << args;
  }
  auto after = StatsJson(dir);
  before.erase("by_dataset");  // holds import times
  after.erase("by_dataset");
  EXPECT_EQ(before, after);
  EXPECT_EQ(exp1.out.substr(exp1.out.find("tags:")),
            RunCli("--data " + dir.path() + " labels export --tagpack")
                .out.substr(exp1.out.find("tags:")));
  EXPECT_EQ(std::filesystem::last_write_time(dir / "labels.idx"), idx_time);
  auto h =
      RunCli("--data " + dir.path() + " labels import ofac " + L("ofac") + " --as-of 2024-09-27");
  EXPECT_NE(h.out.find("Nothing changed"), std::string::npos) << h.out;
}

TEST(LabelsCli, MalformedFilesAreReportedAndStoreNothing) {
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " labels import graphsense " +
                  L("graphsense-tagpacks/packs") + " " + L("bad/yaml/broken_pack.yaml"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("broken_pack.yaml:10: YAML syntax error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was stored"), std::string::npos);
  auto s = RunCli("--data " + dir.path() + " --json labels stats");
  ASSERT_EQ(s.exit_code, 0) << s.err;  // the store exists but holds no tag
  EXPECT_EQ(Json(s)["tags"], 0);

  r = RunCli("--data " + dir.path() + " labels import ofac " +
             L("bad/json/sanctioned_addresses_ETH.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("sanctioned_addresses_ETH.json:4: JSON syntax error"), std::string::npos)
      << r.err;
  r = RunCli("--data " + dir.path() + " labels import csv " + L("bad/csv/wrong_fields.csv"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("wrong_fields.csv:3: expected 4 fields, found 5"), std::string::npos)
      << r.err;
  EXPECT_EQ(Json(RunCli("--data " + dir.path() + " --json labels stats"))["tags"], 0);

  // --skip-bad: the good files are stored, the bad one is listed.
  r = RunCli("--data " + dir.path() + " --json labels import graphsense --skip-bad " +
             L("graphsense-tagpacks/packs") + " " + L("bad/yaml/broken_pack.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  ASSERT_EQ(j["files_failed"].size(), 1u);
  EXPECT_NE(j["files_failed"][0]["error"].get<std::string>().find("broken_pack.yaml:10"),
            std::string::npos);
  EXPECT_GT(j["new"].get<int>(), 0);
}

TEST(LabelsCli, InvalidAddressesAreCountedAndListed) {
  TempDir dir;
  auto r = RunCli("--data " + dir.path() + " --json labels import csv " + L("csv/my-list.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["records"], 8);
  EXPECT_EQ(j["new"], 4);
  EXPECT_EQ(j["invalid"], 2);
  EXPECT_EQ(j["skipped"], 2);
  ASSERT_EQ(j["issues"].size(), 4u);
  std::set<std::string> origins;
  for (const auto& i : j["issues"])
    origins.insert(std::filesystem::path(i["origin"].get<std::string>()).filename());
  EXPECT_EQ(origins, (std::set<std::string>{"my-list.csv:6", "my-list.csv:7", "my-list.csv:8",
                                            "my-list.csv:9"}));
  auto h = RunCli("--data " + dir.path() + " labels import csv " + L("csv/my-list.csv"));
  EXPECT_NE(h.out.find("4 records not stored"), std::string::npos) << h.out;
  auto s = RunCli("--data " + dir.path() + " labels stats --issues");
  EXPECT_NE(s.out.find("EIP-55 checksum mismatch"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("unknown category 'spaceship'"), std::string::npos) << s.out;
}

TEST(LabelsCli, MatchingIsExactPerChain) {
  TempDir dir;
  ImportAll(dir);
  // EVM: any case, and the EIP-55 form, find the same tags; a wrong checksum is an error.
  auto lower = Show(dir, "0x910cbd523d972eb0a6f4cae4618ad62622b39dbf");
  auto upper = Show(dir, "0x910CBD523D972EB0A6F4CAE4618AD62622B39DBF");
  EXPECT_EQ(lower["tags"].size(), upper["tags"].size());
  EXPECT_GT(lower["tags"].size(), 0u);
  auto bad =
      RunCli("--data " + dir.path() + " labels show 0x910Cbd523D972eb0a6f4cAe4618aD62622b39Dbf");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find(
                "EIP-55 checksum mismatch (expected 0x910Cbd523D972eb0a6f4cAe4618aD62622b39DbF)"),
            std::string::npos)
      << bad.err;
  // Bitcoin and TRON are case-sensitive: another case is another (here invalid) address.
  auto btc = Show(dir, "3K35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3");
  EXPECT_GT(btc["tags"].size(), 0u);
  EXPECT_EQ(
      RunCli("--data " + dir.path() + " labels show 3k35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3").exit_code,
      3);
  auto trx = Show(dir, "TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR");
  EXPECT_GT(trx["tags"].size(), 0u);
  EXPECT_EQ(
      RunCli("--data " + dir.path() + " labels show TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUr").exit_code,
      3);
  // The same 20 bytes as a TRON address are not the EVM address.
  auto none = Show(dir, "0x0000000000000000000000000000000000000001", 4);
  EXPECT_EQ(none["tags"].size(), 0u);
}

TEST(LabelsCli, ScreenListsHitsAndInvalidLines) {
  TempDir dir;
  ImportAll(dir);
  std::string input = dir / "in.txt";
  {
    std::ofstream f(input);
    f << "address\n"
      << "0x098b716b8aaf21512996dc57eb0615e2383e2f96\n"
      << "# comment\n"
      << "0x0000000000000000000000000000000000000001\n"
      << "0x910Cbd523D972eb0a6f4cAe4618aD62622b39Dbf\n"  // checksum typo
      << "3K35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3,extra,columns\n"
      << "\n"
      << "TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR\n";
  }
  auto r = RunCli("--data " + dir.path() + " screen " + input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Screened 4 addresses"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 hits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sanctioned,theft"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("in.txt:5: invalid address"), std::string::npos) << r.err;

  auto j = RunCli("--data " + dir.path() + " --json screen - < " + input);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  std::istringstream lines(j.out);
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 4u);  // 3 hits and the invalid line
  EXPECT_EQ(rows[0]["line"], 2);
  EXPECT_EQ(rows[0]["source"], "csv");  // our own list's tag (confidence 70) wins
  EXPECT_EQ(rows[0]["risks"], nlohmann::json({"sanctioned", "theft"}));
  EXPECT_EQ(rows[1]["line"], 5);
  EXPECT_TRUE(rows[1].contains("error"));
  EXPECT_EQ(rows[2]["chain"], "btc");
  EXPECT_EQ(rows[3]["chain"], "trx");
  EXPECT_EQ(rows[3]["category"], "sanctioned");

  auto all = RunCli("--data " + dir.path() + " screen --all --tsv " + input);
  ASSERT_EQ(all.exit_code, 0);
  EXPECT_NE(all.out.find("0x0000000000000000000000000000000000000001\teth\t0"), std::string::npos)
      << all.out;
  auto strict = RunCli("--data " + dir.path() + " --json screen --min-confidence 65 " + input);
  EXPECT_EQ(std::count(strict.out.begin(), strict.out.end(), '\n'),
            2);  // the csv tag (70) and the error line
}

TEST(LabelsCli, ScreeningIndexIsRebuiltWhenMissingOrDamaged) {
  TempDir dir;
  ImportAll(dir);
  std::string input = dir / "in.txt";
  std::ofstream(input) << "0x098b716b8aaf21512996dc57eb0615e2383e2f96\n";
  std::filesystem::remove(dir / "labels.idx");
  auto r = RunCli("--data " + dir.path() + " screen " + input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 hits"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "labels.idx"));
  std::filesystem::resize_file(dir / "labels.idx", 100);
  r = RunCli("--data " + dir.path() + " screen " + input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 hits"), std::string::npos) << r.out;
}

TEST(LabelsCli, SearchByLabelAndEntity) {
  TempDir dir;
  ImportAll(dir);
  auto r = RunCli("--data " + dir.path() + " --json labels search 'ronin bridge'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_GE(j["total"].get<int>(), 7);
  for (const auto& t : j["tags"]) {
    std::string text = t["label"].get<std::string>() + " " +
                       (t["entity"].is_null() ? "" : t["entity"].get<std::string>());
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    EXPECT_NE(text.find("ronin bridge"), std::string::npos) << text;
  }
  r = RunCli("--data " + dir.path() + " labels search binance");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Entity Binance (exchange), GraphSense actor binance"), std::string::npos)
      << r.out;
  EXPECT_EQ(RunCli("--data " + dir.path() + " labels search zzzz-nothing").exit_code, 4);
}

TEST(LabelsCli, ActorsGroupTagsWhateverTheImportOrder) {
  TempDir a, b;
  for (const TempDir* d : {&a, &b}) {
    std::vector<std::string> order = {"etherscan " + L("etherscan"),
                                      "graphsense-actors " + L("graphsense-tagpacks/actors")};
    if (d == &b) std::swap(order[0], order[1]);
    for (const auto& args : order)
      ASSERT_EQ(RunCli("--data " + d->path() + " labels import " + args).exit_code, 0);
  }
  for (const TempDir* d : {&a, &b}) {
    auto j = Show(*d, "0x85b931a32a0725be14285b66f1a22178c672d69b");  // "Binance 10"
    EXPECT_EQ(j["entity"]["name"], "Binance");
    EXPECT_EQ(j["entity"]["actor"], "binance");
    EXPECT_EQ(j["entity"]["category"], "exchange");
    auto t = Show(*d, "0x910cbd523d972eb0a6f4cae4618ad62622b39dbf");  // "Tornado.Cash: 10 ETH"
    EXPECT_EQ(t["entity"]["name"], "Tornado Cash");
    EXPECT_EQ(t["entity"]["actor"], "tornado");
  }
}

// GraphSense's TagPack schema (tests/data/labels/graphsense-schema), checked the way
// graphsense-tagpack-tool's TagPack.validate() checks it.
TEST(LabelsCli, ExportedTagPackPassesGraphSenseSchema) {
  TempDir dir;
  ImportAll(dir);
  std::string out = dir / "export.yaml";
  auto r = RunCli("--data " + dir.path() + " labels export --tagpack -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string schema_dir = L("graphsense-schema");
  YAML::Node schema = YAML::LoadFile(schema_dir + "/tagpack_schema.yaml");
  auto read_ids = [](const std::string& path, bool csv) {
    std::set<std::string> ids;
    std::ifstream in(path);
    std::string line;
    if (csv) std::getline(in, line);
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      if (csv) {
        // id is the first column in confidence.csv, the second in tag_types.csv
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
        ids.insert(path.find("tag_types") != std::string::npos ? cols[1] : cols[0]);
      } else {
        ids.insert(line);
      }
    }
    return ids;
  };
  std::map<std::string, std::set<std::string>> taxonomies = {
      {"confidence", read_ids(schema_dir + "/confidence.csv", true)},
      {"concept", read_ids(schema_dir + "/concept_ids.txt", false)},
      {"tag_types", read_ids(schema_dir + "/tag_types.csv", true)}};
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  const std::regex not_text(R"([-+]?[0-9][0-9_]*(\.[0-9]*)?|true|false|null|~|\d{4}-\d{2}-\d{2}.*)",
                            std::regex::icase);
  auto check = [&](const std::string& field, const YAML::Node& v, const std::string& where) {
    YAML::Node def = schema["header"][field] ? schema["header"][field] : schema["tag"][field];
    ASSERT_TRUE(def) << "field " << field << " not allowed " << where;
    std::string type = def["type"].Scalar();
    if (type == "text") {
      ASSERT_TRUE(v.IsScalar()) << field << where;
      // PyYAML reads a plain scalar that looks like a number, bool, null or date as that type.
      if (v.Tag() == "?") {
        EXPECT_FALSE(std::regex_match(v.Scalar(), not_text)) << field << where;
      }
      EXPECT_FALSE(v.Scalar().empty()) << field << where;
      if (field == "context") {
        EXPECT_FALSE(nlohmann::json::parse(v.Scalar(), nullptr, false).is_discarded()) << where;
      }
    } else if (type == "datetime") {
      EXPECT_EQ(v.Tag(), "?") << field << " must be a plain date" << where;
      EXPECT_TRUE(std::regex_match(v.Scalar(), date)) << field << where;
    } else if (type == "list") {
      EXPECT_TRUE(v.IsSequence()) << field << where;
    } else if (type == "boolean") {
      EXPECT_TRUE(v.Scalar() == "true" || v.Scalar() == "false") << field << where;
    }
    if (def["taxonomy"] && def["taxonomy"].IsScalar() && v.IsScalar()) {
      EXPECT_TRUE(taxonomies[def["taxonomy"].Scalar()].count(v.Scalar()))
          << v.Scalar() << " is not in taxonomy " << def["taxonomy"].Scalar() << where;
    }
  };
  YAML::Node pack = YAML::LoadFile(out);
  for (const auto& kv : schema["header"]) {
    if (kv.second["mandatory"].as<bool>()) {
      EXPECT_TRUE(pack[kv.first.Scalar()]) << kv.first.Scalar();
    }
  }
  for (const auto& kv : pack) {
    if (kv.first.Scalar() != "tags") check(kv.first.Scalar(), kv.second, " in the header");
  }
  size_t n = 0;
  for (const auto& tag : pack["tags"]) {
    std::string where = " in tag " + std::to_string(n);
    for (const auto& kv : schema["tag"]) {
      if (kv.second["mandatory"].as<bool>()) {
        EXPECT_TRUE(tag[kv.first.Scalar()] || pack[kv.first.Scalar()])
            << kv.first.Scalar() << where;
      }
    }
    for (const auto& kv : tag) check(kv.first.Scalar(), kv.second, where);
    ++n;
  }
  auto stats = StatsJson(dir);
  EXPECT_EQ(n, stats["tags"].get<size_t>());
  // The Ronin exploiter's OFAC tag comes out as a sanction.
  bool ronin = false;
  for (const auto& tag : pack["tags"]) {
    if (tag["address"].Scalar() == "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" && tag["abuse"] &&
        tag["abuse"].Scalar() == "sanction") {
      ronin = true;
    }
  }
  EXPECT_TRUE(ronin);
}

TEST(LabelsCli, HelpAndUsageErrors) {
  auto h = RunCli("labels --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("import"), std::string::npos);
  h = RunCli("labels import --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("graphsense-actors"), std::string::npos);
  EXPECT_EQ(RunCli("labels import chainalysis x").exit_code, 2);
  TempDir dir;
  auto r =
      RunCli("--data " + dir.path() + " labels import auto " + L("ofac") + " --as-of 2024-01-01");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--as-of"), std::string::npos);
  r = RunCli("--data " + dir.path() + " labels show 0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("no labels in"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fundtrace
