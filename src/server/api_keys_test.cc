#include "server/api_keys.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/rate_limiter.h"

namespace fundtrace {
namespace {

std::string TempDirFor(const char* name) {
  auto p = std::filesystem::temp_directory_path() /
           ("fundtrace-keys-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

TEST(ApiKeyStore, StoresOnlyTheHashAndFindsTheKey) {
  std::string dir = TempDirFor("hash");
  auto s = ApiKeyStore::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto key = s->Create("alice", 5);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->rfind("ft_", 0), 0u);
  EXPECT_EQ(key->size(), 43u);
  std::ifstream f(dir + "/api_keys.json");
  std::stringstream text;
  text << f.rdbuf();
  EXPECT_EQ(text.str().find(*key), std::string::npos) << "the key itself must not be stored";
  EXPECT_NE(text.str().find(ApiKeyStore::HashKey(*key)), std::string::npos);
  auto again = ApiKeyStore::Open(dir);
  ASSERT_TRUE(again.ok());
  auto found = again->Find(*key);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "alice");
  EXPECT_EQ(found->rate, 5);
  EXPECT_FALSE(again->Find(*key + "x").has_value());
  EXPECT_FALSE(again->Find("").has_value());
  std::filesystem::remove_all(dir);
}

TEST(ApiKeyStore, KeysMayBeMadeBeforeTheDataDirectoryExists) {
  std::string root = TempDirFor("fresh");
  std::string dir = root + "/not/yet";
  auto s = ApiKeyStore::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(s->Create("alice", 5).ok());
  EXPECT_TRUE(std::filesystem::exists(dir + "/api_keys.json"));
  std::filesystem::remove_all(root);
}

TEST(ApiKeyStore, RevokedKeysAreRefusedAndNamesAreUnique) {
  std::string dir = TempDirFor("revoke");
  auto s = ApiKeyStore::Open(dir);
  ASSERT_TRUE(s.ok());
  auto key = s->Create("bob", 1);
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(s->Create("bob", 1).ok());
  EXPECT_FALSE(s->Create("", 1).ok());
  EXPECT_FALSE(s->Create("carol", 0).ok());
  ASSERT_TRUE(s->Revoke("bob").ok());
  EXPECT_FALSE(s->Find(*key).has_value());
  EXPECT_TRUE(s->Revoke("bob").IsNotFound());
  EXPECT_TRUE(s->Create("bob", 2).ok()) << "a revoked name may be reused";
  // Another process's change is seen after Refresh.
  auto other = ApiKeyStore::Open(dir);
  ASSERT_TRUE(other.ok());
  auto k2 = other->Create("dave", 3);
  ASSERT_TRUE(k2.ok());
  auto refreshed = s->Refresh();
  ASSERT_TRUE(refreshed.ok());
  EXPECT_TRUE(*refreshed);
  EXPECT_TRUE(s->Find(*k2).has_value());
  std::filesystem::remove_all(dir);
}

TEST(ApiKeyStore, DamagedFileIsCorruption) {
  std::string dir = TempDirFor("bad");
  std::ofstream(dir + "/api_keys.json") << "{not json";
  auto s = ApiKeyStore::Open(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_NE(s.status().message().find("api_keys.json"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(RateLimiter, TokenBucketAllowsBurstThenRefillsAtRate) {
  RateLimiter r;
  auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.Take("k", 4, t0), 0) << i;
  double wait = r.Take("k", 4, t0);
  EXPECT_NEAR(wait, 0.25, 1e-9);
  EXPECT_GT(r.Take("k", 4, t0 + std::chrono::milliseconds(100)), 0);
  EXPECT_EQ(r.Take("k", 4, t0 + std::chrono::milliseconds(300)), 0);
  EXPECT_EQ(r.Take("other", 4, t0), 0) << "buckets are per key";
  // A rate below one per second still allows one request at once.
  EXPECT_EQ(r.Take("slow", 0.5, t0), 0);
  EXPECT_NEAR(r.Take("slow", 0.5, t0), 2.0, 1e-9);
}

}  // namespace
}  // namespace fundtrace
