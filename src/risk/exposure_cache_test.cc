// The expansion cache of a batch: a search holds pointers to its entries while it adds more, so
// the cache may only be cleared between searches (a clear inside Put once freed entries a
// search was still reading: a crash of `risk --batch --json` after ~65k expansions).
#include <gtest/gtest.h>

#include "risk/exposure.h"

namespace fundtrace {
namespace {

TEST(ExposureCache, EntriesStayValidUntilTheNextSearchStarts) {
  ExposureCache cache(/*max_entries=*/4);
  cache.StartSearch();
  std::vector<const ExposureCache::Entry*> held;
  for (AddressId a = 1; a <= 50; ++a) {
    ExposureCache::Entry e;
    e.total = a;
    e.counterparties.push_back({a + 1, a, 0.5});
    held.push_back(cache.Put(a, /*incoming=*/true, e));
  }
  // Past max_entries within one search: nothing was dropped, every pointer still reads its entry.
  EXPECT_EQ(cache.size(), 50u);
  for (AddressId a = 1; a <= 50; ++a) {
    ASSERT_EQ(held[a - 1]->total, a);
    ASSERT_EQ(held[a - 1]->counterparties.at(0).address, a + 1);
    EXPECT_EQ(cache.Find(a, true), held[a - 1]);
    EXPECT_EQ(cache.Find(a, false), nullptr) << "directions are kept apart";
  }
  cache.StartSearch();  // full: starts over
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find(1, true), nullptr);
  cache.Put(7, false, ExposureCache::Entry{});
  cache.StartSearch();  // not full: kept
  EXPECT_NE(cache.Find(7, false), nullptr);
}

}  // namespace
}  // namespace fundtrace
