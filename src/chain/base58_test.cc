#include "chain/base58.h"

#include <gtest/gtest.h>

#include "chain/hash.h"

namespace fundtrace {
namespace {

std::string Bytes(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(FromHex(hex, &out)) << hex;
  return out;
}

// Bitcoin Core src/test/data/base58_encode_decode.json: {hex bytes, base58 text}.
struct Vector {
  const char* hex;
  const char* base58;
};
const Vector kCoreVectors[] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
    {"00000000000000000000000000000000000000000000000000000000000000000000000000000000",
     "1111111111111111111111111111111111111111"},
    {"00000000000000000000000000000000000000000000000000000000000000000000000000000001",
     "1111111111111111111111111111111111111112"},
    {"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000ec39d04"
     "c37e71e5d591881f6",
     "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
     "5TYzLYH1udmLdzCLM"},
    {"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
     "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c"
     "2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a"
     "5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f8081828384858687"
     "88898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4"
     "b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1"
     "e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8k"
     "Z7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7e"
     "wSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3Nqyh"
     "QJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY"},
    {"271F359E", "zzzzy"},
    {"271F359F", "zzzzz"},
    {"271F35A0", "211111"},
    {"271F35A1", "211112"},
};

TEST(Base58, EncodesBitcoinCoreVectors) {
  for (const Vector& v : kCoreVectors) {
    EXPECT_EQ(EncodeBase58(AsBytes(Bytes(v.hex))), v.base58) << v.hex;
  }
}

TEST(Base58, DecodesBitcoinCoreVectors) {
  for (const Vector& v : kCoreVectors) {
    Result<std::string> decoded = DecodeBase58(v.base58);
    ASSERT_TRUE(decoded.ok()) << v.base58 << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, Bytes(v.hex)) << v.base58;
  }
}

TEST(Base58, RejectsCharactersOutsideTheAlphabet) {
  // "invalid" is one of Bitcoin Core's base58 rejection cases.
  Result<std::string> r = DecodeBase58("invalid");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "bad base58 character 'l' at position 4");
  for (const char* text : {"0", "O", "I", "l", "1A1zO", "abc-"}) {
    EXPECT_FALSE(DecodeBase58(text).ok()) << text;
  }
  EXPECT_EQ(DecodeBase58("1A1zO").status().message(), "bad base58 character 'O' at position 4");
  // Unlike Bitcoin Core we do not skip surrounding whitespace; callers trim.
  EXPECT_EQ(DecodeBase58(" 3EFU7m").status().message(), "bad base58 character 0x20 at position 0");
  EXPECT_FALSE(DecodeBase58(std::string("3EFU7m\0", 7)).ok());
}

TEST(Base58, CheckRoundTripsKnownPayloads) {
  struct {
    const char* payload_hex;
    const char* text;
  } const kCases[] = {
      // Bitcoin Core base58_tests: Base58Check of "hello world".
      {"68656c6c6f20776f726c64", "3vQB7B6MrGQZaxCuFg4oh"},
      // Genesis coinbase address: version 0x00 + HASH160 of the genesis pubkey.
      {"0062e907b15cbf27d5425399ebf6f0fb50ebb88f18", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
      // TRON documentation: 0x41 + account hash.
      {"415a523b449890854c8fc460ab602df9f31fe4293f", "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"},
      {"", "3QJmnh"},
  };
  for (const auto& c : kCases) {
    std::string payload = Bytes(c.payload_hex);
    EXPECT_EQ(EncodeBase58Check(AsBytes(payload)), c.text);
    Result<std::string> decoded = DecodeBase58Check(c.text);
    ASSERT_TRUE(decoded.ok()) << c.text << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, payload);
  }
}

TEST(Base58, CheckRejectsCorruption) {
  // Last character changed: the checksum no longer matches (Bitcoin Core base58_tests).
  EXPECT_EQ(DecodeBase58Check("3vQB7B6MrGQZaxCuFg4oi").status().message(),
            "base58check checksum mismatch");
  EXPECT_EQ(DecodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").status().message(),
            "base58check checksum mismatch");
  EXPECT_EQ(DecodeBase58Check("").status().message(),
            "base58check data too short for its 4-byte checksum");
  EXPECT_EQ(DecodeBase58Check("2g").status().message(),
            "base58check data too short for its 4-byte checksum");
  EXPECT_EQ(DecodeBase58Check("3vQB7B6MrGQZaxCuFg4Oh").status().message(),
            "bad base58 character 'O' at position 19");
}

}  // namespace
}  // namespace fundtrace
