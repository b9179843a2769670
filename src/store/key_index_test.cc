#include "store/key_index.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <unordered_map>

namespace fundtrace {
namespace {

// The serialised bytes of a builder, as a dictionary file would hold them.
std::string Bytes(const KeyIndexBuilder& b) {
  static int n = 0;
  std::string path = std::filesystem::temp_directory_path() /
                     ("fundtrace-keyindex-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  FileAssembler a;
  b.AppendTo(&a);
  EXPECT_TRUE(a.Write(path).ok());
  auto text = ReadFileToString(path);
  std::filesystem::remove(path);
  return *text;
}

KeyIndexView ViewOf(const std::string& bytes) {
  size_t used = 0;
  auto v = KeyIndexView::Parse(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                               "test", &used);
  EXPECT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(used, bytes.size());
  return *v;
}

TEST(KeyIndex, InsertFindAndSerialise) {
  KeyIndexBuilder b;
  bool inserted;
  EXPECT_EQ(b.Insert("alpha", &inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(b.Insert("beta", &inserted), 1u);
  EXPECT_EQ(b.Insert("alpha", &inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(b.Insert("", &inserted), 2u);
  EXPECT_EQ(b.Find("beta"), 1);
  EXPECT_EQ(b.Find("gamma"), -1);
  std::string bytes = Bytes(b);
  KeyIndexView v = ViewOf(bytes);
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.Find("alpha"), 0);
  EXPECT_EQ(v.Find(""), 2);
  EXPECT_EQ(v.Find("gamma"), -1);
  EXPECT_EQ(v.Key(1), "beta");
}

TEST(KeyIndex, FixedWidthKeys) {
  KeyIndexBuilder b(4);
  bool inserted;
  for (uint32_t i = 0; i < 1000; ++i) {
    std::string k(reinterpret_cast<const char*>(&i), 4);
    EXPECT_EQ(b.Insert(k, &inserted), i);
  }
  std::string bytes = Bytes(b);
  KeyIndexView v = ViewOf(bytes);
  for (uint32_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(v.Find(std::string(reinterpret_cast<const char*>(&i), 4)), i);
  }
}

TEST(KeyIndex, UniformVariableKeysAreWrittenFixedWidth) {
  KeyIndexBuilder b;  // variable width, but every key has 21 bytes (as EVM address keys)
  bool inserted;
  for (int i = 0; i < 300; ++i) b.Insert(std::string(20, 'k') + static_cast<char>(i % 256) + (i >= 256 ? "x" : ""), &inserted);
  KeyIndexBuilder u;
  for (int i = 0; i < 200; ++i) u.Insert(std::string(20, 'k') + static_cast<char>(i), &inserted);
  std::string mixed = Bytes(b), uniform = Bytes(u);
  uint64_t width;
  std::memcpy(&width, mixed.data() + 8, 8);
  EXPECT_EQ(width, 0u);
  std::memcpy(&width, uniform.data() + 8, 8);
  EXPECT_EQ(width, 21u);
  KeyIndexView v = ViewOf(uniform);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(v.Find(std::string(20, 'k') + static_cast<char>(i)), i);
  EXPECT_EQ(v.Find(std::string(21, 'z')), -1);
}

TEST(KeyIndex, RejectsDamagedBytes) {
  KeyIndexBuilder b;
  bool inserted;
  b.Insert("x", &inserted);
  std::string bytes = Bytes(b);
  size_t used;
  for (size_t cut : {size_t{0}, size_t{8}, size_t{31}, bytes.size() - 1}) {
    auto v = KeyIndexView::Parse(reinterpret_cast<const uint8_t*>(bytes.data()), cut, "dict", &used);
    EXPECT_FALSE(v.ok()) << cut;
    EXPECT_NE(v.status().message().find("dict"), std::string::npos);
  }
  std::string bad = bytes;
  bad[24] = 3;  // capacity not a power of two
  EXPECT_FALSE(KeyIndexView::Parse(reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), "d", &used).ok());
}

TEST(KeyIndex, AgreesWithUnorderedMap) {
  rc::check("builder and view agree with std::unordered_map", [](const std::vector<std::string>& keys) {
    KeyIndexBuilder b;
    std::unordered_map<std::string, uint32_t> ref;
    bool inserted;
    for (const auto& k : keys) {
      uint32_t id = b.Insert(k, &inserted);
      auto [it, fresh] = ref.emplace(k, static_cast<uint32_t>(ref.size()));
      RC_ASSERT(inserted == fresh);
      RC_ASSERT(id == it->second);
    }
    std::string bytes = Bytes(b);
    size_t used;
    auto v = KeyIndexView::Parse(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "t", &used);
    RC_ASSERT(v.ok());
    for (const auto& [k, id] : ref) {
      RC_ASSERT(v->Find(k) == static_cast<int64_t>(id));
      RC_ASSERT(v->Key(id) == k);
    }
    RC_ASSERT(v->Find("\xff\xfe-not-a-key-\x01") == -1 || ref.count("\xff\xfe-not-a-key-\x01"));
  });
}

}  // namespace
}  // namespace fundtrace
