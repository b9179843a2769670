#include "synth/text_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fundtrace::synth {
namespace {

std::string Format(Uint128 v) {
  char buf[40];
  return std::string(buf, static_cast<size_t>(FormatUint(v, buf)));
}

TEST(SynthTextSink, FormatsIntegersExactly) {
  EXPECT_EQ(Format(0), "0");
  EXPECT_EQ(Format(7), "7");
  EXPECT_EQ(Format(10), "10");
  EXPECT_EQ(Format(UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(Format(Uint128{UINT64_MAX} + 1), "18446744073709551616");
  EXPECT_EQ(Format(Uint128{10000000000000000000ull}), "10000000000000000000");
  EXPECT_EQ(Format(Uint128{10000000000000000000ull} * 10000000000000000000ull + 5),
            "100000000000000000000000000000000000005");
  EXPECT_EQ(Format(~Uint128{0}), "340282366920938463463374607431768211455");
  Uint128 p = 1;
  std::string expect = "1";
  for (int i = 0; i < 38; ++i) {
    EXPECT_EQ(Format(p), expect);
    p *= 10;
    expect += "0";
  }
}

TEST(SynthTextSink, WritesThroughPartialFileAndRenames) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("synth-sink-" + std::to_string(::getpid()) + ".txt");
  {
    auto sink = TextSink::Create(path);
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    (*sink)->Put("a,");
    (*sink)->Uint(uint64_t{42});
    (*sink)->Put(',');
    (*sink)->HexUint(0);
    (*sink)->Put(',');
    (*sink)->HexUint(0xabc);
    EXPECT_TRUE(std::filesystem::exists(path + ".partial"));
    EXPECT_FALSE(std::filesystem::exists(path));
    ASSERT_TRUE((*sink)->Finish().ok());
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "a,42,0x0,0xabc");
  std::filesystem::remove(path);
}

TEST(SynthTextSink, UnfinishedSinkLeavesNothing) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("synth-sink-unfinished-" + std::to_string(::getpid()) + ".txt");
  {
    auto sink = TextSink::Create(path);
    ASSERT_TRUE(sink.ok());
    (*sink)->Put("half");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(SynthTextSink, CreateFailsWithPath) {
  auto sink = TextSink::Create("/nonexistent-dir-for-synth/x.csv");
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.status().message().find("/nonexistent-dir-for-synth/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace fundtrace::synth
