#include "synth/hack_planner.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace fundtrace::synth {
namespace {

HackPlan PlanFor(uint64_t seed, int hack, uint64_t max_txs) {
  World world(seed, 1000);
  HackPlan plan = HackPlanner(world, seed, hack, max_txs).Plan();
  for (auto& tx : plan.txs) tx.written = true;  // CheckBalances wants every tx written
  return plan;
}

TEST(SynthHackPlanner, PlansBalanceExactly) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const HackPlan plan = PlanFor(seed, static_cast<int>(seed % 5) + 1, 4000);
    const Status s = CheckBalances(plan);
    EXPECT_TRUE(s.ok()) << "seed " << seed << ": " << s.ToString();
    uint64_t transfers = 0;
    for (const auto& tx : plan.txs) transfers += tx.spec.TransferCount();
    EXPECT_EQ(transfers, plan.transfers);
  }
}

TEST(SynthHackPlanner, CoversEveryKindOfEndpointAndSwaps) {
  std::map<EndpointKind, int> kinds;
  int swaps = 0, failed = 0, self_withdrawals = 0, relayed = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const HackPlan plan = PlanFor(seed, 1, 4000);
    for (const auto& e : plan.truth.endpoints) {
      ++kinds[e.kind];
      if (e.kind == EndpointKind::kMixer) {
        EXPECT_GE(e.withdraw_tx, 0);
        (e.relayer == kNoAddr ? self_withdrawals : relayed)++;
      }
      if (e.kind == EndpointKind::kExchange && e.amount > e.swept) {
        EXPECT_GE(e.sweep_tx, 0);
      }
    }
    swaps += static_cast<int>(plan.truth.swaps.size());
    for (const auto& tx : plan.txs) failed += tx.role == TxRole::kFailedAttempt;
  }
  for (EndpointKind k : {EndpointKind::kExchange, EndpointKind::kMixer, EndpointKind::kBridge,
                         EndpointKind::kResting}) {
    EXPECT_GT(kinds[k], 0) << EndpointKindName(k);
  }
  EXPECT_GT(swaps, 0);
  EXPECT_GT(failed, 0);
  EXPECT_GT(relayed, self_withdrawals);
  EXPECT_GT(self_withdrawals, 0);
}

// Laundering txs of one address are planned in time order, an address sends only after it
// received, and what follows an endpoint comes after it.
TEST(SynthHackPlanner, TicksRespectDependencies) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const HackPlan plan = PlanFor(seed, 2, 4000);
    std::map<SynthAddr, uint64_t> funded, last_sent;
    std::set<SynthAddr> stolen_holders;
    for (const auto& a : plan.truth.addresses) {
      if (a.holds_stolen) stolen_holders.insert(a.address);
    }
    for (const auto& tx : plan.txs) {
      const SynthAddr from = tx.spec.from;
      if (IsLaundering(tx.role)) {
        EXPECT_TRUE(stolen_holders.count(from)) << TxRoleName(tx.role);
        ASSERT_TRUE(funded.count(from)) << "sends before it received: " << TxRoleName(tx.role);
        EXPECT_GE(tx.tick, funded[from]);
      }
      if (IsLaundering(tx.role)) {
        // The ledger simulated the txs in plan order: they must happen in that order.
        EXPECT_GE(tx.tick, last_sent[from]);
        last_sent[from] = tx.tick;
      } else if (tx.endpoint >= 0) {
        // A sweep or a withdrawal comes after the deposit it follows.
        const auto& e = plan.truth.endpoints[static_cast<size_t>(tx.endpoint)];
        EXPECT_GE(tx.tick, plan.txs[static_cast<size_t>(e.tx)].tick);
        if (tx.role == TxRole::kMixerWithdraw && e.relayer == kNoAddr) {
          ASSERT_TRUE(funded.count(from));
          EXPECT_GE(tx.tick, funded[from]);
        }
      }
      auto fund = [&](SynthAddr to) {
        if (!funded.count(to)) funded[to] = tx.tick;
      };
      if (tx.spec.failed) continue;
      if (tx.spec.to != kNoAddr) fund(tx.spec.to);
      for (const auto& m : tx.spec.internals) fund(m.to);
      for (const auto& m : tx.spec.tokens) fund(m.to);
    }
  }
}

TEST(SynthHackPlanner, SmallBudgetsGiveSmallPlans) {
  for (uint64_t budget : {40u, 100u, 400u}) {
    const HackPlan plan = PlanFor(3, 1, budget);
    EXPECT_TRUE(CheckBalances(plan).ok());
    EXPECT_LE(plan.txs.size(), budget + 12) << "budget " << budget;
  }
}

TEST(SynthHackPlanner, SameInputsSamePlan) {
  const HackPlan a = PlanFor(11, 3, 2000), b = PlanFor(11, 3, 2000);
  ASSERT_EQ(a.txs.size(), b.txs.size());
  for (size_t i = 0; i < a.txs.size(); ++i) {
    EXPECT_EQ(a.txs[i].tick, b.txs[i].tick);
    EXPECT_EQ(a.txs[i].spec.from, b.txs[i].spec.from);
    EXPECT_TRUE(a.txs[i].spec.value == b.txs[i].spec.value);
  }
  EXPECT_TRUE(a.truth.fees == b.truth.fees);
}

}  // namespace
}  // namespace fundtrace::synth
