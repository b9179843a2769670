#include "chain/bech32.h"

#include <gtest/gtest.h>

#include <cctype>

#include "chain/hash.h"

namespace fundtrace {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The scriptPubKey a segwit address pays to: OP_n <program>.
std::string ScriptHex(const SegwitAddress& a) {
  std::string script(1, static_cast<char>(a.version == 0 ? 0 : 0x50 + a.version));
  script += static_cast<char>(a.program.size());
  script += a.program;
  return ToHex(AsBytes(script));
}

void ExpectValid(const char* text, Bech32Encoding encoding) {
  Result<Bech32String> decoded = DecodeBech32(text);
  ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.status().ToString();
  EXPECT_EQ(decoded->encoding, encoding) << text;
  EXPECT_EQ(EncodeBech32(encoding, decoded->hrp, decoded->values), Lower(text));
}

struct Invalid {
  std::string text;
  const char* message;  // what DecodeBech32 / DecodeSegwitAddress must say
};

void ExpectInvalid(const Invalid& c, bool segwit) {
  Status status = segwit ? DecodeSegwitAddress(c.text).status() : DecodeBech32(c.text).status();
  EXPECT_FALSE(status.ok()) << c.text;
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << c.text;
  EXPECT_EQ(status.message(), c.message) << c.text;
}

// BIP-173 "The following strings are valid Bech32".
TEST(Bech32, Bip173ValidStrings) {
  for (const char* text : {
           "A12UEL5L",
           "a12uel5l",
           "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1"
           "tt5tgs",
           "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
           "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
           "c8247j",
           "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
           "?1ezyfcl",
       }) {
    ExpectValid(text, Bech32Encoding::kBech32);
  }
}

// BIP-350 "The following strings are valid Bech32m" (and so, per BIP-350, not valid Bech32).
TEST(Bech32, Bip350ValidStrings) {
  for (const char* text : {
           "A1LQFN3A",
           "a1lqfn3a",
           "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11"
           "sg7hg6",
           "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
           "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll"
           "ludsr8",
           "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
           "?1v759aa",
       }) {
    ExpectValid(text, Bech32Encoding::kBech32m);
  }
}

TEST(Bech32, Bip173ValidStringDecodesToItsValues) {
  Result<Bech32String> d = DecodeBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->hrp, "abcdef");
  ASSERT_EQ(d->values.size(), 32u);
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(d->values[i], i);
}

// BIP-173 "The following string are not valid Bech32", in order.
TEST(Bech32, Bip173InvalidStrings) {
  const Invalid kCases[] = {
      {"\x20"
       "1nwldj5",
       "invalid character 0x20 at position 0"},
      {"\x7f"
       "1axkwrx",
       "invalid character 0x7f at position 0"},
      {"\x80"
       "1eym55h",
       "invalid character 0x80 at position 0"},
      {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569"
       "pvx",
       "bech32 string too long (91 characters, max 90)"},
      {"pzry9x0s0muk", "no bech32 separator '1'"},
      {"1pzry9x0s0muk", "empty human-readable part"},
      {"x1b4n0q5v", "invalid bech32 character 'b' at position 2"},
      {"li1dgmt3", "bech32 checksum too short"},
      {"de1lg7wt\xff", "invalid character 0xff at position 8"},
      {"A1G7SGD8", "bech32 checksum invalid"},  // checksum computed over upper-case HRP
      {"10a06t8", "empty human-readable part"},
      {"1qzzfhee", "empty human-readable part"},
  };
  for (const Invalid& c : kCases) ExpectInvalid(c, /*segwit=*/false);
}

// BIP-350 "The following string are not valid Bech32m", in order.
TEST(Bech32, Bip350InvalidStrings) {
  const Invalid kCases[] = {
      {"\x20"
       "1xj0phk",
       "invalid character 0x20 at position 0"},
      {"\x7f"
       "1g6xzxy",
       "invalid character 0x7f at position 0"},
      {"\x80"
       "1vctc34",
       "invalid character 0x80 at position 0"},
      {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6p"
       "ts4",
       "bech32 string too long (91 characters, max 90)"},
      {"qyrz8wqd2c9m", "no bech32 separator '1'"},
      {"1qyrz8wqd2c9m", "empty human-readable part"},
      {"y1b0jsk6g", "invalid bech32 character 'b' at position 2"},
      {"lt1igcx5c0", "invalid bech32 character 'i' at position 3"},
      {"in1muywd", "bech32 checksum too short"},
      {"mm1crxm3i", "invalid bech32 character 'i' at position 8"},
      {"au1s5cgom", "invalid bech32 character 'o' at position 7"},
      {"M1VUXWEZ", "bech32 checksum invalid"},  // checksum computed over upper-case HRP
      {"16plkw9", "empty human-readable part"},
      {"1p2gdwpf", "empty human-readable part"},
  };
  for (const Invalid& c : kCases) ExpectInvalid(c, /*segwit=*/false);
}

TEST(Bech32, RejectsMixedCase) {
  EXPECT_EQ(DecodeBech32("A12uEL5L").status().message(), "bech32 string has mixed case");
}

struct ValidAddress {
  const char* text;
  const char* script_hex;
};

void ExpectValidAddress(const ValidAddress& v) {
  Result<SegwitAddress> a = DecodeSegwitAddress(v.text);
  ASSERT_TRUE(a.ok()) << v.text << ": " << a.status().ToString();
  EXPECT_TRUE(a->hrp == "bc" || a->hrp == "tb") << v.text;
  EXPECT_EQ(ScriptHex(*a), v.script_hex) << v.text;
  EXPECT_EQ(EncodeSegwitAddress(a->hrp, a->version, AsBytes(a->program)), Lower(v.text));
}

// BIP-173's valid segwit addresses that BIP-350 keeps (version 0).
TEST(Segwit, Bip173ValidV0Addresses) {
  const ValidAddress kCases[] = {
      {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
       "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
       "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
      {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
       "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
  };
  for (const ValidAddress& v : kCases) ExpectValidAddress(v);
}

// BIP-350 "valid segwit addresses and the scriptPubKey that they translate to".
TEST(Segwit, Bip350ValidAddresses) {
  const ValidAddress kCases[] = {
      {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
       "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
       "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"BC1SW50QGDZ25J", "6002751e"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
      {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
       "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
       "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
       "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
  };
  for (const ValidAddress& v : kCases) ExpectValidAddress(v);
}

// BIP-173's v1+ examples carry bech32 checksums, which BIP-350 replaced with bech32m.
TEST(Segwit, Bip173V1PlusAddressesAreInvalidUnderBip350) {
  for (const char* text : {
           "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
           "BC1SW50QA3JX3S",
           "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
       }) {
    Status status = DecodeSegwitAddress(text).status();
    EXPECT_NE(status.message().find("needs a bech32m checksum, found bech32"), std::string::npos)
        << text << ": " << status.ToString();
  }
}

// BIP-173 invalid segwit addresses, in order. Where BIP-350 makes an earlier rule fire first
// (bech32 checksum on a v1+ address) the message names that rule.
TEST(Segwit, Bip173InvalidAddresses) {
  Result<SegwitAddress> other_hrp =
      DecodeSegwitAddress("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty");
  ASSERT_TRUE(other_hrp.ok());  // well-formed; the HRP is the caller's to reject
  EXPECT_EQ(other_hrp->hrp, "tc");
  const Invalid kCases[] = {
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "bech32 checksum invalid"},
      {"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "invalid witness version 17"},
      {"bc1rw5uspcuh", "witness v3 address needs a bech32m checksum, found bech32"},
      {"bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
       "witness v15 address needs a bech32m checksum, found bech32"},
      {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "witness v0 program must be 20 or 32 bytes, got 16"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
       "bech32 string has mixed case"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
       "witness v2 address needs a bech32m checksum, found bech32"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
       "invalid padding in witness program"},
      {"bc1gmk9yu", "empty data section"},
  };
  for (const Invalid& c : kCases) ExpectInvalid(c, /*segwit=*/true);
}

// BIP-350 invalid segwit addresses, in order.
TEST(Segwit, Bip350InvalidAddresses) {
  Result<SegwitAddress> other_hrp =
      DecodeSegwitAddress("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut");
  ASSERT_TRUE(other_hrp.ok());  // well-formed; the HRP is the caller's to reject
  EXPECT_EQ(other_hrp->hrp, "tc");
  const Invalid kCases[] = {
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
       "witness v1 address needs a bech32m checksum, found bech32"},
      {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
       "witness v2 address needs a bech32m checksum, found bech32"},
      {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
       "witness v16 address needs a bech32m checksum, found bech32"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
       "witness v0 address needs a bech32 checksum, found bech32m"},
      {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
       "witness v0 address needs a bech32 checksum, found bech32m"},
      {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
       "invalid bech32 character 'o' at position 59"},
      {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
       "invalid witness version 17"},
      {"bc1pw5dgrnzv", "invalid witness program length 1 (must be 2 to 40 bytes)"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
       "invalid witness program length 41 (must be 2 to 40 bytes)"},
      {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "witness v0 program must be 20 or 32 bytes, got 16"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
       "bech32 string has mixed case"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
       "invalid padding in witness program"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
       "invalid padding in witness program"},
      {"bc1gmk9yu", "empty data section"},
  };
  for (const Invalid& c : kCases) ExpectInvalid(c, /*segwit=*/true);
}

TEST(Segwit, EncodeRefusesWhatDecodeWouldReject) {
  const std::string p20(20, '\x11'), p16(16, '\x11'), p1(1, '\x11'), p41(41, '\x11');
  EXPECT_NE(EncodeSegwitAddress("bc", 0, AsBytes(p20)), "");
  EXPECT_EQ(EncodeSegwitAddress("bc", 0, AsBytes(p16)), "");
  EXPECT_EQ(EncodeSegwitAddress("bc", 1, AsBytes(p1)), "");
  EXPECT_EQ(EncodeSegwitAddress("bc", 1, AsBytes(p41)), "");
  EXPECT_EQ(EncodeSegwitAddress("bc", 17, AsBytes(p20)), "");
  EXPECT_EQ(EncodeSegwitAddress("bc", -1, AsBytes(p20)), "");
}

}  // namespace
}  // namespace fundtrace
