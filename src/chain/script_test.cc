#include "chain/script.h"

#include <gtest/gtest.h>

#include "chain/address.h"
#include "chain/hash.h"

namespace fundtrace {
namespace {

std::string Bytes(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(FromHex(hex, &out)) << hex;
  return out;
}

std::optional<std::string> KeyOf(std::string_view script_hex) {
  std::string script = Bytes(script_hex);
  return AddressKeyFromScript(AsBytes(script));
}

// The address that owns the script, as text.
std::string Owner(std::string_view script_hex) {
  std::optional<std::string> key = KeyOf(script_hex);
  return key ? FormatAddress(*key) : "<none>";
}

constexpr char kGenesisPubKey[] =
    "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51e"
    "c112de5c384df7ba0b8d578a4c702b6bf11d5f";

TEST(Script, GenesisCoinbaseP2pkShowsAsItsP2pkhAddress) {
  std::string script = std::string("41") + kGenesisPubKey + "ac";
  std::optional<std::string> key = KeyOf(script);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(*key, *ParseAddress(Chain::kBitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
  EXPECT_EQ(FormatAddress(*key), "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
}

TEST(Script, CompressedP2pk) {
  // The generator point's compressed key; its HASH160 is BIP-173's example program 751e76e8...
  EXPECT_EQ(Owner("2102"
                  "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                  "ac"),
            "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
  EXPECT_EQ(Owner("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac"),
            "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
}

// Bitcoin Core key_io_valid.json mainnet entries and BIP-350 mainnet vectors: every
// scriptPubKey maps to the key its address parses to, and formats back to the address.
TEST(Script, StandardScriptsMatchTheirAddresses) {
  struct {
    const char* address;
    const char* script_hex;
  } const kCases[] = {
      {"1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac"},
      {"36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", "a914373b819a068f32b7a6b38b6b38729647cfde01c287"},
      {"1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd", "76a914a19331b7b2627e663e25a7b001e4c0dcc5e21bc788ac"},
      {"3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf", "a9146c382dcdf5b284760c8e3fead91f7422cd76aa8787"},
      {"bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv",
       "00146100fc6343edc8c874496cb2f5bbfec88ea9b77c"},
      {"bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7",
       "002027304b37f70e94bc8a0fbf500e0c957a80ebda87280ef58214d92f119811acdc"},
      {"bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu",
       "51203c671ef1e3913f94980a9e146ba895908550ef4234abb7503d436521aba54c75"},
      {"bc1z2rksukkjr8", "520250ed"},
      {"bc1qhxt04s5xnpy0kxw4x99n5hpdf5pmtzpqs52es2",
       "0014b996fac2869848fb19d5314b3a5c2d4d03b58820"},
      {"bc1pve739yap4uxjvfk0jrey69078u0gasm2nwvv483ec6zkzulgw9xqu4w9fd",
       "5120667d1293a1af0d2626cf90f24d15fe3f1e8ec36a9b98ca9e39c6856173e8714c"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
       "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"bc1sw50qgdz25j", "6002751e"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
       "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
  };
  for (const auto& c : kCases) {
    std::optional<std::string> key = KeyOf(c.script_hex);
    ASSERT_TRUE(key.has_value()) << c.script_hex;
    Result<std::string> parsed = ParseAddress(Chain::kBitcoin, c.address);
    ASSERT_TRUE(parsed.ok()) << c.address << ": " << parsed.status().ToString();
    EXPECT_EQ(*key, *parsed) << c.address;
    EXPECT_EQ(FormatAddress(*key), c.address);
  }
}

TEST(Script, PayToAnchorIsWitnessV1) { EXPECT_EQ(Owner("51024e73"), "bc1pfeessrawgf"); }

TEST(Script, OtherSpendableScriptsAreNonstandard) {
  // 1-of-1 bare multisig: OP_1 <G compressed> OP_1 OP_CHECKMULTISIG. Hash via Python hashlib.
  EXPECT_EQ(Owner("5121"
                  "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                  "51ae"),
            "script:28205333db922f66e8a941b4a32d66de5cea03d9cda46e3e6658935272b9b24f");
  const char* kNonstandard[] = {
      "0010751e76e8199196d454941c45d1b3a323",  // v0 with a 16-byte program (BIP-141 forbids)
      "5101ff",                                // v1 with a 1-byte program
      "51",                                    // OP_1 alone: anyone can spend
      "00",                                    // OP_0 alone
      "76a914751e76e8199196d454941c45d1b3a323f1433bd6",  // truncated P2PKH
      "2105"
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
      "ac",  // bad key header
      "4102"
      "678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e5"
      "1ec112de5c384df7ba0b8d578a4c702b6bf11d5fac",  // 65-byte key with a compressed header
      "00ac",                                        // empty push then OP_CHECKSIG
  };
  for (const char* hex : kNonstandard) {
    std::optional<std::string> key = KeyOf(hex);
    ASSERT_TRUE(key.has_value()) << hex;
    std::string script = Bytes(hex);
    Digest32 hash = Sha256(AsBytes(script));
    EXPECT_EQ(*key, MakeAddressKey(AddressType::kNonstandard, hash)) << hex;
  }
}

TEST(Script, UnspendableScriptsHaveNoOwner) {
  // The empty script is anyone-can-spend: it keeps an owner so value sent to it stays traceable.
  ASSERT_TRUE(KeyOf("").has_value());
  EXPECT_EQ(static_cast<AddressType>((*KeyOf(""))[0]), AddressType::kNonstandard);
  EXPECT_FALSE(KeyOf("6a").has_value());
  EXPECT_FALSE(KeyOf("6a24aa21a9ed0000000000000000000000000000000000000000000000000000000000000000")
                   .has_value());  // segwit commitment
  std::string huge(10001, '\x51');
  EXPECT_FALSE(AddressKeyFromScript(AsBytes(huge)).has_value());
  std::string limit(10000, '\x51');
  EXPECT_TRUE(AddressKeyFromScript(AsBytes(limit)).has_value());
}

}  // namespace
}  // namespace fundtrace
