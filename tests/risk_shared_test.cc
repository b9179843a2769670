// `fundtrace risk` against the real label sources of ../shared/data/labels (OFAC, GraphSense
// TagPacks, Tutela's Tornado pool list). Skipped with a message when that data is absent.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli_util.h"

namespace fundtrace {
namespace {

using testing::HaveShared;
using testing::Json;
using testing::RunCli;
using testing::SharedData;
using testing::TempDir;

TEST(RiskShared, RealSanctionedTheftAndTornadoLabels) {
  if (!HaveShared("labels/ofac") || !HaveShared("labels/graphsense-tagpacks") ||
      !HaveShared("labels/tutela")) {
    GTEST_SKIP() << "../shared/data/labels is absent: real-label risk checks skipped";
  }
  TempDir dir;
  const std::string data = dir / "data";
  for (const std::string& args : {"ofac " + SharedData("labels/ofac") + " --as-of 2024-09-27",
                                  "graphsense " + SharedData("labels/graphsense-tagpacks"),
                                  "tutela " + SharedData("labels/tutela")}) {
    auto r = RunCli("--data " + data + " labels import " + args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }
  // The Ronin bridge exploiter: sanctioned (OFAC) and theft (GraphSense ronin_bridge): Severe.
  auto r = RunCli("--data " + data + " --json risk 0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = Json(r);
  EXPECT_EQ(j["risk_level"], "Severe") << j.dump(2);
  std::map<std::string, std::string> source;
  for (const auto& o : j["own_risks"]) {
    source[o["category"]] = o["source"].is_null() ? "" : o["source"].get<std::string>();
  }
  EXPECT_EQ(source["sanctioned"].rfind("ofac", 0), 0u) << j.dump(2);
  EXPECT_EQ(source["theft"], "graphsense/ronin_bridge") << j.dump(2);
  // A Tornado Cash pool (0.1 ETH): mixer, named as such.
  r = RunCli("--data " + data + " --json risk 0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json(r);
  bool mixer = false;
  for (const auto& o : j["own_risks"]) mixer |= o["risk_type"] == "mixer";
  EXPECT_TRUE(mixer) << j.dump(2);
  EXPECT_GE(j["score"].get<int>(), 71);
}

}  // namespace
}  // namespace fundtrace
