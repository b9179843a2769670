#include "synth/names.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace fundtrace::synth {
namespace {

bool LowerHex(const std::string& s) {
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return false;
  for (size_t i = 2; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(SynthNames, AddressesAndHashesAreWellFormedAndDistinct) {
  Namer namer(42);
  std::unordered_set<std::string> addrs, hashes;
  for (uint64_t i = 0; i < 20000; ++i) {
    for (AddrClass c : {AddrClass::kUser, AddrClass::kDeposit, AddrClass::kAttacker}) {
      char a[kAddressTextLen];
      namer.Address(MakeAddr(c, i), a);
      const std::string s(a, kAddressTextLen);
      ASSERT_TRUE(LowerHex(s)) << s;
      EXPECT_TRUE(addrs.insert(s).second) << "duplicate address " << s;
    }
    char h[kHashTextLen];
    namer.TxHash(i, h);
    ASSERT_TRUE(LowerHex(std::string(h, kHashTextLen)));
    EXPECT_TRUE(hashes.insert(std::string(h, kHashTextLen)).second);
    namer.BlockHash(i, h);
    EXPECT_TRUE(hashes.insert(std::string(h, kHashTextLen)).second)
        << "block hash equals a tx hash";
  }
}

TEST(SynthNames, BytesMatchText) {
  Namer namer(7);
  uint8_t bytes[20];
  char text[kAddressTextLen], hex[40];
  const SynthAddr a = MakeAddr(AddrClass::kToken, 3);
  namer.AddressBytes(a, bytes);
  namer.Address(a, text);
  HexBytes(bytes, 20, hex);
  EXPECT_EQ(std::string(hex, 40), std::string(text + 2, 40));
}

TEST(SynthNames, SeedChangesNames) {
  char a[kAddressTextLen], b[kAddressTextLen];
  Namer(1).Address(MakeAddr(AddrClass::kUser, 1), a);
  Namer(2).Address(MakeAddr(AddrClass::kUser, 1), b);
  EXPECT_NE(std::string(a, kAddressTextLen), std::string(b, kAddressTextLen));
}

TEST(SynthNames, ClassAndPayloadRoundTrip) {
  const SynthAddr a = MakeAddr(AddrClass::kDeposit, (uint64_t{5} << 40) | 12345);
  EXPECT_EQ(ClassOf(a), AddrClass::kDeposit);
  EXPECT_EQ(PayloadOf(a), (uint64_t{5} << 40) | 12345);
}

}  // namespace
}  // namespace fundtrace::synth
