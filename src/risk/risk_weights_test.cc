#include "risk/risk_weights.h"

#include <gtest/gtest.h>

#include <string>

namespace fundtrace {
namespace {

TEST(RiskWeights, DefaultParsesAndNamesTheBands) {
  const RiskWeights& w = RiskWeights::Default();
  ASSERT_NE(w.Find("sanctioned"), nullptr);
  ASSERT_NE(w.Find("theft"), nullptr);
  ASSERT_NE(w.Find("mixer"), nullptr);
  EXPECT_EQ(w.Find("exchange"), nullptr);
  EXPECT_EQ(w.Find("mixer")->risk_type, "mixer");
  EXPECT_GE(w.Find("sanctioned")->own, 91);  // a sanctioned address is Severe
  EXPECT_GE(w.Find("theft")->own, 91);
  EXPECT_STREQ(w.Level(30), "Low");
  EXPECT_STREQ(w.Level(31), "Moderate");
  EXPECT_STREQ(w.Level(70), "Moderate");
  EXPECT_STREQ(w.Level(71), "High");
  EXPECT_STREQ(w.Level(90), "High");
  EXPECT_STREQ(w.Level(91), "Severe");
  EXPECT_TRUE(w.IsStop("exchange"));
  EXPECT_FALSE(w.IsStop("individual"));
  EXPECT_EQ(w.exposure().hops, 3);
}

std::string WithRisk(const std::string& id) {
  std::string y(RiskWeights::DefaultYaml());
  size_t at = y.find("risks:\n");
  return y.insert(at + 7, "  " + id +
                              ": {risk_type: illicit_activity, detail: X, own: 90, direct: 50, "
                              "max: 80, full: 0.1}\n");
}

TEST(RiskWeights, UnknownIdIsAnErrorNamingIt) {
  auto r = RiskWeights::Parse(WithRisk("hackz"), "edited.yaml", Taxonomy::Default());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("edited.yaml"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'hackz'"), std::string::npos) << r.status().message();
}

TEST(RiskWeights, OutOfRangeAndMissingFieldsAreNamed) {
  std::string y(RiskWeights::DefaultYaml());
  std::string bad = y;
  bad.replace(bad.find("own: 100"), 8, "own: 300");
  auto r = RiskWeights::Parse(bad, "w.yaml", Taxonomy::Default());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("risks.sanctioned"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("'own'"), std::string::npos);
  std::string stop = y;
  stop.replace(stop.find("[exchange,"), 10, "[exchangez,");
  r = RiskWeights::Parse(stop, "w.yaml", Taxonomy::Default());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'exchangez'"), std::string::npos) << r.status().message();
  r = RiskWeights::Parse("levels: [", "w.yaml", Taxonomy::Default());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("w.yaml"), std::string::npos);
}

}  // namespace
}  // namespace fundtrace
