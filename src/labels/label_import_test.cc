// The importers on the fixtures in tests/data/labels, read into memory (no store).
#include "labels/label_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "chain/address.h"

namespace fundtrace {
namespace {

std::string Data(const std::string& rel) {
  return std::string(FUNDTRACE_TEST_DATA) + "/labels/" + rel;
}

class MemorySink : public TagSink {
 public:
  Result<AddResult> AddTag(const Tag& t) override {
    tags.push_back(t);
    return AddResult::kNew;
  }
  Result<AddResult> AddEntity(const EntityRecord& e) override {
    entities.push_back(e);
    return AddResult::kNew;
  }
  std::vector<Tag> Of(const std::string& address) const {
    std::string key = *ParseAddress(Chain::kEthereum, address);
    std::vector<Tag> out;
    for (const auto& t : tags) {
      if (t.address == key) out.push_back(t);
    }
    return out;
  }
  std::vector<Tag> tags;
  std::vector<EntityRecord> entities;
};

Result<ImportReport> Read(MemorySink* sink, const std::string& source, const std::string& rel,
                          LabelImportOptions opt = {}) {
  opt.source = source;
  return ReadLabels(sink, {Data(rel)}, opt);
}

TEST(LabelImport, OfacListsByAsset) {
  MemorySink sink;
  auto r = Read(&sink, "ofac", "ofac");
  ASSERT_TRUE(r.ok()) << r.status().message();
  DatasetCounts c = r->Total();
  // ETH 12 (txt) + 12 (json), XBT 6, TRX 6, USDT 26, XMR 3.
  EXPECT_EQ(c.records, 12u + 12u + 6u + 6u + 26u + 3u);
  EXPECT_EQ(c.unsupported, 3u);  // XMR
  EXPECT_EQ(c.invalid, 1u);      // the TRON address in the XBT list
  EXPECT_EQ(sink.tags.size(), c.records - 4);
  std::map<std::string, int> by_network;
  for (const auto& t : sink.tags) ++by_network[t.network];
  EXPECT_EQ(by_network["ETH"], 24);  // both copies reach the sink; the store keeps one
  EXPECT_EQ(by_network["XBT"], 5);
  EXPECT_EQ(by_network["USDT"], 26);
  for (const auto& t : sink.tags) {
    EXPECT_EQ(t.category, "sanctioned");
    EXPECT_EQ(t.confidence_id, "authority_data");
    EXPECT_EQ(t.confidence, 60);
  }
  auto invalid = std::find_if(r->issues.begin(), r->issues.end(),
                              [](const ImportIssue& i) { return i.kind == "invalid address"; });
  ASSERT_NE(invalid, r->issues.end());
  EXPECT_EQ(invalid->address, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
  EXPECT_NE(invalid->origin.find("sanctioned_addresses_XBT.txt:6"), std::string::npos)
      << invalid->origin;
  EXPECT_NE(invalid->reason.find("valid trx address"), std::string::npos) << invalid->reason;
  EXPECT_EQ(r->unsupported.at({"ofac", "XMR"}), 3u);
  // USDT forms: EVM, TRON and Omni (Bitcoin) addresses.
  std::set<Chain> chains;
  for (const auto& t : sink.tags) {
    if (t.network == "USDT") chains.insert(t.chain);
  }
  EXPECT_EQ(chains.size(), 3u);
}

TEST(LabelImport, GraphSenseInheritsHeaderFields) {
  MemorySink sink;
  LabelImportOptions opt;
  auto r = Read(&sink, "graphsense", "graphsense-tagpacks/packs", opt);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto ronin = sink.Of("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  ASSERT_EQ(ronin.size(), 3u);  // lazarus, ofac, ronin_bridge packs
  std::map<std::string, Tag> by_pack;
  for (const auto& t : ronin) by_pack[t.dataset] = t;
  // ronin_bridge: abuse service_hack -> theft, confidence service_data, lastmod, context per tag.
  const Tag& rb = by_pack.at("ronin_bridge");
  EXPECT_EQ(rb.abuse, "theft");
  EXPECT_EQ(rb.category, "unknown");
  EXPECT_EQ(rb.confidence_id, "service_data");
  EXPECT_EQ(rb.label, "Ronin bridge exploiter");
  EXPECT_EQ(FormatDate(rb.last_seen), "2022-04-05");
  EXPECT_EQ(rb.context, R"({"description":"original address"})");
  EXPECT_EQ(rb.reference,
            "https://roninblockchain.substack.com/p/community-alert-ronin-validators");
  // lazarus: category user + abuse sanction -> sanctioned; actor -> entity.
  const Tag& lz = by_pack.at("lazarus");
  EXPECT_EQ(lz.category, "sanctioned");
  EXPECT_EQ(lz.entity_key, "lazarusgroup");
  EXPECT_EQ(lz.label, "Lazarus group");
  // ofac pack: no abuse, no confidence in the file; the taxonomy's pack override applies.
  const Tag& of = by_pack.at("ofac");
  EXPECT_EQ(of.category, "sanctioned");
  EXPECT_EQ(of.confidence_id, "authority_data");
  // A tag's own field wins over the header (binance pack: per-tag label and currency).
  bool bep20 = false;
  for (const auto& t : sink.tags) {
    if (t.dataset == "exchange-wallets-binance" && t.network == "BEP20") {
      bep20 = true;
      EXPECT_EQ(t.label, "binance reserve wallets BNB");
      EXPECT_EQ(t.category, "exchange");
      EXPECT_EQ(t.chain, Chain::kEthereum);
    }
  }
  EXPECT_TRUE(bep20);
  EXPECT_EQ(r->unsupported.at({"graphsense", "BEP2"}), 1u);
  EXPECT_EQ(r->unsupported.at({"graphsense", "LTC"}), 1u);
  EXPECT_EQ(r->trimmed_addresses, 1u);  // tornado_cash.yaml's trailing space
  for (const auto& t : sink.tags) {
    if (t.dataset == "tornado_cash") {
      EXPECT_EQ(t.category, "mixer");
    }
  }
  EXPECT_TRUE(r->unmapped.empty());
}

TEST(LabelImport, GraphSenseActors) {
  MemorySink sink;
  auto r = Read(&sink, "graphsense-actors", "graphsense-tagpacks/actors");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(sink.entities.size(), 4u);
  std::map<std::string, EntityRecord> by_key;
  for (const auto& e : sink.entities) by_key[e.key] = e;
  EXPECT_EQ(by_key.at("binance").name, "Binance");
  EXPECT_EQ(by_key.at("binance").category, "exchange");  // not defi_dex, listed first
  EXPECT_EQ(by_key.at("tornado").category, "mixer");
  EXPECT_EQ(by_key.at("lazarusgroup").category, "sanctioned");
  auto& aliases = by_key.at("tornado").aliases;
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "tornadocash"), aliases.end());
}

TEST(LabelImport, EtherscanDumpsAndTheirOddities) {
  MemorySink sink;
  auto r = Read(&sink, "etherscan", "etherscan");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto pool = sink.Of("0x910cbd523d972eb0a6f4cae4618ad62622b39dbf");
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& t : pool) got.insert({t.source_label, t.category});
  EXPECT_TRUE(got.count({"tornado-cash", "mixer"}));
  EXPECT_TRUE(got.count({"ofac-sanctions-lists", "sanctioned"}));
  auto binance = sink.Of("0x85b931a32a0725be14285b66f1a22178c672d69b");
  ASSERT_FALSE(binance.empty());
  EXPECT_EQ(binance[0].label, "Binance 10");
  EXPECT_EQ(binance[0].category, "exchange");
  EXPECT_EQ(binance[0].entity, "Binance");
  // The scrape's "There are no matching entries" rows are listed, not tagged.
  auto& bsc = r->datasets.at({"etherscan", "bscscan"});
  EXPECT_GT(bsc.skipped, 0u);
  EXPECT_EQ(bsc.invalid, 0u);
  bool note = false;
  for (const auto& n : r->notes) note |= n.find("burn.json: holds CSV") != std::string::npos;
  EXPECT_TRUE(note);
  for (const auto& t : sink.tags) {
    if (t.dataset == "bscscan") {
      EXPECT_EQ(t.network, "BSC");
    }
  }
  EXPECT_TRUE(r->unmapped.empty());
}

TEST(LabelImport, Etherscan2019AndEip55) {
  MemorySink sink;
  auto r = Read(&sink, "etherscan", "etherscan-tags-2019");
  ASSERT_TRUE(r.ok()) << r.status().message();
  DatasetCounts c = r->datasets.at({"etherscan", "etherscan-2019"});
  EXPECT_EQ(c.records, 7u);
  EXPECT_EQ(c.invalid, 1u);
  ASSERT_EQ(r->issues.size(), 1u);
  EXPECT_NE(r->issues[0].reason.find("EIP-55 checksum mismatch"), std::string::npos);
  EXPECT_NE(r->issues[0].origin.find("etherscan_tags.csv:6"), std::string::npos)
      << r->issues[0].origin;
  EXPECT_EQ(r->trimmed_addresses, 1u);
  auto upbit = sink.Of("0xa09871aeadf4994ca12f5c0b6056bbd1d343c029");
  ASSERT_EQ(upbit.size(), 1u);
  EXPECT_EQ(upbit[0].abuse, "theft");
  // "Compromised: ..." is a status, not an owner.
  auto funds = sink.Of("0x84f4bcc4e841afdfde7899662f8bbd7d6a71c112");
  ASSERT_EQ(funds.size(), 1u);
  EXPECT_EQ(funds[0].entity_key, "");
}

TEST(LabelImport, FortaCsvs) {
  MemorySink sink;
  auto r = Read(&sink, "forta", "forta");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto ronin = sink.Of("0x5d84a732b355ada31a36b33c446e3dee28f51555");
  ASSERT_EQ(ronin.size(), 1u);
  EXPECT_EQ(ronin[0].abuse, "theft");
  EXPECT_EQ(ronin[0].entity, "Ronin Bridge Exploiter");
  EXPECT_EQ(ronin[0].confidence_id, "trusted_provider");
  EXPECT_EQ(r->datasets.at({"forta", "etherscan_malicious_labels"}).invalid, 1u);  // EIP-55
  EXPECT_EQ(r->datasets.at({"forta", "phishing_scams"}).invalid, 1u);
  // malicious_smart_contracts: the contract and its creator are both tagged.
  EXPECT_EQ(r->datasets.at({"forta", "malicious_smart_contracts"}).records, 12u);
  auto creator = sink.Of("0x98f5b0a99f258a09403d965647ee9d53677914af");
  ASSERT_FALSE(creator.empty());
  EXPECT_EQ(creator[0].abuse, "theft");
  EXPECT_TRUE(r->unmapped.empty());
}

TEST(LabelImport, OwnCsvFormat) {
  MemorySink sink;
  auto r = Read(&sink, "csv", "csv/my-list.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  DatasetCounts c = r->datasets.at({"csv", "my-list"});
  EXPECT_EQ(c.records, 8u);
  EXPECT_EQ(c.invalid, 2u);  // checksum typo, too short
  EXPECT_EQ(c.skipped, 2u);  // unknown category, bad date
  ASSERT_EQ(sink.tags.size(), 4u);
  const Tag& ronin = sink.tags[0];
  EXPECT_EQ(ronin.abuse, "theft");  // "hack" is a synonym
  EXPECT_EQ(ronin.entity, "Lazarus Group");
  EXPECT_EQ(ronin.confidence, 70);
  EXPECT_EQ(FormatDate(ronin.last_seen), "2022-03-29");
  const Tag& binance = sink.tags[1];
  EXPECT_EQ(binance.chain, Chain::kEthereum);              // from the address's form
  EXPECT_EQ(binance.confidence_id, "manual_transaction");  // 90
  EXPECT_EQ(sink.tags[2].chain, Chain::kBitcoin);
  EXPECT_EQ(sink.tags[3].chain, Chain::kTron);
  bool checksum = false;
  for (const auto& i : r->issues)
    checksum |= i.reason.find("EIP-55") != std::string::npos &&
                i.origin.find("my-list.csv:6") != std::string::npos;
  EXPECT_TRUE(checksum);
}

TEST(LabelImport, MalformedFilesNameFileAndLine) {
  MemorySink sink;
  auto r = Read(&sink, "graphsense", "bad/yaml/broken_pack.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("broken_pack.yaml:"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("YAML syntax error"), std::string::npos)
      << r.status().message();
  r = Read(&sink, "ofac", "bad/json/sanctioned_addresses_ETH.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("sanctioned_addresses_ETH.json:4: JSON syntax error"),
            std::string::npos)
      << r.status().message();
  r = Read(&sink, "csv", "bad/csv/wrong_fields.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("wrong_fields.csv:3: expected 4 fields, found 5"),
            std::string::npos)
      << r.status().message();
  r = Read(&sink, "csv", "bad/csv/my-list.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("my-list.csv:3: unterminated quoted field"),
            std::string::npos)
      << r.status().message();
  // --skip-bad: the broken files are listed, the rest is read.
  LabelImportOptions skip;
  skip.skip_bad = true;
  skip.source = "csv";
  auto s = ReadLabels(&sink, {Data("bad/csv"), Data("csv")}, skip);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->files_failed.size(), 2u);
  EXPECT_EQ(s->files.size(), 1u);
}

TEST(LabelImport, AutoRecognisesEveryFixture) {
  MemorySink sink;
  LabelImportOptions opt;
  auto r = ReadLabels(&sink,
                      {Data("ofac"), Data("graphsense-tagpacks"), Data("etherscan"),
                       Data("etherscan-tags-2019"), Data("forta"), Data("csv")},
                      opt);
  ASSERT_TRUE(r.ok()) << r.status().message();
  for (const auto& [path, why] : r->files_skipped) {
    EXPECT_TRUE(path.find("LICENSE") != std::string::npos) << path << ": " << why;
  }
  std::set<std::string> sources;
  for (const auto& [k, c] : r->datasets) sources.insert(k.first);
  EXPECT_EQ(sources, (std::set<std::string>{"csv", "etherscan", "forta", "graphsense",
                                            "graphsense-actors", "ofac"}));
}

TEST(LabelImport, UnknownSourceAndMissingPath) {
  MemorySink sink;
  LabelImportOptions opt;
  opt.source = "chainalysis";
  auto r = ReadLabels(&sink, {Data("ofac")}, opt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown label source 'chainalysis'"), std::string::npos);
  opt.source = "ofac";
  r = ReadLabels(&sink, {Data("no/such/dir")}, opt);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
}

}  // namespace
}  // namespace fundtrace
