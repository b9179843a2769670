#include "labels/taxonomy.h"

#include <gtest/gtest.h>

namespace fundtrace {
namespace {

TEST(Taxonomy, BuiltInParsesAndIsComplete) {
  auto t = Taxonomy::Parse(Taxonomy::DefaultYaml(), "built-in");
  ASSERT_TRUE(t.ok()) << t.status().message();
  // The design's fixed categories and abuse types are all there.
  for (const char* c :
       {"exchange", "dex", "defi", "bridge", "mixer", "gambling", "miner", "payment_service",
        "wallet_service", "nft_market", "sanctioned", "unknown"}) {
    EXPECT_NE(t->Category(c), nullptr) << c;
  }
  for (const char* a : {"theft", "phishing", "scam", "ransomware", "darknet_market",
                        "terrorism_financing", "money_laundering"}) {
    EXPECT_NE(t->Abuse(a), nullptr) << a;
  }
  for (const char* s : {"ofac", "graphsense", "graphsense-actors", "etherscan", "forta",
                        "scamsniffer", "tutela", "csv"}) {
    EXPECT_NE(t->Source(s), nullptr) << s;
  }
  EXPECT_EQ(t->ConfidenceLevel("authority_data"), 60);
  EXPECT_EQ(t->ConfidenceLevel("web_crawl"), 20);
  EXPECT_EQ(t->ConfidenceLevel("no_such_id"), std::nullopt);
  EXPECT_EQ(t->ConfidenceIdFor(65), "authority_data");
  EXPECT_EQ(t->ConfidenceIdFor(0), "unknown");
}

TEST(Taxonomy, MapsSourceLabelsNormalised) {
  const Taxonomy& t = Taxonomy::Default();
  const LabelMapping* m = t.Map("tutela", "Phish / Hack");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->abuse, "phishing");
  m = t.Map("etherscan", "tornado-cash");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->category, "mixer");
  m = t.Map("graphsense", "service_hack");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->abuse, "theft");
  m = t.Map("graphsense", "sanction");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->category, "sanctioned");
  EXPECT_EQ(t.Map("etherscan", "no-such-label-anywhere"), nullptr);
  EXPECT_EQ(t.Map("no-such-source", "exchange"), nullptr);
}

TEST(Taxonomy, NormalizeLabel) {
  EXPECT_EQ(NormalizeLabel("Phish / Hack"), "phish-hack");
  EXPECT_EQ(NormalizeLabel("tornado.cash"), "tornado-cash");
  EXPECT_EQ(NormalizeLabel("  ampleforth "), "ampleforth");
  EXPECT_EQ(NormalizeLabel("mixing_service"), "mixing-service");
  EXPECT_EQ(NormalizeLabel("--"), "");
}

TEST(Taxonomy, ChainForNetworksAndTokens) {
  const Taxonomy& t = Taxonomy::Default();
  EXPECT_EQ(t.ChainFor("XBT", "1abc"), Chain::kBitcoin);
  EXPECT_EQ(t.ChainFor("BSC", "0xabc"), Chain::kEthereum);
  EXPECT_EQ(t.ChainFor("TRX", "Tabc"), Chain::kTron);
  EXPECT_EQ(t.ChainFor("USDT", "0xabc"), Chain::kEthereum);
  EXPECT_EQ(t.ChainFor("USDT", "TEAq"), Chain::kTron);
  EXPECT_EQ(t.ChainFor("USDT", "16iWn2J1"), Chain::kBitcoin);  // Omni
  EXPECT_EQ(t.ChainFor("USDC", "16iWn2J1"), std::nullopt);
  EXPECT_EQ(t.ChainFor("XMR", "49Hq"), std::nullopt);
  EXPECT_EQ(t.ChainFor("", "0xabc"), std::nullopt);
}

TEST(Taxonomy, SeverityAndApplyMapping) {
  const Taxonomy& t = Taxonomy::Default();
  EXPECT_EQ(t.Severity("sanctioned", ""), 100);
  EXPECT_EQ(t.Severity("unknown", "theft"), 90);
  std::string category = "individual", abuse;
  ApplyMapping(t, {"sanctioned", ""}, &category, &abuse);
  EXPECT_EQ(category, "sanctioned");
  ApplyMapping(t, {"exchange", "phishing"}, &category, &abuse);
  EXPECT_EQ(category, "sanctioned");  // a less severe category does not replace it
  EXPECT_EQ(abuse, "phishing");
  ApplyMapping(t, {"", "theft"}, &category, &abuse);
  EXPECT_EQ(abuse, "theft");
}

constexpr char kMinimal[] = R"(
confidence: {unknown: 5, forensic: 50}
categories:
  unknown: {severity: 0}
  exchange: {severity: 10}
abuse:
  theft: {severity: 90}
sources:
  s:
    confidence: forensic
    map:
      exchange: [cex]
)";

TEST(Taxonomy, ParsesAMinimalFile) {
  auto t = Taxonomy::Parse(kMinimal, "min.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->Source("s")->confidence, 50);
  ASSERT_NE(t->Map("s", "CEX"), nullptr);
}

TEST(Taxonomy, RejectsMistakesWithTheLine) {
  std::string bad_target = std::string(kMinimal) + "      shop: [store]\n";
  auto t = Taxonomy::Parse(bad_target, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("t.yaml:13"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("'shop' is neither a category nor an abuse type"),
            std::string::npos);

  std::string twice = std::string(kMinimal) + "      unknown: [cex]\n";
  t = Taxonomy::Parse(twice, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("listed under both 'exchange' and 'unknown'"),
            std::string::npos)
      << t.status().message();

  std::string unnormalised = std::string(kMinimal) + "      theft: [Big Hack]\n";
  t = Taxonomy::Parse(unnormalised, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("as 'big-hack'"), std::string::npos) << t.status().message();

  t = Taxonomy::Parse("confidence: {unknown: 5\ncategories: [", "syntax.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("syntax.yaml:"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace fundtrace
