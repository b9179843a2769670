#include "labels/tag.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "labels/entity_name.h"

namespace fundtrace {
namespace {

Tag Make(int confidence, int64_t last_seen, int severity, std::string source) {
  Tag t;
  t.confidence = confidence;
  t.last_seen = last_seen;
  t.severity = severity;
  t.source = std::move(source);
  return t;
}

TEST(Tag, WinnerByConfidenceThenRecencyThenSeverity) {
  Tag ofac = Make(60, 1727395200, 100, "ofac");           // 2024-09-27
  Tag lazarus = Make(60, 1649980800, 100, "graphsense");  // 2022-04-15
  Tag ronin = Make(50, 1649116800, 90, "graphsense");
  Tag undated = Make(60, 0, 100, "etherscan");
  Tag milder = Make(60, 1727395200, 10, "etherscan");
  std::vector<Tag> v = {ronin, undated, lazarus, milder, ofac};
  std::sort(v.begin(), v.end(), TagOutranks);
  EXPECT_EQ(v[0].source, "ofac");
  EXPECT_EQ(v[1].source, "etherscan");  // same date as ofac, less severe
  EXPECT_EQ(v[1].severity, 10);
  EXPECT_EQ(v[2].source, "graphsense");
  EXPECT_EQ(v[3].last_seen, 0);  // a date beats no date
  EXPECT_EQ(v[4].confidence, 50);
  EXPECT_EQ(RankReason(ofac, ronin), "lower confidence (50 < 60)");
  EXPECT_EQ(RankReason(ofac, lazarus), "same confidence, older (2022-04-15 < 2024-09-27)");
  EXPECT_EQ(RankReason(ofac, undated), "same confidence, no date");
  EXPECT_EQ(RankReason(ofac, milder), "same confidence and date, less severe (10 < 100)");
  EXPECT_FALSE(TagOutranks(ofac, ofac));
}

TEST(Tag, Dates) {
  int64_t t = 0;
  ASSERT_TRUE(ParseDate("2024-09-27", &t));
  EXPECT_EQ(t, 1727395200);
  EXPECT_EQ(FormatDate(t), "2024-09-27");
  ASSERT_TRUE(ParseDate("2022-08-10 12:30:00", &t));
  EXPECT_EQ(t, 1660134600);
  ASSERT_TRUE(ParseDate("1970-01-01T00:00:00Z", &t));
  EXPECT_EQ(t, 0);
  EXPECT_FALSE(ParseDate("yesterday", &t));
  EXPECT_FALSE(ParseDate("2022-13-01", &t));
  EXPECT_FALSE(ParseDate("2022-1-1", &t));
  EXPECT_EQ(FormatDate(0), "-");
}

TEST(EntityName, GroupsExplorerStyleLabels) {
  EXPECT_EQ(EntityGroupName("Binance 14"), "Binance");
  EXPECT_EQ(EntityGroupName("Binance: Hot Wallet 2"), "Binance");
  EXPECT_EQ(EntityGroupName("Tornado.Cash: Router"), "Tornado.Cash");
  EXPECT_EQ(EntityGroupName("Ronin Bridge Exploiter 4"), "Ronin Bridge Exploiter");
  EXPECT_EQ(EntityGroupName("THORChain Exploiter - Contract"), "THORChain Exploiter");
  EXPECT_EQ(EntityGroupName("Kraken #3"), "Kraken");
  EXPECT_EQ(EntityGroupName("Fake_Phishing1772"), "");
  EXPECT_EQ(EntityGroupName("Compromised: Upbit Hack Funds"), "");
  EXPECT_EQ(EntityGroupName("ZRX (ZRX)"), "");
  EXPECT_EQ(EntityGroupName("1234"), "");
  EXPECT_EQ(NormalizeEntityKey("Tornado.Cash"), "tornadocash");
  EXPECT_EQ(NormalizeEntityKey("tornado cash"), "tornadocash");
}

TEST(EntityName, DerivedEntityOnlyForServicesOrGroups) {
  Tag t;
  t.label = "Binance";
  t.category = "exchange";
  AssignDerivedEntity(&t);
  EXPECT_EQ(t.entity, "Binance");
  EXPECT_EQ(t.entity_key, "binance");
  Tag p;
  p.label = "Fake_Phishing1772";
  p.category = "unknown";
  p.abuse = "phishing";
  AssignDerivedEntity(&p);
  EXPECT_EQ(p.entity_key, "");
  Tag r;
  r.label = "Ronin Bridge Exploiter 4";
  r.category = "unknown";
  AssignDerivedEntity(&r);
  EXPECT_EQ(r.entity, "Ronin Bridge Exploiter");
  Tag a;
  a.label = "Binance 14";
  a.entity = "Lazarus";
  a.entity_key = "lazarus";
  AssignDerivedEntity(&a);  // an explicit entity is kept
  EXPECT_EQ(a.entity_key, "lazarus");
}

}  // namespace
}  // namespace fundtrace
