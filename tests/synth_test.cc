// End to end: `fundtrace synth` output is deterministic, ingests with exactly the transfers it
// claims, and its ground truth agrees with an independent replay of the CSVs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "chain/amount.h"
#include "cli_util.h"
#include "ingest/csv_reader.h"
#include "synth/generator.h"

namespace fundtrace {
namespace {

namespace fs = std::filesystem;
using testing::Json;
using testing::RunCli;
using testing::TempDir;

synth::SynthReport Generate(const std::string& dir, uint64_t transfers, uint64_t seed,
                            int hacks = -1, int parts = 1) {
  synth::SynthOptions o;
  o.transfers = transfers;
  o.seed = seed;
  o.out_dir = dir;
  o.hacks = hacks;
  o.parts = parts;
  synth::SynthReport report;
  const Status s = synth::GenerateChain(o, &report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return report;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json ReadJson(const std::string& path) {
  return nlohmann::json::parse(ReadAll(path), nullptr, false);
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Calls f(row) for each record of a CSV file, with a field accessor by column name.
template <typename F>
void ForEachRow(const std::string& path, F f) {
  auto csv = CsvReader::Open(path);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  for (;;) {
    auto next = (*csv)->Next();
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    if (!*next) break;
    auto field = [&](const char* name) {
      const int c = (*csv)->Column(name);
      EXPECT_GE(c, 0) << name;
      return std::string((*csv)->fields()[static_cast<size_t>(c)]);
    };
    f(field);
  }
}

U256 Num(const std::string& s) {
  auto v = ParseBaseUnits(s);
  EXPECT_TRUE(v.ok()) << s;
  return v.ok() ? *v : U256(0);
}

TEST(Synth, SameSeedSameBytesOtherSeedOtherBytes) {
  TempDir a, b, c;
  Generate(a.path(), 20000, 5);
  Generate(b.path(), 20000, 5);
  Generate(c.path(), 20000, 6);
  const auto files = FilesUnder(a.path());
  ASSERT_EQ(files, FilesUnder(b.path()));
  EXPECT_GE(files.size(), 11u);  // 5 etl files, labels, bridge events, synth.json, 3 hacks
  for (const auto& f : files) {
    EXPECT_TRUE(ReadAll(a / f) == ReadAll(b / f)) << f << " differs between two runs";
  }
  for (const char* f : {"etl/transactions.csv", "etl/token_transfers.csv", "etl/traces.csv",
                        "hacks/hack-01.json", "labels.csv"}) {
    EXPECT_FALSE(ReadAll(a / f) == ReadAll(c / f)) << f << " is the same for another seed";
  }
}

TEST(Synth, WritesExactlyTheRequestedTransfers) {
  for (uint64_t n : {1000u, 1001u, 4999u, 20001u, 33333u}) {
    TempDir dir;
    const auto report = Generate(dir.path(), n, n);
    EXPECT_EQ(report.counts.total(), n);
    EXPECT_EQ(report.counts.native, report.txs);
    EXPECT_EQ(report.counts.fee, report.txs);  // every tx pays a fee
    const auto manifest = ReadJson(dir / "synth.json");
    EXPECT_EQ(manifest["transfers"], n);
  }
}

TEST(Synth, IngestsWithoutBadRecordsAndTheClaimedTransferCount) {
  TempDir out, data;
  const auto report = Generate(out.path(), 50000, 42);
  auto r = RunCli("--data " + data.path() + " --json ingest etl " + out / "etl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["skipped_bad"], 0);
  EXPECT_TRUE(j["errors"].empty()) << j["errors"].dump();
  EXPECT_EQ(j["added"]["transfers"], 50000);
  EXPECT_EQ(j["added"]["txs"], report.txs);
  auto stats = Json(RunCli("--data " + data.path() + " --json stats"));
  ASSERT_TRUE(stats.is_object());
  const auto& s = stats["chains"][0];
  EXPECT_EQ(s["transfers"], 50000);
  EXPECT_EQ(s["txs"], report.txs);
  EXPECT_EQ(s["blocks"], report.blocks);
  EXPECT_EQ(s["min_block"], report.first_block);
  EXPECT_EQ(s["max_block"], report.last_block);
  // Loading it again adds nothing.
  r = RunCli("--data " + data.path() + " --json ingest etl " + out / "etl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r)["added"]["transfers"], 0);
}

// The rows of a CSV without its header line.
std::string Body(const std::string& path) {
  const std::string all = ReadAll(path);
  return all.substr(all.find('\n') + 1);
}

TEST(Synth, PartsSplitTheSameChainIntoBlockRanges) {
  TempDir one, three, data;
  Generate(one.path(), 30000, 8);
  Generate(three.path(), 30000, 8, -1, 3);
  for (const char* f : {"transactions.csv", "token_transfers.csv", "traces.csv", "blocks.csv"}) {
    std::string joined;
    for (const char* part : {"part-000", "part-001", "part-002"}) {
      joined += Body(three / (std::string("etl/") + part + "/" + f));
    }
    EXPECT_TRUE(joined == Body(one / (std::string("etl/") + f))) << f;
  }
  // Loaded part by part, one batch each, the store ends with every transfer.
  uint64_t added = 0;
  for (const char* part : {"part-000", "part-001", "part-002"}) {
    auto r = RunCli("--data " + data.path() + " --json ingest etl " + three / "etl" + "/" + part);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = Json(r);
    EXPECT_EQ(j["skipped_bad"], 0);
    EXPECT_GT(j["added"]["transfers"].get<uint64_t>(), 5000u) << part;
    added += j["added"]["transfers"].get<uint64_t>();
  }
  EXPECT_EQ(added, 30000u);
  EXPECT_EQ(Json(RunCli("--data " + data.path() + " --json stats"))["chains"][0]["transfers"],
            30000);
}

// A value movement read back from the CSVs the way docs/ingest.md describes.
struct Move {
  std::string tx, from, to, asset;  // asset: "ETH" or the token contract
  U256 amount;
};

struct Chain {
  std::vector<Move> moves;
  std::map<std::string, std::pair<std::string, U256>> fee_of;  // tx -> (sender, fee)
  std::map<std::string, int> status_of;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> bridge_rows;
};

Chain ReadChain(const std::string& dir) {
  Chain c;
  ForEachRow(dir + "/etl/transactions.csv", [&](auto field) {
    const std::string hash = field("hash");
    const bool ok = field("receipt_status") == "1";
    std::string to = field("to_address");
    if (to.empty()) to = field("receipt_contract_address");
    c.moves.push_back({hash, field("from_address"), to, "ETH", ok ? Num(field("value")) : U256(0)});
    c.fee_of[hash] = {field("from_address"),
                      Num(field("receipt_gas_used")) * Num(field("receipt_effective_gas_price"))};
    c.status_of[hash] = ok ? 1 : 0;
  });
  ForEachRow(dir + "/etl/traces.csv", [&](auto field) {
    if (field("trace_address").empty() || field("status") != "1") return;
    const U256 v = Num(field("value"));
    if (v == 0) return;
    c.moves.push_back(
        {field("transaction_hash"), field("from_address"), field("to_address"), "ETH", v});
  });
  ForEachRow(dir + "/etl/token_transfers.csv", [&](auto field) {
    c.moves.push_back({field("transaction_hash"), field("from_address"), field("to_address"),
                       field("token_address"), Num(field("value"))});
  });
  ForEachRow(dir + "/bridge_events.csv", [&](auto field) {
    std::map<std::string, std::string> row;
    for (const char* k : {"direction", "remote_chain_id", "deposit_id", "asset", "amount",
                          "local_address", "remote_address", "remote_transaction_hash"}) {
      row[k] = field(k);
    }
    c.bridge_rows[field("transaction_hash")].push_back(row);
  });
  return c;
}

// Replays a hack from the CSVs alone and compares every number of its ground-truth file.
void CheckHackAgainstCsv(const nlohmann::json& h, const Chain& c) {
  SCOPED_TRACE(h["name"].get<std::string>());
  std::map<std::string, std::string> asset_key;  // ground-truth asset name -> CSV asset
  for (const auto& [name, info] : h["assets"].items()) {
    asset_key[name] = info["contract"].is_null() ? "ETH" : info["contract"].get<std::string>();
  }
  std::set<std::string> holders, pools;
  for (const auto& a : h["addresses"]) {
    if (a["holds_stolen"]) holders.insert(a["address"]);
  }
  for (const auto& s : h["swaps"]) pools.insert(s["pool"]);
  const std::string victim = h["victim"]["address"];

  using Key = std::pair<std::string, std::string>;  // (address, asset)
  std::map<std::string, U256> stolen, swapped_in, swapped_out;
  std::map<Key, U256> out_to, in_sum, out_sum;
  U256 fees = 0;
  for (const Move& m : c.moves) {
    const bool from_h = holders.count(m.from) > 0, to_h = holders.count(m.to) > 0;
    if (from_h) out_sum[{m.from, m.asset}] += m.amount;
    if (to_h) in_sum[{m.to, m.asset}] += m.amount;
    if (from_h && !to_h && m.amount != 0) {
      if (pools.count(m.to))
        swapped_out[m.asset] += m.amount;
      else
        out_to[{m.to, m.asset}] += m.amount;
    }
    if (to_h && !from_h && m.amount != 0) {
      if (m.from == victim) {
        stolen[m.asset] += m.amount;
      } else if (pools.count(m.from)) {
        swapped_in[m.asset] += m.amount;
      } else {
        ADD_FAILURE() << "funds from outside the hack reach " << m.to << " in " << m.tx;
      }
    }
  }
  for (const auto& [tx, sender_fee] : c.fee_of) {
    if (holders.count(sender_fee.first)) {
      fees += sender_fee.second;
      out_sum[{sender_fee.first, "ETH"}] += sender_fee.second;
    }
  }

  for (const auto& [name, amount] : h["stolen"].items()) {
    EXPECT_EQ(stolen[asset_key[name]], Num(amount)) << "stolen " << name;
  }
  EXPECT_EQ(stolen.size(), h["stolen"].size());
  EXPECT_EQ(fees, Num(h["fees"]["ETH"]));
  for (const auto& [name, b] : h["balance"]["by_asset"].items()) {
    EXPECT_TRUE(b["holds"]) << name;
    EXPECT_EQ(swapped_in[asset_key[name]], Num(b["swapped_in"])) << name;
    EXPECT_EQ(swapped_out[asset_key[name]], Num(b["swapped_out"])) << name;
  }
  for (const auto& [name, b] : h["balance"]["by_origin"].items()) EXPECT_TRUE(b["holds"]) << name;

  std::map<Key, U256> expect_out, expect_rest;
  for (const auto& e : h["endpoints"]) {
    const Key k{e["address"], asset_key[e["asset"]]};
    if (e["kind"] == "resting") {
      expect_rest[k] += Num(e["amount"]);
      continue;
    }
    expect_out[k] += Num(e["amount"]);
    ASSERT_TRUE(c.status_of.count(e["tx"])) << "endpoint tx not in transactions.csv";
    EXPECT_EQ(c.status_of.at(e["tx"]), 1);
    if (e["kind"] == "exchange" && !e["sweep_tx"].is_null()) {
      bool found = false;
      for (const Move& m : c.moves) {
        if (m.tx == e["sweep_tx"] && m.from == e["address"] && m.to == e["hot_wallet"] &&
            m.asset == k.second) {
          EXPECT_EQ(m.amount, Num(e["swept"]));
          found = true;
        }
      }
      EXPECT_TRUE(found) << "sweep of " << e["address"];
    }
    if (e["kind"] == "mixer") {
      bool found = false;
      for (const Move& m : c.moves) {
        if (m.tx == e["withdraw_tx"] && m.from == e["address"] && m.to == e["withdraw_to"]) {
          EXPECT_EQ(m.amount, Num(e["amount"]) - Num(e["relayer_fee"]));
          found = true;
        }
      }
      EXPECT_TRUE(found) << "withdrawal from " << e["address"];
    }
    if (e["kind"] == "bridge") {
      ASSERT_EQ(c.bridge_rows.count(e["tx"]), 1u);
      const auto& row = c.bridge_rows.at(e["tx"])[0];
      EXPECT_EQ(row.at("direction"), "lock");
      EXPECT_EQ(row.at("remote_chain_id"), std::to_string(e["remote_chain_id"].get<uint64_t>()));
      EXPECT_EQ(row.at("deposit_id"), std::to_string(e["deposit_id"].get<uint64_t>()));
      EXPECT_EQ(row.at("amount"), e["amount"]);
      EXPECT_EQ(row.at("remote_address"), e["remote_recipient"]);
      EXPECT_EQ(row.at("remote_transaction_hash"), e["remote_tx"]);
    }
  }
  EXPECT_EQ(out_to, expect_out) << "what left the attacker's addresses, per (address, asset)";
  for (const auto& a : holders) {
    for (const auto& [name, key] : asset_key) {
      const U256 in = in_sum[Key{a, key}], out = out_sum[Key{a, key}];
      ASSERT_GE(in, out) << a << " spent more " << name << " than it received";
      const U256 rest = expect_rest[Key{a, key}];
      EXPECT_EQ(in - out, rest) << "resting " << name << " at " << a;
    }
  }
  for (const auto& s : h["seed_txs"]) {
    ASSERT_TRUE(c.status_of.count(s));
    EXPECT_EQ(c.status_of.at(s), 1);
  }
}

TEST(Synth, GroundTruthAgreesWithAReplayOfTheCsvs) {
  TempDir out;
  const auto report = Generate(out.path(), 60000, 11);
  ASSERT_EQ(report.hacks.size(), 3u);
  const Chain c = ReadChain(out.path());
  std::set<std::string> kinds;
  size_t swaps = 0;
  for (const auto& h : report.hacks) {
    const auto j = ReadJson(out / h.file);
    ASSERT_TRUE(j.is_object()) << h.file;
    CheckHackAgainstCsv(j, c);
    for (const auto& e : j["endpoints"]) kinds.insert(e["kind"]);
    swaps += j["swaps"].size();
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"bridge", "exchange", "mixer", "resting"}));
  EXPECT_GT(swaps, 0u);
}

TEST(Synth, LabelsKnowTheServicesAndPartOfTheAttackers) {
  TempDir out;
  const auto report = Generate(out.path(), 30000, 3);
  std::map<std::string, std::string> category;
  std::ifstream in(out / "labels.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "address,chain,label,entity,category,abuse,source,confidence");
  std::set<std::string> categories;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    f.resize(8);
    category[f[0]] = f[4];
    categories.insert(f[4]);
    EXPECT_EQ(f[1], "eth");
    const int confidence = std::stoi(f[7]);
    EXPECT_GE(confidence, 0);
    EXPECT_LE(confidence, 100);
  }
  for (const char* c : {"exchange", "dex", "mixer", "bridge", "theft", "defi"}) {
    EXPECT_TRUE(categories.count(c)) << c;
  }
  int labelled = 0, unlabelled = 0;
  for (const auto& h : report.hacks) {
    const auto j = ReadJson(out / h.file);
    for (const auto& a : j["addresses"]) {
      const bool has = category.count(a["address"]) > 0;
      EXPECT_EQ(has, a["labelled"].get<bool>()) << a["address"];
      if (has) {
        EXPECT_EQ(category[a["address"]], "theft");
      }
      (has ? labelled : unlabelled)++;
    }
    EXPECT_EQ(category[j["victim"]["address"]], "defi");
  }
  EXPECT_GT(labelled, 0);
  EXPECT_GT(unlabelled, labelled);  // most attacker addresses are not publicly known
}

TEST(Synth, RefusesToOverwriteWithoutForce) {
  TempDir out;
  Generate(out.path(), 2000, 1);
  synth::SynthOptions o;
  o.transfers = 2000;
  o.out_dir = out.path();
  synth::SynthReport report;
  EXPECT_EQ(synth::GenerateChain(o, &report).code(), Status::Code::kAlreadyExists);
  o.overwrite = true;
  EXPECT_TRUE(synth::GenerateChain(o, &report).ok());
  o.transfers = 999;
  EXPECT_EQ(synth::GenerateChain(o, &report).code(), Status::Code::kInvalidArgument);
}

// Runs only once the `synth` command is wired into the binary (src/cli/main.cc).
TEST(Synth, CommandLine) {
  if (RunCli("--help").out.find("synth") == std::string::npos) {
    GTEST_SKIP() << "fundtrace has no synth command yet (AddSynthCommand not called in main.cc)";
  }
  TempDir out;
  auto r = RunCli("--json synth --transfers 5000 --seed 9 --out " + out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["transfers"], 5000);
  EXPECT_EQ(j["seed"], 9);
  r = RunCli("synth --transfers 5000 --seed 9 --out " + out.path());
  EXPECT_EQ(r.exit_code, 5) << "overwriting without --force";
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  r = RunCli("synth --transfers 10 --out " + out.path());
  EXPECT_EQ(r.exit_code, 2) << "too few transfers is a usage error";
  r = RunCli("synth --transfers 5000 --seed 9 --force --out " + out.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5,000 transfers"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace fundtrace
