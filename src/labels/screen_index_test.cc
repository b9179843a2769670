#include "labels/screen_index.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "chain/address.h"
#include "labels/screener.h"

namespace fundtrace {
namespace {

std::string TempPath(const std::string& name) {
  static int n = 0;
  return (std::filesystem::temp_directory_path() /
          ("ft-screen-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + "-" + name))
      .string();
}

std::vector<std::pair<std::string, int>> Terms() {
  return {{"unknown", 0}, {"exchange", 10}, {"mixer", 75}, {"sanctioned", 100}, {"theft", 90}};
}

TEST(ScreenIndex, RoundTripsFixedAndVariableWidthKeys) {
  std::string path = TempPath("rt.idx");
  auto evm = ParseAddress(Chain::kEthereum, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  auto seg = ParseAddress(Chain::kBitcoin, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
  auto tap = ParseAddress(Chain::kBitcoin,
                          "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297");
  ASSERT_TRUE(evm.ok() && seg.ok() && tap.ok());
  ASSERT_EQ(evm->size(), 21u);
  ASSERT_NE(seg->size(), 21u);
  ScreenIndexWriter w(Terms());
  ScreenEntryInput a;
  a.key = *evm;
  a.label = "OFAC SDN list (ETH)";
  a.entity = "Lazarus Group";
  a.source = "ofac";
  a.network = "ETH";
  a.category = "sanctioned";
  a.confidence = 60;
  a.tags = 5;
  a.terms = {"sanctioned", "unknown", "theft"};
  w.Add(a);
  ScreenEntryInput b;
  b.key = *seg;
  b.chain = Chain::kBitcoin;
  b.label = "Some exchange";
  b.source = "graphsense";
  b.category = "exchange";
  b.abuse = "";
  b.confidence = 50;
  b.terms = {"exchange"};
  w.Add(b);
  ASSERT_TRUE(w.Write(path, 7, 6).ok());

  auto idx = ScreenIndex::Open(path);
  ASSERT_TRUE(idx.ok()) << idx.status().message();
  EXPECT_EQ((*idx)->generation(), 7u);
  EXPECT_EQ((*idx)->tags(), 6u);
  EXPECT_EQ((*idx)->addresses(), 2u);
  const ScreenEntry* e = (*idx)->Find(*evm);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*idx)->String(e->label), "OFAC SDN list (ETH)");
  EXPECT_EQ((*idx)->String(e->entity), "Lazarus Group");
  EXPECT_EQ((*idx)->TermName(e->category), "sanctioned");
  EXPECT_EQ(e->abuse, kNoTerm);
  EXPECT_EQ(e->confidence, 60);
  EXPECT_EQ(e->tags, 5);
  auto risks = (*idx)->Risks(*e, 40);
  ASSERT_EQ(risks.size(), 2u);
  EXPECT_EQ(risks[0], "sanctioned");
  EXPECT_EQ(risks[1], "theft");
  const ScreenEntry* f = (*idx)->Find(*seg);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(static_cast<Chain>(f->chain), Chain::kBitcoin);
  EXPECT_EQ((*idx)->String(f->entity), "");
  EXPECT_EQ((*idx)->Find(*tap), nullptr);

  Screener s(**idx, std::nullopt);
  EXPECT_EQ(s.Screen("  0x098B716B8Aaf21512996dC57EB0615e2383E2f96, note").kind,
            ScreenResult::Kind::kHit);
  EXPECT_EQ(s.Screen("0x098b716b8aaf21512996dc57eb0615e2383e2f97\n").kind,
            ScreenResult::Kind::kMiss);
  auto bad = s.Screen("0x098B716B8Aaf21512996dC57EB0615e2383E2f9a");  // checksum-invalid mixed case
  EXPECT_EQ(bad.kind, ScreenResult::Kind::kInvalid);
  EXPECT_NE(bad.error.find("EIP-55"), std::string::npos) << bad.error;
  EXPECT_EQ(s.Screen("# a comment").kind, ScreenResult::Kind::kSkip);
  EXPECT_EQ(s.Screen("").kind, ScreenResult::Kind::kSkip);
  EXPECT_EQ(s.Screen("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").kind, ScreenResult::Kind::kHit);
  std::filesystem::remove(path);
}

TEST(ScreenIndex, RejectsDamagedFiles) {
  std::string path = TempPath("bad.idx");
  ScreenIndexWriter w(Terms());
  ScreenEntryInput a;
  std::string key(21, '\x01');
  a.key = key;
  a.category = "exchange";
  w.Add(a);
  ASSERT_TRUE(w.Write(path, 1, 1).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  };
  write(bytes.substr(0, bytes.size() - 9));
  auto r = ScreenIndex::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  std::string other = bytes;
  other[0] = 'X';
  write(other);
  r = ScreenIndex::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a fundtrace screening index"), std::string::npos);
  other = bytes;
  other[8] = 9;  // version
  write(other);
  r = ScreenIndex::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version 9 is not supported"), std::string::npos);
  std::filesystem::remove(path);
  EXPECT_TRUE(ScreenIndex::Open(path).status().IsNotFound());
}

RC_GTEST_PROP(ScreenIndex, FindsExactlyTheKeysItHolds, ()) {
  auto n = *rc::gen::inRange<size_t>(0, 300);
  std::set<std::string> keys;
  for (size_t i = 0; i < n; ++i) {
    // 21-byte keys mostly, some variable width, as real address keys are.
    size_t len = *rc::gen::element<size_t>(21, 21, 21, 22, 34);
    keys.insert(*rc::gen::container<std::string>(len, rc::gen::arbitrary<char>()));
  }
  ScreenIndexWriter w(Terms());
  std::vector<std::string> ordered(keys.begin(), keys.end());
  for (size_t i = 0; i < ordered.size(); ++i) {
    ScreenEntryInput in;
    std::string label = "label " + std::to_string(i);  // in.label views it
    in.key = ordered[i];
    in.label = label;
    in.category = "exchange";
    in.confidence = static_cast<int>(i % 101);
    w.Add(in);
  }
  std::string path = TempPath("prop.idx");
  RC_ASSERT(w.Write(path, 1, ordered.size()).ok());
  auto idx = ScreenIndex::Open(path);
  RC_ASSERT(idx.ok());
  for (size_t i = 0; i < ordered.size(); ++i) {
    const ScreenEntry* e = (*idx)->Find(ordered[i]);
    RC_ASSERT(e != nullptr);
    RC_ASSERT((*idx)->String(e->label) == "label " + std::to_string(i));
    RC_ASSERT(e->confidence == i % 101);
  }
  for (int i = 0; i < 50; ++i) {
    std::string probe = *rc::gen::container<std::string>(21, rc::gen::arbitrary<char>());
    RC_ASSERT(((*idx)->Find(probe) != nullptr) == (keys.count(probe) > 0));
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace fundtrace
